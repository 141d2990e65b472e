# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged

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
        cls.gaetan = cls.data["gaetan"]
        cls.owner = cls.data["client"]
        # the type that comes first (like "Home diagnostic"): not for repairs
        cls.home = cls.data["type"]
        cls.home.write({"sequence": 1, "ask_vehicle": "required"})
        cls.engine_repair = cls.home.copy(
            {
                "name": "obdbk engine repair",
                "sequence": 20,
                "atelier_repair_system": "P",
            }
        )
        cls.any_repair = cls.home.copy(
            {
                "name": "obdbk workshop repair",
                "sequence": 30,
                "atelier_repair_system": "all",
            }
        )
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
        Dtc = env["atelier.dtc"].with_context(active_test=False)
        network = Dtc.search([("code", "=", "U0100")]) or Dtc.create(
            {"code": "U0100", "title": "Lost communication with ECM"}
        )
        network.severity = "high"
        cls.network_line = env["atelier.obd.session.dtc"].create(
            {
                "session_id": cls.session.id,
                "code": "U0100",
                "dtc_id": network.id,
                "status": "stored",
                "first_seen": cls.line.first_seen,
                "last_seen": cls.line.last_seen,
            }
        )

    def wizard_of(self, action):
        self.assertEqual(action["res_model"], "atelier.booking.wizard")
        return self.env["atelier.booking.wizard"].browse(action["res_id"])

    def test_the_assistant_books_the_repair_type_of_the_code(self):
        action = self.line.with_user(self.claire).action_atelier_book_repair()
        wizard = self.wizard_of(action)
        self.assertEqual(wizard.appointment_type_id, self.engine_repair, "P: engine")
        self.assertNotEqual(wizard.appointment_type_id, self.home)
        self.assertEqual(wizard.partner_id, self.owner)
        self.assertEqual(wizard.atelier_obd_dtc_id, self.line)
        self.assertIn("CC-333-CC", wizard.answer_vehicle)
        self.assertIn("P0420", wizard.answer_description)
        self.assertIn("Catalyst efficiency below threshold", wizard.answer_description)
        self.assertIn("Medium", wizard.answer_description)
        self.assertTrue(wizard.slot_ids)
        result = wizard.slot_ids[0].with_user(self.claire).action_book()
        booking = self.env["atelier.booking"].browse(result["res_id"])
        self.assertEqual(
            (booking.partner_id, booking.state, booking.appointment_type_id),
            (self.owner, "confirmed", self.engine_repair),
        )
        self.assertEqual(booking.atelier_obd_dtc_id, self.line)
        self.assertEqual(booking.atelier_vehicle_id, self.vehicle)
        self.assertEqual(self.line.booking_count, 1)
        action = self.line.action_atelier_view_bookings()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("atelier.booking", booking.id)
        )
        self.assertIn("P0420", booking.event_id.description)
        # a network code: the type set for every code
        wizard = self.wizard_of(
            self.network_line.with_user(self.claire).action_atelier_book_repair()
        )
        self.assertEqual(wizard.appointment_type_id, self.any_repair)

    def test_a_technician_books_the_repair_his_diagnosis_calls_for(self):
        self.engine_repair.technician_ids = self.gaetan
        action = self.line.with_user(self.gaetan).action_atelier_book_repair()
        wizard = self.wizard_of(action).with_user(self.gaetan)
        result = wizard.slot_ids[0].action_book()
        booking = self.env["atelier.booking"].browse(result["res_id"])
        self.assertEqual(
            (booking.technician_id, booking.state), (self.gaetan, "confirmed")
        )
        self.assertEqual(booking.appointment_type_id, self.engine_repair)

    def test_a_technician_booking_a_colleague_gets_a_confirmation(self):
        """He does not see his colleague's appointments: no form to open."""
        hugo = self.data["hugo"]
        self.engine_repair.technician_ids = hugo
        wizard = self.wizard_of(
            self.line.with_user(self.gaetan).action_atelier_book_repair()
        ).with_user(self.gaetan)
        result = wizard.slot_ids[0].action_book()
        self.assertEqual(result["tag"], "display_notification")
        self.assertIn("Hugo", result["params"]["message"])
        booking = self.line.booking_ids.sudo()
        self.assertEqual((booking.technician_id, booking.state), (hugo, "confirmed"))

    def test_the_session_books_the_repair_of_all_its_codes(self):
        action = self.session.with_user(self.gaetan).action_atelier_book_repair()
        wizard = self.wizard_of(action)
        # U0100 is the most severe (high): the type set for every code
        self.assertEqual(wizard.appointment_type_id, self.any_repair)
        self.assertEqual(wizard.atelier_obd_dtc_id, self.network_line)
        self.assertIn("U0100", wizard.answer_description)
        self.assertIn("P0420", wizard.answer_description)

    def test_never_whatever_type_comes_first(self):
        (self.engine_repair | self.any_repair).atelier_repair_system = False
        with self.assertRaisesRegex(UserError, "Repairs of trouble codes"):
            self.line.with_user(self.claire).action_atelier_book_repair()
        self.assertFalse(self.env["atelier.booking.wizard"].search([]))

    def test_refusals(self):
        coach = new_test_user(
            self.env, login="obdbk_coach", groups="atelier_base.group_coach"
        )
        bridge = self.env["res.users"].create(
            {
                "name": "obdbk bridge",
                "login": "obdbk_bridge",
                "group_ids": [
                    Command.set([self.env.ref("atelier_fleet_obd.group_obd_bridge").id])
                ],
            }
        )
        for user in (self.data["portal"], coach, bridge):
            for record in (self.line, self.session):
                with (
                    self.subTest(user=user.login, model=record._name),
                    self.assertRaises(AccessError),
                ):
                    record.with_user(user).action_atelier_book_repair()
        self.vehicle.atelier_owner_id = False
        with self.assertRaisesRegex(UserError, "owner"):
            self.line.with_user(self.claire).action_atelier_book_repair()
        self.assertFalse(self.line.booking_ids)
