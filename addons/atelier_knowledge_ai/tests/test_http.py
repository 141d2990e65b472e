# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

from odoo.tests import HttpCase, tagged

from odoo.addons.atelier_ai.tests.common import AtelierAiServerMixin
from odoo.addons.atelier_ai.tests.llm_server import Stream

from .common import parse_events, setup_alex


@tagged("post_install", "-at_install")
class TestHttp(AtelierAiServerMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_alex(cls)

    def setUp(self):
        super().setUp()
        self.llm.reset()

    def post(self, payload, content_type="application/json"):
        body = payload if isinstance(payload, (str, bytes)) else json.dumps(payload)
        return self.url_open(
            "/atelier/alex/ask", data=body, headers={"Content-Type": content_type}
        )

    def test_offline_answer_as_events(self):
        response = self.post({"question": "Que veut dire P0301 ?", "lang": "en_US"})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(
            response.headers["Content-Type"].startswith("text/event-stream")
        )
        events = parse_events(response.text)
        self.assertEqual([e for e, _d in events][0], "meta")
        self.assertEqual(events[-1][0], "done")
        meta, done = events[0][1], events[-1][1]
        self.assertEqual(meta["sources"][0]["url"], "/kb/code/P0301")
        self.assertEqual(meta["mode"], "offline")
        text = "".join(d["text"] for e, d in events if e == "delta")
        self.assertEqual(done["text"], text)
        self.assertIn(1, done["cited"])

    def test_streamed_model_answer(self):
        self._ai_settings()
        self.llm.push(Stream(["Des ratés ", "d'allumage ", "sur le cylindre 1 [1]."]))
        events = parse_events(self.post({"question": "P0301 ?"}).text)
        deltas = [d["text"] for e, d in events if e == "delta"]
        self.assertEqual(
            deltas, ["Des ratés ", "d'allumage ", "sur le cylindre 1 [1]."]
        )
        self.assertEqual(events[0][1]["mode"], "model")
        self.assertEqual(events[-1][1]["cited"], [1])
        # logged once the stream ended, in its own transaction
        self.env.invalidate_all()
        usage = self.env["atelier.ai.usage"].search(
            [("feature_id.code", "=", "alex")], limit=1
        )
        self.assertEqual((usage.outcome, usage.stream), ("ok", True))

    def test_bad_requests(self):
        cases = [
            (self.post("question=P0301", "application/x-www-form-urlencoded"), 415),
            (self.post("{not json"), 400),
            (self.post("[1, 2]"), 400),
            (self.post({"question": ""}), 400),
            (self.post({"question": {"$gt": ""}}), 400),
            (self.post({"question": "x" * 501}), 400),
        ]
        for response, status in cases:
            self.assertEqual(response.status_code, status, response.text)
            self.assertTrue(response.json()["error"])
        response = self.url_open("/atelier/alex/ask")  # GET
        self.assertEqual(response.status_code, 405)

    def test_garbage_history_is_ignored(self):
        response = self.post(
            {"question": "P0301 ?", "history": [1, {"role": "system", "content": "x"}]}
        )
        self.assertEqual(response.status_code, 200)

    def test_visitors_are_rate_limited(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "atelier_knowledge_ai.rate_minute", "2"
        )
        statuses = [self.post({"question": "P0301 ?"}).status_code for _i in range(3)]
        self.assertEqual(statuses, [200, 200, 429])
        response = self.post({"question": "P0301 ?"})
        self.assertEqual(response.headers["Retry-After"], "60")
        self.assertIn("error", response.json())
        # employees are not limited
        self.authenticate(self.assistant.login, self.assistant.login)
        self.assertEqual(self.post({"question": "P0301 ?"}).status_code, 200)

    def test_handoff_route(self):
        def handoff(**params):
            return self.make_jsonrpc_request("/atelier/alex/handoff", params)

        self.assertIn("error", handoff(question="P0301 ?", contact={"name": ""}))
        result = handoff(
            question="P0301 ?", contact={"name": "Jean", "email": "jean@example.com"}
        )
        self.assertEqual(result["kind"], "request")
        self.assertIn("error", handoff(question=None))

    def test_widget_on_the_website(self):
        page = self.url_open("/kb").text
        self.assertIn('name="atelier_knowledge_ai.alex_chat"', page)
        self.env["ir.config_parameter"].sudo().set_param(
            "atelier_knowledge_ai.website", "0"
        )
        self.assertNotIn("atelier_knowledge_ai.alex_chat", self.url_open("/kb").text)
