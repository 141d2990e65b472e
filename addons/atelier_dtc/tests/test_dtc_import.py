# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..tools import dtc_parser
from .common import AtelierDtcCase


@tagged("post_install", "-at_install")
class TestDtcImport(AtelierDtcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")

    def _wizard(self, name, **vals):
        return (
            self.env["atelier.dtc.import"]
            .with_user(self.manager)
            .create(
                {
                    "data_file": base64.b64encode(self.sample_bytes(name)),
                    "filename": name,
                    **vals,
                }
            )
        )

    def test_yaml_obdex_sample(self):
        wizard = self._wizard("obdex_sample.yaml")
        if not dtc_parser.yaml_available():
            with self.assertRaisesRegex(UserError, "PyYAML"):
                wizard.action_import()
            return
        wizard.action_import()
        self.assertEqual(wizard.state, "done")
        self.assertEqual(
            (wizard.created_count, wizard.updated_count, wizard.skipped_count),
            (2, 1, 1),
        )
        self.assertIn("X9999", wizard.error_summary)
        p0087 = self.Dtc.search([("code", "=", "P0087")])
        self.assertEqual(p0087.title, "Fuel rail pressure too low")
        self.assertEqual(p0087.severity, "high", "limp mode possible -> high")
        self.assertTrue(p0087.mil)
        self.assertEqual(p0087.likely_causes, "Weak fuel pump\nClogged fuel filter")
        self.assertEqual(p0087.source, "import")
        b0001 = self.Dtc.search([("code", "=", "B0001")])
        self.assertEqual((b0001.system, b0001.severity), ("B", "low"))
        # P0420 existed: our texts are kept, the German is dropped (not installed)
        p0420 = self.env.ref("atelier_dtc.dtc_p0420")
        self.assertEqual(
            p0420.title, "Catalyst system efficiency below threshold (bank 1)"
        )

    def test_overwrite_replaces_texts(self):
        content = self.sample_bytes("sample.json").replace(b"C0035", b"P0420")
        wizard = (
            self.env["atelier.dtc.import"]
            .with_user(self.manager)
            .create(
                {
                    "data_file": base64.b64encode(content),
                    "filename": "codes.json",
                    "overwrite": True,
                }
            )
        )
        wizard.action_import()
        p0420 = self.env.ref("atelier_dtc.dtc_p0420")
        self.assertEqual(p0420.title, "Left front wheel speed sensor circuit")
        self.assertEqual(
            p0420.with_context(lang="fr_FR").title,
            "Capteur de vitesse de roue avant gauche : circuit",
        )
        self.assertEqual(p0420.severity, "low")

    def test_json_sample(self):
        wizard = self._wizard("sample.json", file_format="json")
        wizard.action_import()
        self.assertEqual((wizard.created_count, wizard.skipped_count), (2, 1))
        c0035 = self.Dtc.search([("code", "=", "C0035")])
        self.assertEqual(c0035.system, "C")
        self.assertEqual(
            c0035.with_context(lang="fr_FR").title,
            "Capteur de vitesse de roue avant gauche : circuit",
        )
        self.assertEqual(
            self.Dtc.search([("code", "=", "U0073")]).severity,
            "high",
            "shop-only repairs are high",
        )

    def test_csv_sample_and_reimport(self):
        wizard = self._wizard("sample.csv")
        wizard.action_import()
        self.assertEqual((wizard.created_count, wizard.skipped_count), (2, 1))
        self.assertIn("no English title", wizard.error_summary)
        p0217 = self.Dtc.search([("code", "=", "P0217")])
        self.assertEqual(p0217.severity, "critical")
        self.assertEqual(p0217.with_context(lang="fr_FR").title, "Surchauffe moteur")
        self.assertEqual(
            self.Dtc.search([("code", "=", "P1234")]).scope, "manufacturer"
        )
        # Importing the same file again updates, never duplicates
        again = self._wizard("sample.csv")
        again.action_import()
        self.assertEqual((again.created_count, again.updated_count), (0, 2))
        self.assertEqual(self.Dtc.search_count([("code", "=", "P0217")]), 1)

    def test_bad_files_refused(self):
        with self.assertRaisesRegex(UserError, "format"):
            self._wizard("sample.csv", filename="codes.txt").action_import()
        wizard = (
            self.env["atelier.dtc.import"]
            .with_user(self.manager)
            .create({"data_file": base64.b64encode(b"{not json"), "filename": "x.json"})
        )
        with self.assertRaisesRegex(UserError, "invalid JSON"):
            wizard.action_import()
        wizard.data_file = base64.b64encode(b'{"other": 1}')
        with self.assertRaisesRegex(UserError, "list of trouble codes"):
            wizard.action_import()

    def test_only_managers_import(self):
        with self.assertRaises(AccessError):
            self.env["atelier.dtc.import"].with_user(self.technician).create(
                {"data_file": base64.b64encode(b"[]"), "filename": "x.json"}
            )
