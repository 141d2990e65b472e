# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import ast
import pathlib

from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged


def _manifest(path):
    return ast.literal_eval((path / "__manifest__.py").read_text())


@tagged("post_install", "-at_install")
class TestSuite(TransactionCase):
    """The meta addon installs every feature addon; glue addons follow."""

    def setUp(self):
        super().setUp()
        self.addons_dir = pathlib.Path(get_module_path("atelier")).parent
        self.siblings = {
            path.name: _manifest(path)
            for path in self.addons_dir.glob("atelier_*")
            if (path / "__manifest__.py").exists()
        }
        self.meta_depends = set(_manifest(self.addons_dir / "atelier")["depends"])

    def test_every_feature_addon_is_a_dependency(self):
        features = {
            name
            for name, manifest in self.siblings.items()
            if manifest.get("installable", True) and not manifest.get("auto_install")
        }
        self.assertTrue(features)
        self.assertEqual(features - self.meta_depends, set())

    def test_glue_addons_are_auto_install_and_installed(self):
        """The meta addon installs every feature, so every glue follows."""
        Module = self.env["ir.module.module"]
        glues = [name for name, m in self.siblings.items() if m.get("auto_install")]
        self.assertTrue(glues)
        for name in glues:
            with self.subTest(glue=name):
                self.assertNotIn(name, self.meta_depends)
                depends = set(self.siblings[name]["depends"])
                states = Module.search([("name", "in", [name, *depends])]).mapped(
                    "state"
                )
                self.assertEqual(states, ["installed"] * (len(depends) + 1))

    def test_a_company_in_france_keeps_french_books(self):
        """The suite brings the French chart of accounts: a company in France
        gets it (taxes, books in euros), not the generic one in dollars."""
        ChartTemplate = self.env["account.chart.template"]
        france = self.env.ref("base.fr")
        self.assertEqual(ChartTemplate._guess_chart_template(france), "fr")
        template = ChartTemplate._get_chart_template_mapping()["fr"]
        # installed with the suite: ready when the company's chart is chosen
        self.assertTrue(template["installed"])
        self.assertEqual(template["module"], "l10n_fr_account")
