# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import Form, new_test_user, tagged

from .common import AtelierHelpdeskCommon


@tagged("post_install", "-at_install")
class TestRouting(AtelierHelpdeskCommon):
    """Every ticket lands on a team with a type, hence its SLA, whatever
    created it; the strongest hint wins, Settings give the last word."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.team_workshop = ref("atelier_helpdesk.helpdesk_team_workshop")
        cls.type_quote = ref("atelier_helpdesk.helpdesk_type_quote")
        cls.type_diagnostic = ref("atelier_helpdesk.helpdesk_type_diagnostic")
        cls.company = cls.env.company
        cls.company.write(
            {
                "atelier_helpdesk_team_id": cls.team_desk.id,
                "atelier_helpdesk_type_id": cls.type_after_sales.id,
            }
        )
        cls.technician = new_test_user(
            cls.env,
            login="tech_routing",
            name="Gaetan Technicien",
            groups="atelier_base.group_technician",
        )

    def _create_as(self, user, **vals):
        values = {"name": "Demande", "description": "<p>Bonjour</p>"}
        values.update(vals)
        return self.env["helpdesk.ticket"].with_user(user).create(values)

    def _assert_routed(self, ticket, team, ticket_type):
        ticket = ticket.sudo()
        self.assertEqual(ticket.team_id, team)
        self.assertEqual(ticket.type_id, ticket_type)
        self.assertEqual(
            set(ticket.ticket_sla_ids.sla_id.atelier_type_ids.ids),
            {ticket_type.id},
            "the type's SLA applies",
        )
        self.assertEqual(ticket.atelier_sla_status, "on_track")

    def test_nothing_given_goes_to_the_settings_default(self):
        ticket = self._create_as(self.user_claire, partner_id=self.client.id)
        self._assert_routed(ticket, self.team_desk, self.type_after_sales)

    def test_settings_default_can_change(self):
        self.company.write(
            {
                "atelier_helpdesk_team_id": self.team_interventions.id,
                "atelier_helpdesk_type_id": self.type_electrical.id,
            }
        )
        ticket = self._create_as(self.user_claire)
        self._assert_routed(ticket, self.team_interventions, self.type_electrical)

    def test_without_settings_the_first_team_and_its_type(self):
        self.company.write(
            {"atelier_helpdesk_team_id": False, "atelier_helpdesk_type_id": False}
        )
        ticket = self._create_as(self.user_claire)
        first = self.env["helpdesk.ticket.team"].search([], limit=1)
        self.assertEqual(ticket.team_id, first)
        self.assertTrue(ticket.type_id)

    def test_the_clients_usual_team(self):
        self.client_company.atelier_helpdesk_team_id = self.team_interventions
        self.assertEqual(
            self.client.atelier_helpdesk_team_id,
            self.team_interventions,
            "the company's team is its contacts' team",
        )
        ticket = self._create_as(self.user_claire, partner_id=self.client.id)
        self._assert_routed(ticket, self.team_interventions, self.type_electrical)

    def test_a_chosen_type_beats_the_clients_team(self):
        self.client_company.atelier_helpdesk_team_id = self.team_interventions
        ticket = self._create_as(
            self.user_claire, partner_id=self.client.id, type_id=self.type_quote.id
        )
        self._assert_routed(ticket, self.team_desk, self.type_quote)

    def test_a_chosen_team_gets_its_default_type(self):
        ticket = self._create_as(
            self.user_claire, team_id=self.team_workshop.id, partner_id=self.client.id
        )
        self._assert_routed(ticket, self.team_workshop, self.type_diagnostic)

    def test_a_hint_whose_type_does_not_fit_the_team_is_skipped(self):
        # the desk only takes quotes: the default type (after-sales) is not
        # forced on it, its own default type is
        self.team_desk.type_ids = self.type_quote
        self.team_desk.atelier_default_type_id = self.type_quote
        ticket = self._create_as(self.user_claire, team_id=self.team_desk.id)
        self.assertEqual(ticket.type_id, self.type_quote)

    def test_context_defaults_are_kept(self):
        ticket = (
            self.env["helpdesk.ticket"]
            .with_user(self.user_claire)
            .with_context(default_type_id=self.type_quote.id)
            .create({"name": "Devis", "description": "<p>x</p>"})
        )
        self._assert_routed(ticket, self.team_desk, self.type_quote)

    def test_form_shows_the_routing_before_saving(self):
        self.client_company.atelier_helpdesk_team_id = self.team_interventions
        form = Form(
            self.env["helpdesk.ticket"]
            .with_user(self.user_claire)
            .with_context(default_partner_id=self.client.id)
        )
        self.assertEqual(form.team_id, self.team_interventions)
        self.assertEqual(form.type_id, self.type_electrical)

    def test_choosing_the_client_in_the_form_follows_its_team(self):
        self.client_company.atelier_helpdesk_team_id = self.team_interventions
        form = Form(self.env["helpdesk.ticket"].with_user(self.user_claire))
        self.assertEqual(form.team_id, self.team_desk, "the default first")
        form.partner_id = self.client
        self.assertEqual(form.team_id, self.team_interventions)
        self.assertEqual(form.type_id, self.type_electrical)
        # a type chosen by hand is not overridden by the client
        form = Form(self.env["helpdesk.ticket"].with_user(self.user_claire))
        form.type_id = self.type_quote
        form.partner_id = self.client
        self.assertEqual(form.type_id, self.type_quote)
        self.assertEqual(form.team_id, self.team_desk)

    def test_changing_the_team_in_the_form_gives_its_type(self):
        form = Form(self.env["helpdesk.ticket"].with_user(self.user_claire))
        form.team_id = self.team_workshop
        self.assertEqual(form.type_id, self.type_diagnostic)

    def test_technician_opens_a_ticket_for_another_team(self):
        """Technicians could not read ticket types, and the type's team, which
        they are not members of, made their own ticket unreadable to them."""
        # assigned to nobody (with auto-assignment, to him: readable anyway)
        self.company.helpdesk_mgmt_ticket_auto_assign = False
        form = Form(
            self.env["helpdesk.ticket"]
            .with_user(self.technician)
            .with_context(default_type_id=self.type_diagnostic.id)
        )
        form.name = "Voyant moteur"
        form.description = "<p>P0301</p>"
        form.partner_id = self.client
        ticket = form.save()
        self._assert_routed(ticket, self.team_workshop, self.type_diagnostic)
        self.assertNotIn(self.technician, self.team_workshop.user_ids)
        ticket.with_user(self.technician).write({"priority": "2"})
        self.assertEqual(ticket.priority, "2")

    def test_technician_sees_tickets_he_opened_not_the_others(self):
        mine = self._create_as(self.technician, partner_id=self.client.id)
        other = self._create_as(self.user_claire, partner_id=self.client.id)
        visible = (
            self.env["helpdesk.ticket"]
            .with_user(self.technician)
            .search([("id", "in", (mine | other).ids)])
        )
        self.assertEqual(visible, mine)

    def test_the_system_assigns_no_ticket_to_odoobot(self):
        self.company.helpdesk_mgmt_ticket_auto_assign = True
        ticket = self.env["helpdesk.ticket"].create(
            {"name": "Import", "description": "<p>x</p>"}
        )
        self.assertFalse(ticket.user_id, "not OdooBot")
        mine = self._create_as(self.user_claire)
        self.assertEqual(mine.user_id, self.user_claire, "auto-assignment kept")

    def test_the_clients_name_is_filled_from_the_contact(self):
        ticket = self._create_as(self.user_claire, partner_id=self.client.id)
        self.assertEqual(ticket.partner_name, "Paul Durand")
        self.assertEqual(ticket.partner_email, "paul@durand.fr")
        ticket.partner_id = self.client_company
        self.assertEqual(ticket.partner_name, "Garage Durand")
        named = self._create_as(
            self.user_claire, partner_id=self.client.id, partner_name="P. Durand"
        )
        self.assertEqual(named.partner_name, "P. Durand", "given: kept")
