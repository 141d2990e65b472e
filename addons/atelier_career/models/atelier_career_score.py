# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AtelierCareerScore(models.Model):
    """The score of one criterion of the grid, with its reason."""

    _name = "atelier.career.score"
    _description = "Interview score"
    _order = "session_id, id"

    session_id = fields.Many2one(
        "atelier.career.session", required=True, index=True, ondelete="cascade"
    )
    user_id = fields.Many2one(related="session_id.user_id", store=True, index=True)
    criterion = fields.Char(required=True)
    score = fields.Integer(required=True, aggregator="avg")
    reason = fields.Text()

    _score_range = models.Constraint(
        "CHECK (score BETWEEN 0 AND 5)", "A score is between 0 and 5."
    )
