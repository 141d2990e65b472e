# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta, timezone

from odoo.tests import HttpCase, tagged

from .common import ObdDataMixin, iso


@tagged("post_install", "-at_install")
class TestSessionTour(ObdDataMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_obd_data()
        start = datetime.now(timezone.utc) - timedelta(minutes=20)
        cls.env["atelier.obd.session"].with_user(cls.bridge_user).ingest(
            cls.make_payload(
                started_at=start,
                readings=cls.rpm_readings(start + timedelta(seconds=1), 400)
                + cls.rpm_readings(
                    start + timedelta(seconds=1), 400, pid="SPEED", base=0
                )
                + cls.rpm_readings(
                    start + timedelta(seconds=1),
                    400,
                    pid="CONTROL_MODULE_VOLTAGE",
                    base=13.9,
                    step_value=0.002,
                ),
                dtcs=[{"code": "P0301", "status": "stored", "ts": iso(start)}],
            )
        )

    def test_session_chart_tour(self):
        self.start_tour(
            "/odoo/action-atelier_fleet_obd.atelier_obd_session_action",
            "atelier_obd_session_chart",
            login="obd_tech",
        )
