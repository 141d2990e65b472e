# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class MailBlacklist(models.Model):
    """An address blacklisted anywhere in Odoo (a mailing's unsubscribe
    page, a bounce, by hand) has withdrawn every consent here too."""

    _inherit = "mail.blacklist"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records.filtered("active")._atelier_withdraw()
        return records

    def write(self, vals):
        reactivated = (
            self.filtered(lambda r: not r.active) if vals.get("active") else self
        )
        res = super().write(vals)
        if vals.get("active"):
            reactivated._atelier_withdraw()
        return res

    def _atelier_withdraw(self):
        if not self or self.env.context.get("atelier_crm_unsubscribing"):
            return
        Consent = self.env["atelier.crm.consent"].sudo()
        for record in self:
            Consent._atelier_unsubscribe(
                record.email,
                ["newsletter", "sequence", "partner_offers"],
                channel="mass_mailing",
            )
