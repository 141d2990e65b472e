# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ProductProduct(models.Model):
    _inherit = "product.product"

    atelier_academy_package_ids = fields.One2many(
        "atelier.academy.package", "product_id", string="Coaching packages"
    )
