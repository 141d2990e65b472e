# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import AtelierDtcCase


@tagged("post_install", "-at_install")
class TestAtelierDtc(AtelierDtcCase):
    def test_reference_data(self):
        codes = self.Dtc.search([("source", "=", "Atelier")])
        self.assertGreaterEqual(len(codes), 40)
        for code in ("P0101", "P0171", "P0300", "P0306", "P0420", "P0563", "U0100"):
            self.assertIn(code, codes.mapped("code"))
        misfire = self.env.ref("atelier_dtc.dtc_p0301")
        self.assertEqual(misfire.system, "P")
        self.assertEqual(misfire.scope, "generic")
        self.assertEqual(misfire.severity, "high")
        self.assertTrue(misfire.description and misfire.likely_causes)
        self.assertEqual(misfire.display_name, "P0301 Cylinder 1 misfire detected")

    def test_french_texts(self):
        """Every code we ship has its own French title, description and causes."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["atelier_dtc"], ["fr_FR"])
        codes = self.Dtc.search([("source", "=", "Atelier")])
        french = codes.with_context(lang="fr_FR")
        for dtc, dtc_fr in zip(codes, french, strict=True):
            for fname in ("title", "description", "likely_causes"):
                self.assertTrue(dtc_fr[fname], f"{dtc.code}.{fname} has no French")
                self.assertNotEqual(
                    dtc_fr[fname], dtc[fname], f"{dtc.code}.{fname} is not translated"
                )
        p0301 = self.env.ref("atelier_dtc.dtc_p0301").with_context(lang="fr_FR")
        self.assertEqual(p0301.title, "Ratés d'allumage détectés sur le cylindre 1")

    def test_code_normalized_and_classified(self):
        dtc = self.Dtc.create({"code": " p1a2f ", "title": "Maker code"})
        self.assertEqual(dtc.code, "P1A2F")
        self.assertEqual(dtc.scope, "manufacturer")
        network = self.Dtc.create({"code": "U3000", "title": "Reserved block"})
        self.assertEqual((network.system, network.scope), ("U", "generic"))
        p3 = self.Dtc.create({"code": "P3000", "title": "Maker block"})
        self.assertEqual(p3.scope, "manufacturer")
        p34 = self.Dtc.create({"code": "P3400", "title": "Cylinder deactivation"})
        self.assertEqual(p34.scope, "generic")

    def test_invalid_code_refused(self):
        for code in ("X0301", "P4301", "P030", "P03011", "P0G01"):
            with self.subTest(code=code), self.assertRaises(ValidationError):
                self.Dtc.create({"code": code, "title": "Bad"})

    def test_code_unique(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                self.Dtc.create({"code": "P0301", "title": "Twice"})

    def test_access(self):
        dtc = self.env.ref("atelier_dtc.dtc_p0420")
        self.assertEqual(dtc.with_user(self.technician).title, dtc.title)
        with self.assertRaises(AccessError):
            dtc.with_user(self.technician).unlink()
        dtc.with_user(self.manager).write({"severity": "low"})
        self.assertEqual(dtc.severity, "low")
        found = self.Dtc.name_search("misfire")
        self.assertIn(self.env.ref("atelier_dtc.dtc_p0300").id, [r[0] for r in found])
