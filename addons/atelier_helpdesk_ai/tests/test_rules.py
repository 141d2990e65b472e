# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import BaseCase, tagged

from ..tools.reply_rules import choose_template
from ..tools.triage_rules import triage


@tagged("post_install", "-at_install")
class TestRules(BaseCase):
    """The offline rules alone, on the way clients write."""

    def test_types(self):
        cases = {
            "Le disjoncteur général saute dès que le compresseur démarre": (
                "helpdesk_type_electrical"
            ),
            "Voyant moteur orange, perte de puissance en côte": (
                "helpdesk_type_diagnostic"
            ),
            "Code P0301 relevé sur ma Clio": "helpdesk_type_diagnostic",
            "Devis pour la mise aux normes du tableau électrique": (
                "helpdesk_type_quote"
            ),
            "Je voudrais m'inscrire à la formation véhicules hybrides": (
                "helpdesk_type_training"
            ),
            "Facture erronée pour l'intervention du technicien": (
                "helpdesk_type_after_sales"
            ),
        }
        for text, expected in cases.items():
            with self.subTest(text=text):
                self.assertEqual(triage(text).type_key, expected)

    def test_reasons_quote_the_client(self):
        result = triage("Le véhicule ne DÉMARRE plus, je suis déçu")
        self.assertIn("véhicule", result.type_words)
        self.assertIn("DÉMARRE", result.type_words)
        self.assertEqual(result.sentiment_words, ["déçu"])

    def test_accents_and_case_do_not_matter(self):
        self.assertEqual(
            triage("DEFAILLANCE ÉLECTRIQUE, disjoncteur").type_key,
            ("helpdesk_type_electrical"),
        )
        self.assertEqual(
            triage("electricite coupee").type_key, "helpdesk_type_electrical"
        )

    def test_unknown_type_when_nothing_matches(self):
        result = triage("Bonjour, pouvez-vous me rappeler ?")
        self.assertEqual(
            (result.type_key, result.priority, result.sentiment), ("", "1", "neutral")
        )

    def test_only_existing_types(self):
        result = triage(
            "Devis pour un disjoncteur", allowed_types={"helpdesk_type_electrical"}
        )
        self.assertEqual(result.type_key, "helpdesk_type_electrical")

    def test_priority(self):
        self.assertEqual(triage("Odeur de brûlé dans le tableau").priority, "3")
        self.assertEqual(
            triage("C'est urgent, la voiture ne démarre plus").priority, "2"
        )
        self.assertEqual(triage("Simple question, pas urgent").priority, "0")
        self.assertEqual(triage("Sans urgence, rien ne presse").priority, "0")
        self.assertEqual(triage("Le tableau est à remplacer").priority, "1")

    def test_sentiment(self):
        self.assertEqual(
            triage("Toujours pas de réponse, c'est inadmissible").sentiment, "angry"
        )
        self.assertEqual(triage("JE SUIS TRES EN COLERE").sentiment, "angry")
        self.assertEqual(
            triage("Je suis déçu, toujours pas de technicien").sentiment, "negative"
        )
        self.assertEqual(
            triage("Merci beaucoup, travail parfait").sentiment, "positive"
        )
        self.assertEqual(triage("Code P0301 P0420 U0100").sentiment, "neutral")

    def test_knowledge_base_boost(self):
        result = triage(
            "Ma voiture tremble",
            type_boosts={"helpdesk_type_diagnostic": (2, ["P0300"])},
        )
        self.assertEqual(result.type_key, "helpdesk_type_diagnostic")
        self.assertIn("P0300", result.type_words)

    def test_templates(self):
        cases = [
            (
                "Pouvez-vous m'envoyer un devis ?",
                None,
                "mail_template_ticket_quote_sent",
            ),
            ("Où est ma facture ?", None, "mail_template_ticket_invoice_sent"),
            ("Code P0301", None, "mail_template_ticket_vehicle_drop_off"),
            ("Bonjour", "helpdesk_type_training", "mail_template_ticket_training_info"),
            ("Bonjour", None, "mail_template_ticket_missing_info"),
            (
                "Je dois reporter le rendez-vous",
                None,
                ("mail_template_ticket_appointment_rescheduled"),
            ),
        ]
        for text, type_key, expected in cases:
            with self.subTest(text=text):
                self.assertEqual(choose_template(text, type_key)[0], expected)

    def test_template_must_exist(self):
        key, _words = choose_template(
            "Un devis svp", None, available={"mail_template_ticket_missing_info"}
        )
        self.assertEqual(key, "mail_template_ticket_missing_info")
