# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestTimesMet(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.dtc = env["atelier.dtc"].create(
            {"code": "P0A7F", "title": "Hybrid battery pack deterioration"}
        )
        cls.other = env["atelier.dtc"].create(
            {"code": "P0A7E", "title": "Hybrid battery pack over temperature"}
        )
        owner = env["res.partner"].create({"name": "Client diagnostics"})
        brand = env["fleet.vehicle.model.brand"].create({"name": "KB Toyota"})
        model = env["fleet.vehicle.model"].create(
            {"name": "Prius", "brand_id": brand.id}
        )
        vehicle = env["fleet.vehicle"].create(
            {
                "model_id": model.id,
                "license_plate": "KB-123-AA",
                "atelier_owner_id": owner.id,
            }
        )
        now = fields.Datetime.now()
        for index in range(3):
            session = env["atelier.obd.session"].create(
                {
                    "session_uuid": f"kb-times-met-{index}",
                    "vehicle_id": vehicle.id,
                    "started_at": now - timedelta(days=index + 1),
                }
            )
            codes = cls.dtc if index else cls.dtc | cls.other
            for dtc in codes:
                env["atelier.obd.session.dtc"].create(
                    {
                        "session_id": session.id,
                        "code": dtc.code,
                        "dtc_id": dtc.id,
                        "first_seen": now - timedelta(days=index + 1),
                        "last_seen": now - timedelta(days=index + 1),
                    }
                )

    def test_count_per_code(self):
        self.assertEqual(self.dtc.kb_times_met, 3)
        self.assertEqual(self.other.kb_times_met, 1)
        never = self.env["atelier.dtc"].create({"code": "P0A7D", "title": "Never seen"})
        self.assertEqual(never.kb_times_met, 0)
        # a visitor cannot read sessions, yet sees the count
        public = self.env.ref("base.public_user")
        self.assertEqual(self.dtc.with_user(public).kb_times_met, 3)

    def test_public_page_shows_it(self):
        response = self.url_open("/kb/code/P0A7F")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(
            '<span class="o_kb_times_met_count">3</span>' in response.text,
            "the page does not show 3 times met",
        )
