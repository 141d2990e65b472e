# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import EMAIL_TEMPLATE, AtelierHelpdeskCommon

MULTIPART_TEMPLATE = """Return-Path: {return_path}
To: {to}
cc: {cc}
From: {email_from}
Subject: {subject}
MIME-Version: 1.0
Date: {date}
Message-ID: {msg_id}
{extra}Content-Type: multipart/mixed; boundary="BOUNDARY"

--BOUNDARY
Content-Type: text/plain; charset="utf-8"

Voici la photo du tableau.
--BOUNDARY
Content-Type: application/octet-stream; name="{fname}"
Content-Disposition: attachment; filename="{fname}"
Content-Transfer-Encoding: base64

{payload}
--BOUNDARY--
"""

EMPTY_TEMPLATE = """To: {to}
From: {email_from}
Subject: {subject}
Message-ID: {msg_id}
Date: not a date at all
Content-Type: text/plain; charset="x-unknown-charset"
{extra}
"""


@tagged("post_install", "-at_install")
class TestMailGateway(AtelierHelpdeskCommon):
    def _process(self, subject, email_from="Paul Durand <paul@durand.fr>", **kw):
        kw.setdefault("to", f"support@{self.alias_domain}")
        kw.setdefault("template", EMAIL_TEMPLATE)
        template = kw.pop("template")
        to = kw.pop("to")
        return self.format_and_process(
            template,
            email_from,
            to,
            subject=subject,
            target_model="helpdesk.ticket",
            **kw,
        )

    def test_new_email_creates_ticket_with_known_contact(self):
        with self.mock_mail_gateway():
            ticket = self._process("Disjoncteur qui saute")
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.partner_id, self.client, "sender matched by address")
        self.assertEqual(ticket.atelier_channel, "email")
        self.assertEqual(ticket.channel_id.atelier_code, "email")
        self.assertEqual(ticket.team_id, self.team_desk)
        self.assertEqual(ticket.type_id, self.type_after_sales, "team default type")
        self.assertEqual(
            set(ticket.ticket_sla_ids.mapped("atelier_kind")),
            {"first_response", "resolution"},
        )
        # the acknowledgement went to the client, and is not a first response
        ack = self._new_mails.filtered(lambda m: "bien reçu" in (m.subject or ""))
        self.assertEqual(len(ack), 1)
        self.assertIn(self.client, ack.recipient_ids)
        self.assertFalse(ticket.atelier_first_response_date)

    def test_unknown_sender_gets_a_contact(self):
        with self.mock_mail_gateway():
            ticket = self._process(
                "Demande de devis", email_from="Nina Leroy <nina@leroy-elec.fr>"
            )
        self.assertTrue(ticket.partner_id)
        self.assertEqual(ticket.partner_id.email, "nina@leroy-elec.fr")
        self.assertEqual(ticket.partner_id.name, "Nina Leroy")
        incoming = ticket.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertEqual(incoming.author_id, ticket.partner_id)

    def test_reply_threads_into_ticket(self):
        with self.mock_mail_gateway():
            ticket = self._process("Prise grillée", msg_id="<first@durand.fr>")
            self.format_and_process(
                EMAIL_TEMPLATE,
                "Paul Durand <paul@durand.fr>",
                f"support@{self.alias_domain}",
                subject="Re: Prise grillée",
                extra="In-Reply-To: <first@durand.fr>\nReferences: <first@durand.fr>",
                target_model="helpdesk.ticket",
            )
        self.assertEqual(
            self.env["helpdesk.ticket"].search_count(
                [("name", "like", "Prise grillée")]
            ),
            1,
            "a reply does not open a second ticket",
        )
        self.assertEqual(
            len(ticket.message_ids.filtered(lambda m: m.message_type == "email")), 2
        )

    @mute_logger("odoo.addons.atelier_helpdesk.models.helpdesk_ticket")
    def test_auto_reply_creates_no_ticket(self):
        with self.mock_mail_gateway():
            ticket = self._process(
                "Absence du bureau",
                extra="Auto-Submitted: auto-replied",
            )
        self.assertFalse(ticket)
        kept = self.team_desk.message_ids.filtered(
            lambda m: m.subject == "Absence du bureau"
        )
        self.assertEqual(len(kept), 1, "the auto-reply is kept on the team")
        self.assertTrue(kept.is_internal or kept.subtype_id.internal)
        self.assertFalse(self._new_mails, "nothing sent back to a robot")

    @mute_logger("odoo.addons.atelier_helpdesk.models.helpdesk_ticket")
    def test_noreply_sender_creates_no_ticket(self):
        with self.mock_mail_gateway():
            ticket = self._process(
                "Votre commande", email_from="Boutique <no-reply@shop.example.com>"
            )
        self.assertFalse(ticket)

    def test_suppress_header_no_acknowledgement(self):
        with self.mock_mail_gateway():
            ticket = self._process(
                "Question formation", extra="X-Auto-Response-Suppress: All"
            )
        self.assertEqual(len(ticket), 1, "a person may write with this header")
        self.assertFalse(
            self._new_mails.filtered(lambda m: "bien reçu" in (m.subject or "")),
            "no acknowledgement to a sender asking for none",
        )

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_bounce_creates_no_ticket(self):
        with self.mock_mail_gateway():
            ticket = self._process(
                "Undelivered Mail Returned to Sender",
                email_from=f"MAILER-DAEMON <mailer-daemon@{self.alias_domain}>",
            )
        self.assertFalse(ticket)

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_our_own_catchall_address_creates_no_ticket(self):
        alias_domain = self.env["mail.alias.domain"].search(
            [("name", "=", self.alias_domain)], limit=1
        )
        self.assertTrue(alias_domain.catchall_alias)
        with self.mock_mail_gateway():
            ticket = self._process(
                "Réponse automatique",
                email_from=f"<{alias_domain.catchall_alias}@{self.alias_domain}>",
            )
        self.assertFalse(ticket)
        # a client of the same domain still opens a ticket
        with self.mock_mail_gateway():
            ticket = self._process(
                "Vraie demande", email_from=f"<marie@{self.alias_domain}>"
            )
        self.assertTrue(ticket)

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_loop_detection_stops_ticket_storm(self):
        self.env["ir.config_parameter"].set_param("mail.gateway.loop.threshold", 3)
        with self.mock_mail_gateway():
            for index in range(5):
                self._process(f"Alerte {index}", email_from="robot@monitor.example.com")
        count = self.env["helpdesk.ticket"].search_count(
            [("partner_email", "ilike", "robot@monitor.example.com")]
        )
        self.assertEqual(count, 3, "senders creating too many tickets are ignored")

    @mute_logger("odoo.addons.atelier_helpdesk.models.helpdesk_ticket")
    def test_malformed_email_is_kept(self):
        with self.mock_mail_gateway():
            self.env["mail.thread"].sudo().message_process(
                None,
                EMPTY_TEMPLATE.format(
                    to=f"support@{self.alias_domain}",
                    email_from="paul@durand.fr",
                    subject="",
                    msg_id="<broken@durand.fr>",
                    extra="",
                ),
            )
        ticket = self.env["helpdesk.ticket"].search(
            [("partner_email", "ilike", "paul@durand.fr")]
        )
        self.assertEqual(len(ticket), 1, "an empty, badly dated e-mail is not lost")
        self.assertIn("no readable text", ticket.description)

    @mute_logger("odoo.addons.atelier_helpdesk.models.helpdesk_ticket")
    def test_oversized_attachment_refused(self):
        self.env["ir.config_parameter"].set_param(
            "atelier_helpdesk.max_attachment_mb", "0.001"
        )
        payload = base64.b64encode(b"x" * 4096).decode()
        small = base64.b64encode(b"ok").decode()
        with self.mock_mail_gateway():
            ticket = self._process(
                "Photo du tableau",
                template=MULTIPART_TEMPLATE,
                fname="tableau.jpg",
                payload=payload,
            )
            other = self._process(
                "Petite photo",
                template=MULTIPART_TEMPLATE,
                fname="mini.txt",
                payload=small,
            )
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
            ),
            "the oversized file is not stored",
        )
        notice = ticket.message_ids.filtered(lambda m: "tableau.jpg" in (m.body or ""))
        self.assertEqual(len(notice), 1)
        self.assertIn("exceed", notice.body)
        self.assertIn(self.client, notice.partner_ids, "the client is told why")
        self.assertEqual(
            self.env["ir.attachment"]
            .search([("res_model", "=", "helpdesk.ticket"), ("res_id", "=", other.id)])
            .mapped("name"),
            ["mini.txt"],
            "files under the limit are kept",
        )
