# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from odoo.addons.atelier_booking.tests.common import setup_booking_data


@tagged("post_install", "-at_install")
class TestTicketBooking(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.data = setup_booking_data(cls.env, prefix="tkbk")
        cls.claire = cls.data["claire"]
        cls.client = cls.data["client"]
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "Brakes squeal",
                "description": "<p>Squealing brakes.</p>",
                "partner_id": cls.client.id,
            }
        )

    def test_book_from_ticket_opens_the_wizard_of_its_client(self):
        action = self.ticket.with_user(self.claire).action_atelier_book()
        self.assertEqual(action["res_model"], "atelier.booking.wizard")
        self.assertEqual(action["target"], "new")
        wizard = self.env["atelier.booking.wizard"].browse(action["res_id"])
        self.assertEqual(wizard.partner_id, self.client)
        self.assertEqual(wizard.atelier_ticket_id, self.ticket)
        self.assertIn(self.ticket.number, wizard.answer_description)
        self.assertIn("Brakes squeal", wizard.answer_description)
        self.assertTrue(wizard.slot_ids)
        result = wizard.slot_ids[0].with_user(self.claire).action_book()
        booking = self.env["atelier.booking"].browse(result["res_id"])
        self.assertEqual(booking.partner_id, self.client)
        self.assertEqual(booking.state, "confirmed")
        self.assertEqual(booking.atelier_ticket_id, self.ticket)
        self.assertIn("Brakes squeal", booking.answer_description)
        self.assertEqual(self.ticket.atelier_booking_count, 1)
        self.assertEqual(
            self.ticket.action_atelier_view_bookings()["res_id"], booking.id
        )

    def test_wizard_without_ticket_links_nothing(self):
        action = self.client.with_user(self.claire).action_atelier_book()
        wizard = self.env["atelier.booking.wizard"].browse(action["res_id"])
        result = wizard.slot_ids[0].with_user(self.claire).action_book()
        booking = self.env["atelier.booking"].browse(result["res_id"])
        self.assertFalse(booking.atelier_ticket_id)
        self.assertFalse(self.ticket.atelier_booking_ids)

    def test_ticket_without_client_refuses(self):
        self.ticket.partner_id = False
        with self.assertRaises(UserError):
            self.ticket.with_user(self.claire).action_atelier_book()
