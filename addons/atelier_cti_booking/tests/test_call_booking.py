# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged

from odoo.addons.atelier_booking.tools import availability as engine

from .common import CtiBookingCommon


@tagged("post_install", "-at_install")
class TestCallBooking(CtiBookingCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_cti_booking()
        cls.call = cls._new_call(cls.client)

    def engine_days(self, appointment_type, technician=None):
        """{local day: [(start, user ids)]} of the engine's free slots."""
        zone = engine.get_zone("Europe/Paris")
        days = {}
        for start, user_ids in appointment_type._get_merged_slots(
            technician=technician
        ).items():
            days.setdefault(engine.utc_to_local(start, zone).date(), []).append(
                (start, user_ids)
            )
        return days

    def test_booking_step_defaults_come_from_the_engine(self):
        """Defaults: the first bookable type, any technician, the first day
        with a free slot; each slot names the technician it books (the
        engine's least loaded choice)."""
        other = self.type.copy(
            {"name": "ctib other", "sequence": 50, "is_published": True}
        )
        hidden = self.type.copy({"name": "ctib hidden", "is_published": False})
        data = self.call.with_user(self.claire).atelier_booking_slots()
        type_ids = [t["id"] for t in data["types"]]
        self.assertIn(self.type.id, type_ids)
        self.assertIn(other.id, type_ids)
        self.assertNotIn(hidden.id, type_ids)
        first = self.env["atelier.appointment.type"].browse(type_ids[0])
        self.assertEqual(data["type_id"], first.id)
        self.assertEqual(
            [t["id"] for t in data["technicians"]], first.technician_ids.ids
        )
        self.assertFalse(data["technician_id"])
        days = self.engine_days(first)
        expected_days = sorted(days)[:6]
        self.assertEqual(
            [d["day"] for d in data["days"]], [str(d) for d in expected_days]
        )
        self.assertTrue(all(d["label"] for d in data["days"]))
        self.assertEqual(data["day"], str(expected_days[0]))
        expected = days[expected_days[0]]
        self.assertEqual(
            [s["start"] for s in data["slots"]],
            [fields.Datetime.to_string(start) for start, _ids in expected],
        )
        for slot, (start, user_ids) in zip(data["slots"], expected, strict=True):
            chosen = first._pick_technician(start, user_ids)
            self.assertEqual(slot["technician_id"], chosen.id)
            self.assertEqual(slot["technician"], chosen.name)
            self.assertEqual(slot["others"], len(user_ids) - 1)
            self.assertRegex(slot["label"], r"^\d\d:\d\d$")
        # an unpublished type falls back to the first one
        fallback = self.call.with_user(self.claire).atelier_booking_slots(hidden.id)
        self.assertEqual(fallback["type_id"], type_ids[0])

    def test_booking_step_type_day_and_technician(self):
        call = self.call.with_user(self.claire)
        days = sorted(self.engine_days(self.type))
        # another day of the chips
        data = call.atelier_booking_slots(self.type.id, str(days[1]))
        self.assertEqual(data["day"], str(days[1]))
        self.assertEqual(
            [s["start"] for s in data["slots"]],
            [
                fields.Datetime.to_string(start)
                for start, _ids in self.engine_days(self.type)[days[1]]
            ],
        )
        # a day beyond the chips, from the date field
        far = days[-1]
        data = call.atelier_booking_slots(self.type.id, str(far))
        self.assertEqual(data["day"], str(far))
        self.assertEqual(len(data["slots"]), len(self.engine_days(self.type)[far]))
        # a day off: no slot, but the chips are still there
        saturday = days[0] + timedelta(days=(5 - days[0].weekday()) % 7)
        data = call.atelier_booking_slots(self.type.id, str(saturday))
        self.assertEqual(data["slots"], [])
        self.assertTrue(data["days"])
        # one technician: his slots only, all his
        hugo = self.data["hugo"]
        data = call.atelier_booking_slots(self.type.id, False, hugo.id)
        self.assertEqual(data["technician_id"], hugo.id)
        hugo_days = self.engine_days(self.type, technician=hugo)
        self.assertEqual(
            [s["start"] for s in data["slots"]],
            [
                fields.Datetime.to_string(start)
                for start, _ids in hugo_days[sorted(hugo_days)[0]]
            ],
        )
        self.assertEqual({s["technician"] for s in data["slots"]}, {hugo.name})
        with self.assertRaises(UserError):
            call.atelier_booking_slots(self.type.id, "31/12/2026")

    def test_book_the_technician_shown(self):
        hugo = self.data["hugo"]
        call = self.call.with_user(self.claire)
        slot = call.atelier_booking_slots(self.type.id, False, hugo.id)["slots"][0]
        result = call.atelier_book_slot(self.type.id, slot["start"], hugo.id)
        self.assertTrue(result["booked"])
        self.assertEqual(result["technician"], hugo.name)
        booking = self.env["atelier.booking"].browse(result["booking_id"])
        self.assertEqual(booking.technician_id, hugo)
        stranger = self.env["res.users"].search(
            [("id", "not in", self.type.technician_ids.ids), ("share", "=", False)],
            limit=1,
        )
        with self.assertRaises(UserError):
            call.atelier_book_slot(self.type.id, slot["start"], stranger.id)

    def test_booking_refreshes_the_callers_card(self):
        """The card of the caller shows the appointment at once: the booking
        announces itself to the cards of its contact."""
        self.env.cr.flush()
        self.env["bus.bus"].sudo().search([]).unlink()
        call = self.call.with_user(self.claire)
        slot = call.atelier_booking_slots(self.type.id)["slots"][0]
        self.assertTrue(call.atelier_book_slot(self.type.id, slot["start"])["booked"])
        self.env.cr.flush()
        messages = (
            self.env["bus.bus"]
            .sudo()
            .search([("message", "like", "atelier_base/card_changed")])
        )
        # sent before the commit (savepoints flush too: the card coalesces)
        self.assertTrue(messages)
        self.assertEqual(
            {tuple(json.loads(m.channel)[1:]) for m in messages},
            {("res.partner", self.claire.partner_id.id)},
        )
        self.assertIn(
            self.client.id, json.loads(messages[0].message)["payload"]["partner_ids"]
        )
        card = self.client.with_user(self.claire).atelier_get_card()
        appointments = next(s for s in card["sections"] if s["key"] == "appointments")
        self.assertEqual(appointments["count"], 1)

    def test_book_slot_confirms_a_booking_for_the_caller_linked_to_the_call(self):
        call = self.call.with_user(self.claire)
        slot = call.atelier_booking_slots(self.type.id)["slots"][0]
        result = call.atelier_book_slot(self.type.id, slot["start"])
        self.assertTrue(result["booked"])
        booking = self.env["atelier.booking"].browse(result["booking_id"])
        self.assertEqual(booking.partner_id, self.client)
        self.assertEqual(booking.state, "confirmed")
        self.assertEqual(booking.appointment_type_id, self.type)
        self.assertEqual(fields.Datetime.to_string(booking.start), slot["start"])
        self.assertEqual(booking.atelier_call_id, self.call)
        self.assertEqual(self.call.atelier_booking_ids, booking)
        self.assertEqual(self.call.atelier_booking_count, 1)
        self.assertEqual(self.call.action_atelier_view_bookings()["res_id"], booking.id)
        # two bookings: the list of the call's bookings, not a form
        slot = call.atelier_booking_slots(self.type.id)["slots"][0]
        self.assertTrue(call.atelier_book_slot(self.type.id, slot["start"])["booked"])
        action = self.call.action_atelier_view_bookings()
        self.assertFalse(action.get("res_id"))
        self.assertIn("list", action["view_mode"])
        self.assertEqual(
            self.env["atelier.booking"].search(action["domain"]),
            self.call.atelier_booking_ids,
        )
        self.assertEqual(len(self.call.atelier_booking_ids), 2)

    def test_taken_slot_answers_with_the_next_ones(self):
        self.type.technician_ids = self.gaetan
        call = self.call.with_user(self.claire)
        slot = call.atelier_booking_slots(self.type.id)["slots"][0]
        self.assertTrue(call.atelier_book_slot(self.type.id, slot["start"])["booked"])
        again = call.atelier_book_slot(self.type.id, slot["start"])
        self.assertFalse(again["booked"])
        self.assertTrue(again["message"])
        self.assertTrue(again["slots"])
        self.assertNotIn(slot["start"], [s["start"] for s in again["slots"]])
        self.assertEqual(
            self.env["atelier.booking"].search_count(
                [("partner_id", "=", self.client.id)]
            ),
            1,
        )

    def test_refusals(self):
        with self.assertRaises(AccessError):
            self.call.with_user(self.gaetan).atelier_booking_slots()
        unknown = self._new_call(None, call_id="ctib-unknown")
        with self.assertRaises(UserError):
            unknown.with_user(self.claire).atelier_booking_slots()
        with self.assertRaisesRegex(UserError, "Identify the caller"):
            unknown.with_user(self.claire).action_atelier_book()
        with self.assertRaises(AccessError):
            self.call.with_user(self.gaetan).action_atelier_book()
        hidden = self.type.copy({"name": "ctib hidden", "is_published": False})
        start = fields.Datetime.to_string(hidden._next_free_slots(limit=1)[0][0])
        with self.assertRaises(UserError):
            self.call.with_user(self.claire).atelier_book_slot(hidden.id, start)
        self.assertFalse(self.call.atelier_booking_ids)

    def test_book_button_of_the_call_form_links_the_booking(self):
        action = self.call.with_user(self.claire).action_atelier_book()
        wizard = self.env["atelier.booking.wizard"].browse(action["res_id"])
        self.assertEqual(wizard.partner_id, self.client)
        self.assertEqual(wizard.atelier_call_id, self.call)
        self.assertTrue(wizard.slot_ids)
        result = wizard.slot_ids[0].with_user(self.claire).action_book()
        booking = self.env["atelier.booking"].browse(result["res_id"])
        self.assertEqual(booking.partner_id, self.client)
        self.assertEqual(booking.atelier_call_id, self.call)
