# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _set_done(self, **kwargs):
        """A refund that went through revokes the packages it pays back; a
        package payment is post-processed (order confirmed, learner
        enrolled) right away, even when the buyer closed the page."""
        done = super()._set_done(**kwargs)
        refunds = done.filtered(lambda tx: tx.operation == "refund")
        if refunds:
            self.env["atelier.academy.purchase"]._atelier_check_refunded_orders(
                refunds.source_transaction_id.sale_order_ids
            )
        payments = (done - refunds).filtered(
            lambda tx: (
                tx.sale_order_ids.order_line.product_id.atelier_academy_package_ids
            )
        )
        if payments:
            self.env.ref("payment.cron_post_process_payment_tx")._trigger()
        return done
