# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io
import re
from unittest.mock import patch
from urllib.parse import urlsplit

from pypdf import PdfReader

from odoo.tests import HttpCase, tagged

from .common import AtelierCrmCommon, start_dns
from .smtp_server import LocalSmtpServer


@tagged("post_install", "-at_install")
class TestTours(AtelierCrmCommon, HttpCase):
    """Browser tours; the e-mails go through Odoo's real mail queue to a real
    SMTP server on 127.0.0.1, and are read from there."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_crm("tour")
        start_dns(cls)
        env = cls.env
        env["ir.config_parameter"].sudo().set_param(
            "atelier_crm.form_hourly_limit", "100"
        )
        env.company.email = "contact@atelier.example.com"
        cls.smtp = LocalSmtpServer().start()
        cls.addClassCleanup(cls.smtp.stop)
        env["ir.mail_server"].create(
            {
                "name": "Test SMTP sink",
                "smtp_host": "127.0.0.1",
                "smtp_port": cls.smtp.port,
                "smtp_encryption": "none",
                "sequence": 1,
            }
        )
        always = env["resource.calendar"].create(
            {
                "name": "tour always open",
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
        cls.sequence.resource_calendar_id = always
        env.company.resource_calendar_id = env.ref("resource.resource_calendar_std")

    def _send_queue(self):
        """Odoo's mail queue, for real: only the test guard that keeps tests
        from sending is lifted, towards the local server."""
        IrMailServer = type(self.env["ir.mail_server"])
        with patch.object(
            IrMailServer, "_disable_send", classmethod(lambda cls: False)
        ):
            self.env["mail.mail"].sudo().process_email_queue()

    def test_visitor_gets_the_guide_after_confirming(self):
        self.start_tour(
            "/atelier/guide/diagnostic-obd?utm_source=Blog", "atelier_crm_guide_tour"
        )
        self._send_queue()
        [confirmation] = self.smtp.received("hugo.visiteur@example.com")
        self.assertEqual(confirmation["Subject"], "Please confirm your request")
        html = confirmation.get_body(("html",)).get_content()
        link = re.search(r'href="([^"]*/atelier/crm/optin/[^"]+)"', html).group(1)
        self.assertFalse(
            self.Lead.search([("email_normalized", "=", "hugo.visiteur@example.com")])
        )

        self.start_tour(urlsplit(link).path, "atelier_crm_optin_tour")
        self._send_queue()
        messages = self.smtp.received("hugo.visiteur@example.com")
        self.assertEqual(len(messages), 2)
        guide = messages[1]
        self.assertEqual(
            guide["Subject"], "Your guide: Reading your vehicle's trouble codes"
        )
        [pdf] = [
            part
            for part in guide.iter_attachments()
            if part.get_content_type() == "application/pdf"
        ]
        self.assertEqual(pdf.get_filename(), "guide-diagnostic-obd.pdf")
        text = " ".join(
            PdfReader(io.BytesIO(pdf.get_content())).pages[0].extract_text().split()
        )
        self.assertIn("Lire les codes défaut", text)

        lead = self.Lead.search(
            [("email_normalized", "=", "hugo.visiteur@example.com")]
        )
        self.assertEqual(
            (lead.atelier_channel, lead.source_id.name), ("lead_magnet", "Blog")
        )
        # the sequence's first e-mail follows, through the scheduler
        self.env["atelier.crm.enrolment"]._atelier_run_batch()
        self._send_queue()
        messages = self.smtp.received("hugo.visiteur@example.com")
        self.assertEqual(len(messages), 3)
        first = messages[2]
        self.assertEqual(first["Subject"], "Your first step towards diagnostics")
        self.assertIn("List-Unsubscribe", first)
        self.assertIn("/atelier/crm/o/", first.get_body(("html",)).get_content())

    def test_salesperson_works_the_advisory_call_and_wins(self):
        lead = self._lead(
            "Karim Benali",
            "karim.benali@example.com",
            atelier_profile="learner",
            zip="69006",
        )
        self.sequence._atelier_enrol(lead)
        self.env["atelier.crm.enrolment"]._atelier_run_batch()
        lead._atelier_add_score("guide_downloaded")
        lead._atelier_add_score("call")
        self.assertEqual(lead.user_id, self.sales1)
        self.start_tour(
            f"/odoo/crm.lead/{lead.id}",
            "atelier_crm_advisory_call_tour",
            login=self.sales1.login,
        )
        self.assertEqual(lead.won_status, "won")
        self.assertEqual(lead.atelier_need, "coaching_expert")
        self.assertEqual(lead.expected_revenue, 1490)
        self.assertTrue(lead.atelier_sql_date)
        enrolment = lead.atelier_enrolment_ids
        self.assertEqual((enrolment.state, enrolment.stop_reason), ("stopped", "won"))
        self.assertEqual(enrolment.step_log_ids.converted, 1)
