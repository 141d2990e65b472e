# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import BaseCase, tagged

from ..tools.redact import Redactor
from .llm_server import personal_data


@tagged("post_install", "-at_install")
class TestRedact(BaseCase):
    """The redactor alone: what goes out, what stays, what comes back."""

    def test_phone_numbers_in_every_usual_form(self):
        for raw in (
            "06 12 34 56 78",
            "06.12.34.56.78",
            "0612345678",
            "+33 6 12 34 56 78",
            "+33612345678",
            "0033 6 12 34 56 78",
            "+33 (0)6 12 34 56 78",
            "01-23-45-67-89",
            "+41 22 123 45 67",
            "+33600000000",
        ):
            with self.subTest(raw=raw):
                redactor = Redactor()
                out = redactor.redact(f"Rappelez-moi au {raw} svp")
                self.assertEqual(out, "Rappelez-moi au [TEL_1] svp")
                self.assertEqual(personal_data(out), [])
                self.assertEqual(redactor.restore(out), f"Rappelez-moi au {raw} svp")

    def test_same_number_same_placeholder(self):
        redactor = Redactor()
        out = redactor.redact("06 12 34 56 78 ou +33612345678, sinon 01 23 45 67 89")
        self.assertEqual(out, "[TEL_1] ou [TEL_1], sinon [TEL_2]")
        self.assertEqual(redactor.found["phone"], 3)

    def test_emails_vins_and_plates(self):
        redactor = Redactor()
        out = redactor.redact(
            "paul.durand+garage@exemple.fr, VIN vf1rfb00x56789012, "
            "Clio AB-123-CD, AB 123 CD, ab-123-cd, vieille 205 en 1234 AB 69, "
            "une autre 123 ABC 2A"
        )
        self.assertEqual(
            out,
            "[EMAIL_1], VIN [VIN_1], Clio [IMMAT_1], [IMMAT_1], [IMMAT_1], "
            "vieille 205 en [IMMAT_2], une autre [IMMAT_3]",
        )

    def test_no_false_positives_on_workshop_text(self):
        text = (
            "Code P0301 et P0420 à 150000 km, batterie 12 V 70 Ah, le 12/03/2024 "
            "à 14h30, facture 1 250,00 EUR, SIRET 123 456 789 00012, "
            "de 123 km, couple 320 Nm, Clio 4 TCe 90, ref HT00042"
        )
        redactor = Redactor()
        self.assertEqual(redactor.redact(text), text)
        self.assertEqual(redactor.summary(), "")

    def test_vin_needs_17_valid_characters(self):
        redactor = Redactor()
        # an O is never in a VIN; 16 characters is no VIN
        for text in ("VF1RFB00X5678901O", "VF1RFB00X5678901", "ABCDEFGHJKLMNPRST"):
            self.assertEqual(redactor.redact(text), text)

    def test_names_of_known_contacts(self):
        redactor = Redactor(names=["Garage Durand"], person_names=["Paul Durand"])
        out = redactor.redact(
            "Paul Durand du Garage Durand a rappelé. M. DURAND attend ; Paul aussi."
        )
        self.assertEqual(
            out, "[NOM_1] du [NOM_2] a rappelé. M. [NOM_3] attend ; [NOM_4] aussi."
        )
        self.assertEqual(
            redactor.restore("Bonjour [NOM_1], merci."), "Bonjour Paul Durand, merci."
        )

    def test_names_without_accents_still_found(self):
        redactor = Redactor(person_names=["Hélène Gérard"])
        self.assertEqual(redactor.redact("helene gerard"), "[NOM_1]")

    def test_kept_kinds_are_sent(self):
        redactor = Redactor(person_names=["Paul Durand"], keep={"phone", "name"})
        out = redactor.redact("Paul Durand, 06 12 34 56 78, paul@exemple.fr")
        self.assertEqual(out, "Paul Durand, 06 12 34 56 78, [EMAIL_1]")

    def test_restore_ignores_unknown_placeholders(self):
        redactor = Redactor()
        redactor.redact("06 12 34 56 78")
        self.assertEqual(
            redactor.restore("[TEL_1] [TEL_9] [1]"), "06 12 34 56 78 [TEL_9] [1]"
        )

    def test_stream_restorer_handles_split_placeholders(self):
        redactor = Redactor(person_names=["Paul Durand"])
        redactor.redact("Paul Durand au 06 12 34 56 78")
        restorer = redactor.stream_restorer()
        deltas = ["Merci [N", "OM_1", "] au [TEL_", "1]. Voir [1", "] et ["]
        shown = "".join(restorer.feed(d) for d in deltas) + restorer.flush()
        self.assertEqual(shown, "Merci Paul Durand au 06 12 34 56 78. Voir [1] et [")
