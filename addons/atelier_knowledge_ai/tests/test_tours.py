# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.atelier_ai.tests.common import AtelierAiServerMixin

from .common import setup_alex


@tagged("post_install", "-at_install")
class TestTours(AtelierAiServerMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_alex(cls)
        cls.learner = new_test_user(
            cls.env,
            login="alex_learner",
            name="Léa Apprenante",
            groups="base.group_portal",
        )

    def test_learner_asks_alex_about_p0301(self):
        self.start_tour("/my", "atelier_alex_p0301_tour", login="alex_learner")
        usage = self.env["atelier.ai.usage"].search(
            [("feature_id.code", "=", "alex"), ("user_id", "=", self.learner.id)]
        )
        self.assertEqual(len(usage), 1)
