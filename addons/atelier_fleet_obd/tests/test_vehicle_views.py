# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Client vehicles have their own screens (issue #10, item 16): the menu
lists client vehicles only, with what a workshop cares for; Odoo's Fleet app
keeps its own views for the company's cars."""

import ast
from datetime import datetime, timedelta, timezone

from lxml import etree

from odoo.tests import Form, TransactionCase, tagged

from .common import ObdDataMixin, iso

COMPANY_FLEET_ONLY = (
    "driver_id",
    "future_driver_id",
    "car_value",
    "net_car_value",
    "residual_value",
    "horsepower_tax",
    "contract_date_start",
)


@tagged("post_install", "-at_install")
class TestClientVehicleViews(ObdDataMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_obd_data()
        employee = cls.env["res.partner"].create({"name": "Employee driver"})
        cls.company_car = cls.env["fleet.vehicle"].create(
            {
                "model_id": cls.vehicle_a.model_id.id,
                "license_plate": "CO-000-MP",
                "driver_id": employee.id,
            }
        )
        cls.action = cls.env["ir.actions.act_window"]._for_xml_id(
            "atelier_fleet_obd.atelier_fleet_vehicle_action"
        )

    def fields_of(self, view_type, view_id=None):
        views = self.env["fleet.vehicle"].get_views([(view_id, view_type)])
        arch = etree.fromstring(views["views"][view_type]["arch"])
        return {node.get("name") for node in arch.iter("field")}

    def test_the_menu_lists_client_vehicles_only(self):
        self.assertFalse(self.company_car.atelier_owner_id, "a driver is not an owner")
        found = (
            self.env["fleet.vehicle"]
            .with_user(self.technician)
            .search(ast.literal_eval(self.action["domain"]))
        )
        self.assertIn(self.vehicle_a, found)
        self.assertNotIn(self.company_car, found)

    def test_client_views_show_what_a_workshop_cares_for(self):
        views = {mode: view_id for view_id, mode in self.action["views"]}
        self.assertEqual(set(views), {"list", "kanban", "form"})
        form = self.fields_of("form", views["form"])
        for name in (
            "atelier_owner_id",
            "license_plate",
            "vin_sn",
            "model_id",
            "brand_id",
            "fuel_type",
            "odometer",
            "atelier_obd_session_ids",
            "atelier_open_dtc_ids",
        ):
            self.assertIn(name, form)
        for name in COMPANY_FLEET_ONLY:
            self.assertNotIn(name, form)
            self.assertNotIn(name, self.fields_of("list", views["list"]))
        self.assertIn("atelier_dtc_count", self.fields_of("kanban", views["kanban"]))
        search = self.env.ref("atelier_fleet_obd.atelier_fleet_vehicle_view_search")
        self.assertEqual(self.action["search_view_id"][0], search.id)

    def test_odoo_fleet_keeps_its_own_views(self):
        for view_type in ("form", "list", "kanban"):
            with self.subTest(view_type=view_type):
                names = self.fields_of(view_type)
                self.assertFalse({n for n in names if n.startswith("atelier_")})
        self.assertIn("driver_id", self.fields_of("form"))
        fleet_action = self.env.ref("fleet.fleet_vehicle_action")
        self.assertNotIn("atelier", fleet_action.domain or "")

    def test_a_technician_registers_a_client_vehicle(self):
        form = Form(
            self.env["fleet.vehicle"].with_user(self.technician),
            view="atelier_fleet_obd.fleet_vehicle_view_form",
        )
        brand = (
            self.env["fleet.vehicle.model.brand"]
            .with_user(self.technician)
            .create({"name": "Dacia"})
        )
        form.model_id = (
            self.env["fleet.vehicle.model"]
            .with_user(self.technician)
            .create({"name": "Sandero", "brand_id": brand.id})
        )
        form.license_plate = "DD-444-DD"
        form.vin_sn = "uu1 5sdp4d 12345678"
        form.fuel_type = "diesel"
        with self.assertRaises(AssertionError):  # the owner is required
            form.save()
        form.atelier_owner_id = self.client_a
        vehicle = form.save()
        self.assertEqual(vehicle.vin_sn, "UU15SDP4D12345678")
        self.assertEqual(vehicle.brand_id, brand)

    def test_filter_vehicles_with_open_codes(self):
        start = datetime.now(timezone.utc) - timedelta(minutes=10)
        self.env["atelier.obd.session"].with_user(self.bridge_user).ingest(
            self.make_payload(
                started_at=start,
                dtcs=[{"code": "P0420", "status": "stored", "ts": iso(start)}],
            )
        )
        Vehicle = self.env["fleet.vehicle"]
        self.assertEqual(
            Vehicle.search([("atelier_dtc_count", ">", 0)]), self.vehicle_a
        )
        self.assertIn(self.vehicle_b, Vehicle.search([("atelier_dtc_count", "=", 0)]))
        self.assertNotIn(
            self.vehicle_a, Vehicle.search([("atelier_dtc_count", "=", 0)])
        )

    def test_the_card_opens_the_client_vehicle_form(self):
        card = self.client_a.with_user(self.manager).atelier_get_card()
        section = next(s for s in card["sections"] if s["key"] == "vehicles")
        form = self.env.ref("atelier_fleet_obd.fleet_vehicle_view_form").id
        self.assertEqual(section["items"][0]["views"], [[form, "form"]])
        self.assertEqual(section["action"]["res_model"], "fleet.vehicle")
        self.assertIn([form, "form"], [list(v) for v in section["action"]["views"]])
