# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Incoming e-mail on a real Dovecot, read by Odoo's incoming mail servers
(IMAP, as the scheduled job does): tickets on the right team, replies
threaded, new contacts, robots ignored, and nothing ever lost."""

import base64
import uuid
from email.utils import formatdate

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import DOMAIN, DeskCase, MailServersMixin

PLAIN = """From: {sender}
To: {to}
Subject: {subject}
Date: {date}
Message-ID: {msg_id}
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit
{extra}
{body}
"""

DSN = """From: Mail Delivery System <MAILER-DAEMON@mx.example.net>
To: support@{domain}
Subject: Undelivered Mail Returned to Sender
Date: {date}
Message-ID: {msg_id}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="DSN"

--DSN
Content-Type: text/plain; charset=us-ascii

The mail system could not deliver your message to nobody@example.org.

--DSN
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net
Final-Recipient: rfc822; nobody@example.org
Action: failed
Status: 5.1.1

--DSN--
"""


def msg_id():
    return f"<{uuid.uuid4().hex}@client.example.com>"


def email(sender, to, subject, body="Bonjour,\nle disjoncteur saute.\n", **kw):
    return PLAIN.format(
        sender=sender,
        to=to,
        subject=subject,
        date=formatdate(localtime=True),
        msg_id=kw.get("message_id") or msg_id(),
        extra="".join(f"{name}: {value}\n" for name, value in kw.get("headers", ())),
        body=body,
    )


@tagged("post_install", "-at_install")
class TestMailInbound(MailServersMixin, DeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._start_mail_servers()
        cls.Ticket = cls.env["helpdesk.ticket"]
        cls.Quarantine = cls.env["atelier.mail.quarantine"]

    def tickets(self, subject):
        return self.Ticket.search([("name", "=", subject)])

    def test_known_client_gets_a_ticket_on_the_team_of_the_address(self):
        self.deliver(
            "atelier",
            email("Paul Durand <paul@durand.fr>", f"atelier@{DOMAIN}", "Voyant moteur"),
        )
        self.deliver(
            "formation",
            email(
                "Paul Durand <paul@durand.fr>",
                f"formation@{DOMAIN}",
                "Inscription au module 2",
            ),
        )
        self.fetch("atelier", "formation")
        workshop = self.tickets("Voyant moteur")
        academy = self.tickets("Inscription au module 2")
        self.assertEqual(len(workshop), 1)
        self.assertEqual(workshop.team_id, self.team_workshop)
        self.assertEqual(workshop.partner_id, self.paul, "sender matched by address")
        self.assertEqual(workshop.atelier_channel, "email")
        self.assertEqual(len(academy), 1)
        self.assertEqual(academy.team_id, self.team_academy)
        # both read in their mailbox: fetched once, never again
        for mailbox in ("atelier", "formation"):
            self.assertEqual(self.dovecot.unseen_count(f"{mailbox}@{DOMAIN}"), 0)
        self.fetch("atelier")
        self.assertEqual(len(self.tickets("Voyant moteur")), 1)

    def test_reply_threads_onto_its_ticket(self):
        self.deliver(
            "support",
            email("Paul Durand <paul@durand.fr>", f"support@{DOMAIN}", "Prise grillée"),
        )
        self.fetch("support")
        ticket = self.tickets("Prise grillée")
        self.assertEqual(len(ticket), 1)
        answer = ticket.with_user(self.claire).message_post(
            body="Pouvez-vous nous envoyer une photo ?",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.deliver(
            "support",
            email(
                "Paul Durand <paul@durand.fr>",
                f"support@{DOMAIN}",
                "Re: Prise grillée",
                body="Voici la photo demandée.\n",
                headers=[
                    ("In-Reply-To", answer.message_id),
                    ("References", answer.message_id),
                ],
            ),
        )
        self.fetch("support")
        self.assertFalse(self.tickets("Re: Prise grillée"), "no second ticket")
        received = ticket.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertEqual(len(received), 2)
        self.assertIn("photo demandée", received.sorted("id")[-1].body)

    def test_unknown_sender_becomes_a_contact(self):
        self.assertFalse(
            self.env["res.partner"].search([("email", "=", "nina@leroy-elec.fr")])
        )
        self.deliver(
            "support",
            email(
                "Nina Leroy <nina@leroy-elec.fr>",
                f"support@{DOMAIN}",
                "Demande de devis tableau",
            ),
        )
        self.fetch("support")
        ticket = self.tickets("Demande de devis tableau")
        self.assertEqual(len(ticket), 1)
        contact = ticket.partner_id
        self.assertEqual(contact.email, "nina@leroy-elec.fr")
        self.assertEqual(contact.name, "Nina Leroy")
        self.assertEqual(ticket.team_id, self.team_desk)

    def test_auto_replies_and_bounces_open_no_ticket(self):
        before = self.Ticket.search_count([])
        robots = [
            email(
                "Paul Durand <paul@durand.fr>",
                f"support@{DOMAIN}",
                "Absence du bureau",
                headers=[("Auto-Submitted", "auto-replied")],
            ),
            email(
                "Paul Durand <paul@durand.fr>",
                f"support@{DOMAIN}",
                "Réponse automatique",
                headers=[("X-Autoreply", "yes")],
            ),
            email(
                "Lettre <news@shop.example.com>",
                f"support@{DOMAIN}",
                "Nos promotions",
                headers=[("Precedence", "bulk")],
            ),
            email(
                "Paul Durand <paul@durand.fr>",
                f"support@{DOMAIN}",
                "Je suis en congés",
                headers=[("Precedence", "auto_reply")],
            ),
            DSN.format(domain=DOMAIN, date=formatdate(), msg_id=msg_id()),
        ]
        for raw in robots:
            self.deliver("support", raw)
        with mute_logger("odoo.addons.mail.models.mail_thread"):
            self.fetch("support")
        self.assertEqual(self.Ticket.search_count([]), before, "no ticket for robots")
        self.assertFalse(self.Quarantine.search([]), "nothing set aside either")
        self.assertEqual(self.dovecot.unseen_count(f"support@{DOMAIN}"), 0)
        # the auto-replies stay readable on the team, as internal notes
        kept = self.team_desk.message_ids.filtered(
            lambda m: m.subject in ("Absence du bureau", "Nos promotions")
        )
        self.assertEqual(len(kept), 2)

    def test_oversized_and_malformed_are_kept_and_the_rest_is_fetched(self):
        self.env["ir.config_parameter"].set_param(
            "atelier_desk.max_incoming_mb", "0.05"
        )
        big = email(
            "Paul Durand <paul@durand.fr>",
            f"support@{DOMAIN}",
            "Photos du tableau",
            body="x" * 120_000,
        )
        bogus = (
            f"From: Paul Durand <paul@durand.fr>\nTo: support@{DOMAIN}\n"
            f"Subject: Charset inconnu\nMessage-ID: {msg_id()}\n"
            "Content-Type: text/html; charset=bogus-8\n\n<p>caf\xe9</p>\n"
        )
        nowhere = email(
            "Paul Durand <paul@durand.fr>", "quelquun@ailleurs.example", "Égaré"
        )
        self.deliver("support", email("paul@durand.fr", f"support@{DOMAIN}", "Avant"))
        self.deliver("support", big)
        self.deliver("support", bogus.encode("latin-1"))
        self.deliver("support", nowhere)
        self.deliver("support", email("paul@durand.fr", f"support@{DOMAIN}", "Après"))
        self.fetch("support")

        self.assertEqual(len(self.tickets("Avant")), 1)
        self.assertEqual(len(self.tickets("Après")), 1, "the fetch went on")
        self.assertEqual(self.dovecot.unseen_count(f"support@{DOMAIN}"), 0)
        kept = self.Quarantine.search([], order="id")
        self.assertEqual(
            kept.mapped("reason"),
            ["oversized", "error", "unroutable"],
            kept.mapped("name"),
        )
        oversized, malformed, unroutable = kept
        self.assertEqual(oversized.name, "Photos du tableau")
        self.assertEqual(oversized.email_from, "Paul Durand <paul@durand.fr>")
        self.assertGreater(oversized.size, 120_000)
        raw = base64.b64decode(oversized.attachment_id.datas)
        self.assertIn(b"x" * 1000, raw, "the whole message is kept")
        self.assertEqual(oversized.attachment_id.mimetype, "message/rfc822")
        self.assertIn("bogus-8", malformed.error)
        self.assertIn(b"caf\xe9", base64.b64decode(malformed.attachment_id.datas))
        self.assertEqual(unroutable.name, "Égaré")

        # each one is on the desk's "Nothing forgotten" list
        pending = self.env["atelier.desk.pending"].with_user(self.claire)
        self.assertEqual(
            pending.search([("kind", "=", "email_set_aside")]).mapped("res_id"),
            sorted(kept.ids, reverse=True),
        )

        # the desk processes the large one again (no size limit then)
        action = oversized.with_user(self.claire).action_process()
        ticket = self.tickets("Photos du tableau")
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.partner_id, self.paul)
        self.assertEqual(oversized.state, "processed")
        self.assertEqual(
            (oversized.res_model, oversized.res_id), (ticket._name, ticket.id)
        )
        self.assertEqual(action["res_id"], ticket.id)
        # the malformed one still fails: it stays to review, then is discarded
        with self.assertRaises(UserError):
            malformed.with_user(self.claire).action_process()
        self.assertEqual(malformed.state, "new")
        (malformed | unroutable).with_user(self.claire).action_discard()
        self.assertFalse(pending.search([("kind", "=", "email_set_aside")]))
        with self.assertRaises(UserError):
            oversized.with_user(self.claire).action_discard()
