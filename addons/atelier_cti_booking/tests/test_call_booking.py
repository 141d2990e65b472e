# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged

from .common import CtiBookingCommon


@tagged("post_install", "-at_install")
class TestCallBooking(CtiBookingCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_cti_booking()
        cls.call = cls._new_call(cls.client)

    def test_slots_are_the_engine_next_free_slots_of_the_first_published_type(self):
        other = self.type.copy(
            {"name": "ctib other", "sequence": 50, "is_published": True}
        )
        hidden = self.type.copy({"name": "ctib hidden", "is_published": False})
        data = self.call.with_user(self.claire).atelier_booking_slots()
        type_ids = [t["id"] for t in data["types"]]
        self.assertIn(self.type.id, type_ids)
        self.assertIn(other.id, type_ids)
        self.assertNotIn(hidden.id, type_ids)
        self.assertEqual(data["type_id"], type_ids[0])
        expected = [
            fields.Datetime.to_string(start)
            for start, _users in self.env["atelier.appointment.type"]
            .browse(type_ids[0])
            ._next_free_slots(limit=6)
        ]
        self.assertTrue(expected)
        self.assertEqual([s["start"] for s in data["slots"]], expected)
        self.assertTrue(all(s["label"] for s in data["slots"]))
        # another type can be chosen; an unpublished one falls back to the first
        chosen = self.call.with_user(self.claire).atelier_booking_slots(other.id)
        self.assertEqual(chosen["type_id"], other.id)
        fallback = self.call.with_user(self.claire).atelier_booking_slots(hidden.id)
        self.assertEqual(fallback["type_id"], type_ids[0])

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
