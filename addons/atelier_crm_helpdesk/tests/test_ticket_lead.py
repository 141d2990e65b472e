# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestTicketLead(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.claire = new_test_user(
            cls.env, login="crmhd_claire", groups="atelier_base.group_assistant"
        )
        cls.gaetan = new_test_user(
            cls.env,
            login="crmhd_gaetan",
            groups="atelier_base.group_technician,helpdesk_mgmt.group_helpdesk_user_own",
        )
        cls.client = cls.env["res.partner"].create(
            {"name": "Cliente Ticket", "email": "cliente.ticket@example.com"}
        )
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "Guide",
                "partner_id": cls.client.id,
                "email_from": cls.client.email,
                "user_id": False,
            }
        )
        cls.env["atelier.crm.consent"]._atelier_log(
            [cls.client.email], "sequence", "granted", "lead_magnet"
        )
        cls.sequence = cls.env.ref("atelier_crm.sequence_academy")

    def _ticket(self, **vals):
        return self.env["helpdesk.ticket"].create(
            {
                "name": "Ma voiture ne démarre plus",
                "description": "<p>Batterie neuve pourtant.</p>",
                **vals,
            }
        )

    def test_a_ticket_stops_the_sequences(self):
        enrolment = self.sequence._atelier_enrol(self.lead)
        self._ticket(partner_id=self.client.id)
        self.assertEqual(
            (enrolment.state, enrolment.stop_reason), ("stopped", "ticket")
        )
        self.assertEqual(enrolment.step_log_ids.converted, 0)

    def test_a_ticket_by_email_only_stops_them_too(self):
        enrolment = self.sequence._atelier_enrol(self.lead)
        self._ticket(partner_email="Cliente.Ticket@Example.com")
        self.assertEqual(enrolment.stop_reason, "ticket")

    def test_convert_a_ticket_to_a_lead(self):
        stranger = self.env["res.partner"].create(
            {"name": "Flotte Pro", "email": "flotte.pro@example.com"}
        )
        ticket = self._ticket(partner_id=stranger.id, partner_email=stranger.email)
        action = ticket.with_user(self.claire).action_atelier_convert_to_lead()
        lead = self.env["crm.lead"].browse(action["res_id"])
        self.assertEqual(lead.partner_id, stranger)
        self.assertEqual(lead.atelier_channel, "ticket")
        self.assertEqual(lead.name, "Ma voiture ne démarre plus")
        self.assertIn("Batterie neuve", lead.description)
        self.assertEqual(ticket.atelier_lead_id, lead)
        again = ticket.with_user(self.claire).action_atelier_convert_to_lead()
        self.assertEqual(again["res_id"], lead.id)
        self.assertEqual(
            self.env["crm.lead"].search_count([("partner_id", "=", stranger.id)]), 1
        )
        with self.assertRaises(AccessError):
            ticket.with_user(self.gaetan).action_atelier_convert_to_lead()
