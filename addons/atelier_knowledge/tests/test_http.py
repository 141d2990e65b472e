# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import setup_kb


@tagged("post_install", "-at_install")
class TestPublicPages(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_kb(cls)

    def assertHas(self, html, text):
        if text not in html:
            self.fail(f"{text!r} is not in the page")

    def assertLacks(self, html, text):
        if text in html:
            self.fail(f"{text!r} is in the page")

    def get(self, url, status=200):
        response = self.url_open(url)
        self.assertEqual(response.status_code, status, url[:80])
        return response.text

    def test_index_lists_categories_and_latest_articles(self):
        html = self.get("/kb")
        self.assertHas(html, self.cat_electrique.name)
        self.assertHas(html, self.art_battery.title)
        self.assertLacks(html, self.art_draft.title)
        self.assertHas(html, 'action="/kb"')

    def test_search_page(self):
        html = self.get("/kb?q=batteries")
        self.assertHas(html, self.art_battery.title)
        self.assertHas(html, "<mark>")
        self.assertLacks(html, self.art_draft.title)
        html = self.get("/kb?q=P03")
        self.assertHas(html, "/kb/code/P0300")
        self.assertLess(html.index("/kb/code/P0300"), html.index("/kb/code/P0301"))
        # filters
        html = self.get("/kb?q=batterie&category=electrique&kind=article")
        self.assertHas(html, self.art_battery.title)
        self.assertLacks(html, self.art_winter.title)

    def test_bad_input_gets_a_page_not_an_error(self):
        html = self.get("/kb?q=" + "x" * 10_000)
        self.assertHas(html, "alert")
        for query in ("%26%7C!()%3A*'", "%5C", "%00", "le+la+les"):
            html = self.get(f"/kb?q={query}")
            self.assertHas(html, 'role="status"')
        self.get("/kb?q=batterie&category=nope&kind=bad&page=abc")
        self.get("/kb?q=batterie&page=999999999999999999999")
        self.get("/kb?q=batterie&q=moteur")
        html = self.get("/kb?q=%3Cscript%3Ealert(1)%3C/script%3E")
        self.assertLacks(html, "<script>alert(1)</script>")
        self.assertHas(html, "&lt;script&gt;alert(1)&lt;/script&gt;")

    def test_category_page(self):
        html = self.get("/kb?category=electrique")
        self.assertHas(html, self.art_battery.title)
        self.assertLacks(html, self.art_misfire.title)

    def test_category_page_has_more(self):
        hydrogen = self.env.ref("atelier_knowledge.atelier_kb_category_hydrogene")
        self.Article.create(
            [
                {
                    "title": f"Hydrogène {index:02d}",
                    "category_id": hydrogen.id,
                    "is_published": True,
                }
                for index in range(21)
            ]
        )
        html = self.get("/kb?category=hydrogene")
        self.assertHas(html, "Hydrogène 19")
        self.assertLacks(html, "Hydrogène 20")
        self.assertHas(html, "/kb?category=hydrogene&amp;page=2")
        self.assertHas(self.get("/kb?category=hydrogene&page=2"), "Hydrogène 20")

    def test_search_count_says_when_more_results_follow(self):
        """A full page used to read "20 result(s) for P03" above a "More
        results" button: the count looked like the total."""
        self.Article.create(
            [
                {
                    "title": f"Zorglub {index:02d}",
                    "category_id": self.cat_electrique.id,
                    "is_published": True,
                }
                for index in range(21)
            ]
        )
        html = self.get("/kb?q=zorglub")
        self.assertHas(html, "/kb?q=zorglub&amp;page=2")
        self.assertRegex(html, r"20\s*first results for\s*<strong>zorglub</strong>")
        self.assertLacks(html, "result(s) for")
        html = self.get("/kb?q=zorglub&page=2")
        self.assertRegex(html, r"21\s*result\(s\) for\s*<strong>zorglub</strong>")
        self.assertLacks(html, "first results for")

    def test_article_page(self):
        html = self.get(self.art_battery.website_url)
        self.assertHas(html, self.art_battery.title)
        self.assertHas(html, "Une défaillance du BMS limite la puissance.")
        self.assertHas(html, "/kb/code/P0A80")
        with mute_logger("odoo.http"):
            self.get("/kb/article/nope", 404)
            self.get("/kb/article/UPPER_case", 404)

    def test_unpublished_article_for_editors_only(self):
        with mute_logger("odoo.http"):
            self.get(self.art_draft.website_url, 404)
            self.authenticate("kb_portal", "kb_portal")
            self.get(self.art_draft.website_url, 404)
            self.authenticate("kb_gaetan", "kb_gaetan")
            self.get(self.art_draft.website_url, 404)
        self.authenticate("kb_claire", "kb_claire")
        html = self.get(self.art_draft.website_url)
        self.assertHas(html, "only the editors see it")

    def test_code_page_french_first(self):
        html = self.get("/kb/code/P0301")
        self.assertHas(html, "Ratés d&#39;allumage détectés sur le cylindre 1")
        self.assertHas(html, "Bobine d&#39;allumage défaillante")
        steps = [
            html.index("Lire les données figées"),
            html.index("Permuter la bobine avec le cylindre 2"),
            html.index("Remplacer la pièce fautive"),
        ]
        self.assertEqual(steps, sorted(steps), "the checks keep their order")
        self.assertHas(html, self.art_misfire.website_url)
        self.assertLacks(html, "no French text yet")
        self.get("/kb/code/p0301")
        # English base where no French exists yet
        html = self.get("/kb/code/P0420")
        self.assertHas(html, "no French text yet")
        with mute_logger("odoo.http"):
            self.get("/kb/code/P0306", 404)  # archived
            self.get("/kb/code/P3FFF", 404)  # unknown
            self.get("/kb/code/P9999", 404)  # not a code
            self.get("/kb/code/%27%3B--", 404)

    def test_website_menu(self):
        menus = self.env["website.menu"].search([("url", "=", "/kb")])
        self.assertTrue(menus)
        self.assertHas(self.get("/"), 'href="/kb"')
