# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

# what the outcome of a booking means for the learner's attendance
ATTENDANCE_STATE = {"done": "present", "no_show": "absent"}


class AtelierBooking(models.Model):
    _inherit = "atelier.booking"

    atelier_enrolment_id = fields.Many2one(
        "atelier.academy.enrolment",
        string="Learner's enrolment",
        index="btree_not_null",
        readonly=True,
        ondelete="restrict",
        help="The coaching hours this appointment uses.",
    )
    atelier_session_id = fields.Many2one(
        "atelier.academy.session",
        string="Coaching session",
        index="btree_not_null",
        readonly=True,
        ondelete="set null",
    )

    def _cancel(self):
        """A cancelled coaching appointment cancels its session: its hours
        are the learner's again."""
        res = super()._cancel()
        sessions = self.sudo().atelier_session_id.filtered(
            lambda s: s.state == "planned"
        )
        sessions.action_cancel()
        return res

    def _set_outcome(self, state):
        """Done or no-show: the session is held, the learner present or absent
        (an unexcused absence at a booked session uses its hours)."""
        res = super()._set_outcome(state)
        for booking in self.sudo().filtered("atelier_session_id"):
            session = booking.atelier_session_id
            attendance = session.attendance_ids.filtered(
                lambda a, b=booking: a.enrolment_id == b.atelier_enrolment_id
            )
            if not self.env.context.get("atelier_academy_booking_sync"):
                attendance.with_context(atelier_academy_booking_sync=True).write(
                    {"state": ATTENDANCE_STATE[state]}
                )
            if session.state == "planned":
                session.action_done()
        return res

    def _reschedule(self, new_start):
        """The session moves with its appointment."""
        res = super()._reschedule(new_start)
        booking = self.sudo()
        if booking.atelier_session_id:
            booking.atelier_session_id.write(
                {"start": booking.start, "stop": booking.stop}
            )
        return res
