# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    atelier_helpdesk_dtc_type_id = fields.Many2one(
        related="company_id.atelier_helpdesk_dtc_type_id", readonly=False
    )
