# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .atelier_crm_score_rule import ENGAGEMENT_EVENTS


class AtelierCrmScoreLine(models.Model):
    """One reason in a lead's score. Engagement points lose half their
    value every half-life (a contact who clicked last year is cold); fit
    points do not decay."""

    _name = "atelier.crm.score.line"
    _description = "Score line"
    _order = "date desc, id desc"

    lead_id = fields.Many2one("crm.lead", required=True, ondelete="cascade", index=True)
    rule_id = fields.Many2one("atelier.crm.score.rule", ondelete="set null", index=True)
    kind = fields.Selection(
        [("fit", "Fit"), ("engagement", "Engagement")], required=True
    )
    event = fields.Selection(ENGAGEMENT_EVENTS)
    reason = fields.Char(
        compute="_compute_reason",
        help="The rule's reason, in the reader's language (as written when "
        "the rule is gone).",
    )
    reason_text = fields.Char(
        string="Reason as written", required=True, help="The reason when it was given."
    )
    detail = fields.Char()
    points = fields.Float(string="Points given", required=True, digits=(16, 1))
    current_points = fields.Float(
        string="Points now", compute="_compute_current_points", digits=(16, 1)
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now)

    @api.model
    def _atelier_half_life(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("atelier_crm.score_half_life_days", "30")
        )
        try:
            return max(float(value), 1.0)
        except ValueError:
            return 30.0

    @api.depends("rule_id.name", "reason_text")
    @api.depends_context("lang")
    def _compute_reason(self):
        for line in self:
            line.reason = line.rule_id.name or line.reason_text

    @api.depends("points", "date", "kind")
    def _compute_current_points(self):
        now = fields.Datetime.now()
        half_life = self._atelier_half_life()
        for line in self:
            if line.kind != "engagement" or not line.date:
                line.current_points = line.points
                continue
            age_days = max((now - line.date).total_seconds(), 0) / 86400.0
            line.current_points = line.points * 0.5 ** (age_days / half_life)
