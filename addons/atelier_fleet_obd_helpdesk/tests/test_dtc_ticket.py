# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import Form, TransactionCase, tagged

from .common import setup_vehicle_with_codes


@tagged("post_install", "-at_install")
class TestDtcTicket(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.data = setup_vehicle_with_codes(cls.env, "obdhd")
        cls.vehicle = cls.data["vehicle"]
        cls.line = cls.data["misfire_line"]
        cls.diagnostic_type = cls.env.ref("atelier_helpdesk.helpdesk_type_diagnostic")

    def _ticket_from(self, action, user):
        self.assertEqual(action["res_model"], "helpdesk.ticket")
        form = Form(
            self.env["helpdesk.ticket"]
            .with_user(user)
            .with_context(**action["context"])
        )
        return form

    def test_ticket_from_a_code_is_prefilled_and_linked_both_ways(self):
        user = self.data["assistant"]
        action = self.line.with_user(user).action_atelier_new_ticket()
        form = self._ticket_from(action, user)
        self.assertEqual(form.partner_id, self.data["owner"])
        self.assertEqual(form.type_id, self.diagnostic_type)
        self.assertIn("P0301", form.name)
        self.assertIn("Cylinder 1 misfire detected", form.name)
        self.assertIn("AA-111-AA", form.name)
        ticket = form.save()
        self.assertIn("P0301", ticket.description)
        self.assertIn("Cylinder 1 misfire detected", ticket.description)
        self.assertIn("severity: High", ticket.description)
        self.assertIn("cylinder 1 misfire", ticket.description)
        self.assertEqual(ticket.atelier_obd_dtc_id, self.line)
        self.assertEqual(ticket.atelier_vehicle_id, self.vehicle)
        self.assertEqual(self.line.ticket_ids, ticket)
        self.assertEqual(self.line.ticket_count, 1)
        self.assertEqual(self.vehicle.atelier_ticket_ids, ticket)
        self.assertEqual(self.line.action_atelier_view_tickets()["res_id"], ticket.id)
        self.assertEqual(
            self.vehicle.action_atelier_view_tickets()["res_id"], ticket.id
        )
        tickets = ticket | ticket.copy({"atelier_obd_dtc_id": self.line.id})
        action = self.line.action_atelier_view_tickets()
        self.assertEqual(action["res_model"], "helpdesk.ticket")
        self.assertEqual(action["domain"], [("id", "in", tickets.ids)])
        self.assertNotIn("res_id", action)

    def test_technician_opens_a_ticket_from_a_code(self):
        user = self.data["technician"]
        action = self.line.with_user(user).action_atelier_new_ticket()
        self.assertNotIn("default_type_id", action["context"])
        ticket = self._ticket_from(action, user).save()
        self.assertEqual(ticket.atelier_obd_dtc_id, self.line)
        self.assertEqual(ticket.partner_id, self.data["owner"])

    def test_unknown_code_and_escaped_text(self):
        line = self.data["unknown_line"]
        self.line.dtc_id.description = "<script>alert(1)</script>"
        context = self.line.action_atelier_new_ticket()["context"]
        self.assertNotIn("<script>", str(context["default_description"]))
        context = line.action_atelier_new_ticket()["context"]
        self.assertIn("P3F00", context["default_name"])
        self.assertNotIn("severity", str(context["default_description"]))
        self.assertEqual(context["default_partner_id"], self.data["owner"].id)

    def test_ticket_from_the_vehicle_lists_its_open_codes(self):
        user = self.data["assistant"]
        action = self.vehicle.with_user(user).action_atelier_new_ticket()
        ticket = self._ticket_from(action, user).save()
        self.assertEqual(ticket.partner_id, self.data["owner"])
        self.assertEqual(ticket.type_id, self.diagnostic_type)
        self.assertEqual(ticket.atelier_vehicle_id, self.vehicle)
        self.assertFalse(ticket.atelier_obd_dtc_id)
        self.assertIn("P0301", ticket.description)
        self.assertIn("P3F00", ticket.description)
        self.assertEqual(self.vehicle.atelier_ticket_count, 1)

    def test_without_owner_or_type_nothing_is_invented(self):
        self.vehicle.atelier_owner_id = False
        self.env.ref("atelier_helpdesk.helpdesk_type_diagnostic").unlink()
        context = self.line.action_atelier_new_ticket()["context"]
        self.assertNotIn("default_partner_id", context)
        self.assertNotIn("default_type_id", context)
        self.assertEqual(context["default_atelier_vehicle_id"], self.vehicle.id)
