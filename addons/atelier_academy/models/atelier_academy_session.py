# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class AtelierAcademySession(models.Model):
    """A coaching session, one-to-one or with a group, and its attendance."""

    _name = "atelier.academy.session"
    _description = "Coaching session"
    _inherit = ["mail.thread"]
    _order = "start desc, id desc"

    name = fields.Char(required=True)
    intake_id = fields.Many2one("atelier.academy.intake", index="btree_not_null")
    coach_id = fields.Many2one(
        "res.users",
        required=True,
        index=True,
        default=lambda self: self.env.user,
    )
    kind = fields.Selection(
        [("one_to_one", "One-to-one"), ("group", "Group")],
        required=True,
        default="group",
    )
    start = fields.Datetime(required=True)
    stop = fields.Datetime(required=True)
    duration = fields.Float("Duration (hours)", compute="_compute_duration", store=True)
    location = fields.Char(help="Room, workshop or video-call link.")
    state = fields.Selection(
        [("planned", "Planned"), ("done", "Done"), ("cancelled", "Cancelled")],
        required=True,
        default="planned",
        tracking=True,
    )
    enrolment_ids = fields.Many2many(
        "atelier.academy.enrolment",
        "atelier_academy_session_enrolment_rel",
        "session_id",
        "enrolment_id",
        string="Session learners",
    )
    attendance_ids = fields.One2many("atelier.academy.attendance", "session_id")

    _dates_check = models.Constraint(
        "CHECK (stop > start)", "A session ends after it starts."
    )
    _start_idx = models.Index("(start)")

    @api.depends("start", "stop")
    def _compute_duration(self):
        for session in self:
            session.duration = (
                (session.stop - session.start).total_seconds() / 3600.0
                if session.start and session.stop and session.stop > session.start
                else 0.0
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("intake_id") and "enrolment_ids" not in vals:
                intake = self.env["atelier.academy.intake"].browse(vals["intake_id"])
                vals["enrolment_ids"] = [
                    fields.Command.set(
                        intake.enrolment_ids.filtered(lambda e: e.state == "active").ids
                    )
                ]
        sessions = super().create(vals_list)
        sessions._atelier_sync_attendance()
        return sessions

    def write(self, vals):
        res = super().write(vals)
        if "enrolment_ids" in vals:
            self._atelier_sync_attendance()
        return res

    def _atelier_sync_attendance(self):
        """One attendance line per learner of the session."""
        Attendance = self.env["atelier.academy.attendance"]
        for session in self:
            present = session.attendance_ids.enrolment_id
            missing = session.enrolment_ids - present
            if missing:
                Attendance.create(
                    [
                        {"session_id": session.id, "enrolment_id": enrolment.id}
                        for enrolment in missing
                    ]
                )
            gone = session.attendance_ids.filtered(
                lambda a, session=session: (
                    a.enrolment_id not in session.enrolment_ids
                    and a.state == "expected"
                )
            )
            gone.unlink()

    def action_done(self):
        self.write({"state": "done"})

    def action_cancel(self):
        self.write({"state": "cancelled"})
