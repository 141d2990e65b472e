# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

ATTENDANCE_STATES = [
    ("expected", "Expected"),
    ("present", "Present"),
    ("late", "Late"),
    ("absent", "Absent"),
    ("excused", "Excused"),
]


class AtelierAcademyAttendance(models.Model):
    """A learner at a coaching session; present and late consume hours."""

    _name = "atelier.academy.attendance"
    _description = "Coaching attendance"
    _order = "session_start desc, id"

    session_id = fields.Many2one(
        "atelier.academy.session", required=True, ondelete="cascade", index=True
    )
    session_start = fields.Datetime(related="session_id.start", store=True)
    enrolment_id = fields.Many2one(
        "atelier.academy.enrolment", required=True, ondelete="cascade", index=True
    )
    partner_id = fields.Many2one(
        related="enrolment_id.partner_id", store=True, index=True, string="Learner"
    )
    coach_id = fields.Many2one(related="session_id.coach_id", store=True)
    state = fields.Selection(ATTENDANCE_STATES, required=True, default="expected")
    hours = fields.Float(compute="_compute_hours", store=True)
    note = fields.Char()

    _session_enrolment_uniq = models.Constraint(
        "UNIQUE (session_id, enrolment_id)", "A learner is listed once per session."
    )

    @api.depends("state", "session_id.duration", "session_id.state")
    def _compute_hours(self):
        for attendance in self:
            attendance.hours = (
                attendance.session_id.duration
                if attendance.state in ("present", "late")
                and attendance.session_id.state != "cancelled"
                else 0.0
            )

    def action_present(self):
        self.write({"state": "present"})

    def action_late(self):
        self.write({"state": "late"})

    def action_absent(self):
        self.write({"state": "absent"})

    def action_excused(self):
        self.write({"state": "excused"})
