# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import threading
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged

from odoo.addons.atelier_base.tests.common import AtelierCommittedCase

from ..models.atelier_crm_enrolment_step import AtelierCrmEnrolmentStep

ENROLMENTS = 24


@tagged("post_install", "-at_install")
class TestSequenceConcurrency(AtelierCommittedCase):
    """Real cursors on committed data: two schedulers at once, and one that
    dies halfway."""

    @classmethod
    def _setup_committed(cls, env):
        calendar = env["resource.calendar"].create(
            {
                "name": "conc always open",
                "tz": "UTC",
                "attendance_ids": [
                    (
                        0,
                        0,
                        {
                            "name": f"d{day}",
                            "dayofweek": str(day),
                            "hour_from": 0,
                            "hour_to": 24,
                            "day_period": "morning",
                        },
                    )
                    for day in range(7)
                ],
            }
        )
        template = env.ref("atelier_crm.mail_template_academy_j0")
        cls.sequence_id = (
            env["atelier.crm.sequence"]
            .create(
                {
                    "name": "conc sequence",
                    "resource_calendar_id": calendar.id,
                    "step_ids": [
                        (
                            0,
                            0,
                            {
                                "name": "conc J0",
                                "day_offset": 0,
                                "mail_template_id": template.id,
                            },
                        ),
                        (
                            0,
                            0,
                            {
                                "name": "conc J1",
                                "day_offset": 1,
                                "mail_template_id": template.id,
                            },
                        ),
                    ],
                }
            )
            .id
        )
        cls.calendar_id = calendar.id
        cls.lead_ids = []
        for index in range(ENROLMENTS * 2):
            email = f"conc{index}@example.com"
            lead = env["crm.lead"].create(
                {
                    "name": f"conc {index}",
                    "contact_name": f"Conc {index}",
                    "email_from": email,
                    "user_id": False,
                }
            )
            env["atelier.crm.consent"]._atelier_log(
                [email], "sequence", "granted", "backoffice"
            )
            cls.lead_ids.append(lead.id)

    @classmethod
    def _cleanup_committed(cls, env):
        leads = env["crm.lead"].browse(cls.lead_ids)
        messages = env["mail.message"].search(
            [("model", "=", "crm.lead"), ("res_id", "in", cls.lead_ids)]
        )
        env["mail.mail"].search([("mail_message_id", "in", messages.ids)]).unlink()
        messages.unlink()
        partners = leads.partner_id
        emails = leads.mapped("email_normalized")
        env["atelier.crm.sequence"].browse(cls.sequence_id).unlink()
        leads.unlink()
        env["atelier.crm.consent"].search([("email", "in", emails)]).unlink()
        env["atelier.crm.contact.key"].search(
            [("partner_id", "in", partners.ids)]
        ).unlink()
        partners.unlink()
        env["resource.calendar"].browse(cls.calendar_id).unlink()

    def _enrol(self, lead_ids):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            sequence = env["atelier.crm.sequence"].browse(self.sequence_id)
            now = fields.Datetime.now() - timedelta(minutes=1)
            return sequence._atelier_enrol(
                env["crm.lead"].browse(lead_ids), now=now
            ).ids

    def _figures(self, enrolment_ids):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT s.enrolment_id, count(*), count(m.id) "
                "FROM atelier_crm_enrolment_step s "
                "LEFT JOIN mail_mail m ON m.mail_message_id = s.mail_message_id "
                "WHERE s.enrolment_id = ANY(%s) GROUP BY s.enrolment_id",
                [enrolment_ids],
            )
            return {row[0]: (row[1], row[2]) for row in cr.fetchall()}

    def _run(self, batch_size, barrier=None, errors=None):
        try:
            with self.registry.cursor() as cr:
                env = self._env(cr)
                if barrier:
                    barrier.wait(timeout=10)
                env["atelier.crm.enrolment"]._cron_run(batch_size=batch_size)
        except Exception as exc:  # noqa: BLE001 - reported by the test
            if errors is None:
                raise
            errors.append(exc)

    def test_two_overlapping_runs_send_nothing_twice(self):
        enrolment_ids = self._enrol(self.lead_ids[:ENROLMENTS])
        barrier = threading.Barrier(2)
        errors = []
        threads = [
            threading.Thread(target=self._run, args=(3, barrier, errors))
            for _i in range(2)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        self.assertFalse(errors, errors)
        figures = self._figures(enrolment_ids)
        self.assertEqual(len(figures), ENROLMENTS, "every enrolment got its step")
        self.assertEqual(
            set(figures.values()), {(1, 1)}, "one step log and one e-mail each"
        )
        # and a third run finds nothing left to do
        self._run(10)
        self.assertEqual(self._figures(enrolment_ids), figures)

    def test_a_crash_midway_resumes_where_it_stopped(self):
        enrolment_ids = self._enrol(self.lead_ids[ENROLMENTS:])
        real_send = AtelierCrmEnrolmentStep._atelier_send_emails
        calls = []

        def dying_send(logs, step):
            calls.append(len(logs))
            if len(calls) == 2:
                raise RuntimeError("the worker died")
            return real_send(logs, step)

        with patch.object(AtelierCrmEnrolmentStep, "_atelier_send_emails", dying_send):
            with self.assertRaises(RuntimeError):
                self._run(8)
        done = self._figures(enrolment_ids)
        self.assertEqual(len(done), 8, "the first batch was committed")
        self.assertEqual(set(done.values()), {(1, 1)})
        self._run(8)
        figures = self._figures(enrolment_ids)
        self.assertEqual(len(figures), ENROLMENTS)
        self.assertEqual(set(figures.values()), {(1, 1)}, "nothing twice, nothing lost")
