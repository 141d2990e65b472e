# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo.tests import tagged

from .common import AtelierHelpdeskCommon, paris


@tagged("post_install", "-at_install")
class TestSla(AtelierHelpdeskCommon):
    def _ticket_at(self, when, **vals):
        with self.mock_datetime_and_now(when):
            ticket = self._new_ticket(**vals)
            ticket.flush_recordset()
        return ticket

    def test_holidays_are_shipped_as_calendar_leaves(self):
        leaves = self.calendar.leave_ids.filtered(lambda leave: not leave.resource_id)
        self.assertEqual(len(leaves), 22, "11 French public holidays a year, 2026-2027")
        armistice = leaves.filtered(lambda leave: leave.name == "Armistice 1918")
        self.assertIn(paris(2026, 11, 11, 0, 0), armistice.mapped("date_from"))

    def test_deadlines_skip_the_weekend(self):
        # Friday 2 October 2026, 15:30 in Paris: 2 working hours left that day
        ticket = self._ticket_at(paris(2026, 10, 2, 15, 30))
        first = self._lines(ticket, "first_response")
        resolution = self._lines(ticket, "resolution")
        self.assertEqual(first.deadline, paris(2026, 10, 5, 10, 30), "4 h: Monday")
        self.assertEqual(
            resolution.deadline, paris(2026, 10, 9, 15, 30), "40 h: next Friday"
        )
        self.assertEqual(ticket.atelier_first_response_deadline, first.deadline)
        self.assertEqual(ticket.atelier_sla_status, "on_track")

    def test_deadline_skips_a_public_holiday(self):
        # Tuesday 10 November 2026, 16:30; Wednesday 11 is Armistice day
        ticket = self._ticket_at(paris(2026, 11, 10, 16, 30))
        self.assertEqual(
            self._lines(ticket, "first_response").deadline,
            paris(2026, 11, 12, 11, 30),
        )

    def test_deadline_skips_weekend_and_easter_monday(self):
        # Friday 26 March 2027, 16:30; Monday 29 is Easter Monday; DST on 28
        ticket = self._ticket_at(paris(2027, 3, 26, 16, 30))
        self.assertEqual(
            self._lines(ticket, "first_response").deadline,
            paris(2027, 3, 30, 11, 30),
        )

    def test_first_response_met_by_public_reply_only(self):
        start = paris(2026, 10, 5, 9, 0)
        ticket = self._ticket_at(start)
        line = self._lines(ticket, "first_response")
        with self.mock_datetime_and_now(start + timedelta(hours=1)):
            # an internal note is not a reply
            ticket.with_user(self.user_claire).message_post(
                body="Client connu",
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
            # nor is a message of the client
            ticket.message_post(
                body="Alors ?",
                author_id=self.client.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            self.assertFalse(ticket.atelier_first_response_date)
            self.assertEqual(line.state, "in_progress")
            self._reply_as(ticket, self.user_claire)
        self.assertEqual(ticket.atelier_first_response_date, start + timedelta(hours=1))
        self.assertAlmostEqual(ticket.atelier_first_response_hours, 1.0, places=2)
        self.assertEqual(line.state, "accomplished")
        self.assertFalse(ticket.atelier_first_response_breached)

    def test_cron_warns_before_and_flags_breach(self):
        start = paris(2026, 10, 5, 9, 0)  # Monday; 4 working hours: 14:00
        ticket = self._ticket_at(start)
        line = self._lines(ticket, "first_response")
        self.assertEqual(line.deadline, paris(2026, 10, 5, 14, 0))
        self.assertEqual(line.atelier_warning_date, paris(2026, 10, 5, 13, 30))
        Ticket = self.env["helpdesk.ticket"]
        warn_type = self.env.ref("atelier_helpdesk.mail_activity_type_sla_warning")
        breach_type = self.env.ref("atelier_helpdesk.mail_activity_type_sla_breach")

        with self.mock_datetime_and_now(paris(2026, 10, 5, 13, 15)):
            Ticket._atelier_cron_evaluate_sla()
        self.assertEqual(ticket.atelier_sla_status, "on_track", "too early to warn")

        with self.mock_datetime_and_now(paris(2026, 10, 5, 13, 40)):
            Ticket._atelier_cron_evaluate_sla()
            Ticket._atelier_cron_evaluate_sla()
        self.assertEqual(ticket.atelier_sla_status, "at_risk")
        warnings = ticket.activity_ids.filtered(
            lambda a: a.activity_type_id == warn_type
        )
        self.assertEqual(len(warnings), 1, "warned once, before the breach")
        self.assertEqual(warnings.user_id, self.user_manager, "nobody owns it: manager")

        with self.mock_datetime_and_now(paris(2026, 10, 5, 14, 5)):
            Ticket._atelier_cron_evaluate_sla()
        self.assertEqual(line.state, "expired")
        self.assertTrue(ticket.atelier_first_response_breached)
        self.assertFalse(ticket.atelier_resolution_breached)
        self.assertEqual(ticket.atelier_sla_status, "breached")
        self.assertEqual(
            len(
                ticket.activity_ids.filtered(
                    lambda a: a.activity_type_id == breach_type
                )
            ),
            1,
        )
        # a late reply does not clear the breach
        with self.mock_datetime_and_now(paris(2026, 10, 5, 15, 0)):
            self._reply_as(ticket, self.user_claire)
        self.assertEqual(line.state, "expired")
        self.assertEqual(ticket.atelier_sla_status, "breached")

    def test_resolution_met_when_done_in_time(self):
        start = paris(2026, 10, 5, 9, 0)
        ticket = self._ticket_at(start, user_id=self.user_claire.id)
        with self.mock_datetime_and_now(start + timedelta(hours=2)):
            self._reply_as(ticket, self.user_claire)
            ticket.stage_id = self.stage_done
        self.assertEqual(self._lines(ticket, "resolution").state, "accomplished")
        self.assertEqual(ticket.atelier_sla_status, "met")

    def test_type_gives_default_team(self):
        ticket = self._new_ticket(type_id=self.type_electrical.id)
        self.assertEqual(ticket.team_id, self.team_interventions)
        self.assertEqual(
            self._lines(ticket, "first_response").sla_id,
            self.env.ref("atelier_helpdesk.helpdesk_sla_electrical_first_response"),
        )

    def test_forgotten_ticket_alerts_manager_once(self):
        start = paris(2026, 10, 5, 9, 0)
        ticket = self._ticket_at(start)
        attention = self.env.ref("atelier_helpdesk.mail_activity_type_ticket_attention")
        Ticket = self.env["helpdesk.ticket"]
        with self.mock_datetime_and_now(start + timedelta(hours=3)):
            Ticket._atelier_cron_evaluate_sla()
        self.assertFalse(
            ticket.activity_ids.filtered(lambda a: a.activity_type_id == attention)
        )
        with self.mock_datetime_and_now(start + timedelta(hours=5)):
            Ticket._atelier_cron_evaluate_sla()
            Ticket._atelier_cron_evaluate_sla()
        alerts = ticket.activity_ids.filtered(lambda a: a.activity_type_id == attention)
        self.assertEqual(len(alerts), 2, "one for no owner, one for no reply")
        self.assertEqual(alerts.user_id, self.user_manager)
        self.assertEqual(ticket.atelier_age_bucket, "0_1")
        with self.mock_datetime_and_now(start + timedelta(days=4)):
            Ticket._atelier_cron_evaluate_sla()
        self.assertEqual(ticket.atelier_age_bucket, "3_7")

    def test_age_buckets_follow_open_tickets_only(self):
        start = paris(2026, 10, 5, 9, 0)
        tickets = {
            hours: self._ticket_at(start - timedelta(hours=hours))
            for hours in (23, 24, 71, 72, 167, 168, 400)
        }
        closed = self._ticket_at(start - timedelta(days=10))
        closed.stage_id = self.stage_done
        with self.mock_datetime_and_now(start):
            self.env["helpdesk.ticket"]._atelier_cron_evaluate_sla()
        self.assertEqual(
            {hours: ticket.atelier_age_bucket for hours, ticket in tickets.items()},
            {
                23: "0_1",
                24: "1_3",
                71: "1_3",
                72: "3_7",
                167: "3_7",
                168: "7_plus",
                400: "7_plus",
            },
        )
        self.assertEqual(closed.atelier_age_bucket, "0_1", "closed: left as it was")
