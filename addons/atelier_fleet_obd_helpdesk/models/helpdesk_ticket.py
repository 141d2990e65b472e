# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    atelier_vehicle_id = fields.Many2one(
        "fleet.vehicle",
        string="Vehicle",
        index="btree_not_null",
        ondelete="set null",
        tracking=True,
    )
    atelier_obd_dtc_id = fields.Many2one(
        "atelier.obd.session.dtc",
        string="Trouble code",
        index="btree_not_null",
        ondelete="set null",
        copy=False,
    )

    # ------------------------------------------------------------------
    # Onchange and CRUD: the client's only vehicle
    # ------------------------------------------------------------------
    @api.onchange("atelier_obd_dtc_id")
    def _onchange_atelier_obd_dtc_id(self):
        if self.atelier_obd_dtc_id.vehicle_id and not self.atelier_vehicle_id:
            self.atelier_vehicle_id = self.atelier_obd_dtc_id.vehicle_id

    @api.onchange("partner_id")
    def _onchange_atelier_partner_vehicle(self):
        if self.partner_id and not self.atelier_vehicle_id:
            self.atelier_vehicle_id = self._atelier_only_vehicle(self.partner_id.id)

    @api.model
    def default_get(self, fields):
        defaults = super().default_get(fields)
        if (
            "atelier_vehicle_id" in fields
            and not defaults.get("atelier_vehicle_id")
            and defaults.get("partner_id")
        ):
            vehicle = self._atelier_only_vehicle(defaults["partner_id"])
            if vehicle:
                defaults["atelier_vehicle_id"] = vehicle.id
        return defaults

    @api.model_create_multi
    def create(self, vals_list):
        context_vals = self._atelier_context_defaults()
        # the caller's dicts are not ours to change
        vals_list = [dict(vals) for vals in vals_list]
        for vals in vals_list:
            known = {**context_vals, **vals}
            if known.get("atelier_vehicle_id") or not known.get("partner_id"):
                continue
            if known.get("atelier_obd_dtc_id"):
                dtc = self.env["atelier.obd.session.dtc"].browse(
                    known["atelier_obd_dtc_id"]
                )
                vehicle = dtc.exists()._filtered_access("read").vehicle_id
            else:
                vehicle = self._atelier_only_vehicle(known["partner_id"])
            if vehicle:
                vals["atelier_vehicle_id"] = vehicle.id
        return super().create(vals_list)

    @api.model
    def _atelier_only_vehicle(self, partner_id):
        """The vehicle of a client who has exactly one (its company's
        vehicles count for its contacts), as far as the user may see."""
        Vehicle = self.env["fleet.vehicle"]
        if not partner_id or not Vehicle.has_access("read"):
            return Vehicle
        partner = self.env["res.partner"].browse(partner_id).exists()
        if not partner:
            return Vehicle
        vehicles = Vehicle.search(
            [("atelier_owner_id", "child_of", partner.commercial_partner_id.id)],
            limit=2,
        )
        return vehicles if len(vehicles) == 1 else Vehicle

    # ------------------------------------------------------------------
    # Routing: a trouble code makes a diagnostic ticket
    # ------------------------------------------------------------------
    def _atelier_routing_field_names(self):
        return super()._atelier_routing_field_names() + ["atelier_obd_dtc_id"]

    @api.model
    def _atelier_routing_hints(self, vals):
        hints = super()._atelier_routing_hints(vals)
        if vals.get("atelier_obd_dtc_id"):
            company = self.env["res.company"].browse(vals.get("company_id") or [])
            ticket_type = (company or self.env.company)._atelier_dtc_ticket_type()
            if ticket_type:
                hints.insert(0, (self.env["helpdesk.ticket.team"], ticket_type))
        return hints
