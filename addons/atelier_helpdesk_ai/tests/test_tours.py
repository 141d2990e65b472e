# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestTours(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param(
            "atelier_ai.provider", "offline"
        )
        cls.claire = new_test_user(
            cls.env,
            login="tour_claire_ai",
            name="Claire Tour",
            email="claire.tour@example.com",
            groups="atelier_base.group_assistant",
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Client Tour", "email": "client.tour@example.com"}
        )
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "Devis pour le tableau électrique",
                "description": "<p>Bonjour, pouvez-vous me faire un devis ? "
                "C'est urgent.</p>",
                "partner_id": cls.customer.id,
            }
        )

    def test_claire_accepts_the_triage_and_sends_a_draft(self):
        self.assertEqual(self.ticket.atelier_ai_state, "suggested")
        self.start_tour(
            f"/odoo/action-atelier_helpdesk.atelier_helpdesk_ticket_action/{self.ticket.id}",
            "atelier_helpdesk_ai_triage_draft_tour",
            login="tour_claire_ai",
        )
        self.assertRecordValues(
            self.ticket,
            [
                {
                    "atelier_ai_state": "accepted",
                    "type_id": self.env.ref("atelier_helpdesk.helpdesk_type_quote").id,
                    "priority": "2",
                }
            ],
        )
        reply = self.ticket.message_ids.filtered(
            lambda m: (
                m.message_type == "comment"
                and m.author_id == self.claire.partner_id
                and "Votre devis" in (m.subject or "")
            )
        )
        self.assertEqual(len(reply), 1)
        self.assertIn("Claire Tour", reply.body)
        self.assertIn(self.customer, reply.partner_ids)
