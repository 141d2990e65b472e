# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Claire's day in the browser (issue #15, tours 1 and 2), on the real
call-events API, the real pop-up and a real SMTP server."""

from contextlib import contextmanager
from unittest.mock import patch

from odoo.tests import HttpCase, tagged

from odoo.addons.atelier_booking.tests.common import a_monday, paris, setup_booking_data

from .common import MailServersMixin
from .test_mail_outbound import MAIL_QUEUE_CRON, calendar_parts

LINE_CODE = "desk-day-line"
SECRET = "desk-day-secret-0123456789abcdef"


@tagged("post_install", "-at_install")
class TestDayTours(MailServersMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env.company.country_id = env.ref("base.fr")
        cls._start_mail_servers(imap=False)
        data = setup_booking_data(env, prefix="deskday")
        cls.claire = data["claire"]
        cls.gaetan = data["gaetan"]
        cls.client = data["client"]  # Jeanne Client, +33 6 12 34 56 78
        cls.type = data["type"]
        # Gaetan alone takes this kind of appointment
        cls.type.technician_ids = cls.gaetan
        env["atelier.cti.line"].create(
            {
                "name": "Accueil",
                "code": LINE_CODE,
                "provider": "asterisk",
                "secret": SECRET,
                "numbers": "+33 4 72 00 00 88",
                "owner_id": cls.claire.id,
                "user_ids": [(6, 0, cls.claire.ids)],
            }
        )
        cls.ticket = env["helpdesk.ticket"].create(
            {
                "name": "Voyant moteur allumé",
                "description": "<p>Voyant moteur</p>",
                "partner_id": cls.client.id,
                "user_id": cls.claire.id,
            }
        )
        cls.booking = env["atelier.booking"]._book(
            cls.type, paris(a_monday(), 10), partner=cls.client, hold=False
        )
        cls.portal = data["portal"]  # Marc Client, on the portal
        env["helpdesk.ticket"].create(
            {
                "name": "Facture à corriger",
                "description": "<p>Facture</p>",
                "partner_id": cls.portal.partner_id.id,
                "user_id": cls.claire.id,
            }
        )

    @contextmanager
    def sending(self):
        IrMailServer = self.registry["ir.mail_server"]
        with patch.object(
            IrMailServer, "_disable_send", classmethod(lambda cls: False)
        ):
            yield

    def send_queue(self):
        with self.sending():
            cron = self.env.ref(MAIL_QUEUE_CRON)
            # an HttpCase runs in test mode: a new cursor is the test one
            with self.registry.cursor() as cr:
                cron.with_env(cron.env(cr=cr)).method_direct_trigger()

    def test_tour_1_known_caller(self):
        Booking = self.env["atelier.booking"]
        before = Booking.search([("partner_id", "=", self.client.id)])
        self.smtp.clear()
        self.start_tour(
            "/odoo", "atelier_desk_day_known_caller_tour", login="deskday_claire"
        )
        ticket = self.env["helpdesk.ticket"].search(
            [("name", "=", "Bruit au freinage")]
        )
        self.assertEqual(ticket.partner_id, self.client)
        self.assertEqual(ticket.atelier_channel, "phone")
        self.assertTrue(ticket.team_id)
        booking = Booking.search([("partner_id", "=", self.client.id)]) - before
        self.assertEqual(booking.state, "confirmed")
        self.assertEqual(booking.technician_id, self.gaetan)
        # the client's confirmation, with its .ics, on the SMTP server
        self.send_queue()
        mails = [
            message
            for envelope, message in self.smtp.wait_for(1)
            if self.client.email in envelope["rcpt_tos"] and calendar_parts(message)
        ]
        self.assertTrue(mails, "the confirmation reached the client's mailbox")
        part, calendar = calendar_parts(mails[-1])[0]
        self.assertIn("method=REQUEST", part["Content-Type"].replace('"', ""))
        self.assertEqual(calendar.vevent.uid.value, booking.ics_uid)

    def test_tour_2_missed_call(self):
        Pending = self.env["atelier.desk.pending"].with_user(self.claire)
        self.assertFalse(Pending.search([]))
        self.start_tour(
            "/odoo", "atelier_desk_day_missed_call_tour", login="deskday_claire"
        )
        missed = self.env["atelier.call"].search([("provider_call_id", "=", "day-2")])
        self.assertEqual(missed.state, "missed")
        self.assertTrue(missed.callback_done)
        self.assertEqual(missed.partner_id.name, "Bruno Caillat")
        self.assertFalse(Pending.search([]))

    def test_tour_3_portal_move(self):
        Booking = self.env["atelier.booking"]
        booking = Booking.with_user(self.portal)._book(
            self.type,
            paris(a_monday(), 15),
            partner=self.portal.partner_id,
            hold=False,
        )
        booking = booking.sudo()
        self.assertEqual(booking.partner_id, self.portal.partner_id)
        start = booking.start
        self.send_queue()
        sent = self.smtp.wait_for(1)
        first = [
            calendar_parts(message)[0][1]
            for envelope, message in sent
            if self.portal.email in envelope["rcpt_tos"] and calendar_parts(message)
        ]
        self.assertTrue(first, "the confirmation reached the client")
        self.smtp.clear()
        self.start_tour(
            "/my", "atelier_desk_day_portal_move_tour", login="deskday_portal"
        )
        booking.invalidate_recordset()
        self.assertNotEqual(booking.start, start)
        self.assertEqual(booking.state, "confirmed")
        # moved, not duplicated
        self.assertEqual(
            Booking.search_count([("partner_id", "=", self.portal.partner_id.id)]), 1
        )
        self.send_queue()
        updates = [
            calendar_parts(message)[0][1]
            for envelope, message in self.smtp.wait_for(1)
            if self.portal.email in envelope["rcpt_tos"] and calendar_parts(message)
        ]
        self.assertTrue(updates, "the update reached the client")
        update = updates[-1].vevent
        self.assertEqual(update.uid.value, first[0].vevent.uid.value)
        self.assertGreater(
            int(update.sequence.value), int(first[0].vevent.sequence.value)
        )
        self.assertNotIn("CANCEL", updates[-1].method.value)
