# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class AtelierAcademyIntake(models.Model):
    """A cohort ("Promo mars 2027"): a coach, learners, sessions."""

    _name = "atelier.academy.intake"
    _description = "Academy intake"
    _inherit = ["mail.thread"]
    _order = "date_start desc, id desc"

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    coach_id = fields.Many2one(
        "res.users",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
        domain=lambda self: [
            ("all_group_ids", "in", self.env.ref("atelier_base.group_coach").ids)
        ],
    )
    path_id = fields.Many2one("atelier.academy.path", string="Main path")
    date_start = fields.Date(required=True, default=fields.Date.context_today)
    date_end = fields.Date()
    enrolment_ids = fields.One2many(
        "atelier.academy.enrolment", "intake_id", string="Learners"
    )
    session_ids = fields.One2many("atelier.academy.session", "intake_id")
    learner_count = fields.Integer(compute="_compute_counts")
    session_count = fields.Integer(compute="_compute_counts")
    note = fields.Text()

    _dates_check = models.Constraint(
        "CHECK (date_end IS NULL OR date_end >= date_start)",
        "An intake ends after it starts.",
    )

    @api.depends("enrolment_ids", "session_ids")
    def _compute_counts(self):
        for intake in self:
            intake.learner_count = len(intake.enrolment_ids)
            intake.session_count = len(intake.session_ids)

    def action_open_sessions(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "atelier_academy.atelier_academy_session_action"
        )
        action["domain"] = [("intake_id", "=", self.id)]
        action["context"] = {"default_intake_id": self.id}
        return action

    def action_open_progress(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "atelier_academy.atelier_academy_enrolment_action"
        )
        action["domain"] = [("intake_id", "=", self.id)]
        action["context"] = {"default_intake_id": self.id}
        action["name"] = self.env._("Progress of %(intake)s", intake=self.name)
        return action
