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
        """It used to get no type (technicians could not read types), hence
        no team and no SLA; the type's team then refused it."""
        self.env.company.helpdesk_mgmt_ticket_auto_assign = False
        user = self.data["technician"]
        action = self.line.with_user(user).action_atelier_new_ticket()
        self.assertEqual(action["context"]["default_type_id"], self.diagnostic_type.id)
        form = self._ticket_from(action, user)
        self.assertEqual(form.type_id, self.diagnostic_type)
        self.assertEqual(form.team_id, self.diagnostic_type.atelier_team_id)
        ticket = form.save()
        self.assertEqual(ticket.atelier_obd_dtc_id, self.line)
        self.assertEqual(ticket.partner_id, self.data["owner"])
        ticket = ticket.sudo()
        self.assertEqual(ticket.type_id, self.diagnostic_type)
        self.assertEqual(ticket.team_id, self.diagnostic_type.atelier_team_id)
        self.assertEqual(
            ticket.ticket_sla_ids.sla_id.atelier_type_ids, self.diagnostic_type
        )
        self.assertEqual(ticket.atelier_sla_status, "on_track")

    def test_a_trouble_code_routes_any_ticket_to_the_settings_type(self):
        # created without the form (RPC, another screen): the code decides
        Ticket = self.env["helpdesk.ticket"].with_user(self.data["assistant"])
        vals = {
            "name": "P0301",
            "description": "<p>x</p>",
            "atelier_obd_dtc_id": self.line.id,
            "partner_id": self.data["owner"].id,
        }
        ticket = Ticket.create(vals)
        self.assertEqual(ticket.type_id, self.diagnostic_type)
        self.assertEqual(ticket.atelier_vehicle_id, self.vehicle)
        # the type is a setting
        electrical = self.env.ref("atelier_helpdesk.helpdesk_type_electrical")
        self.env.company.atelier_helpdesk_dtc_type_id = electrical
        ticket = Ticket.create(vals)
        self.assertEqual(ticket.type_id, electrical)
        self.assertEqual(ticket.team_id, electrical.atelier_team_id)
        self.assertEqual(
            self.line.action_atelier_new_ticket()["context"]["default_type_id"],
            electrical.id,
        )

    def test_the_clients_only_vehicle_is_prefilled(self):
        owner = self.data["owner"]
        driver = self.env["res.partner"].create(
            {"name": "Chauffeur Alpha", "parent_id": owner.id}
        )
        user = self.data["assistant"]
        Ticket = self.env["helpdesk.ticket"].with_user(user)
        # the pop-up passes the caller: a contact of the owner company
        form = Form(Ticket.with_context(default_partner_id=driver.id))
        self.assertEqual(form.atelier_vehicle_id, self.vehicle)
        form = Form(Ticket)
        self.assertFalse(form.atelier_vehicle_id)
        form.partner_id = owner
        self.assertEqual(form.atelier_vehicle_id, self.vehicle)
        ticket = Ticket.create(
            {"name": "Bruit", "description": "<p>x</p>", "partner_id": owner.id}
        )
        self.assertEqual(ticket.atelier_vehicle_id, self.vehicle)
        # two vehicles: nothing is guessed
        self.vehicle.copy({"license_plate": "BB-222-BB"})
        ticket = Ticket.create(
            {"name": "Bruit", "description": "<p>x</p>", "partner_id": owner.id}
        )
        self.assertFalse(ticket.atelier_vehicle_id)
        form = Form(Ticket.with_context(default_partner_id=owner.id))
        self.assertFalse(form.atelier_vehicle_id)

    def test_unknown_code_and_escaped_text(self):
        line = self.data["unknown_line"]
        self.line.dtc_id.description = "<script>alert(1)</script>"
        context = self.line.action_atelier_new_ticket()["context"]
        self.assertNotIn("<script>", str(context["default_description"]))
        context = line.action_atelier_new_ticket()["context"]
        self.assertIn("P3F00", context["default_name"])
        self.assertNotIn("severity", str(context["default_description"]))
        self.assertEqual(context["default_partner_id"], self.data["owner"].id)

    def test_likely_causes_are_one_item_each(self):
        """The causes (one a line or ';') used to run together in one
        paragraph of the ticket: "worn plug Faulty coil Clogged injector"."""
        self.line.dtc_id.likely_causes = (
            "Worn spark plug\nFaulty coil; Clogged <b>injector</b>\n\n"
        )
        context = self.line.action_atelier_new_ticket()["context"]
        description = str(context["default_description"])
        self.assertIn("<li>Worn spark plug</li>", description)
        self.assertIn("<li>Faulty coil</li>", description)
        self.assertIn("<li>Clogged &lt;b&gt;injector&lt;/b&gt;</li>", description)
        self.assertEqual(description.count("<li>"), 3)
        self.line.dtc_id.likely_causes = False
        context = self.line.action_atelier_new_ticket()["context"]
        self.assertNotIn("<ul", str(context["default_description"]))

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
