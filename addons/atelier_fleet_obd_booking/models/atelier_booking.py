# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class AtelierBooking(models.Model):
    _inherit = "atelier.booking"

    atelier_obd_dtc_id = fields.Many2one(
        "atelier.obd.session.dtc",
        string="Trouble code",
        index="btree_not_null",
        ondelete="set null",
        copy=False,
        readonly=True,
    )
    atelier_vehicle_id = fields.Many2one(
        "fleet.vehicle",
        string="Registered vehicle",
        compute="_compute_atelier_vehicle_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        ondelete="set null",
        help="The diagnosed vehicle of a repair, or the vehicle the client "
        "picked in the online form.",
    )

    @api.depends("atelier_obd_dtc_id")
    def _compute_atelier_vehicle_id(self):
        for booking in self:
            if booking.atelier_obd_dtc_id:
                booking.atelier_vehicle_id = booking.atelier_obd_dtc_id.vehicle_id

    # ------------------------------------------------------------------
    # The online form: a logged-in client picks one of her vehicles
    # ------------------------------------------------------------------
    @api.model
    def _atelier_vehicle_choices(self, partner):
        choices = super()._atelier_vehicle_choices(partner)
        Vehicle = self.env["fleet.vehicle"]
        if not Vehicle.has_access("read"):
            return choices
        # as the client: the portal rule shows her own vehicles only
        vehicles = Vehicle.search(
            [("atelier_owner_id", "child_of", partner.commercial_partner_id.id)],
            order="license_plate, id",
        )
        return choices + [
            (str(vehicle.id), self._atelier_vehicle_label(vehicle))
            for vehicle in vehicles.sudo()
        ]

    @api.model
    def _atelier_vehicle_label(self, vehicle):
        """ "Renault Clio · AB-123-CD", as a client names her car."""
        model = vehicle.model_id
        name = " ".join(part for part in (model.brand_id.name, model.name) if part)
        return " · ".join(part for part in (name, vehicle.license_plate) if part) or (
            vehicle.display_name
        )

    @api.model
    def _atelier_vehicle_choice_vals(self, key):
        vals = super()._atelier_vehicle_choice_vals(key)
        if key.isdigit():
            vals["atelier_vehicle_id"] = int(key)
        return vals
