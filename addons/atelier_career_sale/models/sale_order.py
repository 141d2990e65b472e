# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _action_confirm(self):
        """A confirmed order opens the subscriptions of its career plans."""
        result = super()._action_confirm()
        self.env["atelier.career.subscription"].sudo()._from_order_lines(
            self.order_line
        )
        return result

    def _action_cancel(self):
        """A cancelled order closes the subscriptions it opened."""
        subscriptions = (
            self.env["atelier.career.subscription"]
            .sudo()
            .search([("sale_line_id.order_id", "in", self.ids)])
        )
        result = super()._action_cancel()
        subscriptions.write({"active": False})
        return result
