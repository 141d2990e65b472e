# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class ResCompany(models.Model):
    _inherit = "res.company"

    def _atelier_phone_region_changed(self):
        """The country of these companies changed (their contact's, which
        ``res.company.country_id`` reads and writes): drop the cached region
        and reindex the contacts that read their numbers with it."""
        if not self:
            return
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
