# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import AtelierHelpdeskCommon, new_portal_user


@tagged("post_install", "-at_install")
class TestPortalSecurity(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stage_new = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
        cls.stage_done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.stage_rejected = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_rejected")
        Partner = cls.env["res.partner"]
        cls.company_a = Partner.create({"name": "Boulangerie A", "is_company": True})
        cls.company_b = Partner.create({"name": "Garage B", "is_company": True})
        cls.portal_a = new_portal_user(
            cls.env, "portal_a", "Alice Client", cls.company_a
        )
        cls.portal_b = new_portal_user(cls.env, "portal_b", "Bob Client", cls.company_b)
        Ticket = cls.env["helpdesk.ticket"]
        cls.ticket_a = Ticket.create(
            {
                "name": "Ticket of Alice",
                "description": "<p>A</p>",
                "partner_id": cls.portal_a.partner_id.id,
                "stage_id": cls.stage_new.id,
            }
        )
        cls.ticket_b = Ticket.create(
            {
                "name": "Ticket of Bob",
                "description": "<p>B</p>",
                "partner_id": cls.portal_b.partner_id.id,
                "stage_id": cls.stage_new.id,
            }
        )

    # -- RPC -------------------------------------------------------------
    def test_rpc_portal_cannot_touch_other_ticket(self):
        ticket = self.ticket_a.with_user(self.portal_b)
        with self.assertRaises(AccessError):
            ticket.read(["name"])
        with self.assertRaises(AccessError):
            ticket.write({"name": "hacked"})
        with self.assertRaises(AccessError):
            ticket._atelier_portal_close(self.stage_done)
        with self.assertRaises(AccessError):
            ticket.message_post(body="spam", message_type="comment")
        with self.assertRaises(AccessError):
            self.env["ir.attachment"].with_user(self.portal_b).create(
                {
                    "name": "x.txt",
                    "raw": b"x",
                    "res_model": "helpdesk.ticket",
                    "res_id": self.ticket_a.id,
                }
            )
        visible = self.env["helpdesk.ticket"].with_user(self.portal_b).search([])
        self.assertEqual(visible, self.ticket_b)
        self.assertEqual(self.ticket_a.stage_id, self.stage_new)
        self.assertEqual(self.ticket_a.name, "Ticket of Alice")

    def test_rpc_owner_closes_only_to_portal_stages(self):
        ticket = self.ticket_a.with_user(self.portal_a)
        with self.assertRaises(AccessError):
            ticket._atelier_portal_close(self.stage_rejected)
        # a ticket without a team (cleared by hand: every new ticket gets
        # one) closes only to the stages of no team
        self.ticket_a.team_id = False
        team_stage = self.env["helpdesk.ticket.stage"].create(
            {
                "name": "Closed by the desk",
                "closed": True,
                "close_from_portal": True,
                "team_ids": [
                    (6, 0, self.env.ref("atelier_helpdesk.helpdesk_team_desk").ids)
                ],
            }
        )
        with self.assertRaises(AccessError):
            ticket._atelier_portal_close(team_stage)
        self.assertEqual(self.ticket_a.stage_id, self.stage_new)
        ticket._atelier_portal_close(self.stage_done)
        self.assertEqual(self.ticket_a.stage_id, self.stage_done)

    def test_public_users_cannot_write_stages(self):
        public = self.env.ref("base.public_user")
        Stage = self.env["helpdesk.ticket.stage"].with_user(public)
        self.assertFalse(Stage.has_access("write"))
        with self.assertRaises(AccessError):
            self.stage_new.with_user(public).write({"name": "Pwned"})

    # -- HTTP ------------------------------------------------------------
    def _csrf(self):
        page = self.url_open("/new/ticket").text
        return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    @mute_logger("odoo.http")
    def test_http_portal_cannot_read_or_close_other_ticket(self):
        self.authenticate("portal_b", "portal_b")
        page = self.url_open(f"/my/ticket/{self.ticket_a.id}")
        self.assertNotIn("Ticket of Alice", page.text)
        self.assertTrue(page.url.endswith("/my"), page.url)

        csrf = self._csrf()
        response = self.url_open(
            "/ticket/close",
            data={
                "ticket_id": self.ticket_a.id,
                "stage_id": self.stage_done.id,
                "csrf_token": csrf,
            },
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 403)
        # the old GET link closes nothing either
        response = self.url_open(
            f"/ticket/close?ticket_id={self.ticket_a.id}&stage_id={self.stage_done.id}",
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 405)
        self.ticket_a.invalidate_recordset()
        self.assertEqual(self.ticket_a.stage_id, self.stage_new)

    @mute_logger("odoo.http")
    def test_http_portal_cannot_attach_or_post_to_other_ticket(self):
        self.authenticate("portal_b", "portal_b")
        csrf = self._csrf()
        response = self.url_open(
            "/mail/attachment/upload",
            data={
                "thread_id": self.ticket_a.id,
                "thread_model": "helpdesk.ticket",
                "csrf_token": csrf,
            },
            files={"ufile": ("evil.txt", b"evil", "text/plain")},
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(
            self.env["ir.attachment"].search(
                [
                    ("res_model", "=", "helpdesk.ticket"),
                    ("res_id", "=", self.ticket_a.id),
                ]
            )
        )
        before = len(self.ticket_a.message_ids)
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                "/mail/message/post",
                {
                    "thread_model": "helpdesk.ticket",
                    "thread_id": self.ticket_a.id,
                    "post_data": {"body": "spam", "message_type": "comment"},
                },
            )
        self.ticket_a.invalidate_recordset()
        self.assertEqual(len(self.ticket_a.message_ids), before)

    def test_http_owner_closes_own_ticket(self):
        self.authenticate("portal_a", "portal_a")
        page = self.url_open(f"/my/ticket/{self.ticket_a.id}")
        self.assertIn("Ticket of Alice", page.text)
        self.assertIn('action="/ticket/close"', page.text)
        self.assertIn('method="POST"', page.text)
        response = self.url_open(
            "/ticket/close",
            data={
                "ticket_id": self.ticket_a.id,
                "stage_id": self.stage_done.id,
                "csrf_token": self._csrf(),
            },
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.ticket_a.invalidate_recordset()
        self.assertEqual(self.ticket_a.stage_id, self.stage_done)

    def test_http_portal_request_without_type_lands_on_a_team(self):
        self.authenticate("portal_b", "portal_b")
        response = self.url_open(
            "/submitted/ticket",
            data={
                "subject": "Chauffe-eau en panne",
                "description": "Plus d'eau chaude",
                "csrf_token": self._csrf(),
            },
        )
        self.assertEqual(response.status_code, 200)
        ticket = self.env["helpdesk.ticket"].search(
            [("name", "=", "Chauffe-eau en panne")]
        )
        company = self.env.company
        self.assertEqual(ticket.team_id, company.atelier_helpdesk_team_id)
        self.assertEqual(ticket.type_id, company.atelier_helpdesk_type_id)
        self.assertTrue(ticket.ticket_sla_ids)
        self.assertEqual(ticket.atelier_channel, "portal")

    @mute_logger("odoo.http")
    def test_http_portal_upload_refuses_oversized_file(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "atelier_helpdesk.max_attachment_mb", "0.001"
        )
        self.authenticate("portal_b", "portal_b")
        response = self.url_open(
            "/submitted/ticket",
            data={
                "subject": "Too big",
                "description": "see file",
                "csrf_token": self._csrf(),
            },
            files={"attachment": ("huge.bin", b"x" * 4096, "application/octet-stream")},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("huge.bin", response.text)
        self.assertIn("o_atelier_helpdesk_upload_error", response.text)
        self.assertFalse(
            self.env["helpdesk.ticket"].search([("name", "=", "Too big")]),
            "no ticket created with a refused file",
        )


@tagged("post_install", "-at_install")
class TestPartnerTicketCount(AtelierHelpdeskCommon):
    def test_new_contact_counts_no_ticket_without_warning(self):
        with self.assertNoLogs("odoo.domains", "WARNING"):
            partner = self.env["res.partner"].new({"name": "Nouveau client"})
            self.assertEqual(partner.helpdesk_ticket_count, 0)
            self.assertEqual(partner.helpdesk_ticket_count_string, "0 / 0")
