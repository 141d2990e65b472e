# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

# what the coach's attendance mark means for the booking of the session
BOOKING_OUTCOME = {"present": "done", "late": "done", "absent": "no_show"}


class AtelierAcademyAttendance(models.Model):
    _inherit = "atelier.academy.attendance"

    @api.depends("session_id.atelier_booking_ids")
    def _compute_hours(self):
        """A session the learner booked and missed without an excuse uses
        its hours, like a session attended (the slot was kept for them)."""
        res = super()._compute_hours()
        for attendance in self:
            session = attendance.session_id
            if (
                attendance.state == "absent"
                and session.atelier_booking_ids
                and session.state != "cancelled"
            ):
                attendance.hours = session.duration
        return res

    def write(self, vals):
        res = super().write(vals)
        if "state" in vals and not self.env.context.get("atelier_academy_booking_sync"):
            self._atelier_sync_bookings()
        return res

    def _atelier_sync_bookings(self):
        """The coach marked a booked session: its booking follows (done or
        no-show) once the session has started."""
        now = fields.Datetime.now()
        for attendance in self.sudo():
            outcome = BOOKING_OUTCOME.get(attendance.state)
            bookings = attendance.session_id.atelier_booking_ids.filtered(
                lambda b: b.state == "confirmed" and b.start <= now
            )
            if outcome and bookings:
                bookings.with_context(atelier_academy_booking_sync=True)._set_outcome(
                    outcome
                )
