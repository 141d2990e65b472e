# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from lxml import etree

from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path


@tagged("post_install", "-at_install")
class TestDemo(TransactionCase):
    """Odoo installs a module without its demo data, with a mere warning,
    when one record of it fails: the demo's login page hint must apply."""

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
        (hint,) = combined.xpath("//div[hasclass('o_atelier_demo_logins')]")
        self.assertEqual(hint.getnext().tag, "form")
        self.assertIn("claire", etree.tostring(hint, encoding="unicode"))
