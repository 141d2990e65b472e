# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io
from datetime import datetime, timedelta, timezone

from PyPDF2 import PdfReader

from odoo.tests import HttpCase, tagged

from .common import ObdDataMixin, iso


@tagged("post_install", "-at_install")
class TestReport(ObdDataMixin, HttpCase):
    """HttpCase: wkhtmltopdf fetches the report assets from the test server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_obd_data()
        start = datetime.now(timezone.utc) - timedelta(minutes=30)
        payload = cls.make_payload(
            started_at=start,
            readings=cls.rpm_readings(start + timedelta(seconds=1), 200)
            + cls.rpm_readings(
                start + timedelta(seconds=1), 200, pid="COOLANT_TEMP", base=40
            ),
            dtcs=[
                {"code": "P0301", "status": "stored", "ts": iso(start)},
                {"code": "U0100", "status": "pending", "ts": iso(start)},
            ],
        )
        answer = (
            cls.env["atelier.obd.session"].with_user(cls.bridge_user).ingest(payload)
        )
        cls.session = cls.env["atelier.obd.session"].browse(answer["session_id"])

    def test_pdf_contains_codes_and_owner(self):
        # test mode renders HTML unless forced: we want the real wkhtmltopdf output
        report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        pdf, kind = report._render_qweb_pdf(
            "atelier_fleet_obd.action_report_obd_session", self.session.ids
        )
        self.assertEqual(kind, "pdf")
        pages = PdfReader(io.BytesIO(pdf)).pages
        # wkhtmltopdf separates words with tabs: compare on normalized spaces
        text = " ".join(" ".join(page.extract_text() for page in pages).split())
        self.assertIn("P0301", text)
        self.assertIn("U0100", text)
        self.assertIn("Cylinder 1 misfire detected", text)
        self.assertIn("Taxi Alpha", text)
        self.assertIn("AA-111-AA", text)
        self.assertIn("Engine speed", text)

    def test_html_has_svg_chart_and_stats(self):
        html, _kind = self.env["ir.actions.report"]._render_qweb_html(
            "atelier_fleet_obd.action_report_obd_session", self.session.ids
        )
        html = html.decode()
        self.assertIn("<polyline", html)
        self.assertIn("Coolant temperature", html)
        self.assertIn("899.0", html, "max of the RPM readings")

    def test_print_action(self):
        action = self.session.with_user(self.technician).action_print_report()
        self.assertEqual(action["report_name"], "atelier_fleet_obd.report_obd_session")
