# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, new_test_user, tagged

from .common import new_portal_user


@tagged("post_install", "-at_install")
class TestTours(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_portal_user(cls.env, "tour_portal", "Tour Client")
        cls.claire = new_test_user(
            cls.env,
            login="tour_claire",
            name="Claire Tour",
            email="claire.tour@example.com",
            groups="atelier_base.group_assistant",
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Tour Customer", "email": "tour.customer@example.com"}
        )
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "Tour ticket needing a reply",
                "description": "<p>Hello</p>",
                "partner_id": cls.customer.id,
                "type_id": cls.env.ref("atelier_helpdesk.helpdesk_type_quote").id,
                # assigned to someone else than the sender
                "user_id": cls.env.ref("base.user_admin").id,
            }
        )

    def test_portal_client_files_a_ticket(self):
        self.start_tour("/my", "atelier_helpdesk_portal_tour", login="tour_portal")
        ticket = self.env["helpdesk.ticket"].search(
            [("name", "=", "Tour: my heater is broken")]
        )
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.partner_id, self.portal_user.partner_id)
        self.assertEqual(ticket.atelier_channel, "portal")
        quote = self.env.ref("atelier_helpdesk.helpdesk_type_quote")
        self.assertEqual(ticket.type_id, quote)
        self.assertEqual(ticket.team_id, quote.atelier_team_id)
        self.assertTrue(ticket.ticket_sla_ids)

    def test_claire_answers_with_a_template(self):
        self.start_tour(
            f"/odoo/action-atelier_helpdesk.atelier_helpdesk_ticket_action/{self.ticket.id}",
            "atelier_helpdesk_template_reply_tour",
            login="tour_claire",
        )
        self.assertTrue(self.ticket.atelier_first_response_date)
        reply = self.ticket.message_ids.filtered(
            lambda m: (
                m.message_type == "comment"
                and "il nous manque quelques informations" in m.body
            )
        )
        self.assertEqual(len(reply), 1)
        self.assertEqual(reply.author_id, self.claire.partner_id)
        self.assertIn("Claire Tour", reply.body)
        self.assertNotIn(self.ticket.user_id.name, reply.body, "not the assignee")
        self.assertNotIn("[", reply.body)
