# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import AlexCase

SOURCES = [
    {"url": "/kb/code/P0301", "title": "Ratés d'allumage cylindre 1"},
    {"url": "javascript:alert(1)", "title": "piège"},
    {"url": "https://evil.example.com/kb/code/P0301", "title": "ailleurs"},
    "garbage",
]


@tagged("post_install", "-at_install")
class TestHandoff(AlexCase):
    def test_visitor_leaves_a_contact_request(self):
        public = self.env.ref("base.public_user")
        Alex = self.Alex.with_user(public)
        self.assertEqual(Alex._handoff_kind(), "request")
        for contact in (
            {},
            {"name": "Jean"},
            {"name": "Jean", "email": "pas-une-adresse"},
            {"name": "  ", "phone": "0612345678"},
        ):
            with self.assertRaises(ValidationError):
                Alex._handoff("Ma batterie hybride faiblit", contact=contact)
        result = Alex._handoff(
            "Ma batterie hybride faiblit",
            answer="Je ne sais pas.",
            sources=SOURCES,
            contact={"name": "Jean Visiteur", "phone": "06 12 34 56 78"},
        )
        self.assertEqual(result["kind"], "request")
        request = self.env["atelier.alex.request"].search([], limit=1)
        self.assertRecordValues(
            request,
            [
                {
                    "contact_name": "Jean Visiteur",
                    "phone": "06 12 34 56 78",
                    "question": "Ma batterie hybride faiblit",
                    "state": "new",
                    "partner_id": False,
                }
            ],
        )
        self.assertIn('href="/kb/code/P0301"', request.body)
        self.assertNotIn("javascript", request.body)
        self.assertNotIn("evil.example.com", request.body)

    def test_client_of_the_portal_opens_a_ticket(self):
        Alex = self.Alex.with_user(self.portal)
        if "helpdesk.ticket" not in self.env:
            self.assertEqual(Alex._handoff_kind(), "request")
            result = Alex._handoff("Que veut dire P0301 ?")
            self.assertEqual(result["kind"], "request")
            request = self.env["atelier.alex.request"].search([], limit=1)
            self.assertEqual(request.partner_id, self.portal.partner_id)
            return
        self.assertEqual(Alex._handoff_kind(), "ticket")
        result = Alex._handoff(
            "Que veut dire P0301 ?", answer="Des ratés [1].", sources=SOURCES
        )
        ticket = self.env["helpdesk.ticket"].search([], limit=1, order="id desc")
        self.assertEqual(result["kind"], "ticket")
        self.assertEqual(result["url"], f"/my/ticket/{ticket.id}")
        self.assertEqual(ticket.partner_id, self.portal.partner_id)
        self.assertFalse(ticket.user_id)
        self.assertIn(self.portal.partner_id, ticket.message_partner_ids)
        self.assertIn("P0301", ticket.name)
        self.assertIn('href="/kb/code/P0301"', ticket.description)
        # the client sees the ticket in the portal
        ticket.with_user(self.portal).check_access("read")
        if "atelier_channel" in ticket._fields:
            self.assertEqual(ticket.atelier_channel, "portal")
        if "atelier_ai_state" in ticket._fields:
            # pre-sorted by the triage of atelier_helpdesk_ai
            self.assertEqual(ticket.atelier_ai_state, "suggested")
            self.assertTrue(ticket.type_id)
            self.assertEqual(ticket.type_id, ticket.atelier_ai_type_id)

    def test_employee_without_helpdesk_rights(self):
        self.assertEqual(
            self.Alex.with_user(self.technician)._handoff_kind(),
            (
                "ticket"
                if "helpdesk.ticket" in self.env
                and self.env["helpdesk.ticket"]
                .with_user(self.technician)
                .has_access("create")
                else "request"
            ),
        )

    def test_requests_for_the_desk_only(self):
        request = self.env["atelier.alex.request"].create(
            {"contact_name": "X", "question": "Q"}
        )
        request.with_user(self.assistant).action_done()
        self.assertEqual(request.state, "done")
        for user in (self.portal, self.technician):
            with self.assertRaises(AccessError):
                request.with_user(user).read(["question"])
            with self.assertRaises(AccessError):
                request.with_user(user).action_done()
        with self.assertRaises(AccessError):
            self.env["atelier.alex.request"].with_user(self.assistant).create(
                {"contact_name": "X", "question": "Q"}
            )
