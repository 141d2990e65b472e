# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo import models
from odoo.exceptions import ValidationError

from odoo.addons.atelier_fleet_obd.tools.vin import VinError, validate_vin

# the fleet's fuel type of a beta fuel type
FLEET_FUELS = {
    "petrol": "gasoline",
    "diesel": "diesel",
    "hybrid": "full_hybrid",
    "electric": "electric",
    "lpg": "lpg",
    "flexfuel": "gasoline",
}


class AtelierBetaSignup(models.Model):
    _inherit = "atelier.beta.signup"

    def _atelier_vehicles(self):
        self.ensure_one()
        partner = self.sudo().partner_id
        if not partner:
            return self.env["fleet.vehicle"]
        return (
            self.env["fleet.vehicle"]
            .sudo()
            .search(
                [
                    (
                        "atelier_owner_id",
                        "in",
                        (partner | partner.commercial_partner_id).ids,
                    )
                ]
            )
        )

    def _atelier_register_vehicle(self, vin, model_name, plate=None):
        """The tester's car, so that the sessions the app sends with its VIN
        are theirs. A VIN known already is refused: nobody claims another
        person's car."""
        self.ensure_one()
        signup = self.sudo()
        if signup.state != "tester" or not signup.partner_id:
            raise ValidationError(self.env._("Only beta testers register a car here."))
        try:
            vin = validate_vin(vin, check_structure_only=True)
        except VinError as exc:
            raise ValidationError(
                self.env._(
                    "This VIN is not valid: 17 letters and digits, without I, O or Q."
                )
            ) from exc
        model_name = (model_name or "").strip()
        if not model_name or len(model_name) > 60:
            raise ValidationError(
                self.env._("Type the model of your car (at most 60 characters).")
            )
        Vehicle = self.env["fleet.vehicle"].sudo().with_context(active_test=False)
        if Vehicle.search_count([("vin_sn", "=", vin)], limit=1):
            raise ValidationError(
                self.env._(
                    "This VIN is registered already. If it is your car, write to us."
                )
            )
        Brand = self.env["fleet.vehicle.model.brand"].sudo()
        make = (signup.vehicle_make or "").strip() or self.env._("Other")
        brand = Brand.search([("name", "=ilike", make)], limit=1) or Brand.create(
            {"name": make}
        )
        Model = self.env["fleet.vehicle.model"].sudo()
        model = Model.search(
            [("brand_id", "=", brand.id), ("name", "=ilike", model_name)], limit=1
        ) or Model.create(
            {
                "name": model_name,
                "brand_id": brand.id,
                "default_fuel_type": FLEET_FUELS.get(signup.fuel_type, "gasoline"),
            }
        )
        year = signup.vehicle_year
        return Vehicle.create(
            {
                "model_id": model.id,
                "vin_sn": vin,
                "license_plate": (plate or "").strip()[:20] or False,
                "model_year": str(year)
                if year and 1970 <= year <= date.today().year
                else False,
                "atelier_owner_id": signup.partner_id.id,
                "fuel_type": FLEET_FUELS.get(signup.fuel_type, "gasoline"),
            }
        )
