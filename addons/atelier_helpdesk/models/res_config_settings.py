# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    atelier_helpdesk_max_attachment_mb = fields.Float(
        string="Largest attachment (MB)",
        config_parameter="atelier_helpdesk.max_attachment_mb",
        default=10.0,
    )
    atelier_helpdesk_unattended_hours = fields.Float(
        string="Alert after (hours)",
        config_parameter="atelier_helpdesk.unattended_hours",
        default=4.0,
    )
    atelier_helpdesk_team_id = fields.Many2one(
        related="company_id.atelier_helpdesk_team_id", readonly=False
    )
    atelier_helpdesk_type_id = fields.Many2one(
        related="company_id.atelier_helpdesk_type_id", readonly=False
    )
