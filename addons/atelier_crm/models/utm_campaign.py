# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class UtmCampaign(models.Model):
    _inherit = "utm.campaign"

    atelier_cost = fields.Monetary(
        string="Cost",
        currency_field="atelier_currency_id",
        help="What the campaign cost: gives the cost per lead and per customer.",
    )
    atelier_currency_id = fields.Many2one(
        "res.currency", default=lambda self: self.env.company.currency_id
    )
