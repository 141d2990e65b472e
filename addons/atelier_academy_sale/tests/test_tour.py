# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, tagged

from odoo.addons.atelier_academy.tests.common import AcademyFixtures


@tagged("post_install", "-at_install")
class TestPurchaseTour(AcademyFixtures, HttpCase):
    """The browser tour: shop page, cart, checkout, payment, confirmation,
    dashboard. Stripe's card fields come from js.stripe.com, which cannot be
    reached here: the tour pays with Odoo's test provider (payment_demo),
    which scripts/test.sh installs in the test database only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_academy("atour")
        cls.product = cls.env.ref("atelier_academy_sale.product_coaching_primo")
        cls.package.product_id = cls.product
        cls.learner.partner_id.write(
            {
                "street": "12 rue des Lilas",
                "zip": "69003",
                "city": "Lyon",
                "country_id": cls.env.ref("base.fr").id,
                "phone": "+33 6 12 34 56 78",
            }
        )
        demo = cls.env.ref("payment.payment_provider_demo", raise_if_not_found=False)
        if not demo or demo.code != "demo":
            raise AssertionError(
                "Odoo's test payment provider (payment_demo) must be installed in "
                "the test database: scripts/test.sh installs it."
            )
        Provider = cls.env["payment.provider"].sudo()
        Provider.search(
            [("company_id", "=", cls.env.company.id), ("id", "!=", demo.id)]
        ).write({"state": "disabled"})
        demo.sudo().write({"state": "test", "is_published": True})

    def test_learner_buys_a_package_and_lands_enrolled(self):
        self.start_tour(
            self.product.website_url,
            "atelier_academy_sale_purchase",
            login=self.learner.login,
        )
        enrolment = self.env["atelier.academy.enrolment"].search(
            [("partner_id", "=", self.learner.partner_id.id)]
        )
        self.assertEqual(len(enrolment), 1)
        self.assertEqual(enrolment.package_id, self.package)
        order = enrolment.atelier_purchase_id.order_id
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.transaction_ids.state, "done")
        self.assertEqual(order.transaction_ids.provider_code, "demo")
