# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import AcademySaleCommon


@tagged("post_install", "-at_install")
class TestShop(AcademySaleCommon):
    """The packages are sold in the shop; the placement result links there."""

    _prefix = "ashop"

    def test_products_of_the_data(self):
        self.assertEqual(self.product_primo.name, "Coaching primo-arrivants")
        self.assertEqual(self.product_primo.list_price, 890.0)
        self.assertEqual(self.product_garages.name, "Coaching garages pro")
        self.assertEqual(self.product_garages.list_price, 1490.0)
        for product in self.product_primo | self.product_garages:
            self.assertEqual(product.type, "service")
            self.assertTrue(product.sale_ok)
            self.assertTrue(product.is_published)
            self.assertFalse(product.taxes_id, "vocational training: no VAT")

    def test_package_page_in_the_shop(self):
        url = self.package._atelier_offer_url()
        self.assertEqual(url, self.product_primo.website_url)
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        for text in (
            "o_atelier_package_details",
            "48 weeks of training",
            "10 hours of coaching",
            *self.path.line_ids.channel_id.mapped("name"),
        ):
            self.assertTrue(text in page.text, f"{text!r} on the package page")
        team_page = self.url_open(self.team_package._atelier_offer_url())
        self.assertTrue("Up to 8 learners" in team_page.text)
        # not sold online: the placement page falls back to "ask for it"
        self.product_primo.is_published = False
        self.assertFalse(self.package._atelier_offer_url())

    def test_placement_offer_links_to_the_shop(self):
        answer = (
            self.env["survey.user_input"]
            .sudo()
            .create({"survey_id": self.course1["survey"].id})
        )
        self.env["atelier.academy.placement.result"].sudo().create(
            {
                "user_input_id": answer.id,
                "path_id": self.path.id,
                "package_id": self.package.id,
                "state": "offered",
            }
        )
        page = self.url_open(f"/academy/placement/{answer.access_token}")
        self.assertEqual(page.status_code, 200)
        self.assertTrue(
            f'href="{self.product_primo.website_url}"' in page.text,
            "the offered package links to its shop page",
        )

    def test_a_package_is_bought_once_per_order(self):
        order = self._order(self.learner.partner_id)
        line = order.order_line
        quantity, warning = order._verify_updated_quantity(
            line, self.product_primo.id, 3, line.product_uom_id.id
        )
        self.assertEqual(quantity, 1)
        self.assertEqual(warning, "A coaching package is bought once per order.")
