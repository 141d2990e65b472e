# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    atelier_academy_purchase_ids = fields.One2many(
        "atelier.academy.purchase", "order_id", string="Coaching packages"
    )
    atelier_academy_purchase_count = fields.Integer(
        compute="_compute_atelier_academy_purchase_count"
    )

    def _compute_atelier_academy_purchase_count(self):
        counts = dict(
            self.env["atelier.academy.purchase"]._read_group(
                [("order_id", "in", self.ids)], ["order_id"], ["__count"]
            )
        )
        for order in self:
            order.atelier_academy_purchase_count = counts.get(order, 0)

    def _action_confirm(self):
        """A paid (or confirmed) order enrols the buyers of its packages."""
        result = super()._action_confirm()
        self.env["atelier.academy.purchase"]._atelier_from_order_lines(self.order_line)
        return result

    def _action_cancel(self):
        """An order cancelled after its payment takes the access back."""
        purchases = (
            self.env["atelier.academy.purchase"]
            .sudo()
            .search([("order_id", "in", self.ids), ("state", "!=", "refunded")])
        )
        result = super()._action_cancel()
        for purchase in purchases:
            purchase._atelier_revoke(
                self.env._("order %(order)s cancelled", order=purchase.order_id.name)
            )
        return result

    def _verify_updated_quantity(
        self, order_line, product_id, new_qty, uom_id, **kwargs
    ):
        """A coaching package is bought once per order line."""
        product = self.env["product.product"].browse(product_id)
        if new_qty > 1 and product.sudo().atelier_academy_package_ids:
            return 1, self.env._("A coaching package is bought once per order.")
        return super()._verify_updated_quantity(
            order_line, product_id, new_qty, uom_id, **kwargs
        )

    def action_view_atelier_academy_purchases(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "atelier_academy_sale.atelier_academy_purchase_action"
        )
        action["domain"] = [("order_id", "=", self.id)]
        action["context"] = {"create": False}
        return action
