# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
from datetime import datetime, timedelta, timezone

from odoo.tests import HttpCase, get_db_name, tagged

from odoo.addons.atelier_booking.tests.common import setup_booking_data
from odoo.addons.atelier_fleet_obd.tests.common import ObdDataMixin, iso


@tagged("post_install", "-at_install")
class TestRepairFromCodeTour(ObdDataMixin, HttpCase):
    """Issue #15, tour 4: a session with P0301 arrives from the bridge (its
    JSON-2 entry point, with its API key); from the vehicle, Claire books the
    repair prefilled with the code."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_obd_data()
        data = setup_booking_data(cls.env, prefix="obdtour")
        cls.repair = data["type"].copy(
            {"name": "obdtour repair", "sequence": 30, "atelier_repair_system": "all"}
        )
        cls.api_key = (
            cls.env["res.users.apikeys"]
            .with_user(cls.bridge_user)
            ._generate(None, "obd bridge", datetime.now() + timedelta(days=30))
        )

    def test_book_repair_from_bridge_code(self):
        start = datetime.now(timezone.utc) - timedelta(minutes=20)
        payload = self.make_payload(
            started_at=start,
            readings=self.rpm_readings(start + timedelta(seconds=1), 20),
            dtcs=[{"code": "P0301", "status": "stored", "ts": iso(start)}],
        )
        answer = self.url_open(
            "/json/2/atelier.obd.session/ingest",
            data=json.dumps({"payload": payload}),
            headers={
                "Authorization": f"bearer {self.api_key}",
                "X-Odoo-Database": get_db_name(),
                "Content-Type": "application/json",
            },
        )
        self.assertEqual(answer.status_code, 200, answer.text)
        self.assertEqual(answer.json()["status"], "stored")
        self.vehicle_a.invalidate_recordset()
        self.assertEqual(self.vehicle_a.atelier_open_dtc_ids.mapped("code"), ["P0301"])
        self.start_tour(
            f"/odoo/action-atelier_fleet_obd.atelier_fleet_vehicle_action/{self.vehicle_a.id}",
            "atelier_fleet_obd_booking_repair_tour",
            login="obdtour_claire",
        )
        booking = self.env["atelier.booking"].search(
            [("appointment_type_id", "=", self.repair.id)]
        )
        self.assertEqual(len(booking), 1)
        self.assertEqual(booking.partner_id, self.client_a)
        self.assertEqual(booking.state, "confirmed")
        self.assertIn("P0301", booking.answer_description)
        self.assertEqual(booking.atelier_obd_dtc_id.code, "P0301")
