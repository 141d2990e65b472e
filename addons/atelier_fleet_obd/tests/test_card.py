# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta, timezone

from odoo.tests import TransactionCase, new_test_user, tagged

from .common import ObdDataMixin, iso


@tagged("post_install", "-at_install")
class TestCard(ObdDataMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_obd_data()
        start = datetime.now(timezone.utc) - timedelta(minutes=30)
        cls.env["atelier.obd.session"].with_user(cls.bridge_user).ingest(
            cls.make_payload(
                started_at=start,
                dtcs=[
                    {"code": "P0335", "status": "stored", "ts": iso(start)},
                    {"code": "P0128", "status": "pending", "ts": iso(start)},
                ],
            )
        )

    def section(self, partner, user):
        card = partner.with_user(user).atelier_get_card()
        return next((s for s in card["sections"] if s["key"] == "vehicles"), None)

    def test_vehicles_with_open_codes(self):
        assistant = new_test_user(
            self.env, login="obd_assistant", groups="atelier_base.group_assistant"
        )
        section = self.section(self.client_a, assistant)
        self.assertEqual((section["sequence"], section["count"]), (40, 1))
        item = section["items"][0]
        self.assertEqual(
            (item["res_model"], item["res_id"]), ("fleet.vehicle", self.vehicle_a.id)
        )
        self.assertIn("P0335", item["value"])
        self.assertIn("P0128", item["value"])
        self.assertEqual((item["badge"], item["badge_color"]), ("2", "danger"))
        self.assertEqual(
            section["action"]["domain"], [("id", "in", [self.vehicle_a.id])]
        )
        other = self.section(self.client_b, assistant)
        self.assertEqual(other["items"][0]["badge_color"], "success")

    def test_section_hidden_without_fleet_access(self):
        coach = new_test_user(
            self.env, login="obd_coach", groups="atelier_base.group_coach"
        )
        self.assertIsNone(self.section(self.client_a, coach))
