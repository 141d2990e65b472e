# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

from odoo.tests import Form, TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCallTicket(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a French desk: the line's numbers are read as French numbers (the
        # database's company may have another country, e.g. the one the
        # generic chart of accounts gave it)
        cls.env.company.country_id = cls.env.ref("base.fr")
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

    def test_ticket_from_a_call_takes_the_lines_team_and_type(self):
        interventions = self.env.ref("atelier_helpdesk.helpdesk_team_interventions")
        technician_type = self.env.ref("atelier_helpdesk.helpdesk_type_technician")
        self.line.write(
            {
                "atelier_helpdesk_team_id": interventions.id,
                "atelier_helpdesk_type_id": technician_type.id,
            }
        )
        call = self._call(self.customer)
        action = call.with_user(self.claire).action_new_ticket()
        form = Form(
            self.env["helpdesk.ticket"]
            .with_user(self.claire)
            .with_context(**action["context"])
        )
        self.assertEqual(form.team_id, interventions, "shown before saving")
        self.assertEqual(form.type_id, technician_type)
        ticket = form.save()
        self.assertEqual(ticket.team_id, interventions)
        self.assertEqual(ticket.type_id, technician_type)
        self.assertEqual(ticket.ticket_sla_ids.sla_id.atelier_type_ids, technician_type)
        # created from the call record alone (RPC, another screen): the
        # call's line still routes it
        other = (
            self.env["helpdesk.ticket"]
            .with_user(self.claire)
            .create(
                {
                    "name": "Rappel",
                    "description": "<p>x</p>",
                    "atelier_call_id": call.id,
                }
            )
        )
        self.assertEqual(other.team_id, interventions)
        self.assertEqual(other.type_id, technician_type)

    def test_popup_context_routes_by_the_line_and_caller(self):
        """The pop-up passes the caller and the line in the context."""
        workshop = self.env.ref("atelier_helpdesk.helpdesk_team_workshop")
        self.line.atelier_helpdesk_team_id = workshop
        form = Form(
            self.env["helpdesk.ticket"]
            .with_user(self.claire)
            .with_context(
                default_partner_id=self.customer.id, atelier_cti_line_id=self.line.id
            )
        )
        self.assertEqual(form.partner_id, self.customer)
        form.name = "Appel"
        form.description = "<p>x</p>"
        ticket = form.save()
        self.assertEqual(ticket.team_id, workshop)
        self.assertEqual(ticket.type_id, workshop.atelier_default_type_id)
        self.assertTrue(ticket.ticket_sla_ids)

    def test_line_without_mapping_falls_back_on_the_caller_then_settings(self):
        interventions = self.env.ref("atelier_helpdesk.helpdesk_team_interventions")
        call = self._call(self.customer)
        context = call.action_new_ticket()["context"]
        Ticket = self.env["helpdesk.ticket"].with_user(self.claire)
        ticket = Form(Ticket.with_context(**context)).save()
        company = self.env.company
        self.assertEqual(ticket.team_id, company.atelier_helpdesk_team_id)
        self.assertEqual(ticket.type_id, company.atelier_helpdesk_type_id)
        self.customer.atelier_helpdesk_team_id = interventions
        ticket = Form(Ticket.with_context(**context)).save()
        self.assertEqual(ticket.team_id, interventions)
        self.assertEqual(ticket.type_id, interventions.atelier_default_type_id)

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
