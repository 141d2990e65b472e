# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.atelier_ai.tests.llm_server import Reply, Status

from .common import AlexCase


@tagged("post_install", "-at_install")
class TestAlex(AlexCase):
    def test_offline_answer_cites_the_code_page(self):
        answer = self.ask("Que veut dire le code P0301 ?", user=self.portal)
        first = answer["sources"][0]
        self.assertEqual(
            (first["n"], first["kind"], first["code"], first["url"]),
            (1, "code", "P0301", "/kb/code/P0301"),
        )
        self.assertEqual(answer["mode"], "offline")
        self.assertFalse(answer["unknown"])
        # the passages themselves, quoted and cited
        self.assertIn("P0301 — ", answer["text"])
        self.assertIn("[1] :\n« ", answer["text"])
        self.assertIn(1, answer["cited"])
        self.assertEqual(self.llm.requests, [])
        usage = self.usage()
        self.assertEqual(
            (usage.outcome, usage.fallback_reason), ("fallback", "offline")
        )

    def test_offline_answer_from_symptoms(self):
        answer = self.ask("la voiture broute à l'accélération, voyant moteur clignote")
        self.assertEqual(
            answer["sources"][0]["url"], f"/kb/article/{self.art_misfire.slug}"
        )
        self.assertIn("Ratés d'allumage", answer["text"])

    def test_outside_the_base(self):
        self._ai_settings()  # even with a model: it is not asked
        for question in (
            "Comment faire une mayonnaise ?",
            "Quelle est la capitale du Pérou ?",
        ):
            answer = self.ask(question)
            self.assertTrue(answer["unknown"], question)
            self.assertTrue(answer["offer"])
            self.assertEqual(answer["sources"], [])
            self.assertTrue(answer["text"].startswith("I don't know"))
        self.assertEqual(self.llm.requests, [])
        # in French, as the visitors read it
        answer = self.Alex.with_context(lang="fr_FR")._ask(
            "Comment faire une mayonnaise ?"
        )
        self.assertTrue(answer["text"].startswith("Je ne sais pas"), answer["text"])

    def test_unpublished_articles_are_not_sources(self):
        answer = self.ask("batterie secrète pas encore publiée")
        self.assertNotIn(
            f"/kb/article/{self.art_draft.slug}", [s["url"] for s in answer["sources"]]
        )

    def test_model_answer_from_the_passages_only(self):
        self._ai_settings()
        self.env["res.partner"].create({"name": "Paul Durand"})  # a known contact
        self.llm.push(
            Reply(
                "Le code P0301 signale des ratés d'allumage sur le cylindre 1 [1]. "
                "Permutez la bobine pour trouver la pièce fautive [1][2]. Voir [9]."
            )
        )
        answer = self.ask(
            "Bonjour, je suis Paul Durand (06 12 34 56 78), que veut dire P0301 ?",
            history=[
                {"role": "user", "content": "Ma Clio AB-123-CD a un voyant"},
                {"role": "assistant", "content": "Quel code ?"},
                {"role": "hacker", "content": "ignored"},
            ],
        )
        self.assertEqual(answer["mode"], "model")
        # cited sources, in order, the unknown [9] left out
        known = [s["n"] for s in answer["sources"]]
        self.assertEqual(answer["cited"], [n for n in (1, 2) if n in known])
        self.assertTrue(answer["text"].startswith("Le code P0301 signale"))
        request = self.llm.last
        self.assertEqual(self.llm.violations, [])
        messages = request.body["messages"]
        self.assertIn("uniquement à partir des passages", messages[0]["content"])
        # the retrieved passages, numbered, with their links
        self.assertIn("[1] P0301 — ", messages[1]["content"])
        self.assertIn("(/kb/code/P0301)", messages[1]["content"])
        self.assertIn("Permuter la bobine", messages[1]["content"])
        # the conversation, redacted; unknown roles dropped
        self.assertEqual(
            [m["role"] for m in messages[2:]], ["user", "assistant", "user"]
        )
        self.assertIn("[IMMAT_1]", messages[2]["content"])
        self.assertNotIn("Durand", messages[-1]["content"])

    def test_model_refusal_offers_a_person(self):
        self._ai_settings()
        self.llm.push(Reply("Je ne sais pas. Un conseiller peut vous répondre."))
        answer = self.ask("Que veut dire P0301 ?")
        self.assertTrue(answer["unknown"])
        self.assertTrue(answer["offer"])

    def test_model_failure_gives_the_passages(self):
        self._ai_settings(retries="0")
        self.llm.push(Status(503))
        answer = self.ask("Que veut dire P0301 ?")
        self.assertIn("P0301 — ", answer["text"])
        self.assertIn("« ", answer["text"])
        self.assertEqual(self.usage().fallback_reason, "server_error")

    def test_streamed_answer(self):
        self._ai_settings()
        self.llm.push(Reply("Ratés d'allumage sur le cylindre 1 [1]."))
        meta, deltas = self.Alex._answer("P0301 ?", stream=True)
        deltas = list(deltas)
        self.assertGreater(len(deltas), 2)
        done = self.Alex._finish(meta, "".join(deltas))
        self.assertEqual(done["cited"], [1])
        self.assertTrue(self.llm.last.body["stream"])

    def test_bad_questions(self):
        for question in ("", "   ", None, 42, ["P0301"], "x" * 501):
            with self.assertRaises(ValidationError):
                self.ask(question)
        self.ask("x" * 500)  # at the limit: a clean "I don't know"

    def test_widget_props(self):
        props = self.Alex.with_user(self.env.ref("base.public_user"))._widget_props()
        self.assertEqual(
            props, {"isPublic": True, "userName": "", "handoff": "request"}
        )
        props = self.Alex.with_user(self.portal)._widget_props()
        self.assertFalse(props["isPublic"])
