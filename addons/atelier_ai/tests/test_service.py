# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

from odoo.tests import tagged

from .common import AtelierAiCase
from .llm_server import JsonReply, Reply, Status

SCHEMA = {
    "type": "object",
    "properties": {
        "priority": {"type": "string", "enum": ["0", "1", "2", "3"]},
        "reason": {"type": "string", "maxLength": 200},
    },
    "required": ["priority", "reason"],
    "additionalProperties": False,
}
OFFLINE = {"priority": "1", "reason": "hors ligne"}


@tagged("post_install", "-at_install")
class TestService(AtelierAiCase):
    def test_plain_answer_is_logged_with_cost(self):
        self.llm.push(Reply("Bonjour Claire.", tokens_in=1000, tokens_out=2000))
        answer = self.ask("Bonjour", user=self.assistant)
        self.assertEqual((answer.text, answer.source), ("Bonjour Claire.", "model"))
        usage = self.usage(answer)
        self.assertRecordValues(
            usage,
            [
                {
                    "feature_id": self.feature.id,
                    "user_id": self.assistant.id,
                    "outcome": "ok",
                    "fallback_reason": False,
                    "tokens_in": 1000,
                    "tokens_out": 2000,
                    "model_name": "test-model",
                    "attempts": 1,
                    "answer": "Bonjour Claire.",
                }
            ],
        )
        # 1000 x 0.5 / 1000 + 2000 x 1.5 / 1000
        self.assertAlmostEqual(usage.cost, 3.5)
        self.assertIn("Bonjour", usage.prompt)

    def test_schema_valid_answer(self):
        self.llm.push(JsonReply({"priority": "3", "reason": "Fumée dans le tableau"}))
        answer = self.ask("Ça fume !", schema=SCHEMA, fallback=OFFLINE)
        self.assertEqual(answer.source, "model")
        self.assertEqual(
            answer.data, {"priority": "3", "reason": "Fumée dans le tableau"}
        )
        body = self.llm.last.body
        self.assertEqual(body["response_format"]["type"], "json_schema")
        self.assertEqual(body["response_format"]["json_schema"]["schema"], SCHEMA)
        # the schema is also spelled out for servers that ignore response_format
        self.assertIn('"enum": ["0", "1", "2", "3"]', body["messages"][0]["content"])

    def test_json_object_mode(self):
        self._ai_settings(json_mode="json_object")
        self.llm.push(JsonReply({"priority": "2", "reason": "x"}))
        answer = self.ask(schema=SCHEMA, fallback=OFFLINE)
        self.assertEqual(answer.data["priority"], "2")
        self.assertEqual(self.llm.last.body["response_format"], {"type": "json_object"})

    def test_invalid_json_falls_back(self):
        self.llm.push(Reply("La priorité est haute."))
        answer = self.ask(schema=SCHEMA, fallback=lambda: dict(OFFLINE))
        self.assertEqual((answer.source, answer.reason), ("offline", "invalid_json"))
        self.assertEqual(answer.data, OFFLINE)
        usage = self.usage(answer)
        self.assertEqual(usage.outcome, "fallback")
        self.assertEqual(usage.answer, "La priorité est haute.")
        # the call was paid for all the same
        self.assertGreater(usage.cost, 0)

    def test_answer_against_the_schema_falls_back(self):
        self.llm.push(JsonReply({"priority": "urgent", "reason": "x"}))
        answer = self.ask(schema=SCHEMA, fallback=OFFLINE)
        self.assertEqual((answer.source, answer.reason), ("offline", "schema_invalid"))
        self.assertIn("urgent", self.usage(answer).detail)
        self.assertEqual(answer.data, OFFLINE)

    def test_timeout_falls_back(self):
        self._ai_settings(timeout="0.3")
        self.llm.push(Reply("trop tard", delay=1.5))
        answer = self.ask()
        self.assertEqual(
            (answer.text, answer.reason), ("réponse hors ligne", "timeout")
        )
        usage = self.usage(answer)
        self.assertEqual(usage.fallback_reason, "timeout")
        self.assertLess(usage.latency_ms, 1200)

    def test_429_and_500_are_retried(self):
        self.llm.push(Status(429), Status(500), Reply("Réponse"))
        answer = self.ask()
        self.assertEqual(answer.text, "Réponse")
        self.assertEqual(self.usage(answer).attempts, 3)
        self.assertEqual(len(self.llm.requests), 3)

    def test_too_many_errors_fall_back(self):
        self._ai_settings(retries="1")
        self.llm.push(Status(500), Status(502), Reply("jamais vue"))
        answer = self.ask()
        self.assertEqual((answer.source, answer.reason), ("offline", "server_error"))
        self.assertEqual(self.usage(answer).attempts, 2)
        self.assertEqual(len(self.llm.requests), 2)

    def test_redaction_before_the_wire(self):
        partner = self.env["res.partner"].create(
            {"name": "Paul Durand", "email": "paul@durand.fr", "phone": "0612345678"}
        )
        self.llm.push(Reply("Je rappelle [NOM_1] au [TEL_1] ou [EMAIL_1]."))
        text = (
            "Bonjour, Paul Durand (paul@durand.fr, 06 12 34 56 78, +33 6 98 76 54 32) "
            "pour la Clio AB-123-CD, VIN VF1RFB00X56789012, code P0301."
        )
        answer = self.ask(text, user=self.assistant)
        self.assertEqual(self.llm.violations, [])
        sent = self.llm.last.text
        for value in (
            "Paul",
            "Durand",
            "paul@durand.fr",
            "AB-123-CD",
            "VF1RFB00X56789012",
        ):
            self.assertNotIn(value, sent)
        self.assertIn("P0301", sent)
        self.assertIn("[TEL_2]", sent)
        # the user reads the values back
        self.assertEqual(
            answer.text, "Je rappelle Paul Durand au 06 12 34 56 78 ou paul@durand.fr."
        )
        usage = self.usage(answer)
        self.assertNotIn("Durand", usage.prompt + usage.answer)
        self.assertIn("phone: 2", usage.redactions)
        self.assertTrue(partner)

    def test_contacts_given_by_the_feature_and_the_user_are_redacted(self):
        client = self.env["res.partner"].create({"name": "Hélène Gérard"})
        self.llm.push(Reply("ok"))
        self.ask(
            "Mme Gérard attend. Signé Claire Assistante",
            user=self.assistant,
            contacts=client,
        )
        sent = self.llm.last.text
        self.assertNotIn("Gérard", sent)
        self.assertNotIn("Claire", sent)

    def test_allowed_kinds_are_sent(self):
        self.feature.write({"keep_phone": True, "keep_email": False})
        self.llm.forbid_personal_data = False
        try:
            self.llm.push(Reply("ok"))
            self.ask("06 12 34 56 78 et paul@durand.fr")
        finally:
            self.llm.forbid_personal_data = True
        self.assertIn("06 12 34 56 78", self.llm.last.text)
        self.assertNotIn("paul@durand.fr", self.llm.last.text)

    def test_trusted_messages_are_sent_as_written(self):
        self.llm.push(Reply("ok"))
        self.Ai._complete(
            "test_feature",
            [
                {"role": "system", "content": "Passage : AB-123-CD", "trusted": True},
                {"role": "user", "content": "AB-123-CD"},
            ],
            fallback="",
        )
        messages = self.llm.last.body["messages"]
        self.assertEqual(
            messages[0], {"role": "system", "content": "Passage : AB-123-CD"}
        )
        self.assertEqual(messages[1]["content"], "[IMMAT_1]")

    def test_budget_exceeded(self):
        self._ai_settings(budget="2")
        self.llm.push(Reply("chère", tokens_in=1000, tokens_out=1000))  # 2 EUR
        self.assertEqual(self.ask().source, "model")
        answer = self.ask()
        self.assertEqual((answer.source, answer.reason), ("offline", "budget"))
        self.assertEqual(len(self.llm.requests), 1)
        self.assertEqual(self.usage(answer).cost, 0)
        # last month's spending does not count
        self.env.cr.execute(
            "UPDATE atelier_ai_usage SET create_date = create_date - interval '40 days'"
        )
        self.assertEqual(self.ask().source, "model")

    def test_offline_provider_sends_nothing(self):
        self._go_offline()
        answer = self.ask("06 12 34 56 78")
        self.assertEqual(
            (answer.text, answer.reason), ("réponse hors ligne", "offline")
        )
        self.assertEqual(self.llm.requests, [])
        usage = self.usage(answer)
        self.assertRecordValues(
            usage, [{"provider": "offline", "outcome": "fallback", "prompt": False}]
        )

    def test_feature_switched_off(self):
        self.feature.enabled = False
        self.assertEqual(self.ask().reason, "disabled")
        self.assertEqual(self.llm.requests, [])
        self.assertFalse(self.Ai._uses_model("test_feature"))

    def test_not_configured(self):
        self._ai_settings(model="")
        self.assertEqual(self.ask().reason, "not_configured")

    def test_unknown_feature_is_a_programming_error(self):
        with self.assertRaises(ValueError):
            self.Ai._complete("nope", [{"role": "user", "content": "x"}])

    def test_test_connection(self):
        self.llm.push(Reply("ok"))
        ok, message = self.Ai._test_connection()
        self.assertTrue(ok)
        self.assertIn("ok", message)
        self.llm.push(Status(401, "Incorrect API key"))
        ok, message = self.Ai._test_connection()
        self.assertFalse(ok)
        self.assertIn("401", message)

    def test_max_tokens_of_the_feature(self):
        self.feature.max_tokens = 300
        self.llm.push(Reply("ok"))
        self.ask()
        self.assertEqual(self.llm.last.body["max_tokens"], 300)
        self.assertEqual(
            json.loads(json.dumps(self.llm.last.body))["model"], "test-model"
        )
