# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import BaseCase, tagged

from ..tools import alex_text

SOURCES = [
    {"n": 1, "title": "Ratés d'allumage", "code": "P0301", "text": "Bobine " * 200},
    {"n": 2, "title": "Bougies", "code": False, "text": "Écartement des électrodes."},
]


@tagged("post_install", "-at_install")
class TestAlexText(BaseCase):
    def test_offline_answer_quotes_and_cites(self):
        text = alex_text.offline_answer("Voici :", SOURCES)
        self.assertTrue(
            text.startswith("Voici :\n\nP0301 — Ratés d'allumage [1] :\n« ")
        )
        self.assertIn("Bougies [2] :\n« Écartement des électrodes. »", text)
        # passages are cut at a word, not left whole
        self.assertLess(len(text), 700)
        self.assertEqual(alex_text.cited(text, SOURCES), [1, 2])

    def test_code_passage_without_its_title_twice(self):
        source = {
            "n": 1,
            "title": "Ratés",
            "code": "P0301",
            "text": "P0301 : Ratés\nBobine HS",
        }
        self.assertEqual(
            alex_text.offline_answer("Voici :", [source]),
            "Voici :\n\nP0301 — Ratés [1] :\n« Bobine HS »",
        )

    def test_citations_of_known_sources_only(self):
        self.assertEqual(alex_text.cited("Voir [2], [1], [2] et [7].", SOURCES), [2, 1])

    def test_refusals(self):
        for text in (
            "Je ne sais pas.",
            "« Je ne sais pas » : …",
            "je ne peux pas répondre",
        ):
            self.assertTrue(alex_text.is_refusal(text), text)
        self.assertFalse(
            alex_text.is_refusal("Le code P0301 [1]. Je ne sais pas tout.")
        )

    def test_wish_for_a_human(self):
        self.assertTrue(alex_text.wants_a_human("Je voudrais un rendez-vous"))
        self.assertTrue(alex_text.wants_a_human("Combien coûte la réparation ?"))
        self.assertFalse(alex_text.wants_a_human("Que veut dire P0301 ?"))
