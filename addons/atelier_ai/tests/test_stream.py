# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import AtelierAiCase
from .llm_server import Status, Stream


@tagged("post_install", "-at_install")
class TestStream(AtelierAiCase):
    def stream(self, content="Bonjour", **kw):
        kw.setdefault("fallback", "passages hors ligne")
        return self.Ai.with_user(self.assistant)._complete(
            "test_feature", [{"role": "user", "content": content}], stream=True, **kw
        )

    def last_usage(self):
        self.env.invalidate_all()
        return self.Usage.search([], limit=1)

    def test_deltas_are_streamed_restored_and_logged(self):
        self.llm.push(Stream(["Je rappelle [T", "EL_1] ", "demain."], usage=(40, 6)))
        deltas = list(self.stream("Rappelez le 06 12 34 56 78"))
        self.assertEqual("".join(deltas), "Je rappelle 06 12 34 56 78 demain.")
        self.assertGreater(len(deltas), 1)
        self.assertEqual(self.llm.violations, [])
        body = self.llm.last.body
        self.assertTrue(body["stream"])
        self.assertTrue(body["stream_options"]["include_usage"])
        usage = self.last_usage()
        self.assertRecordValues(
            usage,
            [
                {
                    "stream": True,
                    "outcome": "ok",
                    "tokens_in": 40,
                    "tokens_out": 6,
                    "answer": "Je rappelle [TEL_1] demain.",
                    "user_id": self.assistant.id,
                }
            ],
        )

    def test_refused_stream_gives_the_offline_answer(self):
        self._ai_settings(retries="0")
        self.llm.push(Status(500))
        self.assertEqual(list(self.stream()), ["passages hors ligne"])
        usage = self.last_usage()
        self.assertEqual(
            (usage.outcome, usage.fallback_reason), ("fallback", "server_error")
        )

    def test_stream_retried_after_429(self):
        self.llm.push(Status(429), Stream(["ok"]))
        self.assertEqual("".join(self.stream()), "ok")
        self.assertEqual(self.last_usage().attempts, 2)

    def test_interrupted_stream_ends_with_the_offline_answer(self):
        self.llm.push(Stream(["Le code ", "P0301 ", "signifie"], cut_after=2))
        text = "".join(self.stream())
        self.assertTrue(text.startswith("Le code P0301 "))
        self.assertTrue(text.endswith("passages hors ligne"))
        usage = self.last_usage()
        self.assertEqual(usage.fallback_reason, "interrupted")
        self.assertEqual(usage.answer, "Le code P0301 ")

    def test_late_stream_times_out(self):
        self._ai_settings(timeout="0.3")
        self.llm.push(Stream(["trop tard"], delay=1.5))
        self.assertEqual(list(self.stream()), ["passages hors ligne"])
        self.assertEqual(self.last_usage().fallback_reason, "timeout")

    def test_empty_stream(self):
        self.llm.push(Stream([]))
        self.assertEqual("".join(self.stream()), "passages hors ligne")
        self.assertEqual(self.last_usage().fallback_reason, "empty")

    def test_offline_stream(self):
        self._go_offline()
        self.assertEqual(list(self.stream()), ["passages hors ligne"])
        self.assertEqual(self.llm.requests, [])
        self.assertEqual(self.last_usage().fallback_reason, "offline")

    def test_schema_cannot_stream(self):
        with self.assertRaises(ValueError):
            self.stream(schema={"type": "object"})
