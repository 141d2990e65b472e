# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged

from ..tools.vin import VinError, check_digit, validate_vin
from .common import VIN_CLIO, VIN_US, ObdDataMixin


@tagged("post_install", "-at_install")
class TestVin(ObdDataMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_obd_data()
        cls.model = cls.vehicle_a.model_id

    def test_check_digit(self):
        self.assertEqual(check_digit("1M8GDM9A_KP042788".replace("_", "0")), "X")
        self.assertEqual(validate_vin(" 1m8gdm9axkp042788 "), VIN_US)

    def test_pure_refusals(self):
        cases = {
            "VF1RFB00X1234567": "length",  # 16 characters
            "VF1RFB00X123456789": "length",
            "VF1RFB00I12345678": "chars",  # I
            "VF1RFBO0X12345678": "chars",  # O
            "VF1RFB00Q12345678": "chars",  # Q
            "1M8GDM9A1KP042788": "check_digit",  # North American, wrong digit
        }
        for vin, code in cases.items():
            with self.subTest(vin=vin), self.assertRaises(VinError) as caught:
                validate_vin(vin)
            self.assertEqual(caught.exception.code, code)

    def test_check_digit_only_for_north_america(self):
        # Same body with a European WMI: the 9th character is not a check digit
        self.assertEqual(validate_vin("WM8GDM9A1KP042788"), "WM8GDM9A1KP042788")
        # Structure-only mode (what the car reports) skips the check digit
        self.assertEqual(
            validate_vin("1M8GDM9A1KP042788", check_structure_only=True),
            "1M8GDM9A1KP042788",
        )

    def test_vehicle_vin_normalized(self):
        vehicle = self.env["fleet.vehicle"].create(
            {"model_id": self.model.id, "vin_sn": "wvw zzz1kz 6w000001"}
        )
        self.assertEqual(vehicle.vin_sn, "WVWZZZ1KZ6W000001")

    def test_vehicle_invalid_vin_refused(self):
        Vehicle = self.env["fleet.vehicle"]
        for vin, message in (
            ("ABC123", "exactly 17 characters"),
            ("WVWZZZ1KZ6W00000I", "except I, O and Q"),
            ("1M8GDM9A1KP042788", "check digit"),
        ):
            with (
                self.subTest(vin=vin),
                self.assertRaisesRegex(ValidationError, message),
            ):
                Vehicle.create({"model_id": self.model.id, "vin_sn": vin})
        with self.assertRaisesRegex(ValidationError, "check digit"):
            with self.env.cr.savepoint():
                self.vehicle_b.vin_sn = "1M8GDM9A2KP042788"
        self.vehicle_b.invalidate_recordset()
        self.assertEqual(self.vehicle_b.vin_sn, VIN_US)

    def test_vehicle_vin_unique(self):
        with self.assertRaisesRegex(ValidationError, "already used"):
            self.env["fleet.vehicle"].create(
                {"model_id": self.model.id, "vin_sn": VIN_CLIO}
            )

    def test_vehicle_vin_unique_within_a_batch(self):
        Vehicle = self.env["fleet.vehicle"]
        vins = ["WVWZZZ1KZ6W000001", "WVWZZZ1KZ6W000002"]
        pair = Vehicle.create([{"model_id": self.model.id, "vin_sn": v} for v in vins])
        self.assertEqual(pair.mapped("vin_sn"), vins)
        pair[0].vin_sn = vins[0]  # its own VIN again: not a twin of itself
        with self.assertRaisesRegex(ValidationError, "already used"):
            Vehicle.create(
                [{"model_id": self.model.id, "vin_sn": "WVWZZZ1KZ6W000003"}] * 2
            )
        self.vehicle_a.active = False
        with self.assertRaisesRegex(ValidationError, "AA-111-AA"):
            pair[1].vin_sn = VIN_CLIO  # archived vehicles keep their VIN
