# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AtelierCrmOptin(models.Model):
    """The beta's sign-ups use the CRM's double opt-in; confirming one puts
    the person in the queue."""

    _inherit = "atelier.crm.optin"

    channel = fields.Selection(
        selection_add=[("beta", "Beta sign-up")], ondelete={"beta": "cascade"}
    )

    def _atelier_apply(self, ip):
        lead = super()._atelier_apply(ip)
        signup = (
            self.env["atelier.beta.signup"]
            .sudo()
            .search([("optin_id", "=", self.id)], limit=1)
        )
        if signup:
            signup._atelier_confirm(lead, ip)
        return lead

    def _atelier_beta_signup(self):
        self.ensure_one()
        return (
            self.env["atelier.beta.signup"]
            .sudo()
            .search([("optin_id", "=", self.id)], limit=1)
        )
