# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        # The merge moves foreign keys with raw SQL (our rows included) and
        # then copies values onto the destination: rebuild its rows so the
        # index mirrors the merged contact exactly.
        res = super()._merge(
            partner_ids, dst_partner=dst_partner, extra_checks=extra_checks
        )
        survivors = self.env["res.partner"].browse(partner_ids).exists()
        if dst_partner:
            survivors |= dst_partner.exists()
        survivors._atelier_phone_reindex(relatives=True)
        return res
