# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged

from .common import CareerCase, make_learner


class Receiver:
    """A real HTTP endpoint on 127.0.0.1 that records what it receives and
    answers with the statuses it is told."""

    def __init__(self):
        self.received = []
        self.statuses = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                owner.received.append((dict(self.headers), body))
                status = owner.statuses.pop(0) if owner.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@tagged("post_install", "-at_install")
class TestWebhooks(CareerCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.receiver = Receiver()
        cls.addClassCleanup(cls.receiver.stop)
        cls.env["ir.config_parameter"].sudo().set_param(
            "atelier_career.webhook_allow_private", "1"
        )
        cls.manager = new_test_user(
            cls.env,
            login="career_team_manager",
            groups="base.group_portal",
            name="Chef RH",
        )
        cls.member = make_learner(cls.env, "career_member", "Lucas Fontaine")
        cls.company = cls.env["res.partner"].create(
            {"name": "Garage du Rhône", "is_company": True}
        )
        cls.subscription = cls.env["atelier.career.subscription"].create(
            {
                "plan_id": cls.pro.id,
                "holder": "company",
                "company_partner_id": cls.company.id,
                "manager_user_id": cls.manager.id,
                "member_ids": [(6, 0, cls.member.ids)],
            }
        )
        cls.webhook = cls.env["atelier.career.webhook"].create(
            {
                "name": "RH",
                "subscription_id": cls.subscription.id,
                "owner_id": cls.manager.id,
                "url": cls.receiver.url,
                "max_failures": 3,
            }
        )

    def setUp(self):
        super().setUp()
        self.receiver.received.clear()
        self.receiver.statuses.clear()

    def finish_session(self):
        session = self.start(user=self.member)
        session.action_answer(
            "J'ai mesuré la tension au multimètre : 12 V, puis expliqué au client."
        )
        session.action_end()
        return session

    def deliver(self):
        return self.env["atelier.career.webhook.delivery"]._cron_deliver()

    def test_events_are_signed_like_the_call_events_api(self):
        session = self.finish_session()
        deliveries = self.deliver()
        self.assertEqual(len(deliveries), 2)
        self.assertEqual(set(deliveries.mapped("state")), {"done"})
        events = []
        for headers, body in self.receiver.received:
            timestamp = headers["X-Atelier-Timestamp"]
            expected = (
                "sha256="
                + hmac.new(
                    self.webhook.secret.encode(),
                    timestamp.encode() + b"." + body,
                    hashlib.sha256,
                ).hexdigest()
            )
            self.assertTrue(
                hmac.compare_digest(headers["X-Atelier-Signature"], expected)
            )
            payload = json.loads(body)
            self.assertEqual(payload["session"], session.id)
            self.assertNotIn("transcript", payload)
            events.append(payload["event"])
        self.assertEqual(sorted(events), ["session.finished", "synthesis.ready"])
        ready = next(
            json.loads(b) for _h, b in self.receiver.received if b"synthesis.ready" in b
        )
        self.assertEqual(len(ready["scores"]), len(self.chef.criterion_ids))

    def test_retries_with_back_off_then_disables_and_notifies(self):
        self.receiver.statuses[:] = [500, 500, 503]
        now = fields.Datetime.now()
        with freeze_time(now):
            self.finish_session()
            self.deliver()
        deliveries = self.webhook.delivery_ids
        self.assertEqual(set(deliveries.mapped("state")), {"pending"})
        self.assertEqual(deliveries.mapped("attempts"), [1, 1])
        self.assertEqual(self.webhook.failure_count, 2)
        first_delay = deliveries[0].next_attempt - now
        self.assertEqual(first_delay, timedelta(minutes=1))
        with freeze_time(now + timedelta(seconds=30)):
            self.assertFalse(self.deliver(), "not before the back-off")
        with freeze_time(now + timedelta(minutes=1, seconds=1)):
            self.deliver()
        self.assertFalse(self.webhook.active, "disabled after 3 failures in a row")
        self.assertIn("3", self.webhook.disabled_reason)
        self.assertTrue(
            any(
                d.next_attempt - now >= timedelta(minutes=6)
                for d in deliveries
                if d.attempts == 2
            )
        )
        notice = self.env["mail.message"].search(
            [
                ("model", "=", "atelier.career.webhook"),
                ("res_id", "=", self.webhook.id),
            ],
            order="id desc",
            limit=1,
        )
        self.assertIn(self.manager.partner_id, notice.partner_ids)
        self.assertIn(self.receiver.url, notice.body)
        count = len(self.receiver.received)
        with freeze_time(now + timedelta(days=1)):
            self.deliver()
        self.assertEqual(
            len(self.receiver.received), count, "a disabled endpoint gets nothing"
        )
        self.webhook.action_enable()
        self.assertEqual(self.webhook.failure_count, 0)
        with freeze_time(now + timedelta(days=1)):
            self.deliver()
        self.assertEqual(set(self.webhook.delivery_ids.mapped("state")), {"done"})

    def test_starter_sessions_send_nothing(self):
        self.subscription.plan_id = self.starter
        self.finish_session()
        self.assertFalse(self.webhook.delivery_ids)

    def test_private_targets_are_refused_by_default(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "atelier_career.webhook_allow_private", ""
        )
        with self.assertRaises(ValidationError):
            self.webhook.url = "http://127.0.0.1:8069/hook"
        with self.assertRaises(ValidationError):
            self.webhook.url = "ftp://example.com/hook"
