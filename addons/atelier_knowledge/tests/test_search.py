# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
from unittest.mock import patch

from odoo.tests import tagged

from ..models import atelier_kb_search
from .common import KbCase

RESULT_KEYS = {
    "kind",
    "res_model",
    "res_id",
    "title",
    "code",
    "snippet",
    "text",
    "url",
    "score",
}


@tagged("post_install", "-at_install")
class TestSearch(KbCase):
    def test_result_shape(self):
        answer = self.search("batterie")
        self.assertEqual(set(answer), {"query", "message", "results"})
        self.assertEqual(answer["query"], "batterie")
        self.assertIs(answer["message"], False)
        self.assertTrue(answer["results"])
        scores = [r["score"] for r in answer["results"]]
        self.assertEqual(scores, sorted(scores, reverse=True))
        for result in answer["results"]:
            self.assertEqual(set(result), RESULT_KEYS)
            self.assertTrue(0 < result["score"] <= 1)
            self.assertLessEqual(len(result["text"]), 1210)
            self.assertTrue(result["url"].startswith(("/kb/article/", "/kb/code/")))
        first = answer["results"][0]
        self.assertEqual(first["res_model"], "atelier.kb.article")
        self.assertEqual(first["url"], f"/kb/article/{self.art_battery.slug}")
        self.assertIs(first["code"], False)

    def test_stemming_plural_finds_singular(self):
        found = [record for _kind, record in self.ranked("batteries")]
        self.assertIn(self.art_battery, found)
        self.assertIn(self.art_winter, found, "'batterie' only in the body")
        # and the other way round: "cellule" finds "cellules"
        self.assertIn(self.art_battery, [r for _k, r in self.ranked("cellule")])

    def test_without_accents_finds_accents_and_highlights_them(self):
        answer = self.search("defaillance")
        result = self.result_of(answer, self.art_battery)
        self.assertIn("<mark>défaillance</mark>", result["snippet"])
        # and with accents on the query only
        found = [record for _k, record in self.ranked("contrôle hivér")]
        self.assertIn(self.art_winter, found)

    def test_english_text_uses_english_stemming(self):
        # "recording" (query) matches "recorded" (English article) through
        # the English stem "record": the French stemmer keeps "recording"
        found = [record for _k, record in self.ranked("recording")]
        self.assertIn(self.art_english, found)
        # and French words do not go through the English stemmer
        self.assertNotIn(self.art_english, [r for _k, r in self.ranked("moteur")])

    def test_french_code_page_found_by_its_french_text(self):
        ranked = self.ranked("bobine défaillante")
        self.assertIn(("code", self.p0301), ranked)
        result = self.result_of(self.search("bobine défaillante"), self.p0301)
        self.assertEqual(result["title"], "Ratés d'allumage détectés sur le cylindre 1")
        self.assertEqual(result["url"], "/kb/code/P0301")
        self.assertIn("Bobine d'allumage défaillante", result["text"])
        self.assertIn("2. Permuter la bobine", result["text"])

    def test_code_prefix_lists_the_family_in_order(self):
        answer = self.search("P03", limit=100)
        codes = [r["code"] for r in answer["results"] if r["kind"] == "code"]
        self.assertGreaterEqual(len(codes), 5)
        self.assertTrue(all(code.startswith("P03") for code in codes), codes)
        self.assertEqual(codes, sorted(codes))
        self.assertEqual(codes[:2], ["P0300", "P0301"])
        self.assertNotIn("P0306", codes, "archived codes are not listed")
        # the codes come before the articles that mention them
        kinds = [r["kind"] for r in answer["results"]]
        self.assertEqual(kinds, sorted(kinds, key=lambda k: k != "code"))
        self.assertIn("article", kinds)
        # lower case, and a longer prefix narrows the list
        narrow = [r["code"] for r in self.search("code p030")["results"] if r["code"]]
        self.assertTrue(narrow and all(c.startswith("P030") for c in narrow))
        # the limit holds
        self.assertEqual(len(self.search("P0", limit=3)["results"]), 0)
        self.assertEqual(len(self.search("P03", limit=3)["results"]), 3)

    def test_exact_code_first_then_its_articles(self):
        ranked = self.ranked("P0301")
        self.assertEqual(ranked[0], ("code", self.p0301))
        self.assertIn(("article", self.art_misfire), ranked[1:3])
        self.assertEqual(self.search("p0301")["results"][0]["code"], "P0301")
        # an unknown code finds nothing, cleanly
        self.assertEqual(self.search("P3FFF")["results"], [])

    def test_typo_in_a_short_query(self):
        for typo in ("alumage", "batterei", "vilebrequn"):
            answer = self.search(typo)
            self.assertTrue(answer["results"], f"{typo!r} found nothing")
        self.assertEqual(self.ranked("alumage")[0], ("article", self.art_misfire))
        self.assertIn(("article", self.art_battery), self.ranked("batterei")[:2])

    def test_unknown_words_do_not_hide_the_known_one(self):
        found = self.ranked("xqzwv plughy vrtyzk batterie")
        self.assertIn(("article", self.art_battery), found)
        # even when every known word is common (on a big base: "voiture
        # électrique ne démarre pas batterie 12v")
        with patch.object(atelier_kb_search, "COMMON_SHARE", 0.0):
            found = self.ranked("batterie traction xqzwv")
        self.assertIn(("article", self.art_battery), found)

    def test_ranking_title_before_body(self):
        found = [record for _k, record in self.ranked("batterie")]
        self.assertLess(found.index(self.art_battery), found.index(self.art_winter))
        # more query words matched ranks higher
        found = [record for _k, record in self.ranked("voiture broute accélération")]
        self.assertEqual(found[0], self.art_misfire)

    def test_phrase_weighs_more_than_scattered_words(self):
        scattered = self.Article.create(
            {
                "title": "Entretien courant",
                "category_id": self.cat_thermique.id,
                "is_published": True,
                "body": "<p>Le voyant du tableau de bord. Plus loin, le moteur.</p>",
            }
        )
        together = self.Article.create(
            {
                "title": "Entretien régulier",
                "category_id": self.cat_thermique.id,
                "is_published": True,
                "body": "<p>Le voyant moteur du tableau de bord reste éteint.</p>",
            }
        )
        found = [r for _k, r in self.ranked("voyant moteur")]
        self.assertLess(found.index(together), found.index(scattered))

    def test_one_code_family_does_not_crowd_the_results(self):
        # atelier_dtc's English P0300-P0305 all say "misfire"; the English
        # article says it too, once, in its body
        ranked = self.ranked("misfire detected", limit=20)
        family = [
            i
            for i, (kind, r) in enumerate(ranked)
            if kind == "code" and r.code.startswith("P030")
        ]
        self.assertGreaterEqual(len(family), 4)
        article = ranked.index(("article", self.art_english))
        self.assertLess(article, family[2], "two P030x codes, then the article")
        # a code prefix lists the whole family in order
        codes = [r["code"] for r in self.search("P030")["results"]]
        self.assertEqual(codes[:4], ["P0300", "P0301", "P0302", "P0303"])

    def test_unpublished_and_archived_are_never_returned(self):
        for user in (None, self.manager, self.public):
            keys = self.keys(self.search("batterie", user=user))
            self.assertNotIn(self.key(self.art_draft), keys)
        self.art_battery.action_archive()
        self.assertNotIn(self.key(self.art_battery), self.keys(self.search("batterie")))
        self.art_battery.action_unarchive()
        self.art_draft.is_published = True
        self.assertIn(self.key(self.art_draft), self.keys(self.search("batterie")))
        self.p0301.action_archive()
        self.assertNotIn(self.key(self.p0301), self.keys(self.search("P0301 bobine")))

    def test_filters(self):
        codes = self.search("allumage", kinds=["code"])["results"]
        self.assertTrue(codes)
        self.assertEqual({r["kind"] for r in codes}, {"code"})
        articles = self.search("allumage", kinds="article")["results"]
        self.assertEqual({r["kind"] for r in articles}, {"article"})
        checklists = self.search("batterie", kinds=["checklist"])
        self.assertEqual(self.keys(checklists), [self.key(self.art_winter)])
        # category: its articles and the codes they are about
        electric = self.search("batterie hybride", category="electrique")["results"]
        self.assertEqual(
            {(r["kind"], r["res_id"]) for r in electric},
            {("article", self.art_battery.id), ("code", self.p0a80.id)},
        )
        by_id = self.search("batterie", category=self.cat_electrique.id)["results"]
        self.assertEqual(
            {(r["kind"], r["res_id"]) for r in by_id},
            {("article", self.art_battery.id), ("code", self.p0a80.id)},
        )
        unknown = self.search("batterie", category="nope")
        self.assertEqual(unknown["results"], [])
        self.assertTrue(unknown["message"])

    def test_limit_is_bounded(self):
        self.assertEqual(len(self.search("batterie", limit=1)["results"]), 1)
        self.assertLessEqual(len(self.search("P03", limit=10**6)["results"]), 100)
        self.assertTrue(self.search("batterie", limit="abc")["results"])
        self.assertEqual(len(self.search("batterie", limit=-5)["results"]), 1)

    def test_hostile_queries(self):
        hostile = [
            "",
            "   ",
            None,
            "x" * 10_000,
            "batterie " * 2_000,
            "&|!():*'",
            "&|!():*'\\",
            "batterie & | ! ( ) : * '",
            "'batterie':*A",
            "batterie <-> bms",
            "(((batterie",
            "'; DROP TABLE atelier_kb_article; --",
            "\\\\'",
            "batterie\x00bms",
            "le la les de du",
            "🔋⚡",
            "P03:*",
            "\ue000batterie\ue001",
            ["batterie"],
            {"q": "batterie"},
        ]
        for query in hostile:
            with self.subTest(query=str(query)[:40]):
                answer = self.search(query)
                self.assertEqual(set(answer), {"query", "message", "results"})
                self.assertIsInstance(answer["results"], list)
                if not answer["results"]:
                    self.assertTrue(answer["message"] or answer["query"])
                for result in answer["results"]:
                    self.assertNotIn("\ue000", result["snippet"] + result["text"])
        self.assertTrue(self.search("")["message"])
        long_answer = self.search("batterie " * 2_000)
        self.assertTrue(long_answer["message"], "the user is told it was shortened")
        self.assertTrue(long_answer["results"], "and still gets results")
        self.assertLessEqual(len(long_answer["query"]), 300)
        self.assertTrue(self.search("&|!():*'")["message"])
        injected = self.search("batterie & | ! ( ) : * '")
        self.assertIn(self.key(self.art_battery), self.keys(injected))
        self.assertTrue(self.Article.search_count([]), "the table is still there")

    def test_snippet_is_safe_html(self):
        answer = self.search("script calculateur injection")
        result = self.result_of(answer, self.art_hostile)
        self.assertNotIn("<script", result["snippet"])
        self.assertIn("<mark>", result["snippet"])
        tags = re.findall(r"<[^>]*>", result["snippet"])
        self.assertTrue(set(tags) <= {"<mark>", "</mark>"}, tags)
        self.assertIn("<script>", result["text"], "the text for the AI is plain")

    def test_public_user_may_search(self):
        answer = self.search("batterie", user=self.public)
        self.assertIn(self.key(self.art_battery), self.keys(answer))
        answer = self.search("P0301", user=self.portal)
        self.assertEqual(answer["results"][0]["code"], "P0301")

    def test_rarer_words_rank_and_pick_the_passage(self):
        """A word in most documents neither picks the candidates nor ranks
        their proximity (its many positions would only slow the ranking);
        when every word is that common, they all count."""
        Term = atelier_kb_search.Term
        common = Term("moteur", "moteur", df=90)
        rare = Term("lambda", "lambda", df=3)
        unknown = Term("zzzz", "zzzz", df=None)
        code = Term("P03", "p03:*", is_word=False)
        selective = self.Search._kb_selective
        self.assertEqual(selective([common, rare, unknown], 100), [rare])
        self.assertEqual(selective([common, code], 100), [code])
        self.assertEqual(selective([common], 100), [common])
        self.assertEqual(selective([unknown], 100), [unknown])

    def test_text_is_the_best_passage(self):
        result = self.result_of(self.search("vieillissement cycles"), self.art_battery)
        self.assertTrue(result["text"].startswith("Vieillissement"), result["text"])
        self.assertIn("<mark>cycles</mark>", result["snippet"])

    def test_french_translations(self):
        self.env["ir.module.module"]._load_module_terms(
            ["atelier_knowledge"], ["fr_FR"], overwrite=True
        )
        Search = self.Search.with_context(lang="fr_FR")
        self.assertIn("code défaut", Search.search_kb("")["message"])
        shortened = Search.search_kb("batterie " * 100)["message"]
        self.assertEqual(
            shortened, "Votre recherche a été raccourcie à ses 300 premiers caractères."
        )
        # the passage of a code is labelled in French
        text = self.result_of(self.search("P0301"), self.p0301)["text"]
        self.assertIn("Causes possibles : Bobine d'allumage défaillante", text)
        self.assertIn("Contrôles et réparation : 1. Lire", text)
        # data: categories and the website menu
        self.assertEqual(
            self.cat_electrique.with_context(lang="fr_FR").name, "Véhicules électriques"
        )
        menu = self.env.ref("atelier_knowledge.atelier_kb_website_menu")
        self.assertEqual(menu.with_context(lang="fr_FR").name, "Base de connaissances")
        kinds = dict(
            self.Article.with_context(lang="fr_FR")
            ._fields["kind"]
            ._description_selection(self.env(context={"lang": "fr_FR"}))
        )
        self.assertEqual(kinds["explication"], "Explication")
