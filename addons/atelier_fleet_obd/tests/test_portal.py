# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta, timezone

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import VIN_US, ObdDataMixin, iso


@tagged("post_install", "-at_install")
class TestPortal(ObdDataMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_obd_data()
        start = datetime.now(timezone.utc) - timedelta(minutes=30)
        Session = cls.env["atelier.obd.session"]
        bridge = Session.with_user(cls.bridge_user)
        cls.session_a = Session.browse(
            bridge.ingest(
                cls.make_payload(
                    started_at=start,
                    dtcs=[{"code": "P0420", "status": "stored", "ts": iso(start)}],
                )
            )["session_id"]
        )
        cls.session_b = Session.browse(
            bridge.ingest(
                cls.make_payload(
                    vin=VIN_US,
                    started_at=start,
                    dtcs=[{"code": "P0128", "status": "stored", "ts": iso(start)}],
                )
            )["session_id"]
        )

    def test_record_rules(self):
        env = self.env(user=self.portal_a)
        self.assertEqual(env["fleet.vehicle"].search([]), self.vehicle_a)
        self.assertEqual(env["atelier.obd.session"].search([]), self.session_a)
        self.assertEqual(
            env["atelier.obd.session.dtc"].search([]).mapped("code"), ["P0420"]
        )
        with self.assertRaises(AccessError):
            env["fleet.vehicle"].browse(self.vehicle_b.id).read(["vin_sn"])
        with self.assertRaises(AccessError):
            env["atelier.obd.session"].browse(self.session_b.id).read(["vin"])
        with self.assertRaises(AccessError):
            env["fleet.vehicle"].browse(self.vehicle_a.id).write({"license_plate": "X"})
        env_b = self.env(user=self.portal_b)
        self.assertEqual(env_b["atelier.obd.session"].search([]), self.session_b)

    def test_my_vehicles_pages(self):
        self.authenticate("portal_alpha", "portal_alpha_pw_1")
        page = self.url_open("/my/vehicles")
        self.assertEqual(page.status_code, 200)
        self.assertIn("AA-111-AA", page.text)
        self.assertNotIn("BB-222-BB", page.text)
        # the tab names the page, not its template
        self.assertRegex(page.text, r"<title>\s*My vehicles \|")
        detail = self.url_open(f"/my/vehicles/{self.vehicle_a.id}")
        self.assertEqual(detail.status_code, 200)
        self.assertIn("P0420", detail.text)
        self.assertIn(f"<title>{self.vehicle_a.display_name} |", detail.text)
        self.assertIn(f"/my/diagnostics/{self.session_a.id}/report", detail.text)
        report = self.url_open(f"/my/diagnostics/{self.session_a.id}/report")
        self.assertEqual(report.status_code, 200)
        self.assertEqual(report.headers["Content-Type"], "application/pdf")
        # (in test mode Odoo renders reports as HTML; test_report checks the PDF)
        self.assertIn(b"P0420", report.content)

    @mute_logger("odoo.http")
    def test_other_clients_pages_hidden(self):
        self.authenticate("portal_alpha", "portal_alpha_pw_1")
        for url in (
            f"/my/vehicles/{self.vehicle_b.id}",
            f"/my/diagnostics/{self.session_b.id}/report",
            "/my/vehicles/999999",
        ):
            with self.subTest(url=url):
                self.assertEqual(self.url_open(url).status_code, 404)

    def test_anonymous_redirected_to_login(self):
        response = self.url_open("/my/vehicles", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])
