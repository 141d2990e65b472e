# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from odoo.addons.atelier_booking.tests.common import (
    a_monday,
    paris,
    setup_booking_data,
)


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

    def _booking(self, hour):
        return self.env["atelier.booking"]._book(
            self.data["type"],
            paris(a_monday(), hour),
            partner=self.client,
            technician=self.data["gaetan"],
            hold=False,
        )

    def test_reply_templates_tell_the_next_appointment(self):
        """No '[date] à [heure]' left: the templates say the appointment."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.client.lang = "fr_FR"
        as_claire = self.ticket.with_user(self.claire)
        confirmed = self.env.ref(
            "atelier_helpdesk.mail_template_ticket_appointment_confirmed"
        )
        # booked from the pop-up, not from the ticket: the client's next one
        later = self._booking(15)
        body = as_claire.atelier_reply_template_render(confirmed.id)["body_html"]
        self.assertIn("lundi", body)
        self.assertIn("à <strong>15:00</strong>", body)
        # booked from the ticket: that one, with its technician
        sooner = self._booking(10)
        sooner.sudo().atelier_ticket_id = self.ticket
        later.sudo().atelier_ticket_id = self.ticket
        self.ticket.invalidate_recordset(["atelier_next_appointment_at"])
        body = as_claire.atelier_reply_template_render(confirmed.id)["body_html"]
        self.assertIn("à <strong>10:00</strong>", body)
        self.assertIn(f"avec {self.data['gaetan'].name}", body)
        for template in as_claire.atelier_reply_template_list():
            rendered = as_claire.atelier_reply_template_render(template["id"])
            self.assertNotRegex(rendered["body_html"], r"\[[^\]]*\]", template["name"])
            self.assertIn("Claire", rendered["body_html"], template["name"])
        # a cancelled appointment is not announced
        (sooner | later).sudo().write({"state": "cancelled"})
        self.ticket.invalidate_recordset(["atelier_next_appointment_at"])
        body = as_claire.atelier_reply_template_render(confirmed.id)["body_html"]
        self.assertNotIn("15:00", body)
        self.assertIn("espace client", body)
