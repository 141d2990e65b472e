# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import time

from odoo.tests import BaseCase, tagged

from ..tools import llm_client
from .llm_server import LlmServer, Raw, Reply, Status, Stream


@tagged("post_install", "-at_install")
class TestLlmClient(BaseCase):
    """The plain client over the real openai SDK and a local server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.llm = LlmServer().start()
        cls.addClassCleanup(cls.llm.stop)

    def setUp(self):
        super().setUp()
        self.llm.reset()
        self.config = llm_client.LlmConfig(
            base_url=self.llm.url,
            model="test-model",
            api_key="sk-test",
            timeout=3,
            retries=2,
            backoff=0.01,
        )

    def complete(self, **kw):
        return llm_client.complete(
            self.config, [{"role": "user", "content": "Bonjour"}], **kw
        )

    def test_answer_tokens_and_key(self):
        self.llm.push(Reply("Salut", tokens_in=12, tokens_out=3))
        reply = self.complete()
        self.assertEqual(
            (reply.text, reply.tokens_in, reply.tokens_out), ("Salut", 12, 3)
        )
        self.assertEqual(reply.attempts, 1)
        self.assertEqual(self.llm.last.headers["authorization"], "Bearer sk-test")
        self.assertEqual(self.llm.last.body["model"], "test-model")

    def test_retry_after_429_and_500(self):
        self.llm.push(Status(429, retry_after=0.05), Status(500), Reply("Enfin"))
        started = time.monotonic()
        reply = self.complete()
        self.assertEqual((reply.text, reply.attempts), ("Enfin", 3))
        self.assertEqual(len(self.llm.requests), 3)
        # the server's Retry-After was honoured
        gap = self.llm.requests[1].at - self.llm.requests[0].at
        self.assertGreaterEqual(gap, 0.05)
        self.assertLess(time.monotonic() - started, 2)

    def test_gives_up_after_the_retries(self):
        self.llm.push(Status(503), Status(502), Status(500), Reply("trop tard"))
        with self.assertRaises(llm_client.LlmFailure) as caught:
            self.complete()
        self.assertEqual(caught.exception.reason, "server_error")
        self.assertEqual(caught.exception.attempts, 3)
        self.assertEqual(self.llm.pending, 1)

    def test_client_errors_are_not_retried(self):
        self.llm.push(Status(401, "bad key"), Reply("jamais"))
        with self.assertRaises(llm_client.LlmFailure) as caught:
            self.complete()
        self.assertEqual(caught.exception.reason, "http_error")
        self.assertIn("401", caught.exception.detail)
        self.assertEqual(len(self.llm.requests), 1)

    def test_no_retry_beyond_the_deadline(self):
        """A Retry-After longer than the time left ends the call at once."""
        self.config.timeout = 1
        self.llm.push(Status(429, retry_after=5), Reply("trop tard"))
        started = time.monotonic()
        with self.assertRaises(llm_client.LlmFailure) as caught:
            self.complete()
        self.assertEqual(caught.exception.reason, "rate_limited")
        self.assertLess(time.monotonic() - started, 0.9)

    def test_timeout(self):
        self.config.timeout = 0.3
        self.llm.push(Reply("trop tard", delay=1.5))
        started = time.monotonic()
        with self.assertRaises(llm_client.LlmFailure) as caught:
            self.complete()
        self.assertEqual(caught.exception.reason, "timeout")
        self.assertLess(time.monotonic() - started, 1.2)

    def test_empty_and_unreadable_answers(self):
        self.llm.push(Reply("   "))
        with self.assertRaises(llm_client.LlmFailure) as caught:
            self.complete()
        self.assertEqual(caught.exception.reason, "empty")
        self.llm.push(Raw(b"<html>proxy error</html>", "text/html"))
        with self.assertRaises(llm_client.LlmFailure):
            self.complete()

    def test_connection_refused(self):
        self.config.base_url = "http://127.0.0.1:9/v1"
        self.config.retries = 0
        with self.assertRaises(llm_client.LlmFailure) as caught:
            self.complete()
        self.assertEqual(caught.exception.reason, "connection")

    def test_stream_deltas_and_usage(self):
        self.llm.push(Stream(["Bon", "jour", " !"], usage=(7, 3)))
        stream = llm_client.LlmStream(self.config, [{"role": "user", "content": "x"}])
        self.assertEqual(list(stream), ["Bon", "jour", " !"])
        self.assertEqual((stream.tokens_in, stream.tokens_out), (7, 3))
        self.assertTrue(self.llm.last.body["stream"])

    def test_stream_retries_before_the_first_delta(self):
        self.llm.push(Status(429), Stream(["ok"]))
        stream = llm_client.LlmStream(self.config, [{"role": "user", "content": "x"}])
        self.assertEqual(stream.attempts, 2)
        self.assertEqual(list(stream), ["ok"])

    def test_stream_cut_in_the_middle(self):
        self.llm.push(Stream(["un ", "deux ", "trois"], cut_after=2))
        stream = llm_client.LlmStream(self.config, [{"role": "user", "content": "x"}])
        received = []
        with self.assertRaises(llm_client.LlmFailure) as caught:
            for delta in stream:
                received.append(delta)
        self.assertEqual(caught.exception.reason, "interrupted")
        self.assertEqual(received, ["un ", "deux "])

    def test_parse_json(self):
        self.assertEqual(llm_client.parse_json('```json\n{"a": 1}\n```'), {"a": 1})
        self.assertEqual(llm_client.parse_json(' {"a": [1]} '), {"a": [1]})
        with self.assertRaises(ValueError):
            llm_client.parse_json("Voici : {a: 1}")
