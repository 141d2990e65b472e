# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AtelierAcademyEnrolment(models.Model):
    _inherit = "atelier.academy.enrolment"

    atelier_purchase_id = fields.Many2one(
        "atelier.academy.purchase",
        string="Purchase",
        index="btree_not_null",
        readonly=True,
        ondelete="restrict",
    )
    atelier_order_id = fields.Many2one(
        related="atelier_purchase_id.order_id", string="Sale order"
    )

    def _atelier_certificate_blockers(self):
        """A refund of the package, open or done, blocks the certificate."""
        blockers = super()._atelier_certificate_blockers()
        purchase = self.sudo().atelier_purchase_id
        if purchase.state == "refunded":
            blockers.append(
                self.env._(
                    "The package was refunded (order %(order)s).",
                    order=purchase.order_id.name,
                )
            )
        elif purchase and purchase._atelier_open_refunds():
            blockers.append(
                self.env._(
                    "A refund is open on order %(order)s.",
                    order=purchase.order_id.name,
                )
            )
        return blockers

    def _atelier_send_welcome(self, signup_url=False):
        """Tell a learner enrolled by a purchase where their training is."""
        template = self.env.ref(
            "atelier_academy_sale.mail_template_enrolled", raise_if_not_found=False
        )
        if not template:
            return
        for enrolment in self.sudo():
            if not enrolment.partner_id.email:
                continue
            template.sudo().with_context(
                atelier_access_url=signup_url
                or enrolment.get_base_url() + "/my/academy"
            ).send_mail(enrolment.id)
