# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

from odoo.tests import Form, TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCallTicket(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.claire = new_test_user(
            cls.env,
            login="claire_cti_hd",
            name="Claire",
            groups="atelier_base.group_assistant",
        )
        cls.line = cls.env["atelier.cti.line"].create(
            {
                "name": "Front desk",
                "code": "front_hd",
                "provider": "asterisk",
                "secret": "s3cret-for-tests-only",
                "numbers": "04 72 00 00 00",
                "user_ids": [(6, 0, cls.claire.ids)],
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Garage Dupont", "email": "garage@dupont.fr"}
        )

    def _call(self, partner=None, number="+33478123456"):
        return self.env["atelier.call"].create(
            {
                "line_id": self.line.id,
                "provider": "asterisk",
                "provider_call_id": f"call-{number}-{bool(partner)}",
                "caller_number": number,
                "partner_id": partner.id if partner else False,
            }
        )

    def test_new_ticket_from_call_is_prefilled_and_linked(self):
        call = self._call(self.customer)
        action = call.with_user(self.claire).action_new_ticket()
        self.assertEqual(action["res_model"], "helpdesk.ticket")
        form = Form(
            self.env["helpdesk.ticket"]
            .with_user(self.claire)
            .with_context(**action["context"])
        )
        self.assertEqual(form.partner_id, self.customer)
        self.assertIn("Garage Dupont", form.name)
        ticket = form.save()
        self.assertEqual(ticket.atelier_channel, "phone")
        self.assertEqual(
            ticket.channel_id,
            self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone"),
        )
        self.assertEqual(ticket.atelier_call_id, call)
        self.assertEqual(call.ticket_ids, ticket)
        self.assertEqual(call.ticket_count, 1)
        view = call.action_view_tickets()
        self.assertEqual(view["res_id"], ticket.id)

    def test_unknown_caller_ticket_keeps_the_number(self):
        call = self._call(number="+33612345678")
        context = call.action_new_ticket()["context"]
        self.assertNotIn("default_partner_id", context)
        self.assertIn("+33612345678", context["default_name"])

    def test_pop_up_ticket_carries_the_line_and_refreshes_the_card(self):
        """The caller and the line go to the ticket (routing by line), and
        the caller's open cards hear of the new ticket at once."""
        call = self._call(self.customer)
        context = call.with_user(self.claire).action_new_ticket()["context"]
        self.assertEqual(context["default_partner_id"], self.customer.id)
        self.assertEqual(context["atelier_cti_line_id"], self.line.id)
        Form(
            self.env["helpdesk.ticket"].with_user(self.claire).with_context(**context)
        ).save()
        self.env.cr.flush()  # the card message is sent before the commit
        messages = (
            self.env["bus.bus"]
            .sudo()
            .search([("message", "like", "atelier_base/card_changed")])
        )
        self.assertTrue(messages)
        self.assertIn(
            self.customer.id,
            json.loads(messages[-1].message)["payload"]["partner_ids"],
        )
