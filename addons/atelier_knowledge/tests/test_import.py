# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64

from odoo.tests import tagged

from .common import KbCase

# Two entries in the OBDex layout (texts written for this test)
OBDEX_SAMPLE = """
- code: C0035
  category: chassis
  title:
    en: Left front wheel speed sensor circuit
    de: Raddrehzahlsensor vorne links Stromkreis
  description:
    en: The ABS module reads no usable signal from the left front wheel sensor.
  common_causes:
    - id: wiring
      likelihood: medium
      label: {en: Damaged sensor wiring}
    - id: sensor
      likelihood: high
      label: {en: Failed wheel speed sensor}
  symptoms:
    - en: ABS warning light on
      de: ABS-Warnleuchte an
    - en: Stability control switched off
  flags: {mil: false}
  sources: [atelier-tests]
- code: P0301
  category: powertrain
  title: {en: Cylinder 1 misfire (imported)}
  symptoms:
    - en: Rough idle
  sources: [atelier-tests]
"""


@tagged("post_install", "-at_install")
class TestImport(KbCase):
    def _import(self, content, overwrite=False):
        wizard = (
            self.env["atelier.dtc.import"]
            .with_user(self.manager)
            .create(
                {
                    "data_file": base64.b64encode(content.encode()),
                    "filename": "obdex.yaml",
                    "overwrite": overwrite,
                }
            )
        )
        wizard.action_import()
        return wizard

    def test_import_carries_causes_and_symptoms(self):
        wizard = self._import(OBDEX_SAMPLE)
        self.assertEqual((wizard.created_count, wizard.updated_count), (1, 1))
        c0035 = self.Dtc.search([("code", "=", "C0035")])
        self.assertEqual(
            c0035.likely_causes, "Failed wheel speed sensor\nDamaged sensor wiring"
        )
        self.assertEqual(
            c0035.symptoms, "ABS warning light on\nStability control switched off"
        )
        # the imported English is searched with the English stemmer
        answer = self.search("abs warning lights")
        self.assertEqual(answer["results"][0]["code"], "C0035")
        self.assertIn("ABS warning light on", answer["results"][0]["text"])
        # the public page shows the English base, says so, lists symptoms
        values = c0035._kb_page_values()
        self.assertFalse(values["is_french"])
        self.assertEqual(values["causes"][0], "Failed wheel speed sensor")
        self.assertEqual(len(values["symptoms"]), 2)

    def test_import_keeps_our_french(self):
        self._import(OBDEX_SAMPLE)
        french = self.p0301.with_context(lang="fr_FR")
        self.assertEqual(french.title, "Ratés d'allumage détectés sur le cylindre 1")
        self.assertEqual(
            self.p0301.with_context(lang="en_US").title, "Cylinder 1 misfire detected"
        )
        # "Replace existing texts": the file's English wins, our French stays
        self._import(OBDEX_SAMPLE, overwrite=True)
        self.p0301.invalidate_recordset()
        self.assertEqual(self.p0301.with_context(lang="en_US").symptoms, "Rough idle")
        self.assertEqual(
            self.p0301.with_context(lang="fr_FR").symptoms,
            "Le moteur broute à l'accélération\nVoyant moteur clignotant",
        )
        self.assertTrue(self.p0301._kb_is_french())
        # the French page is still what the search finds
        result = self.result_of(self.search("P0301"), self.p0301)
        self.assertEqual(result["title"], "Ratés d'allumage détectés sur le cylindre 1")
