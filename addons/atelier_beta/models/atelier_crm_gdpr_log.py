# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AtelierCrmGdprLog(models.Model):
    _inherit = "atelier.crm.gdpr.log"

    channel = fields.Selection(
        selection_add=[("beta", "Beta status page (own request)")],
        ondelete={"beta": "cascade"},
    )
