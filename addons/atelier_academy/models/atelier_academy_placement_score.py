# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from .atelier_academy_competency import DOMAINS


class AtelierAcademyPlacementScore(models.Model):
    """A sub-score of a placement result: one domain or one competency."""

    _name = "atelier.academy.placement.score"
    _description = "Placement sub-score"
    _order = "kind, id"

    result_id = fields.Many2one(
        "atelier.academy.placement.result",
        required=True,
        ondelete="cascade",
        index=True,
    )
    partner_id = fields.Many2one(related="result_id.partner_id", store=True)
    kind = fields.Selection(
        [("domain", "Domain"), ("competency", "Competency")], required=True
    )
    domain = fields.Selection(DOMAINS)
    competency_id = fields.Many2one("atelier.academy.competency", ondelete="cascade")
    score = fields.Float(readonly=True)
    max_score = fields.Float(readonly=True)
    percentage = fields.Float("Score (%)", readonly=True)
