# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    atelier_crm_mql_threshold = fields.Float(
        string="Hand to sales from a score of",
        config_parameter="atelier_crm.mql_threshold",
        default=50.0,
    )
    atelier_crm_half_life = fields.Integer(
        string="Engagement half-life (days)",
        config_parameter="atelier_crm.score_half_life_days",
        default=30,
    )
    atelier_crm_optin_hours = fields.Integer(
        string="Confirmation links valid for (hours)",
        config_parameter="atelier_crm.optin_hours",
        default=48,
    )
    atelier_crm_form_hourly_limit = fields.Integer(
        string="Forms per hour and address",
        config_parameter="atelier_crm.form_hourly_limit",
        default=5,
    )
    atelier_crm_mx_check = fields.Boolean(
        string="Refuse domains that take no e-mail",
        config_parameter="atelier_crm.mx_check",
    )
    atelier_crm_dns_server = fields.Char(
        string="DNS server",
        config_parameter="atelier_crm.dns_server",
        help="host or host:port; empty: the system's resolver.",
    )
