# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
import time
from unittest.mock import patch

from odoo.exceptions import ValidationError
from odoo.tests import BaseCase, HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.atelier_cti.controllers.main import AtelierCtiController
from odoo.addons.atelier_cti.tools.events import CtiEventError, check_signature, sign

from .common import URL, AtelierCtiCommon, at, dumps, event, signed_headers


@tagged("post_install", "-at_install")
class TestEventsController(AtelierCtiCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_cti()
        cls.Call = cls.env["atelier.call"]
        cls.Event = cls.env["atelier.call.event"]

    def post(self, payload=None, body=None, headers=None, **sign_kw):
        body = dumps(payload) if body is None else body
        hdrs = signed_headers(body, **sign_kw)
        hdrs.update(headers or {})
        return self.url_open(URL, data=body, headers=hdrs)

    def counts(self):
        self.env.invalidate_all()
        return (
            self.Call.search_count([]),
            self.Event.search_count([]),
            self.env["mail.activity"].search_count([]),
        )

    def assertRefused(self, response, status, fragment):
        self.assertEqual(response.status_code, status, response.text)
        self.assertEqual(
            response.headers["Content-Type"].split(";")[0], "application/json"
        )
        self.assertIn(fragment, response.json()["error"])

    # ------------------------------------------------------------------
    # Accepted events
    # ------------------------------------------------------------------
    def test_ringing_known_caller(self):
        response = self.post(event("ringing", call_id="c-1", **{"from": "0612345678"}))
        self.assertEqual(response.status_code, 200, response.text)
        data = response.json()
        call = self.Call.browse(data["call_id"])
        self.assertEqual(data["partner_ids"], [self.marie.id])
        self.assertEqual(call.partner_id, self.marie)
        self.assertEqual(call.caller_number, "+33612345678")
        self.assertEqual(call.callee_number, "+33472000000")
        self.assertEqual(call.state, "ringing")
        self.assertEqual(call.direction, "inbound")
        self.assertEqual(call.provider, "asterisk")
        self.assertEqual(call.provider_call_id, "c-1")
        self.assertEqual(call.routed_user_ids, self.claire | self.assistant2)

    def test_ringing_sends_bus_message_to_routed_users(self):
        self.post(event("ringing", call_id="c-bus", **{"from": "+33478123456"}))
        self.env.invalidate_all()
        notifs = (
            self.env["bus.bus"].sudo().search([("message", "like", "atelier_cti/call")])
        )
        channels = [json.loads(channel)[1:] for channel in notifs.mapped("channel")]
        self.assertCountEqual(
            channels,
            [
                ["res.partner", user.partner_id.id]
                for user in (self.claire, self.assistant2)
            ],
        )
        message = json.loads(notifs[:1].message)
        self.assertEqual(message["payload"]["partner_id"], self.garage.id)
        self.assertEqual(message["payload"]["state"], "ringing")

    def test_answer_carries_server_timing(self):
        response = self.post(event("ringing"))
        self.assertEqual(response.status_code, 200)
        name, duration = response.headers["Server-Timing"].split(";")
        self.assertEqual(name, "app")
        self.assertGreater(float(duration.removeprefix("dur=")), 0)
        refused = self.post(event("ringing"), secret="not-the-secret")
        self.assertIn("app;dur=", refused.headers["Server-Timing"])

    def test_hot_path_writes_no_chatter(self):
        """Events update the call without tracking messages (request path)."""
        response = self.post(event("ringing", "c-quiet", at=at(-30)))
        self.post(event("answered", "c-quiet", at=at(-20), agent="claire_cti"))
        self.post(event("hangup", "c-quiet", at=at(-5)))
        call = self.Call.browse(response.json()["call_id"])
        self.assertEqual(call.state, "ended")
        self.assertEqual(call.user_id, self.claire)
        self.assertFalse(call.message_ids)

    def test_route_is_sessionless_and_writes(self):
        """auth="none" routes get a read-only cursor unless told otherwise."""
        routing = AtelierCtiController.cti_events.original_routing
        self.assertEqual(routing["auth"], "none")
        self.assertIs(routing["readonly"], False)
        self.assertFalse(routing["save_session"])

    def test_unknown_caller(self):
        response = self.post(event("ringing", **{"from": self.unknown_number}))
        self.assertEqual(response.status_code, 200)
        call = self.Call.browse(response.json()["call_id"])
        self.assertEqual(response.json()["partner_ids"], [])
        self.assertFalse(call.partner_id)
        self.assertEqual(call.partner_number, "+33478554433")

    def test_shared_number_gives_candidates(self):
        response = self.post(event("ringing", **{"from": "0478998877"}))
        data = response.json()
        self.assertEqual(
            sorted(data["partner_ids"]), sorted((self.shared_a | self.shared_b).ids)
        )
        call = self.Call.browse(data["call_id"])
        self.assertFalse(call.partner_id)
        self.assertEqual(call.candidate_partner_ids, self.shared_a | self.shared_b)

    def test_withheld_number(self):
        response = self.post(event("ringing", **{"from": "anonymous"}))
        self.assertEqual(response.status_code, 200)
        call = self.Call.browse(response.json()["call_id"])
        self.assertFalse(call.caller_number)
        self.assertEqual(response.json()["partner_ids"], [])

    def test_unusual_caller_ids_are_logged_raw(self):
        """Whatever the network gave the PBX is a call: logged with the raw
        number, popped up as an unknown caller, called back when missed."""
        numbers = ("07 11 22 33 44", "+33 1", "sip:front@pbx.local", "3")
        for index, number in enumerate(numbers):
            with self.subTest(number=number):
                call_id = f"odd-{index}"
                response = self.post(event("ringing", call_id, **{"from": number}))
                self.assertEqual(response.status_code, 200, response.text)
                self.assertEqual(response.json()["partner_ids"], [])
                call = self.Call.browse(response.json()["call_id"])
                self.assertEqual(call.caller_number, number)
                self.assertEqual(call.partner_number, number)
                self.assertEqual(call.direction, "inbound")
                self.assertFalse(call.partner_id)
                self.post(event("missed", call_id, **{"from": number}))
                self.assertEqual(call.state, "missed")
                self.assertTrue(call.callback_activity_id)
        # the pop-up reached the routed users, as for any unknown caller
        self.env.invalidate_all()
        messages = (
            self.env["bus.bus"].sudo().search([("message", "like", "07 11 22 33 44")])
        )
        self.assertEqual(len(messages), 4)  # ringing and missed, two users
        self.assertFalse(json.loads(messages[0].message)["payload"]["partner_id"])

    def test_withheld_and_odd_callee_numbers(self):
        for caller in ("", None):
            response = self.post(event("ringing", **{"from": caller}))
            self.assertEqual(response.status_code, 200, response.text)
            call = self.Call.browse(response.json()["call_id"])
            self.assertFalse(call.caller_number)
            self.assertFalse(call.partner_id)
        payload = event("ringing")
        del payload["from"]
        self.assertEqual(self.post(payload).status_code, 200)
        response = self.post(event("ringing", to="+33 1"))
        self.assertEqual(response.status_code, 200, response.text)
        call = self.Call.browse(response.json()["call_id"])
        self.assertEqual(call.callee_number, "+33 1")
        self.assertEqual(call.partner_id, self.marie)

    def test_full_call_in_order(self):
        self.post(event("ringing", "c-2", at=at(-60)))
        self.post(event("answered", "c-2", at=at(-50), agent="gaetan_cti"))
        response = self.post(
            event(
                "hangup",
                "c-2",
                at=at(-20),
                recording_url="https://pbx.example.com/r/1.wav",
            )
        )
        call = self.Call.browse(response.json()["call_id"])
        self.assertEqual(call.state, "ended")
        self.assertEqual(call.user_id, self.gaetan)
        self.assertEqual(call.duration, 30)
        self.assertEqual(call.recording_url, "https://pbx.example.com/r/1.wav")
        self.assertEqual(len(call.event_ids), 3)
        self.assertFalse(call.callback_activity_id)

    def test_hangup_before_answered(self):
        """Out of order: the call ends answered, without a call-back."""
        first = self.post(event("hangup", "c-3", at=at(-10)))
        call = self.Call.browse(first.json()["call_id"])
        self.assertEqual(call.state, "missed")
        self.assertTrue(call.callback_activity_id)
        self.post(event("answered", "c-3", at=at(-40), agent="204"))
        self.post(event("ringing", "c-3", at=at(-45)))
        self.env.invalidate_all()
        self.assertEqual(call.state, "ended")
        self.assertEqual(call.user_id, self.gaetan)
        self.assertEqual(call.duration, 30)
        self.assertEqual(call.start_at.isoformat() + "+00:00", at(-45))
        self.assertFalse(call.callback_activity_id)
        self.assertFalse(self.marie.activity_ids)

    def test_missed_creates_call_back_activity(self):
        self.post(event("ringing", "c-4", at=at(-30)))
        response = self.post(event("missed", "c-4", at=at(-5)))
        call = self.Call.browse(response.json()["call_id"])
        self.assertEqual(call.state, "missed")
        activity = self.marie.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(
            activity.activity_type_id, self.env.ref("mail.mail_activity_data_call")
        )
        self.assertEqual(activity.user_id, self.claire)
        self.assertEqual(call.callback_activity_id, activity)

    # ------------------------------------------------------------------
    # Idempotency
    # ------------------------------------------------------------------
    def test_replayed_request_changes_nothing(self):
        body = dumps(event("ringing", "c-5", event_id="ev-5"))
        headers = signed_headers(body)
        first = self.url_open(URL, data=body, headers=headers)
        before = self.counts()
        call = self.Call.browse(first.json()["call_id"])
        write_date = call.write_date
        second = self.url_open(URL, data=body, headers=headers)
        self.assertEqual(second.status_code, 200)
        self.assertEqual(second.json(), first.json())
        self.assertEqual(self.counts(), before)
        self.assertEqual(call.write_date, write_date)

    def test_duplicate_event_id_with_other_content(self):
        first = self.post(event("ringing", "c-6", event_id="ev-6"))
        before = self.counts()
        second = self.post(event("hangup", "c-6", event_id="ev-6"))
        self.assertEqual(second.json(), first.json())
        self.assertEqual(self.counts(), before)
        self.assertEqual(self.Call.browse(first.json()["call_id"]).state, "ringing")

    def test_same_event_id_on_two_lines(self):
        other = self.line.copy(
            {"code": "other", "provider": "cloud", "secret": "other-secret-0123456789"}
        )
        first = self.post(event("ringing", "c-7", event_id="ev-7"))
        second = self.post(
            event("ringing", "c-7", event_id="ev-7"),
            line="other",
            secret="other-secret-0123456789",
        )
        self.assertEqual(second.status_code, 200)
        self.assertNotEqual(first.json()["call_id"], second.json()["call_id"])
        self.assertEqual(self.Call.browse(second.json()["call_id"]).line_id, other)

    # ------------------------------------------------------------------
    # Refusals
    # ------------------------------------------------------------------
    def test_signature_wrong(self):
        before = self.counts()
        body = dumps(event())
        headers = signed_headers(body, secret="not-the-secret")
        self.assertRefused(
            self.url_open(URL, data=body, headers=headers), 401, "signature"
        )
        # signed over another body
        headers = signed_headers(dumps(event()))
        self.assertRefused(
            self.url_open(URL, data=body, headers=headers), 401, "signature"
        )
        self.assertEqual(self.counts(), before)

    def test_signature_missing(self):
        body = dumps(event())
        response = self.url_open(
            URL,
            data=body,
            headers={"X-Atelier-Line": "front", "Content-Type": "application/json"},
        )
        self.assertRefused(response, 401, "X-Atelier-Signature")

    def test_unknown_line(self):
        self.assertRefused(self.post(event(), line="nope"), 401, "X-Atelier-Line")
        body = dumps(event())
        headers = signed_headers(body)
        del headers["X-Atelier-Line"]
        self.assertRefused(
            self.url_open(URL, data=body, headers=headers), 401, "X-Atelier-Line"
        )

    def test_line_without_secret(self):
        self.line.secret = False
        self.assertRefused(self.post(event()), 401, "no secret")

    def test_expired_and_future_timestamps(self):
        before = self.counts()
        # margins of 20 s around the 5-minute window: a slow test server takes
        # seconds between our clock and its (the exact bounds are tested on
        # check_signature with a fixed now)
        now = int(time.time())
        self.assertRefused(self.post(event(), timestamp=now - 320), 401, "5 minutes")
        self.assertRefused(self.post(event(), timestamp=now + 320), 401, "5 minutes")
        self.assertRefused(self.post(event(), timestamp="12ab"), 401, "unix seconds")
        self.assertEqual(self.counts(), before)
        # inside the window: accepted
        self.assertEqual(self.post(event(), timestamp=now - 280).status_code, 200)

    def test_malformed_json(self):
        self.assertRefused(self.post(body=b'{"event_id": '), 400, "Malformed JSON")
        self.assertRefused(self.post(body=b"\xff\xfe"), 400, "Malformed JSON")
        self.assertRefused(self.post(body=b"[1, 2]"), 400, "JSON object")

    def test_missing_fields(self):
        for field in ("event_id", "event", "call_id", "to", "at"):
            payload = event()
            del payload[field]
            response = self.post(payload)
            self.assertRefused(response, 400, "Missing field")
            self.assertIn(field, response.json()["error"])

    def test_bad_values(self):
        before = self.counts()
        self.assertRefused(self.post(event("transferred")), 400, "'event'")
        self.assertRefused(self.post(event(at="yesterday")), 400, "'at'")
        self.assertRefused(self.post(event(**{"from": ["06"]})), 400, "'from'")
        self.assertRefused(self.post(event(**{"from": "06\x0012"})), 400, "'from'")
        self.assertRefused(self.post(event(to="x" * 65)), 400, "'to'")
        self.assertRefused(self.post(event(event_id="a b")), 400, "'event_id'")
        self.assertRefused(
            self.post(event(recording_url="javascript:x")), 400, "recording_url"
        )
        self.assertRefused(self.post(event(agent=42)), 400, "'agent'")
        self.assertEqual(self.counts(), before)

    def test_body_too_large(self):
        payload = event(notes="x" * (64 * 1024))
        self.assertRefused(self.post(payload), 413, "64 KiB")
        self.assertEqual(self.Call.search_count([]), 0)

    def test_rate_limit(self):
        self.line.rate_limit = 2
        self.assertEqual(self.post(event()).status_code, 200)
        self.assertEqual(self.post(event()).status_code, 200)
        before = self.counts()
        self.assertRefused(self.post(event()), 429, "Rate limit")
        self.assertEqual(self.counts(), before)

    def test_errors_around_the_controller_are_json(self):
        """A failure after the controller's own checks (a constraint at
        commit, an unexpected error) still answers JSON, with a status that
        tells the sender whether to retry, and stores nothing."""
        Call = self.registry["atelier.call"]
        before = self.counts()
        cases = [
            (ValidationError("A constraint refused the event."), 422, "constraint"),
            (ZeroDivisionError("boom"), 500, "send it again"),
        ]
        for error, status, fragment in cases:
            with (
                self.subTest(error=type(error).__name__),
                patch.object(Call, "_cti_process_event", side_effect=error),
                mute_logger("odoo.http"),
            ):
                self.assertRefused(self.post(event()), status, fragment)
        self.assertEqual(self.counts(), before)

    def test_get_not_allowed(self):
        with mute_logger("odoo.http"):
            response = self.url_open(URL)
        self.assertEqual(response.status_code, 405)


@tagged("post_install", "-at_install")
class TestSignatureWindow(BaseCase):
    """The exact bounds of the 5-minute window, on a fixed clock."""

    def check(self, timestamp, now=1_800_000_000):
        body = b'{"event_id": "w"}'
        check_signature(
            "secret", str(timestamp), sign("secret", timestamp, body), body, now=now
        )

    def test_window_bounds(self):
        now = 1_800_000_000
        for timestamp in (now - 300, now, now + 300):
            self.check(timestamp)
        for timestamp in (now - 301, now + 301):
            with self.assertRaises(CtiEventError) as caught:
                self.check(timestamp)
            self.assertEqual(caught.exception.status, 401)
            self.assertIn("5 minutes", caught.exception.message)
