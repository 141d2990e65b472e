# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import BaseCase, tagged

from ..tools import feedback_rules as rules


@tagged("at_install")
class TestFeedbackRules(BaseCase):
    def test_category_from_french_words(self):
        bug = rules.read(
            "La connexion décroche", "L'appli plante sur autoroute, je n'en peux plus"
        )
        self.assertEqual(bug["kind"], "bug")
        self.assertIn("decroch", bug["kind_words"])
        idea = rules.read("Un thème sombre", "Ce serait bien de pouvoir l'activer")
        self.assertEqual(idea["kind"], "idea")
        praise = rules.read("Bravo !", "Merci, enfin je comprends mes voyants")
        self.assertEqual(praise["kind"], "praise")

    def test_a_tie_or_no_word_keeps_the_testers_choice(self):
        self.assertEqual(
            rules.read("Tableau de bord", "Voilà.", "idea")["kind"], "idea"
        )
        # one bug word, one idea word: the tester said idea
        self.assertEqual(
            rules.read("Option", "ça refuse", current_kind="idea")["kind"], "idea"
        )
        self.assertEqual(rules.read("Option", "ça refuse")["kind"], "bug")

    def test_sentiment(self):
        self.assertEqual(
            rules.read("x", "Génial, très clair, merci")["sentiment"], "positive"
        )
        self.assertEqual(
            rules.read("x", "Inutilisable, j'en ai marre, ça plante")["sentiment"],
            "negative",
        )
        self.assertEqual(
            rules.read("x", "Le code P0420 s'affiche")["sentiment"], "neutral"
        )

    def test_likely_duplicates(self):
        candidates = [
            (1, "Exporter la session en PDF", "Partager un diagnostic en PDF"),
            (2, "Mode sombre", "L'écran blanc éblouit la nuit"),
            (3, "Rapport PDF pour mes clients", "Un rapport PDF du diagnostic"),
        ]
        found = rules.likely_duplicates(
            "Export PDF du diagnostic", "Je voudrais un PDF de la session", candidates
        )
        self.assertEqual(found[0], 1)
        self.assertIn(3, found)
        self.assertNotIn(2, found)
        self.assertEqual(
            rules.likely_duplicates("Rien à voir", "Bluetooth", candidates), []
        )
