# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.atelier_booking.tests.common import (
    a_monday,
    paris,
    setup_booking_data,
)
from odoo.addons.mail.tests.common import MailCommon


@tagged("post_install", "-at_install")
class TestBookingSatisfaction(MailCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.data = setup_booking_data(cls.env, prefix="bkhd")
        cls.client = cls.data["client"]
        cls.client.lang = "en_US"

    def setUp(self):
        super().setUp()
        self.booking = self.env["atelier.booking"]._book(
            self.data["type"],
            paris(a_monday(), 10),
            partner=self.client,
            technician=self.data["gaetan"],
            hold=False,
        )
        self.done_at = self.booking.stop + timedelta(hours=1)

    def _done(self, booking=None):
        with freeze_time(self.done_at):
            (booking or self.booking).with_user(self.data["claire"]).action_done()

    def _run_cron(self, delta):
        with freeze_time(self.done_at + delta), self.mock_mail_gateway():
            self.env["atelier.booking"]._atelier_cron_send_surveys()
        return self._new_mails.filtered(lambda m: self.client in m.recipient_ids)

    def test_request_at_two_days_reminder_at_seven_never_twice(self):
        self.assertEqual(self.booking.atelier_survey_state, "none")
        self._done()
        self.assertEqual(self.booking.atelier_survey_state, "scheduled")
        self.assertEqual(
            self.booking.atelier_survey_due, self.done_at + timedelta(days=2)
        )
        self.assertFalse(self._run_cron(timedelta(days=1, hours=23)))
        self.assertEqual(self.booking.atelier_survey_state, "scheduled")

        sent = self._run_cron(timedelta(days=2, minutes=5))
        self.assertEqual(len(sent), 1)
        self.assertIn("/rate/", sent.body_html)
        self.assertEqual(self.booking.atelier_survey_state, "sent")
        self.assertFalse(self._run_cron(timedelta(days=3)), "never twice")

        self.assertFalse(self._run_cron(timedelta(days=6, hours=23)))
        reminder = self._run_cron(timedelta(days=7, minutes=5))
        self.assertEqual(len(reminder), 1)
        self.assertNotEqual(reminder.subject, sent.subject)
        self.assertEqual(self.booking.atelier_survey_state, "reminded")
        self.assertFalse(self._run_cron(timedelta(days=30)))

    def test_answer_stops_the_reminder_and_records_the_score(self):
        self._done()
        self._run_cron(timedelta(days=2, hours=1))
        token = self.booking._rating_get_access_token()
        rating = self.env["rating.rating"].search([("access_token", "=", token)])
        self.assertEqual(rating.rated_partner_id, self.data["gaetan"].partner_id)
        with freeze_time(self.done_at + timedelta(days=3)):
            self.booking.rating_apply(4, token=token, feedback="Très bien")
        self.assertEqual(self.booking.atelier_survey_state, "answered")
        self.assertEqual(self.booking.atelier_csat, 4)
        self.assertFalse(self._run_cron(timedelta(days=8)))
        self.assertEqual(self.booking.atelier_survey_state, "answered")

    def test_back_from_done_cancels_the_follow_up(self):
        self._done()
        self.booking.state = "confirmed"
        self.assertEqual(self.booking.atelier_survey_state, "cancelled")
        self.assertFalse(self._run_cron(timedelta(days=3)))
        # done again before anything was sent: scheduled again
        self._done()
        self.assertEqual(self.booking.atelier_survey_state, "scheduled")
        self.assertEqual(len(self._run_cron(timedelta(days=2, hours=1))), 1)
        # undone after the request: no reminder, and never a second request
        self.booking.state = "confirmed"
        self.assertEqual(self.booking.atelier_survey_state, "cancelled")
        self.assertFalse(self._run_cron(timedelta(days=8)))
        self._done()
        self.assertEqual(self.booking.atelier_survey_state, "cancelled")
        self.assertFalse(self._run_cron(timedelta(days=12)))

    def test_no_follow_up_without_email_or_for_no_show(self):
        self.client.email = False
        self._done()
        self.assertEqual(self.booking.atelier_survey_state, "none")
        self.client.email = "bkhd.jeanne@example.com"
        other = self.env["atelier.booking"]._book(
            self.data["type"],
            paris(a_monday(), 14),
            partner=self.client,
            technician=self.data["gaetan"],
            hold=False,
        )
        with freeze_time(other.stop + timedelta(hours=1)):
            other.action_no_show()
        self.assertEqual(other.atelier_survey_state, "none")
        self.assertFalse(self._run_cron(timedelta(days=10)))

    def test_no_follow_up_for_a_guest_booking_the_client_did_not_confirm(self):
        # booked online with the client's e-mail by someone who did not
        # log in: the client is not asked about a visit they may not have made
        self.booking.partner_confirmed = False
        self._done()
        self.assertEqual(self.booking.atelier_survey_state, "none")
        self.assertFalse(self._run_cron(timedelta(days=10)))
