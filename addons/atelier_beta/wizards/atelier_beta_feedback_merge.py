# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AtelierBetaFeedbackMerge(models.TransientModel):
    """Merge duplicates into one feedback, with their votes."""

    _name = "atelier.beta.feedback.merge"
    _description = "Merge beta feedback"

    duplicate_ids = fields.Many2many(
        "atelier.beta.feedback", string="Duplicates", required=True
    )
    target_id = fields.Many2one(
        "atelier.beta.feedback",
        string="Merge into",
        required=True,
        domain="[('id', 'not in', duplicate_ids),"
        " ('state', 'in', ('new', 'accepted'))]",
    )

    def action_merge(self):
        self.env["atelier.beta.signup"]._atelier_check_team()
        self.ensure_one()
        self.duplicate_ids._atelier_merge_into(self.target_id)
        return {"type": "ir.actions.act_window_close"}
