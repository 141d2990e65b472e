# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import KbCase


@tagged("post_install", "-at_install")
class TestSecurity(KbCase):
    def test_visitors_read_published_articles_only(self):
        for user in (self.public, self.portal):
            Article = self.Article.with_user(user)
            found = Article.search([])
            self.assertIn(self.art_battery, found)
            self.assertNotIn(self.art_draft, found)
            self.assertTrue(self.art_battery.with_user(user).title)
            with self.assertRaises(AccessError):
                self.art_draft.with_user(user).read(["title"])
            with self.assertRaises(AccessError), mute_logger("odoo.addons.base"):
                self.art_battery.with_user(user).write({"title": "Pirate"})
            with self.assertRaises(AccessError):
                Article.create(
                    {"title": "Pirate", "category_id": self.cat_thermique.id}
                )
            # codes and categories are public too, read only
            self.assertTrue(self.p0301.with_user(user).title)
            self.assertTrue(self.cat_thermique.with_user(user).name)
            with self.assertRaises(AccessError):
                self.p0301.with_user(user).write({"checks": "Pirate"})

    def test_internal_users_read_drafts(self):
        self.assertTrue(self.art_draft.with_user(self.technician).title)

    def test_only_assistants_and_managers_edit(self):
        # the desk writes and publishes
        article = self.Article.with_user(self.assistant).create(
            {"title": "Nouvel article", "category_id": self.cat_thermique.id}
        )
        article.write({"body": "<p>Texte</p>", "is_published": True})
        self.p0301.with_user(self.assistant).write({"checks": "Étape 1\nÉtape 2"})
        self.env["atelier.kb.tag"].with_user(self.assistant).create({"name": "kb neuf"})
        # but does not delete nor change the categories
        with self.assertRaises(AccessError):
            article.with_user(self.assistant).unlink()
        with self.assertRaises(AccessError):
            self.cat_thermique.with_user(self.assistant).write({"name": "Pirate"})
        # the technician reads
        with self.assertRaises(AccessError):
            self.art_battery.with_user(self.technician).write({"title": "Pirate"})
        with self.assertRaises(AccessError):
            self.Article.with_user(self.technician).create(
                {"title": "Pirate", "category_id": self.cat_thermique.id}
            )
        # the manager does everything
        article.with_user(self.manager).unlink()
        self.env["atelier.kb.category"].with_user(self.manager).create(
            {"name": "Carrosserie", "code": "carrosserie"}
        )

    def test_passages_are_not_for_visitors(self):
        for user in (self.public, self.portal):
            with self.assertRaises(AccessError):
                self.env["atelier.kb.passage"].with_user(user).search([])
        with self.assertRaises(AccessError):
            self.env["atelier.kb.passage"].with_user(self.assistant).create(
                {"article_id": self.art_battery.id, "sequence": 99, "text": "Pirate"}
            )
