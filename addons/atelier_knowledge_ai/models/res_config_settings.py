# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

WEBSITE_PARAM = "atelier_knowledge_ai.website"


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # stored as "1"/"0" by hand: a boolean system parameter set to False is
    # deleted, and Alex is on the website by default
    atelier_alex_website = fields.Boolean(
        string="Alex on the website",
        help="Show Alex's chat on every page of the website (knowledge base, "
        "courses, customer portal).",
    )
    atelier_alex_rate_minute = fields.Integer(
        string="Questions per minute and visitor",
        config_parameter="atelier_knowledge_ai.rate_minute",
        default=8,
    )
    atelier_alex_rate_hour = fields.Integer(
        string="Questions per hour and IP address",
        config_parameter="atelier_knowledge_ai.rate_hour",
        default=60,
    )

    @api.model
    def get_values(self):
        res = super().get_values()
        res["atelier_alex_website"] = self.env["atelier.ai.alex"]._settings()["website"]
        return res

    def set_values(self):
        res = super().set_values()
        if self.env.user.has_group("base.group_system"):
            self.env["ir.config_parameter"].sudo().set_param(
                WEBSITE_PARAM, "1" if self.atelier_alex_website else "0"
            )
        return res
