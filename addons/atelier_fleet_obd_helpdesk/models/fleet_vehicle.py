# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import api, fields, models


class FleetVehicle(models.Model):
    _inherit = "fleet.vehicle"

    atelier_ticket_ids = fields.One2many(
        "helpdesk.ticket", "atelier_vehicle_id", string="Tickets", readonly=True
    )
    atelier_ticket_count = fields.Integer(
        string="Ticket count", compute="_compute_atelier_ticket_count"
    )

    @api.depends("atelier_ticket_ids")
    def _compute_atelier_ticket_count(self):
        for vehicle in self:
            vehicle.atelier_ticket_count = len(vehicle.atelier_ticket_ids)

    def action_atelier_new_ticket(self):
        """A ticket form for the vehicle, its open trouble codes listed."""
        self.ensure_one()
        self.check_access("read")
        return self._atelier_new_ticket_action(self._atelier_ticket_defaults())

    def action_atelier_view_tickets(self):
        self.ensure_one()
        self.check_access("read")
        return self.atelier_ticket_ids._get_records_action(
            name=self.env._("Tickets"), context=self._atelier_ticket_defaults()
        )

    def _atelier_ticket_common_defaults(self):
        """Client, vehicle and ticket type of a ticket about this vehicle
        (empty recordset: only the ticket type)."""
        context = {}
        diagnostic = self.env.company._atelier_dtc_ticket_type()
        if diagnostic:
            context["default_type_id"] = diagnostic.id
        if self:
            self.ensure_one()
            context["default_atelier_vehicle_id"] = self.id
            if self.atelier_owner_id:
                context["default_partner_id"] = self.atelier_owner_id.id
        return context

    def _atelier_ticket_defaults(self):
        self.ensure_one()
        codes = self.atelier_open_dtc_ids
        title = self.env._(
            "Diagnostic of %(vehicle)s",
            vehicle=self.license_plate or self.display_name,
        )
        if codes:
            items = Markup("").join(
                Markup("<li>%s</li>") % code._atelier_ticket_line() for code in codes
            )
            description = Markup("<p>%s</p><ul>%s</ul>") % (
                self.env._("Trouble codes of the last diagnostic:"),
                items,
            )
        else:
            description = Markup("<p>%s</p>") % self.env._(
                "No trouble code in the last diagnostic."
            )
        context = {"default_name": title, "default_description": description}
        context.update(self._atelier_ticket_common_defaults())
        return context

    @api.model
    def _atelier_new_ticket_action(self, context):
        """A new ticket form with ``context`` defaults (vehicle or trouble code)."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New ticket"),
            "res_model": "helpdesk.ticket",
            "views": [[False, "form"]],
            "target": "current",
            "context": context,
        }
