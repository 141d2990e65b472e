# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

from psycopg2 import errors as pg_errors

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.atelier_cti.tools.events import CtiEventError, parse_body

from .common import AtelierCtiCommon, at, dumps, event


@tagged("post_install", "-at_install")
class TestCallModel(AtelierCtiCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_cti()
        cls.Call = cls.env["atelier.call"].sudo()

    def process(self, payload, line=None):
        data = parse_body(dumps(payload))
        return self.Call._cti_process_event(line or self.line, data)

    def missed_call(self, number="+33612345678", call_id="m-1"):
        self.process(event("ringing", call_id, at=at(-60), **{"from": number}))
        answer = self.process(event("missed", call_id, at=at(-30), **{"from": number}))
        return self.Call.browse(answer["call_id"])

    def test_direction_outbound_from_line_number(self):
        answer = self.process(
            event("ringing", **{"from": "+33472000000", "to": "06 12 34 56 78"})
        )
        call = self.Call.browse(answer["call_id"])
        self.assertEqual(call.direction, "outbound")
        self.assertEqual(call.partner_id, self.marie)
        self.assertEqual(call.partner_number, "+33612345678")

    def test_internal_extension_caller_is_outbound(self):
        answer = self.process(event("ringing", **{"from": "204", "to": "0478123456"}))
        call = self.Call.browse(answer["call_id"])
        self.assertEqual(call.direction, "outbound")
        self.assertEqual(call.partner_id, self.garage)

    def test_event_call_hour_of_day_in_owner_timezone(self):
        """The call row is INSERTed raw: its stored computes must still run."""
        answer = self.process(event("ringing", "h-1", at="2026-01-10T09:30:00Z"))
        # 10:30 in Paris (the line owner's tz), as the report groups it
        self.assertEqual(
            self.Call._read_group(
                [("id", "=", answer["call_id"])], ["hour"], ["__count"]
            ),
            [(10, 1)],
        )

    def test_inserted_call_matches_the_computes(self):
        """A new call is INSERTed with its stored computes: the same values as
        the ORM computes from the call's own fields."""
        self.line.owner_id.tz = "America/New_York"
        payloads = [
            event("ringing", "cmp-known", at="2026-01-10T23:30:00Z"),
            event("ringing", "cmp-unknown", **{"from": self.unknown_number}),
            event("ringing", "cmp-shared", **{"from": "04 78 99 88 77"}),
            event("ringing", "cmp-withheld", **{"from": "anonymous"}),
            event("ringing", "cmp-out", **{"from": "204", "to": "0478123456"}),
        ]
        computed = ["name", "partner_number", "hour", "duration", "missed_rate"]
        computed += ["callback_delay"]
        inputs = ["line_id", "direction", "caller_number", "callee_number"]
        inputs += ["partner_id", "state", "start_at", "answer_at", "end_at"]
        for payload in payloads:
            call = self.Call.browse(self.process(payload)["call_id"])
            draft = self.Call.new({fname: call[fname] for fname in inputs})
            self.assertEqual(
                {fname: call[fname] for fname in computed},
                {fname: draft[fname] for fname in computed},
                payload["call_id"],
            )
        known = self.Call.search([("provider_call_id", "=", "cmp-known")])
        self.assertEqual((known.name, known.hour), ("← Marie Martin", 18))

    def test_agent_by_login_and_extension(self):
        call_id = "a-1"
        self.process(event("ringing", call_id))
        answer = self.process(event("answered", call_id, agent="claire_cti"))
        self.assertEqual(self.Call.browse(answer["call_id"]).user_id, self.claire)
        answer = self.process(event("answered", "a-2", agent="204"))
        self.assertEqual(self.Call.browse(answer["call_id"]).user_id, self.gaetan)
        answer = self.process(event("answered", "a-3", agent="nobody"))
        self.assertFalse(self.Call.browse(answer["call_id"]).user_id)

    def test_missed_call_back_on_contact_due_today(self):
        call = self.missed_call()
        activity = call.callback_activity_id
        self.assertEqual(activity.res_model, "res.partner")
        self.assertEqual(activity.res_id, self.marie.id)
        # due today for the line's owner (Claire, Europe/Paris)
        self.assertEqual(
            activity.date_deadline,
            fields.Date.context_today(call.with_context(tz=self.claire.tz)),
        )
        self.assertEqual(activity.user_id, self.line.owner_id)
        self.assertFalse(call.callback_done)

    def test_missed_unknown_caller_activity_on_call(self):
        call = self.missed_call(number=self.unknown_number)
        self.assertEqual(call.callback_activity_id.res_model, "atelier.call")
        self.assertEqual(call.callback_activity_id.res_id, call.id)

    def test_missed_shared_number_activity_on_call(self):
        call = self.missed_call(number="0478998877")
        self.assertEqual(call.callback_activity_id.res_model, "atelier.call")

    def test_second_missed_event_does_not_duplicate_activity(self):
        call = self.missed_call()
        self.process(event("hangup", "m-1", at=at(-20)))
        self.assertEqual(len(self.marie.activity_ids), 1)
        self.assertEqual(call.state, "missed")

    def test_log_outcome_closes_call_back(self):
        call = self.missed_call()
        activity = call.callback_activity_id
        call.with_user(self.claire).atelier_log_outcome(
            "resolved", "Called her back, all good"
        )
        self.assertTrue(call.callback_done)
        self.assertTrue(call.callback_at)
        self.assertEqual(call.outcome, "resolved")
        self.assertFalse(activity.active)
        self.assertIn("all good", call.notes)
        self.assertGreaterEqual(call.callback_delay, 0.0)

    def test_outcome_on_form_closes_call_back(self):
        call = self.missed_call()
        call.with_user(self.claire).outcome = "voicemail"
        self.assertTrue(call.callback_done)
        self.assertFalse(self.marie.activity_ids)

    def test_activity_done_marks_call_back(self):
        call = self.missed_call()
        call.callback_activity_id.with_user(self.claire).action_feedback("done")
        self.assertTrue(call.callback_done)

    def test_dial_links_the_missed_calls_of_the_number(self):
        call = self.missed_call()
        other = self.missed_call(number=self.unknown_number, call_id="m-2")
        result = (
            self.env["atelier.call"]
            .with_user(self.claire)
            .atelier_dial("06 12 34 56 78")
        )
        self.assertEqual(result["status"], "tel")
        self.assertEqual(result["url"], "tel:+33612345678")
        dialed = self.Call.browse(result["call_id"])
        # called back once the call is made, not when the button is pressed
        self.assertFalse(call.callback_done)
        self.assertEqual(call.callback_call_id, dialed)
        self.assertFalse(other.callback_call_id)
        self.assertEqual(dialed.direction, "outbound")
        self.assertEqual(dialed.partner_id, self.marie)
        self.assertEqual(dialed.user_id, self.claire)

    def test_log_note_posts_on_contact(self):
        answer = self.process(event("ringing"))
        call = self.Call.browse(answer["call_id"])
        call.with_user(self.claire).atelier_log_note("Wants a quote for brakes")
        message = self.marie.message_ids.filtered(
            lambda m: "quote for brakes" in (m.body or "")
        )
        self.assertEqual(len(message), 1)
        self.assertEqual(message.author_id, self.claire.partner_id)
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_note"))
        with self.assertRaises(UserError):
            call.with_user(self.claire).atelier_log_note("   ")

    def test_choose_candidate(self):
        answer = self.process(event("ringing", **{"from": "0478998877"}))
        call = self.Call.browse(answer["call_id"])
        payload = call.with_user(self.claire).atelier_choose_partner(self.shared_b.id)
        self.assertEqual(call.partner_id, self.shared_b)
        self.assertEqual(payload["partner_id"], self.shared_b.id)
        self.assertEqual(len(payload["candidates"]), 2)

    def test_new_contact_links_call(self):
        answer = self.process(event("ringing", **{"from": self.unknown_number}))
        call = self.Call.browse(answer["call_id"])
        action = call.with_user(self.claire).action_new_contact()
        self.assertEqual(action["context"]["default_phone"], "+33478554433")
        partner = (
            self.env["res.partner"]
            .with_user(self.admin)
            .with_context(**action["context"])
            .create({"name": "New Customer"})
        )
        self.assertEqual(partner.phone, "+33478554433")
        self.assertEqual(call.partner_id, partner)

    def test_popup_data_and_pending_calls(self):
        self.process(event("ringing", "old", at=at(-3600)))
        self.process(event("hangup", "old", at=at(-3500)))
        answer = self.process(event("ringing", "now"))
        call = self.Call.browse(answer["call_id"])
        data = call.with_user(self.claire).atelier_popup_data()
        self.assertEqual(data["partner_id"], self.marie.id)
        # a known caller's last calls are in the card, not listed twice
        self.assertEqual(data["recent_calls"], [])
        # the pop-up offers exactly the outcomes the model stores
        self.assertEqual(
            [value for value, _label in data["outcomes"]],
            [value for value, _label in self.Call._fields["outcome"].selection],
        )
        pending = (
            self.env["atelier.call"].with_user(self.claire).atelier_pending_calls()
        )
        self.assertEqual([p["id"] for p in pending], [call.id])
        self.assertFalse(
            self.env["atelier.call"].with_user(self.gaetan).atelier_pending_calls()
        )
        # an unknown number's last calls are listed by the pop-up
        unknown = {"from": self.unknown_number}
        self.process(event("ringing", "u-old", at=at(-3600), **unknown))
        self.process(event("missed", "u-old", at=at(-3590), **unknown))
        answer = self.process(event("ringing", "u-now", **unknown))
        unknown_call = self.Call.browse(answer["call_id"]).with_user(self.claire)
        recent = unknown_call.atelier_popup_data()["recent_calls"]
        self.assertEqual([r["state"] for r in recent], ["missed"])
        self.assertEqual(recent[0]["state_label"], "Missed")

    def test_card_section_recent_calls(self):
        for index in range(7):
            self.process(event("ringing", f"card-{index}", at=at(-100 * index)))
        card = self.marie.with_user(self.claire).atelier_get_card()
        section = next(s for s in card["sections"] if s["key"] == "calls")
        self.assertEqual(section["sequence"], 10)
        self.assertEqual(len(section["items"]), 5)
        self.assertEqual(section["count"], 7)
        self.assertEqual(section["items"][0]["res_model"], "atelier.call")
        self.assertEqual(self.marie.with_user(self.claire).atelier_call_count, 7)

    def test_claim_once_per_line(self):
        Event = self.env["atelier.call.event"]
        data = parse_body(dumps(event("ringing", event_id="ev-x")))
        first = Event._cti_claim(self.line, data)
        self.assertTrue(first)
        self.assertIsNone(Event._cti_claim(self.line, data))
        # the transaction is still usable, and the id is free on another line
        other = self.line.copy({"code": "other-claim"})
        self.assertTrue(Event._cti_claim(other, data))
        self.assertEqual(Event.search_count([("event_id", "=", "ev-x")]), 2)

    def test_provider_call_id_unique(self):
        self.process(event("ringing", "u-1"))
        with mute_logger("odoo.sql_db"), self.assertRaises(pg_errors.UniqueViolation):
            with self.env.cr.savepoint():
                self.Call.create(
                    {
                        "line_id": self.line.id,
                        "provider": "asterisk",
                        "provider_call_id": "u-1",
                    }
                )

    def test_line_numbers_normalized_and_checked(self):
        self.line.numbers = "04 72 00 00 01; +33472000002"
        self.assertEqual(self.line.numbers, "+33472000001,+33472000002")
        with self.assertRaises(ValidationError):
            self.line.numbers = "not a number"

    def test_routed_users_default_to_assistants(self):
        self.line.user_ids = False
        users = self.line._get_routed_users()
        self.assertIn(self.claire, users)
        self.assertIn(self.assistant2, users)
        # a manager is an assistant through the implied groups
        self.assertIn(self.admin, users)
        self.assertNotIn(self.gaetan, users)
        self.assertNotIn(self.portal, users)

    def test_rate_limit_counts_last_minute(self):
        self.line.rate_limit = 2
        first = event(event_id="rate-1")
        answer = self.Call._cti_process_event(
            self.line, parse_body(dumps(first)), check_rate=True
        )
        self.process(event(event_id="rate-2"))
        with self.assertRaises(CtiEventError) as caught:
            self.Call._cti_process_event(
                self.line, parse_body(dumps(event(event_id="rate-3"))), check_rate=True
            )
        self.assertEqual(caught.exception.status, 429)
        self.assertFalse(
            self.env["atelier.call.event"].search_count([("event_id", "=", "rate-3")])
        )
        # a redelivery is still answered over the rate
        self.assertEqual(
            self.Call._cti_process_event(
                self.line, parse_body(dumps(first)), check_rate=True
            ),
            answer,
        )
        # events older than a minute no longer count
        self.env.cr.execute(
            "UPDATE atelier_call_event SET create_date = create_date - "
            "interval '61 seconds' WHERE line_id = %s",
            (self.line.id,),
        )
        self.assertTrue(
            self.Call._cti_process_event(
                self.line, parse_body(dumps(event(event_id="rate-3"))), check_rate=True
            )["call_id"]
        )

    def test_card_changes_reach_the_users_of_the_contacts_calls(self):
        """A record of Marie's changed by someone else (a cron, the portal):
        the users her call of the last hour popped up for hear of it, and
        of her only."""
        self.process(event("ringing", "card-audience"))
        self.env.cr.flush()
        self.env["bus.bus"].sudo().search([]).unlink()
        (self.marie | self.garage)._atelier_card_changed()
        self.env.cr.flush()
        messages = (
            self.env["bus.bus"]
            .sudo()
            .search([("message", "like", "atelier_base/card_changed")])
        )
        received = {
            json.loads(m.channel)[2]: json.loads(m.message)["payload"]["partner_ids"]
            for m in messages
        }
        self.assertEqual(
            received,
            {
                self.claire.partner_id.id: [self.marie.id],
                self.assistant2.partner_id.id: [self.marie.id],
            },
        )
