# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AtelierAcademyPackage(models.Model):
    _inherit = "atelier.academy.package"

    product_id = fields.Many2one(
        "product.product",
        string="Product sold online",
        index="btree_not_null",
        ondelete="restrict",
        domain=[("type", "=", "service"), ("sale_ok", "=", True)],
        help="The shop sells the package with this product; paying for it "
        "enrols the buyer (or opens the team's seats).",
    )
    purchase_ids = fields.One2many("atelier.academy.purchase", "package_id")
    purchase_count = fields.Integer(compute="_compute_purchase_count")

    _product_uniq = models.UniqueIndex("(product_id) WHERE product_id IS NOT NULL")

    def _compute_purchase_count(self):
        counts = dict(
            self.env["atelier.academy.purchase"]._read_group(
                [("package_id", "in", self.ids)], ["package_id"], ["__count"]
            )
        )
        for package in self:
            package.purchase_count = counts.get(package, 0)

    def _atelier_offer_url(self):
        """The package's page in the shop, when the package is sold there."""
        self.ensure_one()
        template = self.sudo().product_id.product_tmpl_id
        if template and template.sale_ok and template.website_published:
            return template.website_url
        return super()._atelier_offer_url()

    def action_view_purchases(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "atelier_academy_sale.atelier_academy_purchase_action"
        )
        action["domain"] = [("package_id", "=", self.id)]
        action["context"] = {"create": False}
        return action
