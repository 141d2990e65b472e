# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import KbCase


@tagged("post_install", "-at_install")
class TestArticle(KbCase):
    def test_slug_from_title_unique_and_checked(self):
        self.assertEqual(
            self.art_misfire.slug, "rates-d-allumage-la-methode-de-diagnostic-pas-a-pas"
        )
        self.assertEqual(
            self.art_misfire.website_url, f"/kb/article/{self.art_misfire.slug}"
        )
        article = self.Article.create(
            {"title": "x", "slug": "Mon Slug Été", "category_id": self.cat_thermique.id}
        )
        self.assertEqual(article.slug, "mon-slug-ete")
        with self.assertRaises(ValidationError):
            article.write({"slug": "---"})
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self.Article.create(
                {
                    "title": "y",
                    "slug": self.art_misfire.slug,
                    "category_id": self.cat_thermique.id,
                }
            )
            self.env.flush_all()

    def test_passages_follow_the_body(self):
        passages = self.art_battery.passage_ids
        self.assertEqual(
            passages.mapped("heading"), [False, "Le BMS", "Vieillissement"]
        )
        self.assertEqual(passages[0].text, self.art_battery.summary)
        self.art_battery.body = "<h2>Nouveau</h2><p>Tout a changé.</p>"
        self.assertEqual(
            self.art_battery.passage_ids.mapped("heading"), [False, "Nouveau"]
        )
        self.assertIn(self.key(self.art_battery), self.keys(self.search("changé")))
        self.assertNotIn(self.key(self.art_battery), self.keys(self.search("cycles")))

    def test_linking_a_code_makes_the_article_found_by_it(self):
        self.assertNotIn(self.key(self.art_winter), self.keys(self.search("P0420")))
        self.art_winter.dtc_ids = [Command.link(self.p0420.id)]
        self.assertEqual(self.art_winter.code_list, "P0420")
        self.assertIn(self.key(self.art_winter), self.keys(self.search("P0420")))
        # a code's articles are the articles that link it
        self.assertIn(self.art_winter, self.p0420.kb_article_ids)

    def test_new_words_are_known_to_the_typo_correction_at_once(self):
        self.Article.create(
            {
                "title": "Le turbocompresseur à géométrie variable",
                "category_id": self.cat_thermique.id,
                "is_published": True,
            }
        )
        self.assertTrue(self.search("turbocompreseur")["results"])

    def test_vocabulary_refresh_counts_documents(self):
        self.Search._kb_refresh_vocabulary()
        self.env.cr.execute(
            "SELECT ndoc FROM atelier_kb_lexeme WHERE word IN ('batter', 'p0301')"
            " ORDER BY word"
        )
        batter, p0301 = (row[0] for row in self.env.cr.fetchall())
        self.assertGreaterEqual(batter, 3)  # 2 articles and P0A80 (not the draft)
        self.assertGreaterEqual(p0301, 2)  # the code and its article
