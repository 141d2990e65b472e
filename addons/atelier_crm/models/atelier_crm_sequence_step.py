# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

STEP_KINDS = [
    ("email", "Email"),
    ("activity", "Activity for the salesperson"),
    ("wait", "Wait"),
]
CONDITIONS = [
    ("none", "Always"),
    ("opened_previous", "Opened the previous e-mail"),
    ("clicked_previous", "Clicked in the previous e-mail"),
    ("score_above", "Score above"),
]


class AtelierCrmSequenceStep(models.Model):
    """One step: on day J+N of the enrolment, an e-mail, an activity or a
    wait, when its condition holds (skipped otherwise)."""

    _name = "atelier.crm.sequence.step"
    _description = "Sequence step"
    _order = "sequence_id, day_offset, sequence, id"

    sequence_id = fields.Many2one(
        "atelier.crm.sequence", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(string="Order", default=10)
    name = fields.Char(required=True, translate=True)
    kind = fields.Selection(STEP_KINDS, required=True, default="email")
    day_offset = fields.Integer(
        string="Day", required=True, default=0, help="J+N: days after the enrolment."
    )
    day_label = fields.Char(string="When", compute="_compute_day_label")
    mail_template_id = fields.Many2one(
        "mail.template",
        string="E-mail template",
        domain=[("model", "=", "crm.lead")],
        ondelete="restrict",
    )
    activity_type_id = fields.Many2one("mail.activity.type", ondelete="restrict")
    activity_summary = fields.Char(translate=True)
    condition = fields.Selection(CONDITIONS, required=True, default="none")
    condition_score = fields.Float(string="Score threshold")
    utm_source_id = fields.Many2one(
        "utm.source",
        string="Link source",
        ondelete="restrict",
        help="Source of the tracked links of this step's e-mails.",
    )
    # per-step figures (from the step log)
    sent_count = fields.Integer(string="Sent", compute="_compute_figures")
    skipped_count = fields.Integer(string="Skipped", compute="_compute_figures")
    opened_count = fields.Integer(string="Opened", compute="_compute_figures")
    clicked_count = fields.Integer(string="Clicked", compute="_compute_figures")
    replied_count = fields.Integer(string="Replied", compute="_compute_figures")
    converted_count = fields.Integer(string="Converted", compute="_compute_figures")
    open_rate = fields.Float(string="Open rate (%)", compute="_compute_figures")
    click_rate = fields.Float(string="Click rate (%)", compute="_compute_figures")

    _day_offset_positive = models.Constraint(
        "CHECK (day_offset >= 0)", "A step cannot come before the enrolment."
    )

    @api.depends("day_offset")
    def _compute_day_label(self):
        for step in self:
            step.day_label = f"J+{step.day_offset}" if step.day_offset else "J0"

    def _compute_figures(self):
        figures = self.env["atelier.crm.enrolment.step"]._atelier_figures(
            [("step_id", "in", self.ids)], "step_id"
        )
        for step in self:
            row = figures.get(step.id, {})
            for key in ("sent", "skipped", "opened", "clicked", "replied", "converted"):
                step[f"{key}_count"] = row.get(key, 0)
            sent = row.get("sent", 0)
            step.open_rate = 100.0 * row.get("opened", 0) / sent if sent else 0.0
            step.click_rate = 100.0 * row.get("clicked", 0) / sent if sent else 0.0

    @api.constrains("kind", "mail_template_id", "activity_type_id")
    def _check_kind(self):
        for step in self:
            if step.kind == "email" and not step.mail_template_id:
                raise ValidationError(
                    self.env._("An e-mail step needs an e-mail template.")
                )
            if step.kind == "activity" and not step.activity_type_id:
                raise ValidationError(
                    self.env._("An activity step needs an activity type.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        steps = super().create(vals_list)
        for step in steps.filtered(lambda s: s.kind == "email" and not s.utm_source_id):
            step.utm_source_id = self.env["utm.source"].create(
                {"name": f"{step.sequence_id.name} - {step.day_label} - {step.name}"}
            )
        return steps

    def _atelier_previous(self):
        """The step before this one in its sequence (or nothing)."""
        self.ensure_one()
        steps = self.sequence_id.step_ids.sorted(
            lambda s: (s.day_offset, s.sequence, s.id)
        )
        index = list(steps).index(self)
        return steps[index - 1] if index else self.browse()

    def _atelier_next(self):
        self.ensure_one()
        steps = self.sequence_id.step_ids.sorted(
            lambda s: (s.day_offset, s.sequence, s.id)
        )
        index = list(steps).index(self)
        return steps[index + 1] if index + 1 < len(steps) else self.browse()
