# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

SERIOUS = ("high", "critical")


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _atelier_card_sections(self):
        sections = super()._atelier_card_sections()
        Vehicle = self.env["fleet.vehicle"]
        if not Vehicle.has_access("read"):
            return sections
        vehicles = Vehicle.search([("atelier_owner_id", "child_of", self.id)])
        form = self.env.ref("atelier_fleet_obd.fleet_vehicle_view_form").id
        items = []
        for vehicle in vehicles:
            codes = vehicle.atelier_open_dtc_ids
            if codes:
                value = ", ".join(codes.mapped("code"))
                serious = any(code.severity in SERIOUS for code in codes)
                badge_color = "danger" if serious else "warning"
            else:
                value = self.env._("No open trouble code")
                badge_color = "success"
            items.append(
                {
                    "label": vehicle.display_name,
                    "value": value,
                    "res_model": "fleet.vehicle",
                    "res_id": vehicle.id,
                    "views": [[form, "form"]],  # the client vehicle's form
                    "badge": str(len(codes)),
                    "badge_color": badge_color,
                }
            )
        action = False
        if vehicles:
            action = self.env["ir.actions.act_window"]._for_xml_id(
                "atelier_fleet_obd.atelier_fleet_vehicle_action"
            )
            action["domain"] = [("id", "in", vehicles.ids)]
        sections.append(
            {
                "key": "vehicles",
                "title": self.env._("Vehicles and trouble codes"),
                "sequence": 40,
                "type": "list",
                "items": items,
                "count": len(vehicles),
                "action": action,
            }
        )
        return sections
