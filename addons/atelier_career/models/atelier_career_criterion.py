# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AtelierCareerCriterion(models.Model):
    """A criterion of a persona's evaluation grid."""

    _name = "atelier.career.criterion"
    _description = "Evaluation criterion"
    _order = "persona_id, sequence, id"

    persona_id = fields.Many2one(
        "atelier.career.persona", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True)
    descriptor = fields.Text(required=True, help="What a good answer shows.")
    keywords = fields.Char(
        help="Comma-separated word starts the offline rules look for in the answers."
    )

    def _keyword_list(self):
        return [k.strip() for k in (self.keywords or "").split(",") if k.strip()]

    def _as_dict(self):
        return {
            "name": self.name,
            "descriptor": self.descriptor or "",
            "keywords": self._keyword_list(),
        }
