# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Outgoing e-mail read on the wire: Odoo's outgoing mail server points at
a real SMTP server (aiosmtpd, in its own process) and the mails go out
through Odoo's mail queue job, as in production."""

from contextlib import contextmanager
from datetime import timedelta
from unittest.mock import patch

import vobject
from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.atelier_booking.tests.common import a_monday, paris, setup_booking_data

from .common import DeskCase, MailServersMixin

MAIL_QUEUE_CRON = "mail.ir_cron_mail_scheduler_action"
TICKET_SURVEY_CRON = "atelier_helpdesk.ir_cron_send_surveys"
BOOKING_SURVEY_CRON = "atelier_booking_helpdesk.ir_cron_booking_surveys"


def calendar_parts(message):
    """``[(content type, parsed calendar)]`` of the .ics files of a mail."""
    parts = []
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            raw = part.get_payload(decode=True).decode()
            parts.append((part, vobject.readOne(raw)))
    return parts


@tagged("post_install", "-at_install")
class TestMailOutbound(MailServersMixin, DeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._start_mail_servers(imap=False)
        cls.data = setup_booking_data(cls.env, prefix="deskout")
        cls.type = cls.data["type"]
        cls.technician = cls.data["gaetan"]
        cls.client = cls.data["client"]  # Jeanne Client, deskout.jeanne@example.com
        cls.monday = a_monday()

    def setUp(self):
        super().setUp()
        self.smtp.clear()

    @contextmanager
    def sending(self):
        """Odoo does not send e-mails during tests unless told to: let it
        talk to the SMTP server for real."""
        IrMailServer = self.registry["ir.mail_server"]
        with patch.object(
            IrMailServer, "_disable_send", classmethod(lambda cls: False)
        ):
            yield

    def run_crons(self, *xmlids):
        """Run scheduled jobs as the scheduler does (each in its own cursor,
        committing), then the mail queue job."""
        with self.sending():
            for xmlid in (*xmlids, MAIL_QUEUE_CRON):
                cron = self.env.ref(xmlid)
                with self.enter_registry_test_mode(), self.registry.cursor() as cr:
                    cron.with_env(cron.env(cr=cr)).method_direct_trigger()

    def received(self, count):
        """The messages on the wire, once ``count`` arrived."""
        return self.smtp.wait_for(count)

    def to_client(self):
        """What reached the client (the desk's own notifications aside)."""
        return [
            (envelope, message)
            for envelope, message in self.smtp.messages()
            if self.client.email in envelope["rcpt_tos"]
        ]

    def _book(self, hour=9):
        call = self._call(state="answered", partner=self.client, end_at=False)
        answer = call.with_user(self.claire).atelier_book_slot(
            self.type.id, paris(self.monday, hour).isoformat(sep=" ")
        )
        self.assertTrue(answer["booked"], answer)
        return self.env["atelier.booking"].browse(answer["booking_id"])

    # ------------------------------------------------------------------
    def test_confirmation_move_and_cancellation_update_one_agenda_event(self):
        booking = self._book(hour=9)
        booking._reschedule(paris(self.monday, 14))
        booking.with_user(self.claire).action_cancel()
        self.run_crons()

        messages = self.received(3)
        self.assertEqual(
            [m["Subject"] for _e, m in messages][3:], [], "nothing else was sent"
        )
        for envelope, _message in messages:
            self.assertEqual(envelope["rcpt_tos"], [self.client.email])
        (_, confirmed), (_, moved), (_, cancelled) = messages
        self.assertIn("Your appointment", confirmed["Subject"])
        self.assertIn("Moved", moved["Subject"])
        self.assertIn("Cancelled", cancelled["Subject"])

        [(part, cal)] = calendar_parts(confirmed)
        self.assertEqual(part.get_filename(), "appointment.ics")
        # iMIP: the MIME type says it too, so agendas treat it as an invitation
        self.assertEqual(part.get_param("method"), "REQUEST")
        self.assertEqual(cal.method.value, "REQUEST")
        uid = cal.vevent.uid.value
        self.assertEqual(cal.vevent.sequence.value, "0")
        self.assertEqual(cal.vevent.status.value, "CONFIRMED")
        self.assertEqual(
            cal.vevent.dtstart.value.replace(tzinfo=None), paris(self.monday, 9)
        )

        [(part, cal)] = calendar_parts(moved)
        self.assertEqual(part.get_param("method"), "REQUEST")
        self.assertEqual(cal.method.value, "REQUEST", "an update, not a new event")
        self.assertEqual(cal.vevent.uid.value, uid)
        self.assertEqual(cal.vevent.sequence.value, "1")
        self.assertEqual(
            cal.vevent.dtstart.value.replace(tzinfo=None), paris(self.monday, 14)
        )

        [(part, cal)] = calendar_parts(cancelled)
        self.assertEqual(part.get_filename(), "cancellation.ics")
        self.assertEqual(part.get_param("method"), "CANCEL")
        self.assertEqual(cal.method.value, "CANCEL")
        self.assertEqual(cal.vevent.uid.value, uid)
        self.assertEqual(cal.vevent.sequence.value, "2")
        self.assertEqual(cal.vevent.status.value, "CANCELLED")

    def test_satisfaction_request_at_two_days_reminder_at_seven(self):
        booking = self._book(hour=10)
        ticket = self._ticket(partner=self.client)
        self.run_crons()
        self.smtp.clear()  # the booking's confirmation
        closed_at = booking.stop + timedelta(hours=1)
        with freeze_time(closed_at):
            booking.with_user(self.technician).action_done()
            ticket.with_user(self.claire).stage_id = self.stage_done
        self.assertEqual(booking.atelier_survey_state, "scheduled")
        self.assertEqual(ticket.atelier_survey_state, "scheduled")

        with freeze_time(closed_at + timedelta(days=1, hours=23)):
            self.run_crons(TICKET_SURVEY_CRON, BOOKING_SURVEY_CRON)
        self.assertEqual(self.to_client(), [], "nothing before two days")

        with freeze_time(closed_at + timedelta(days=2, minutes=5)):
            self.run_crons(TICKET_SURVEY_CRON, BOOKING_SURVEY_CRON)
        requests = self.to_client()
        self.assertEqual(len(requests), 2)
        subjects = {message["Subject"].split(" ", 1)[0] for _e, message in requests}
        self.assertEqual(subjects, {f"[{ticket.number}]", "Your"}, "one request each")
        for envelope, message in requests:
            self.assertEqual(envelope["rcpt_tos"], [self.client.email])
            html = message.get_body(("html",)).get_content()
            self.assertIn("/rate/", html, "a link to answer")
        self.assertEqual(booking.atelier_survey_state, "sent")

        # the client answers the ticket's request, as the /rate/ link does
        with freeze_time(closed_at + timedelta(days=3)):
            ticket.sudo().rating_apply(5, token=ticket._rating_get_access_token())
        self.assertEqual(ticket.atelier_survey_state, "answered")

        self.smtp.clear()
        with freeze_time(closed_at + timedelta(days=6, hours=23)):
            self.run_crons(TICKET_SURVEY_CRON, BOOKING_SURVEY_CRON)
        self.assertEqual(self.to_client(), [])
        with freeze_time(closed_at + timedelta(days=7, minutes=5)):
            self.run_crons(TICKET_SURVEY_CRON, BOOKING_SURVEY_CRON)
        [(envelope, reminder)] = self.to_client()
        self.assertEqual(envelope["rcpt_tos"], [self.client.email])
        self.assertIn("A moment to tell us about your appointment", reminder["Subject"])
        self.assertEqual(booking.atelier_survey_state, "reminded")

        self.smtp.clear()
        with freeze_time(closed_at + timedelta(days=9)):
            self.run_crons(TICKET_SURVEY_CRON, BOOKING_SURVEY_CRON)
            self.assertEqual(self.to_client(), [], "never twice")
            figures = (
                self.env["atelier.desk.dashboard"]
                .with_user(self.manager)
                .atelier_dashboard_data(30)
            )
        kpis = {kpi["key"]: kpi for kpi in figures["kpis"]}
        self.assertEqual(kpis["survey_rate"]["display"], "50 %")
        self.assertEqual(kpis["csat"]["value"], 5)
