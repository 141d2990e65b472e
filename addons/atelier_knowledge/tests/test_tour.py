# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, tagged

from .common import setup_kb


@tagged("post_install", "-at_install")
class TestBackOfficeSearchTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_kb(cls)

    def test_assistant_searches_and_opens_an_article(self):
        action = self.env.ref("atelier_knowledge.atelier_kb_search_action")
        self.start_tour(
            f"/odoo/action-{action.id}", "atelier_knowledge_search", login="kb_claire"
        )
