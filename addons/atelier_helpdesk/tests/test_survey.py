# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import AtelierHelpdeskCommon

CLOSED_AT = datetime(2026, 10, 5, 10, 0)


@tagged("post_install", "-at_install")
class TestSatisfactionFollowUp(AtelierHelpdeskCommon):
    def setUp(self):
        super().setUp()
        self.Ticket = self.env["helpdesk.ticket"]
        self.ticket = self._new_ticket(user_id=self.user_claire.id)

    def _close(self, ticket=None, at=CLOSED_AT, stage=None):
        with freeze_time(at):
            (ticket or self.ticket).stage_id = stage or self.stage_done

    def _run_cron(self, at):
        with freeze_time(at), self.mock_mail_gateway():
            self.Ticket._atelier_cron_send_surveys()
        return self._new_mails.filtered(lambda m: self.client in m.recipient_ids)

    def test_request_at_two_days_reminder_at_seven_never_twice(self):
        self._close()
        self.assertEqual(self.ticket.atelier_survey_state, "scheduled")
        self.assertEqual(self.ticket.atelier_survey_due, CLOSED_AT + timedelta(days=2))
        self.assertEqual(
            self.ticket.atelier_survey_reminder_due, CLOSED_AT + timedelta(days=7)
        )

        self.assertFalse(self._run_cron(CLOSED_AT + timedelta(days=1, hours=23)))
        self.assertEqual(self.ticket.atelier_survey_state, "scheduled")

        sent = self._run_cron(CLOSED_AT + timedelta(days=2, minutes=5))
        self.assertEqual(len(sent), 1)
        self.assertIn("/rate/", sent.body_html)
        self.assertEqual(self.ticket.atelier_survey_state, "sent")
        self.assertFalse(self._run_cron(CLOSED_AT + timedelta(days=3)), "never twice")

        self.assertFalse(self._run_cron(CLOSED_AT + timedelta(days=6, hours=23)))
        reminder = self._run_cron(CLOSED_AT + timedelta(days=7, minutes=5))
        self.assertEqual(len(reminder), 1)
        self.assertNotEqual(reminder.subject, sent.subject)
        self.assertEqual(self.ticket.atelier_survey_state, "reminded")
        self.assertFalse(self._run_cron(CLOSED_AT + timedelta(days=30)))

    def test_answer_stops_the_reminder(self):
        self._close()
        self._run_cron(CLOSED_AT + timedelta(days=2, hours=1))
        token = self.ticket._rating_get_access_token()
        with freeze_time(CLOSED_AT + timedelta(days=3)):
            self.ticket.rating_apply(5, token=token, feedback="Parfait")
        self.assertEqual(self.ticket.atelier_survey_state, "answered")
        self.assertEqual(self.ticket.atelier_csat, 5)
        self.assertFalse(self._run_cron(CLOSED_AT + timedelta(days=8)))
        self.assertEqual(self.ticket.atelier_survey_state, "answered")

    def test_reopen_cancels_scheduled_request(self):
        self._close()
        with freeze_time(CLOSED_AT + timedelta(days=1)):
            self.ticket.stage_id = self.stage_progress
        self.assertEqual(self.ticket.atelier_survey_state, "cancelled")
        self.assertFalse(self._run_cron(CLOSED_AT + timedelta(days=3)))
        # closed again later: the client was never asked, so it is rescheduled
        second_close = CLOSED_AT + timedelta(days=4)
        self._close(at=second_close)
        self.assertEqual(self.ticket.atelier_survey_state, "scheduled")
        self.assertEqual(
            len(self._run_cron(second_close + timedelta(days=2, hours=1))), 1
        )

    def test_reopen_after_request_cancels_reminder_and_never_resends(self):
        self._close()
        self.assertEqual(len(self._run_cron(CLOSED_AT + timedelta(days=2, hours=1))), 1)
        with freeze_time(CLOSED_AT + timedelta(days=3)):
            self.ticket.stage_id = self.stage_progress
        self.assertEqual(self.ticket.atelier_survey_state, "cancelled")
        self._close(at=CLOSED_AT + timedelta(days=4))
        self.assertEqual(self.ticket.atelier_survey_state, "cancelled", "never twice")
        self.assertFalse(self._run_cron(CLOSED_AT + timedelta(days=20)))

    def test_history_and_other_closings_are_never_surveyed(self):
        # a ticket already closed when the feature arrived (no follow-up state)
        old = self._new_ticket(stage_id=self.stage_done.id)
        self.assertEqual(old.atelier_survey_state, "none")
        # a cancelled ticket is not a solved one
        cancelled = self._new_ticket()
        self._close(cancelled, stage=self.stage_cancelled)
        self.assertEqual(cancelled.atelier_survey_state, "none")
        # the client opted out
        opted_out = self._new_ticket(rating_status="no_rate")
        self._close(opted_out)
        self.assertEqual(opted_out.atelier_survey_state, "none")
        self.assertFalse(self._run_cron(CLOSED_AT + timedelta(days=60)))

    def test_oca_rating_at_closing_is_disabled(self):
        self.stage_done.rating_mail_template_id = self.env.ref(
            "helpdesk_mgmt_rating.rating_ticket_email_template"
        )
        with self.mock_mail_gateway():
            self._close()
        self.assertFalse(
            self._new_mails.filtered(lambda m: "/rate/" in (m.body_html or "")),
            "no rating request at closing",
        )
        self.assertFalse(self.ticket.rating_ids)
