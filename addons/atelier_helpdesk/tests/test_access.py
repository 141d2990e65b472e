# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import AtelierHelpdeskCommon, outsiders, public_methods


@tagged("post_install", "-at_install")
class TestPublicMethodsAccess(AtelierHelpdeskCommon):
    """Every method of this addon callable over RPC refuses a portal client,
    a coach and the OBD bridge's user on a ticket that is not theirs. A new
    public method fails here until it is checked and listed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = outsiders(cls.env, "hdacc")
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "Panne de courant",
                "description": "<p>Plus de courant.</p>",
                "partner_id": cls.client.id,
            }
        )
        cls.client_company.atelier_helpdesk_team_id = cls.team_interventions
        cls.quote = cls.env.ref("atelier_helpdesk.mail_template_ticket_quote_sent")

    def _calls(self, ticket):
        """method name -> a call on ``ticket`` (as a user) that must be refused."""
        rating = self.env["rating.rating"].create(
            {
                "res_model_id": self.env["ir.model"]._get_id("helpdesk.ticket"),
                "res_id": self.ticket.id,
            }
        )
        return {
            "atelier_dashboard_data": lambda: ticket.atelier_dashboard_data(),
            "atelier_reply_template_list": lambda: ticket.atelier_reply_template_list(),
            "atelier_reply_template_render": lambda: (
                ticket.atelier_reply_template_render(self.quote.id)
            ),
            "create": lambda: ticket.create(
                {"name": "x", "description": "<p>x</p>", "partner_id": self.client.id}
            ),
            "write": lambda: ticket.write({"name": "pris"}),
            "rating_apply": lambda: ticket.rating_apply(5, rating=rating),
        }

    def test_public_methods_refuse_outsiders(self):
        mixin_users = self.env.registry["atelier.satisfaction.mixin"]._inherit_children
        expected = {("helpdesk.ticket", name) for name in self._calls(self.ticket)}
        expected |= {("helpdesk.ticket", "default_get")}
        expected |= {
            (model, name)
            for model in mixin_users | {"atelier.satisfaction.mixin"}
            for name in ("write", "rating_apply")
        }
        self.assertEqual(public_methods(self.env, "atelier_helpdesk"), expected)
        for role, user in self.users.items():
            for name, call in self._calls(self.ticket.with_user(user)).items():
                with self.subTest(role=role, method=name):
                    with self.assertRaises(AccessError):
                        call()
        self.assertEqual(self.ticket.name, "Panne de courant")
        self.assertFalse(self.ticket.atelier_csat)

    def test_default_get_tells_no_client_routing_to_outsiders(self):
        company = self.env.company
        for role, user in self.users.items():
            Ticket = self.env["helpdesk.ticket"].with_user(user)
            values = Ticket.with_context(default_partner_id=self.client.id).default_get(
                ["team_id", "type_id"]
            )
            if not self.client.with_user(user).has_access("read"):
                with self.subTest(role=role):
                    self.assertEqual(
                        values.get("team_id"), company.atelier_helpdesk_team_id.id
                    )

    def test_a_rating_applies_only_to_its_own_record(self):
        other = self.env["helpdesk.ticket"].create(
            {"name": "Autre", "description": "<p>x</p>", "partner_id": self.client.id}
        )
        token = other._rating_get_access_token()
        with self.assertRaises(AccessError):
            self.ticket.with_user(self.user_claire).rating_apply(4, token=token)
        self.assertFalse(self.ticket.atelier_csat)
        self.assertFalse(other.atelier_csat)

    def test_mail_gateway_entries_are_not_rpc(self):
        Ticket = type(self.env["helpdesk.ticket"])
        self.assertTrue(Ticket.message_new._api_private)
        self.assertTrue(Ticket.message_update._api_private)
