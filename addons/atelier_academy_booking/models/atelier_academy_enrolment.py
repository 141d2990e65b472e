# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, float_compare


class AtelierAcademyEnrolment(models.Model):
    _inherit = "atelier.academy.enrolment"

    atelier_booking_ids = fields.One2many(
        "atelier.booking", "atelier_enrolment_id", string="Booked sessions"
    )
    hours_reserved = fields.Float(
        "Coaching hours booked",
        compute="_compute_hours_reserved",
        store=True,
        help="Hours of the coaching sessions booked and not held yet.",
    )

    @api.depends(
        "attendance_ids.state",
        "attendance_ids.session_id.state",
        "attendance_ids.session_id.duration",
        "attendance_ids.session_id.atelier_booking_ids",
    )
    def _compute_hours_reserved(self):
        for enrolment in self:
            enrolment.hours_reserved = sum(
                attendance.session_id.duration
                for attendance in enrolment.attendance_ids
                if attendance.state == "expected"
                and attendance.session_id.state == "planned"
                and attendance.session_id.atelier_booking_ids
            )

    @api.depends("hours_reserved")
    def _compute_hours(self):
        """Hours left: sold, minus used, minus booked and not held yet."""
        res = super()._compute_hours()
        for enrolment in self:
            enrolment.hours_left = max(
                enrolment.hours_sold
                - enrolment.hours_consumed
                - enrolment.hours_reserved,
                0.0,
            )
        return res

    def _atelier_booking_url(self):
        """The learner books their next session with their coach here."""
        self.ensure_one()
        enrolment = self.sudo()
        if enrolment.state == "active" and enrolment.coach_id and enrolment.hours_sold:
            return f"/my/academy/book/{enrolment.id}"
        return super()._atelier_booking_url()

    def _atelier_coaching_type(self):
        self.ensure_one()
        coach = self.sudo().coach_id
        if not coach:
            raise UserError(self.env._("No coach is assigned to your training yet."))
        return coach._atelier_coaching_type()

    def _atelier_check_can_book(self, hours=None):
        """UserError (in French for the learner) unless a session of
        ``hours`` can be booked on this enrolment now."""
        self.ensure_one()
        enrolment = self.sudo()
        if enrolment.state != "active":
            raise UserError(self.env._("This training is not in progress any more."))
        if hours is None:
            hours = enrolment._atelier_coaching_type().duration / 60.0
        if float_compare(enrolment.hours_left, hours, precision_digits=2) < 0:
            raise UserError(
                self.env._(
                    "You have %(left)s coaching hour(s) left and a session takes "
                    "%(hours)s: ask your coach about more hours.",
                    left=f"{enrolment.hours_left:g}",
                    hours=f"{hours:g}",
                )
            )

    def _atelier_book_session(self, start, tz=None):
        """Book a coaching session with the coach at ``start`` (UTC) for the
        learner of this enrolment: an appointment under the booking
        engine's no-double-booking guard, and the academy session its
        attendance counts on. Refused when the hours left do not cover it.
        """
        self.ensure_one()
        if not self.env.su and self.sudo().partner_id != self.env.user.partner_id:
            raise AccessError(self.env._("You can only book your own sessions."))
        # one booking at a time per enrolment: a second one waits here and,
        # under Odoo's snapshot isolation, is replayed and sees the first
        self.env.cr.execute(
            SQL(
                "SELECT id FROM atelier_academy_enrolment WHERE id = %s "
                "FOR NO KEY UPDATE",
                self.id,
            ),
            log_exceptions=False,
        )
        enrolment = self.sudo()
        enrolment.invalidate_recordset()
        appointment_type = enrolment._atelier_coaching_type()
        enrolment._atelier_check_can_book(appointment_type.duration / 60.0)
        coach = enrolment.coach_id
        booking = (
            self.env["atelier.booking"]
            .sudo()
            ._book(
                appointment_type,
                start,
                partner=enrolment.partner_id,
                technician=coach,
                hold=False,
                client_tz=tz or enrolment.partner_id.tz or "Europe/Paris",
            )
        )
        session = (
            self.env["atelier.academy.session"]
            .sudo()
            .create(
                {
                    "name": self.env._(
                        "Coaching: %(learner)s with %(coach)s",
                        learner=enrolment.partner_id.name,
                        coach=coach.name,
                    ),
                    "coach_id": coach.id,
                    "kind": "one_to_one",
                    "start": booking.start,
                    "stop": booking.stop,
                    "location": booking.location,
                    "enrolment_ids": [Command.set(enrolment.ids)],
                }
            )
        )
        booking.write(
            {"atelier_enrolment_id": enrolment.id, "atelier_session_id": session.id}
        )
        return booking
