# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AtelierCareerFinding(models.Model):
    """A strength or a point to improve, backed by a quote of the learner's
    answers (checked to be really there)."""

    _name = "atelier.career.finding"
    _description = "Interview finding"
    _order = "session_id, kind desc, id"

    session_id = fields.Many2one(
        "atelier.career.session", required=True, index=True, ondelete="cascade"
    )
    user_id = fields.Many2one(related="session_id.user_id", store=True, index=True)
    kind = fields.Selection(
        [("strength", "Strength"), ("improvement", "Point to improve")], required=True
    )
    text = fields.Text(required=True)
    quote = fields.Text(required=True)
