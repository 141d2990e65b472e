# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AtelierCareerPersonaQuestion(models.Model):
    """A question of a persona's bank, with its follow-up on a vague answer."""

    _name = "atelier.career.persona.question"
    _description = "Interview question"
    _order = "persona_id, sequence, id"

    persona_id = fields.Many2one(
        "atelier.career.persona", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    text = fields.Text(required=True)
    followup = fields.Text(help="Asked once when the answer is vague.")
