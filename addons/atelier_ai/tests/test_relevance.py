# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import BaseCase, tagged

from ..tools import relevance

SMOKE = {
    "title": "Mélange riche et fumée noire",
    "text": "Le moteur chauffe et fume noir au démarrage.",
    "snippet": "… la <mark>fumée</mark> noire …",
}


@tagged("post_install", "-at_install")
class TestRelevance(BaseCase):
    def test_subject_words(self):
        self.assertEqual(
            relevance.content_words("Que veut dire le code P0301 ?"), ["code", "p0301"]
        )
        self.assertEqual(
            relevance.content_words("La clim ne fait plus de froid"), ["clim", "froid"]
        )

    def test_words_compared_on_their_start(self):
        self.assertEqual(relevance.coverage("ma voiture fume noir", SMOKE), 2 / 3)
        self.assertEqual(relevance.coverage("le moteur chauffe", SMOKE), 1.0)
        self.assertEqual(relevance.coverage("comment faire une mayonnaise", SMOKE), 0)

    def test_typos_the_search_corrected(self):
        source = {
            "title": "Ratés d'allumage",
            "text": "Méthode",
            "snippet": "Ratés d'<mark>allumage</mark>",
        }
        self.assertEqual(relevance.found_words("alumage", source), ["alumage"])
        # a short word is no typo of a highlighted one
        source["snippet"] = "<mark>partis</mark>"
        self.assertEqual(relevance.found_words("paris", source), [])

    def test_about_needs_two_words_of_a_longer_question(self):
        self.assertTrue(relevance.is_about("le moteur chauffe", SMOKE, 0.5))
        self.assertTrue(relevance.is_about("fumée", SMOKE, 0.5))
        # one word of two is half, but not enough
        self.assertFalse(relevance.is_about("moteur de tondeuse", SMOKE, 0.5))
        self.assertFalse(relevance.is_about("bonjour", SMOKE, 0.5))
