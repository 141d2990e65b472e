# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged

from odoo.addons.atelier_booking.tests.common import setup_booking_data
from odoo.addons.atelier_fleet_obd.tests.common import setup_diagnosed_vehicle


@tagged("post_install", "-at_install")
class TestDtcBooking(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.data = setup_booking_data(env, prefix="obdbk")
        cls.claire = cls.data["claire"]
        cls.owner = cls.data["client"]
        cls.vehicle, cls.session, cls.line = setup_diagnosed_vehicle(
            env,
            "obdbk",
            cls.owner,
            "CC-333-CC",
            "P0420",
            {
                "title": "Catalyst efficiency below threshold",
                "severity": "medium",
                "description": "The catalytic converter is not working well.",
            },
        )

    def test_book_a_repair_opens_the_wizard_of_the_owner_with_the_code(self):
        # a first published type that does not ask for the vehicle is skipped
        self.data["type"].copy(
            {"name": "obdbk visit", "sequence": 1, "ask_vehicle": "no"}
        )
        action = self.line.with_user(self.claire).action_atelier_book_repair()
        self.assertEqual(action["res_model"], "atelier.booking.wizard")
        wizard = self.env["atelier.booking.wizard"].browse(action["res_id"])
        self.assertEqual(wizard.partner_id, self.owner)
        self.assertEqual(wizard.appointment_type_id, self.data["type"])
        self.assertEqual(wizard.atelier_obd_dtc_id, self.line)
        self.assertIn("CC-333-CC", wizard.answer_vehicle)
        self.assertIn("P0420", wizard.answer_description)
        self.assertIn("Catalyst efficiency below threshold", wizard.answer_description)
        self.assertIn("Medium", wizard.answer_description)
        self.assertTrue(wizard.slot_ids)
        result = wizard.slot_ids[0].with_user(self.claire).action_book()
        booking = self.env["atelier.booking"].browse(result["res_id"])
        self.assertEqual(booking.partner_id, self.owner)
        self.assertEqual(booking.state, "confirmed")
        self.assertIn("P0420", booking.answer_description)
        self.assertIn("CC-333-CC", booking.answer_vehicle)
        self.assertEqual(booking.atelier_obd_dtc_id, self.line)
        self.assertEqual(booking.atelier_vehicle_id, self.vehicle)
        self.assertEqual(self.line.booking_count, 1)
        action = self.line.action_atelier_view_bookings()
        self.assertEqual(action["res_model"], "atelier.booking")
        self.assertEqual(action["res_id"], booking.id)
        self.assertIn("P0420", booking.event_id.description)

    def test_refusals(self):
        with self.assertRaises(AccessError):
            self.line.with_user(self.data["gaetan"]).action_atelier_book_repair()
        self.vehicle.atelier_owner_id = False
        with self.assertRaises(UserError):
            self.line.with_user(self.claire).action_atelier_book_repair()
        self.assertFalse(self.line.booking_ids)
