# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Claire's day in the browser (issue #15, tours 1 and 2), on the real
call-events API, the real pop-up and a real SMTP server."""

import re
from contextlib import contextmanager
from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.atelier_booking.tests.common import a_monday, paris, setup_booking_data

from .common import MailServersMixin, crm_salesperson
from .test_mail_outbound import MAIL_QUEUE_CRON, TICKET_SURVEY_CRON, calendar_parts

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
        crm_salesperson(env, cls.claire)
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

    def send_queue(self, *crons):
        """Run ``crons`` then the mail queue, as the scheduler does (in
        their own environment: what this test wrote is flushed first, what
        they wrote is read again after)."""
        self.env.flush_all()
        with self.sending():
            for xmlid in (*crons, MAIL_QUEUE_CRON):
                cron = self.env.ref(xmlid)
                # an HttpCase runs in test mode: a new cursor is the test one
                with self.registry.cursor() as cr:
                    cron.with_env(cron.env(cr=cr)).method_direct_trigger()
        self.env.invalidate_all()

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
        # the template she sent from the pop-up: on Jeanne's chatter, by
        # Claire, and on the wire
        sent = self.client.message_ids.filtered(
            lambda m: m.subject == "Les documents à préparer pour votre rendez-vous"
        )
        self.assertEqual(len(sent), 1)
        self.assertEqual(sent.author_id, self.claire.partner_id)
        self.assertEqual(sent.partner_ids, self.client)
        wire = [
            message
            for envelope, message in self.smtp.wait_for(2)
            if self.client.email in envelope["rcpt_tos"]
            and "documents" in str(message["Subject"])
        ]
        self.assertEqual(len(wire), 1, "the template reached the client's mailbox")
        # one call back planned (the first one was undone), for Claire
        callbacks = self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", self.client.id),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref("mail.mail_activity_data_call").id,
                ),
            ]
        )
        self.assertEqual(len(callbacks), 1)
        self.assertEqual(callbacks.user_id, self.claire)
        self.assertIn("+33612345678", callbacks.summary)

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

    def test_tour_5_survey_two_days_after(self):
        new_test_user(
            self.env,
            login="deskday_manager",
            groups="atelier_base.group_manager,base.group_user",
            tz="Europe/Paris",
        )
        stage_done = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        closed_at = fields.Datetime.now() - timedelta(days=3)
        with freeze_time(closed_at):
            self.ticket.with_user(self.claire).stage_id = stage_done
        self.assertEqual(self.ticket.atelier_survey_state, "scheduled")
        self.smtp.clear()

        def surveys():
            """The satisfaction requests that reached the client."""
            return [
                message
                for envelope, message in self.smtp.messages()
                if self.client.email in envelope["rcpt_tos"]
                and message.get_body(("html",))
                and "/rate/" in message.get_body(("html",)).get_content()
            ]

        with freeze_time(closed_at + timedelta(days=1, hours=23)):
            self.send_queue(TICKET_SURVEY_CRON)
        self.assertEqual(surveys(), [], "nothing before two days")
        with freeze_time(closed_at + timedelta(days=2, minutes=5)):
            self.send_queue(TICKET_SURVEY_CRON)
        self.smtp.wait_for(1)
        [request] = surveys()
        html = request.get_body(("html",)).get_content()
        # the client follows the link of the e-mail and answers
        token = re.search(r"/rate/([\w-]+)/", html).group(1)
        page = self.url_open(f"/rate/{token}/5")
        self.assertEqual(page.status_code, 200)
        # the page's form, as the client sends it
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        answer = self.url_open(
            f"/rate/{token}/submit_feedback",
            data={"rate": 5, "feedback": "Parfait, merci", "csrf_token": csrf},
        )
        self.assertEqual(answer.status_code, 200)
        self.env.invalidate_all()  # written by the HTTP request
        self.assertEqual(self.ticket.atelier_survey_state, "answered")
        self.assertEqual(self.ticket.rating_ids.rating, 5)
        self.start_tour(
            "/odoo/action-atelier_desk.atelier_desk_dashboard_action",
            "atelier_desk_day_survey_tour",
            login="deskday_manager",
        )
