# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class GamificationKarmaTracking(models.Model):
    _inherit = "gamification.karma.tracking"

    def _get_origin_selection_values(self):
        # karma comes from an accepted feedback or a credited referral
        return super()._get_origin_selection_values() + [
            (model, self.env["ir.model"]._get(model).display_name)
            for model in ("atelier.beta.feedback", "atelier.beta.referral")
        ]
