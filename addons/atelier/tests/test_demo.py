# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from lxml import etree

from odoo.tests import TransactionCase, tagged
from odoo.tools import convert_file
from odoo.tools.misc import file_path


@tagged("post_install", "-at_install")
class TestDemo(TransactionCase):
    """Odoo installs a module without its demo data, with a mere warning,
    when one record of it fails: the demo's login page hint must apply."""

    def _load_website_demo(self):
        """The meta addon's website demo file, as a demo install loads it."""
        convert_file(
            self.env,
            "atelier",
            "demo/website_demo.xml",
            {},
            mode="init",
            noupdate=True,
        )

    def test_login_hint_applies_to_the_login_page(self):
        tree = etree.parse(file_path("atelier/demo/atelier_demo.xml"))
        (template,) = tree.xpath("//template[@id='login_demo_hint']")
        self.assertEqual(template.get("inherit_id"), "web.login")
        arch = etree.Element("data")
        arch.extend(template.getchildren())
        # the view is validated on create: an xpath that finds nothing raises
        view = self.env["ir.ui.view"].create(
            {
                "name": "login hint (test)",
                "type": "qweb",
                "inherit_id": self.env.ref("web.login").id,
                "arch": etree.tostring(arch, encoding="unicode"),
            }
        )
        combined = view.inherit_id._get_combined_arch()
        # one hint (two on a database holding the demo already)
        hints = combined.xpath("//div[hasclass('o_atelier_demo_logins')]")
        self.assertTrue(hints)
        self.assertEqual(hints[-1].getnext().get("data-captcha"), "login")
        self.assertIn("claire", etree.tostring(hints[-1], encoding="unicode"))

    def test_website_is_french_and_shows_only_atelier_offers(self):
        """The demo's website speaks French; the shop and eLearning show the
        academy's offers, not Odoo's sample furniture and gardening."""
        sample = self.env["product.template"].create(
            {"name": "Sample desk", "is_published": True}
        )
        coaching = self.env.ref(
            "atelier_academy_sale.product_coaching_primo"
        ).product_tmpl_id
        # the default price list made before the chart changed the currency
        company = self.env.ref("base.main_company")
        other = self.env.ref("base.USD")
        if other == company.currency_id:
            other = self.env.ref("base.EUR")
        other.active = True
        stale = self.env["product.pricelist"].create(
            {"name": "Default", "company_id": company.id, "currency_id": other.id}
        )
        self._load_website_demo()
        website = self.env.ref("website.default_website")
        self.assertEqual(website.default_lang_id.code, "fr_FR")
        self.assertFalse(sample.is_published)
        self.assertTrue(coaching.is_published)
        self.assertEqual(stale.currency_id, company.currency_id)
        self.assertFalse(
            self.env["product.pricelist"].search(
                [
                    ("company_id", "=", company.id),
                    ("currency_id", "!=", company.currency_id.id),
                ]
            ),
            "the shop offers a price list in another currency than the company's",
        )

    def test_website_top_menu_fits_and_is_french(self):
        """The demo's top menu: short French entries that fit a 1366 px
        screen; the booking is the header's button, not a menu entry."""
        self._load_website_demo()
        website = self.env.ref("website.default_website")
        for lang in ("fr_FR", "en_US"):
            menus = (
                self.env["website.menu"]
                .with_context(lang=lang)
                .search([("parent_id", "=", website.menu_id.id)], order="sequence")
            )
            names = dict(zip(menus.mapped("url"), menus.mapped("name"), strict=True))
            with self.subTest(lang=lang):
                self.assertNotIn("/book", names)
                self.assertNotIn("/", names, "the logo leads home")
                self.assertEqual(names.get("/shop"), "Boutique")
                self.assertEqual(names.get("/slides"), "Formations")
                self.assertEqual(names.get("/kb"), "Conseils")
                self.assertNotIn("/contactus", names, "the phone and footer")
                # what fits at 1366 px beside a signed-in client's name
                self.assertLessEqual(sum(len(name) for name in names.values()), 30)
