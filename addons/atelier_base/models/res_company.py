# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class ResCompany(models.Model):
    _inherit = "res.company"

    def write(self, vals):
        res = super().write(vals)
        if "country_id" in vals:
            self.env.registry.clear_cache()
            # contacts with no country of their own read their numbers with
            # the company's country: reindex them
            partners = (
                self.env["res.partner"]
                .sudo()
                .with_context(active_test=False)
                .search(
                    [
                        ("country_id", "=", False),
                        "|",
                        ("parent_id", "=", False),
                        ("parent_id.country_id", "=", False),
                    ]
                )
            )
            partners._atelier_phone_reindex()
        return res
