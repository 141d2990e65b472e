# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AtelierCrmConsent(models.Model):
    _inherit = "atelier.crm.consent"

    channel = fields.Selection(
        selection_add=[("beta", "Beta sign-up")], ondelete={"beta": "cascade"}
    )
