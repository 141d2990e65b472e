# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

import psycopg2
import pytz

from odoo.tests import TransactionCase, freeze_time, tagged
from odoo.tools import mute_logger

from .common import AtelierCrmCommon

PARIS = pytz.timezone("Europe/Paris")
# Monday 1 March 2027, 10:00 in Paris (09:00 UTC, winter time)
MONDAY_10 = datetime(2027, 3, 1, 9, 0)


def local(utc):
    return pytz.utc.localize(utc).astimezone(PARIS).replace(tzinfo=None)


def in_business_hours(utc):
    when = local(utc)
    hour = when.hour + when.minute / 60
    return when.weekday() < 5 and (8 <= hour < 12 or 13 <= hour < 17)


@tagged("post_install", "-at_install")
class TestSequence(AtelierCrmCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_crm("seq")
        cls.Enrolment = cls.env["atelier.crm.enrolment"]
        cls.Log = cls.env["atelier.crm.enrolment.step"]
        cls.env.company.resource_calendar_id = cls.env.ref(
            "resource.resource_calendar_std"
        )
        cls.sequence.resource_calendar_id = cls.env.ref(
            "resource.resource_calendar_std"
        )

    def _enrol(self, lead, when=MONDAY_10):
        with freeze_time(when):
            return self.sequence._atelier_enrol(lead, now=when)

    def _tick(self, start, end, step=timedelta(hours=1)):
        now = start
        while now <= end:
            with freeze_time(now):
                self.Enrolment._atelier_run_batch(now=now)
            now += step

    def _sent(self, enrolment):
        logs = self.Log.search(
            [("enrolment_id", "=", enrolment.id), ("state", "=", "sent")],
            order="processed_at, id",
        )
        return [(local(log.processed_at), log.step_id) for log in logs]

    # ------------------------------------------------------------------
    def test_fourteen_days_right_mails_right_days_in_business_hours(self):
        lead = self._lead("Inès Mercier", "ines.mercier@example.com")
        enrolment = self._enrol(lead)
        self._tick(MONDAY_10, MONDAY_10 + timedelta(days=15))
        sent = self._sent(enrolment)
        self.assertEqual(
            [(when, step) for when, step in sent],
            [
                (datetime(2027, 3, 1, 10, 0), self.steps[0]),  # J0, Monday
                (datetime(2027, 3, 3, 10, 0), self.steps[1]),  # J2, Wednesday
                # J5 falls on a Saturday: Monday at the opening
                (datetime(2027, 3, 8, 8, 0), self.steps[2]),
                (datetime(2027, 3, 10, 10, 0), self.steps[3]),  # J9
                (datetime(2027, 3, 15, 10, 0), self.steps[4]),  # J14
            ],
        )
        logs = enrolment.step_log_ids
        self.assertTrue(all(in_business_hours(log.processed_at) for log in logs))
        self.assertEqual(enrolment.state, "done")
        # one queued e-mail per step, each to the lead, with its own links
        messages = logs.mail_message_id
        self.assertEqual(len(messages), 5)
        mails = self.env["mail.mail"].search([("mail_message_id", "in", messages.ids)])
        self.assertEqual(len(mails), 5)
        self.assertEqual(
            set(mails.mapped("email_to")), {'"Inès Mercier" <ines.mercier@example.com>'}
        )
        self.assertEqual(
            sorted(mails.mapped("subject")),
            sorted(step.mail_template_id.subject for step in self.steps),
        )
        for mail in mails:
            log = logs.filtered(
                lambda log, mail=mail: log.mail_message_id == mail.mail_message_id
            )
            self.assertIn(
                f"/atelier/crm/o/{log.id}/{log._atelier_token()}", mail.body_html
            )
            self.assertIn(
                "/atelier/crm/unsubscribe?email=ines.mercier%40example.com",
                mail.body_html,
            )
            self.assertIn(
                f"/s/{log.id}", mail.body_html, "links are tracked per recipient"
            )
            self.assertIn("List-Unsubscribe", mail.headers)
        # nothing more after the end
        self._tick(
            MONDAY_10 + timedelta(days=16),
            MONDAY_10 + timedelta(days=17),
            timedelta(hours=6),
        )
        self.assertEqual(len(enrolment.step_log_ids), 5)

    def test_enrolled_in_the_evening_first_mail_next_opening(self):
        lead = self._lead("Louis Fontaine", "louis.fontaine@example.com")
        friday_evening = datetime(2027, 3, 5, 19, 30)  # 20:30 in Paris
        enrolment = self._enrol(lead, friday_evening)
        self._tick(
            friday_evening, friday_evening + timedelta(days=3), timedelta(minutes=30)
        )
        sent = self._sent(enrolment)
        self.assertEqual(sent[0], (datetime(2027, 3, 8, 8, 0), self.steps[0]))

    def test_contact_time_zone_is_used(self):
        partner = self.env["res.partner"].create(
            {
                "name": "Joe Montreal",
                "email": "joe@example.com",
                "tz": "America/Montreal",
            }
        )
        lead = self._lead("Joe Montreal", "joe@example.com", partner_id=partner.id)
        enrolment = self._enrol(lead)  # 04:00 in Montreal
        self.assertEqual(enrolment.tz, "America/Montreal")
        self._tick(MONDAY_10, MONDAY_10 + timedelta(hours=12), timedelta(minutes=30))
        [(when, _step)] = self._sent(enrolment)
        montreal = pytz.utc.localize(enrolment.step_log_ids.processed_at).astimezone(
            pytz.timezone("America/Montreal")
        )
        self.assertEqual((montreal.hour, montreal.minute), (8, 0))

    def test_stops_on_each_business_event(self):
        Event = self.env["crm.lead"]
        cases = {}
        for event in (
            "reply",
            "booking",
            "payment",
            "ticket",
            "placement_test",
            "unsubscribe",
            "won",
            "lost",
        ):
            email = f"stop.{event}@example.com"
            lead = self._lead(f"Stop {event}", email)
            cases[event] = (lead, self._enrol(lead))
        self._tick(MONDAY_10, MONDAY_10)
        for _lead, enrolment in cases.values():
            self.assertEqual(len(enrolment.step_log_ids), 1)
        fire = {
            "reply": lambda lead: lead.message_post(
                body="Bonjour, je suis intéressé.",
                message_type="email",
                author_id=lead.partner_id.id,
                parent_id=lead.atelier_enrolment_ids.step_log_ids.mail_message_id.id,
            ),
            "unsubscribe": lambda lead: self.Consent._atelier_unsubscribe(
                lead.email_from, ["sequence"]
            ),
            "won": lambda lead: lead.action_set_won(),
            "lost": lambda lead: lead.action_set_lost(),
        }
        for event, (lead, _enrolment) in cases.items():
            if event in fire:
                fire[event](lead)
            else:  # what the glue addons call
                Event._atelier_business_event(event, partners=lead.partner_id)
        self._tick(
            MONDAY_10 + timedelta(days=2),
            MONDAY_10 + timedelta(days=15),
            timedelta(hours=6),
        )
        for event, (_lead, enrolment) in cases.items():
            with self.subTest(event=event):
                self.assertEqual(enrolment.state, "stopped")
                self.assertEqual(enrolment.stop_reason, event)
                self.assertEqual(
                    len(enrolment.step_log_ids), 1, "nothing after the stop"
                )
                expected = (
                    1 if event in ("booking", "payment", "placement_test", "won") else 0
                )
                self.assertEqual(enrolment.step_log_ids.converted, expected)
        reply_log = cases["reply"][1].step_log_ids
        self.assertEqual(reply_log.replied, 1)
        self.assertTrue(reply_log.replied_at)

    def test_blacklist_and_missing_consent_stop_before_sending(self):
        blacklisted = self._lead("Liste Noire", "noire@example.com")
        self.env["mail.blacklist"].with_context(atelier_crm_unsubscribing=True)._add(
            "noire@example.com"
        )
        no_consent = self._lead("Sans Accord", "sans.accord@example.com", consent=False)
        first, second = self._enrol(blacklisted), self._enrol(no_consent)
        self._tick(MONDAY_10, MONDAY_10)
        self.assertEqual((first.state, first.stop_reason), ("stopped", "unsubscribe"))
        self.assertEqual((second.state, second.stop_reason), ("stopped", "no_consent"))
        self.assertFalse((first | second).step_log_ids)

    def test_conditions_and_activity_steps(self):
        template = self.steps[0].mail_template_id
        sequence = self.env["atelier.crm.sequence"].create(
            {
                "name": "Conditions",
                "resource_calendar_id": self.env.ref(
                    "resource.resource_calendar_std"
                ).id,
                "step_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "First",
                            "day_offset": 0,
                            "mail_template_id": template.id,
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "name": "Only if opened",
                            "day_offset": 1,
                            "mail_template_id": template.id,
                            "condition": "opened_previous",
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "name": "Call the hot ones",
                            "day_offset": 2,
                            "kind": "activity",
                            "activity_type_id": self.env.ref(
                                "mail.mail_activity_data_call"
                            ).id,
                            "condition": "score_above",
                            "condition_score": 20,
                        },
                    ),
                ],
            }
        )
        opener = self._lead("Ouvre Tout", "ouvre@example.com", user_id=self.sales1.id)
        silent = self._lead("Silencieux", "silence@example.com", user_id=self.sales1.id)
        with freeze_time(MONDAY_10):
            enrolments = sequence._atelier_enrol(opener | silent, now=MONDAY_10)
        self._tick(MONDAY_10, MONDAY_10)
        by_lead = {e.lead_id: e for e in enrolments}
        by_lead[opener].step_log_ids._atelier_mark("opened")
        self.assertEqual(by_lead[opener].step_log_ids.opened, 1)
        self._tick(MONDAY_10 + timedelta(days=1), MONDAY_10 + timedelta(days=2))
        states = {
            lead: {log.step_id.name: log.state for log in by_lead[lead].step_log_ids}
            for lead in (opener, silent)
        }
        self.assertEqual(states[opener]["Only if opened"], "sent")
        self.assertEqual(states[silent]["Only if opened"], "skipped")
        # opening scored 2 points: not enough for the call (score > 20)
        self.assertEqual(states[opener]["Call the hot ones"], "skipped")
        figures = sequence.step_ids.sorted("day_offset")
        self.assertEqual(figures[1].sent_count, 1)
        self.assertEqual(figures[1].skipped_count, 1)
        self.assertEqual(figures[0].opened_count, 1)
        self.assertEqual(figures[0].open_rate, 50.0)

    def test_activity_step_goes_to_the_salesperson(self):
        sequence = self.env["atelier.crm.sequence"].create(
            {
                "name": "Call",
                "resource_calendar_id": self.env.ref(
                    "resource.resource_calendar_std"
                ).id,
                "step_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Call them",
                            "kind": "activity",
                            "activity_type_id": self.env.ref(
                                "mail.mail_activity_data_call"
                            ).id,
                            "activity_summary": "Appeler",
                        },
                    )
                ],
            }
        )
        lead = self._lead("Appel Moi", "appel@example.com", user_id=self.sales2.id)
        with freeze_time(MONDAY_10):
            enrolment = sequence._atelier_enrol(lead, now=MONDAY_10)
        self._tick(MONDAY_10, MONDAY_10)
        self.assertEqual(enrolment.step_log_ids.state, "done")
        activity = enrolment.step_log_ids.activity_id
        self.assertEqual(activity.user_id, self.sales2)
        self.assertEqual(activity.summary, "Appeler")
        self.assertEqual(activity.res_id, lead.id)

    def test_claim_is_a_unique_key(self):
        lead = self._lead("Clé Unique", "cle@example.com")
        enrolment = self._enrol(lead)
        claimed = self.Enrolment._atelier_claim(enrolment, MONDAY_10)
        self.assertEqual(list(claimed), [enrolment.id])
        # a second claim of the same (enrolment, step) gets nothing
        self.assertEqual(self.Enrolment._atelier_claim(enrolment, MONDAY_10), {})
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.IntegrityError):
            with self.env.cr.savepoint():
                self.env.cr.execute(
                    "INSERT INTO atelier_crm_enrolment_step "
                    "(enrolment_id, step_id, sequence_id, state, sent, opened, "
                    "clicked, replied, converted) "
                    "VALUES (%s, %s, %s, 'sent', 1, 0, 0, 0, 0)",
                    (enrolment.id, enrolment.next_step_id.id, self.sequence.id),
                )
        # the engine then moves on without sending that step again
        self._tick(MONDAY_10, MONDAY_10)
        self.assertEqual(len(enrolment.step_log_ids), 1)
        self.assertFalse(enrolment.step_log_ids.mail_message_id)
        self.assertEqual(enrolment.next_step_id, self.steps[1])

    def test_enrol_by_rule_once_with_consent(self):
        source = self.env.ref("atelier_crm.utm_source_guide_obd")
        fits = self._lead("Règle Oui", "regle.oui@example.com", source_id=source.id)
        no_consent = self._lead(
            "Règle Non", "regle.non@example.com", consent=False, source_id=source.id
        )
        other_source = self._lead("Autre Source", "autre@example.com")
        self.sequence.rule_active = True
        count = self.sequence._atelier_enrol_by_rule()
        self.assertEqual(count, 1)
        self.assertEqual(fits.atelier_enrolment_ids.origin, "rule")
        self.assertFalse(no_consent.atelier_enrolment_ids)
        self.assertFalse(other_source.atelier_enrolment_ids)
        self.assertEqual(
            self.sequence._atelier_enrol_by_rule(), 0, "never enrolled twice"
        )
        # by hand, the same lead is not enrolled again either
        self.assertFalse(self.sequence._atelier_enrol(fits))
