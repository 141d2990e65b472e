# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from odoo.addons.atelier_ai.tests.common import AtelierAiServerMixin
from odoo.addons.atelier_ai.tests.llm_server import JsonReply
from odoo.addons.atelier_beta.tests.common import AtelierBetaCommon


@tagged("post_install", "-at_install")
class TestFeedbackAi(AtelierAiServerMixin, AtelierBetaCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_beta("fbai")
        cls.author = cls._tester(cls._signup("Autrice Idée", ip="192.0.2.11"))
        cls.other = cls._tester(cls._signup("Autre Testeur", ip="192.0.2.12"))
        cls._start_llm_server()
        cls._go_offline()
        cls.pdf = cls._post(
            cls.other,
            "idea",
            "Exporter la session en PDF",
            "Pouvoir partager un diagnostic en PDF par e-mail.",
        )
        cls.dark = cls._post(
            cls.other, "idea", "Mode sombre", "L'écran blanc éblouit la nuit."
        )

    def setUp(self):
        super().setUp()
        self.llm.reset()

    @classmethod
    def _post(cls, signup, kind, name, description):
        return cls.env["atelier.beta.feedback"]._atelier_post(
            signup, {"kind": kind, "name": name, "description": description}
        )

    def test_offline_suggestion_when_posted(self):
        feedback = self._post(
            self.author,
            "praise",
            "Rapport PDF du diagnostic",
            "Il faudrait un rapport PDF de la session, ça plante quand je "
            "partage et j'en ai marre.",
        )
        feedback = feedback.with_user(self.team)
        self.assertEqual(feedback.atelier_ai_source, "offline")
        # the text says bug (plante) and idea (il faudrait): a tie, no praise
        self.assertIn(feedback.atelier_ai_kind, ("bug", "idea"))
        self.assertEqual(feedback.atelier_ai_sentiment, "negative")
        self.assertEqual(feedback.atelier_ai_duplicate_ids, self.pdf)
        self.assertIn("«", feedback.atelier_ai_reason)
        # nothing left Odoo
        self.assertEqual(self.llm.requests, [])
        self.assertFalse(feedback.atelier_ai_queued)

    def test_model_refines_the_suggestion(self):
        self._ai_settings()
        feedback = self._post(
            self.author,
            "bug",
            "Partager en PDF",
            "J'aimerais envoyer mon diagnostic en PDF à mon garagiste.",
        )
        # the tester waits for no model: rules first, queued for the job
        self.assertEqual(feedback.sudo().atelier_ai_source, "offline")
        self.assertTrue(feedback.sudo().atelier_ai_queued)
        self.assertEqual(self.llm.requests, [])
        self.llm.push(
            JsonReply(
                {
                    "kind": "idea",
                    "sentiment": "neutral",
                    "duplicate_ids": [self.pdf.id],
                    "reason": "Demande d'export PDF, comme une idée déjà postée.",
                }
            )
        )
        self.assertEqual(feedback._atelier_ai_cron(), 1)
        feedback = feedback.with_user(self.team)
        self.assertRecordValues(
            feedback,
            [
                {
                    "atelier_ai_source": "model",
                    "atelier_ai_kind": "idea",
                    "atelier_ai_sentiment": "neutral",
                    "atelier_ai_queued": False,
                }
            ],
        )
        self.assertEqual(feedback.atelier_ai_duplicate_ids, self.pdf)
        request = self.llm.last
        self.assertIn("Exporter la session en PDF", request.text)
        # the author's address never reached the model
        self.assertEqual(self.llm.violations, [])

    def test_a_wrong_answer_falls_back_to_the_rules(self):
        self._ai_settings()
        feedback = self._post(
            self.author, "idea", "Thème sombre", "Un mode sombre pour la nuit, merci"
        )
        # an id that was not a candidate, a kind that does not exist
        self.llm.push(
            JsonReply(
                {
                    "kind": "complaint",
                    "sentiment": "neutral",
                    "duplicate_ids": [self.author.id + 10**6],
                    "reason": "?",
                }
            )
        )
        feedback._atelier_ai_cron()
        feedback = feedback.with_user(self.team)
        self.assertEqual(feedback.atelier_ai_source, "offline")
        self.assertEqual(feedback.atelier_ai_kind, "idea")
        self.assertEqual(feedback.atelier_ai_duplicate_ids, self.dark)

    def test_feedback_posted_before_the_addon(self):
        feedback = self._post(self.author, "bug", "Écran noir", "L'appli plante.")
        feedback.sudo().write({"atelier_ai_source": False, "atelier_ai_kind": False})
        self.assertEqual(feedback._atelier_ai_suggest_open(), 1)
        self.assertRecordValues(
            feedback.sudo(),
            [{"atelier_ai_source": "offline", "atelier_ai_kind": "bug"}],
        )
        self.assertEqual(feedback._atelier_ai_suggest_open(), 0)

    def test_only_the_team_sees_and_asks(self):
        feedback = self._post(self.author, "bug", "Écran noir", "L'appli plante.")
        with self.assertRaises(AccessError):
            feedback.with_user(self.author.user_id).action_atelier_ai_suggest()
        with self.assertRaises(AccessError):
            feedback.with_user(self.employee).action_atelier_ai_suggest()
        with self.assertRaises(AccessError):
            feedback.with_user(self.author.user_id).read(["atelier_ai_sentiment"])
        self.assertTrue(feedback.with_user(self.team).action_atelier_ai_suggest())
        self.assertEqual(feedback.with_user(self.team).atelier_ai_kind, "bug")
