# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import ClassVar

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged

from odoo.addons.atelier_cti.models.atelier_call import OUTGOING_TIMEOUT_MINUTES
from odoo.addons.atelier_cti.tools.events import parse_body

from .common import AtelierCtiCommon, at, dumps, event


class _FakePbx(BaseHTTPRequestHandler):
    """A PBX originate endpoint on the loopback (a real HTTP server)."""

    received: ClassVar[list] = []
    status = 200

    def do_POST(self):  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        type(self).received.append(json.loads(self.rfile.read(length)))
        self.send_response(type(self).status)
        self.end_headers()
        self.wfile.write(b"queued" if type(self).status < 400 else b"no route")

    def log_message(self, *args):
        pass


@tagged("post_install", "-at_install")
class TestDial(AtelierCtiCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_cti()
        cls.server = HTTPServer(("127.0.0.1", 0), _FakePbx)
        cls.thread = threading.Thread(target=cls.server.serve_forever, daemon=True)
        cls.thread.start()
        cls.addClassCleanup(cls.server.server_close)
        cls.addClassCleanup(cls.server.shutdown)
        cls.pbx_url = f"http://127.0.0.1:{cls.server.server_port}/originate"

    def setUp(self):
        super().setUp()
        _FakePbx.received = []
        _FakePbx.status = 200

    def dial(self, number="06 12 34 56 78", partner=None):
        Call = self.env["atelier.call"].with_user(self.claire)
        return Call.atelier_dial(number, partner.id if partner else False)

    def missed_call(self, number="+33612345678", call_id="dial-missed"):
        Call = self.env["atelier.call"].sudo()
        for kind, seconds in (("ringing", -60), ("missed", -30)):
            answer = Call._cti_process_event(
                self.line,
                parse_body(
                    dumps(event(kind, call_id, at=at(seconds), **{"from": number}))
                ),
            )
        return Call.browse(answer["call_id"])

    def test_tel_link_without_pbx(self):
        result = self.dial()
        self.assertEqual(result["status"], "tel")
        self.assertEqual(result["url"], "tel:+33612345678")
        call = self.env["atelier.call"].browse(result["call_id"])
        self.assertEqual(call.direction, "outbound")
        self.assertEqual(call.caller_number, "+33472000000")
        self.assertEqual(result["call"]["id"], call.id)
        self.assertEqual(result["call"]["direction"], "outbound")
        # the web client stays where it is: a client action hands the tel:
        # link to the browser, never an URL action (Odoo makes it "/tel:…")
        action = self.marie.with_user(self.claire).action_atelier_dial()
        self.assertEqual(action["type"], "ir.actions.client")
        self.assertEqual(action["tag"], "atelier_cti_dial")
        self.assertEqual(action["params"]["url"], "tel:+33612345678")
        self.assertEqual(action["params"]["status"], "tel")

    def test_originate_through_pbx(self):
        self.line.originate_url = self.pbx_url
        self.claire.atelier_cti_extension = "201"
        result = self.dial(partner=self.garage, number="04 78 12 34 56")
        self.assertEqual(result["status"], "originated", result)
        call = self.env["atelier.call"].browse(result["call_id"])
        self.assertEqual(call.partner_id, self.garage)
        self.assertEqual(len(_FakePbx.received), 1)
        sent = _FakePbx.received[0]
        self.assertEqual(sent["to"], "+33478123456")
        self.assertEqual(sent["extension"], "201")
        self.assertEqual(sent["call_id"], call.provider_call_id)
        action = self.garage.with_user(self.claire).action_atelier_dial()
        self.assertEqual(action["tag"], "atelier_cti_dial")
        self.assertEqual(action["params"]["status"], "originated")
        self.assertIn("+33478123456", action["params"]["message"])

    def test_pbx_refuses(self):
        self.line.originate_url = self.pbx_url
        _FakePbx.status = 503
        result = self.dial()
        self.assertEqual(result["status"], "error")
        self.assertIn("HTTP 503", result["message"])
        self.assertIn("no route", result["message"])
        call = self.env["atelier.call"].browse(result["call_id"])
        self.assertEqual(call.state, "failed")
        self.assertTrue(call.end_at)
        action = self.marie.with_user(self.claire).action_atelier_dial()
        self.assertEqual(action["params"]["status"], "error")
        self.assertIn("HTTP 503", action["params"]["message"])

    def test_pbx_unreachable(self):
        port = self.server.server_port
        self.line.originate_url = (
            f"http://127.0.0.1:{port + 1 if port < 65535 else 1}/x"
        )
        result = self.dial()
        self.assertEqual(result["status"], "error")
        self.assertIn("could not be reached", result["message"])

    def test_bad_number_and_no_number(self):
        with self.assertRaises(UserError):
            self.dial("call me")
        nobody = self.env["res.partner"].create({"name": "No Phone"})
        with self.assertRaises(UserError):
            nobody.with_user(self.claire).action_atelier_dial()

    def test_no_line(self):
        self.line.active = False
        with self.assertRaises(UserError):
            self.dial()

    # ------------------------------------------------------------------
    # When a missed call counts as called back (issue #10, item 1)
    # ------------------------------------------------------------------
    def test_tel_dial_closes_the_call_back_only_once_logged(self):
        missed = self.missed_call()
        result = missed.with_user(self.claire).action_call_back()
        self.assertEqual(result["tag"], "atelier_cti_dial")
        outgoing = self.env["atelier.call"].browse(result["params"]["call_id"])
        self.assertEqual(outgoing.state, "ringing")
        # the browser was handed a tel: link: nobody knows yet if it rang
        self.assertFalse(missed.callback_done)
        self.assertTrue(missed.callback_activity_id.active)
        self.assertEqual(missed.callback_call_id, outgoing)
        outgoing.with_user(self.claire).atelier_log_outcome("information")
        self.assertTrue(missed.callback_done)
        self.assertFalse(missed.callback_activity_id.active)
        self.assertEqual(outgoing.state, "ended")

    def test_tel_dial_no_answer_logged(self):
        missed = self.missed_call()
        result = self.dial()
        outgoing = self.env["atelier.call"].browse(result["call_id"])
        outgoing.with_user(self.claire).atelier_log_outcome("no_answer")
        self.assertEqual(outgoing.state, "no_answer")
        self.assertTrue(outgoing.end_at)
        # she did call back: the client knows they were called
        self.assertTrue(missed.callback_done)

    def test_originate_accepted_closes_the_call_back(self):
        missed = self.missed_call()
        self.line.originate_url = self.pbx_url
        self.dial()
        self.assertTrue(missed.callback_done)

    def test_originate_refused_keeps_the_call_back(self):
        missed = self.missed_call()
        self.line.originate_url = self.pbx_url
        _FakePbx.status = 500
        self.dial()
        self.assertFalse(missed.callback_done)
        self.assertFalse(missed.callback_call_id.callback_done)
        self.assertTrue(missed.callback_activity_id.active)

    def test_telephony_event_of_the_outgoing_call_closes_the_call_back(self):
        missed = self.missed_call()
        result = self.dial()
        outgoing = self.env["atelier.call"].browse(result["call_id"])
        Call = self.env["atelier.call"].sudo()
        numbers = {"from": "+33472000000", "to": "+33612345678"}
        Call._cti_process_event(
            self.line,
            parse_body(
                dumps(event("ringing", outgoing.provider_call_id, at=at(), **numbers))
            ),
        )
        self.assertTrue(missed.callback_done)
        # nobody picked up: no answer, and no call-back for the line's owner
        Call._cti_process_event(
            self.line,
            parse_body(
                dumps(event("missed", outgoing.provider_call_id, at=at(20), **numbers))
            ),
        )
        self.assertEqual(outgoing.state, "no_answer")
        self.assertFalse(outgoing.callback_activity_id)

    def test_outgoing_call_without_news_ends_after_the_timeout(self):
        stale = self.env["atelier.call"].browse(self.dial()["call_id"])
        fresh = self.env["atelier.call"].browse(self.dial()["call_id"])
        incoming = self.missed_call()
        ringing_in = self.env["atelier.call"].browse(
            self.env["atelier.call"]
            .sudo()
            ._cti_process_event(self.line, parse_body(dumps(event("ringing"))))[
                "call_id"
            ]
        )
        timeout = timedelta(minutes=OUTGOING_TIMEOUT_MINUTES)
        long_ago = fields.Datetime.now() - timeout - timedelta(minutes=1)
        stale.start_at = ringing_in.start_at = long_ago
        self.env["atelier.call"]._cron_end_stale_outgoing_calls()
        self.assertEqual(stale.state, "no_answer")
        self.assertTrue(stale.end_at)
        self.assertIn("No news", stale.message_ids[:1].body)
        self.assertEqual(fresh.state, "ringing")
        self.assertEqual(incoming.state, "missed")
        # an incoming call is ended by the PBX's own events
        self.assertEqual(ringing_in.state, "ringing")
        cron = self.env.ref("atelier_cti.ir_cron_end_stale_outgoing_calls")
        self.assertTrue(cron.active)


@tagged("post_install", "-at_install")
class TestDialRights(AtelierCtiCommon, TransactionCase):
    """Who may dial what (issue #10, item 22): a dial costs money and closes
    call-backs, so it is checked before anything runs as superuser."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_cti()
        Call = cls.env["atelier.call"].sudo()
        for kind in ("ringing", "missed"):
            answer = Call._cti_process_event(
                cls.line,
                parse_body(
                    dumps(event(kind, "rights-missed", **{"from": "0612345678"}))
                ),
            )
        cls.missed = Call.browse(answer["call_id"])
        # a call routed to Gaëtan, from the garage
        workshop = cls.line.copy({"code": "workshop", "user_ids": cls.gaetan.ids})
        answer = Call._cti_process_event(
            workshop,
            parse_body(dumps(event("ringing", "rights-own", **{"from": "0478123456"}))),
        )
        cls.gaetan_call = Call.browse(answer["call_id"])

    def outgoing_count(self):
        return self.env["atelier.call"].search_count([("direction", "=", "outbound")])

    def assertRefused(self, user, number, **kwargs):
        before = self.outgoing_count()
        with self.assertRaises(AccessError):
            self.env["atelier.call"].with_user(user).atelier_dial(number, **kwargs)
        self.assertEqual(self.outgoing_count(), before)
        self.assertFalse(self.missed.callback_done)
        self.assertFalse(self.missed.callback_call_id)

    def test_portal_coach_and_technical_users_cannot_dial(self):
        for user in (self.portal, self.coach, self.bridge):
            with self.subTest(user=user.login):
                self.assertRefused(user, "06 12 34 56 78")
                self.assertRefused(user, "06 12 34 56 78", partner_id=self.marie.id)
                with self.assertRaises(AccessError):
                    self.missed.with_user(user).action_call_back()
                with self.assertRaises(AccessError):
                    self.marie.with_user(user).action_atelier_dial()

    def test_technician_dials_only_numbers_he_can_read(self):
        # typed by hand: any number, a premium-rate one included
        self.assertRefused(self.gaetan, "08 99 23 45 67")
        # a contact's number, but not this contact's
        self.assertRefused(self.gaetan, "08 99 23 45 67", partner_id=self.marie.id)
        # a call he cannot read (the front desk's)
        self.assertRefused(self.gaetan, "06 12 34 56 78", call_id=self.missed.id)
        with self.assertRaises(AccessError):
            self.missed.with_user(self.gaetan).action_call_back()
        # nor through the contact's button with another number in context
        with self.assertRaises(AccessError):
            self.marie.with_user(self.gaetan).with_context(
                atelier_dial_number="08 99 23 45 67"
            ).action_atelier_dial()
        # a contact's own number, or the number of his own call: fine
        Call = self.env["atelier.call"].with_user(self.gaetan)
        result = Call.atelier_dial("06 12 34 56 78", partner_id=self.marie.id)
        self.assertEqual(result["status"], "tel")
        result = Call.atelier_dial("04 78 12 34 56", call_id=self.gaetan_call.id)
        self.assertEqual(result["status"], "tel")
        action = self.gaetan_call.with_user(self.gaetan).action_call_back()
        self.assertEqual(action["tag"], "atelier_cti_dial")
        # his dials do not touch the front desk's call-backs he cannot see
        self.assertFalse(self.missed.callback_call_id)

    def test_assistant_dials_typed_numbers(self):
        result = (
            self.env["atelier.call"]
            .with_user(self.claire)
            .atelier_dial("08 99 23 45 67")
        )
        self.assertEqual(result["status"], "tel")
        call = self.env["atelier.call"].browse(result["call_id"])
        self.assertEqual(call.user_id, self.claire)
        self.assertEqual(call.callee_number, "+33899234567")
