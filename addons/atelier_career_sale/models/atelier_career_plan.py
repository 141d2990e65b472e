# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AtelierCareerPlan(models.Model):
    _inherit = "atelier.career.plan"

    product_id = fields.Many2one(
        "product.product",
        index="btree_not_null",
        help="The plan is sold as this product: one unit is one month.",
    )
