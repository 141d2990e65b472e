# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class AtelierObdSessionDtc(models.Model):
    _inherit = "atelier.obd.session.dtc"

    booking_ids = fields.One2many(
        "atelier.booking", "atelier_obd_dtc_id", string="Repairs booked", readonly=True
    )
    booking_count = fields.Integer(
        string="Booking count", compute="_compute_booking_count"
    )

    @api.depends("booking_ids")
    def _compute_booking_count(self):
        for line in self:
            line.booking_count = len(line.booking_ids)

    def action_atelier_book_repair(self):
        """The booking wizard of the vehicle's owner, the code in the notes."""
        self.ensure_one()
        client = self.vehicle_id.atelier_owner_id or self.session_id.partner_id
        if not client:
            raise UserError(
                self.env._("Set the vehicle's owner before booking a repair.")
            )
        action = client.action_atelier_book()
        wizard = self.env["atelier.booking.wizard"].browse(action["res_id"])
        vals = {
            "atelier_obd_dtc_id": self.id,
            "answer_vehicle": self._atelier_vehicle_label(),
            "answer_description": self._atelier_repair_description(),
        }
        repair_type = self._atelier_repair_type()
        if repair_type and repair_type != wizard.appointment_type_id:
            vals["appointment_type_id"] = repair_type.id
        wizard.write(vals)
        if "appointment_type_id" in vals:
            wizard._onchange_slots()
        return action

    def action_atelier_view_bookings(self):
        self.ensure_one()
        return self.booking_ids._atelier_action_view(
            [("atelier_obd_dtc_id", "=", self.id)]
        )

    def _atelier_vehicle_label(self):
        vehicle = self.vehicle_id
        if not vehicle:
            return self.session_id.vin or False
        return vehicle.display_name

    def _atelier_repair_description(self):
        severity = self._fields["severity"].convert_to_export(self.severity, self)
        head = " ".join(part for part in (self.code, self.title) if part)
        if severity:
            head = self.env._(
                "%(code)s (severity: %(severity)s)", code=head, severity=severity
            )
        lines = [self.env._("Repair of trouble code %(code)s", code=head)]
        if self.description:
            lines.append(self.description)
        lines.append(
            self.env._(
                "Diagnostic session: %(session)s",
                session=self.session_id.display_name,
            )
        )
        return "\n".join(lines)

    def _atelier_repair_type(self):
        """A published appointment type that asks for the vehicle, if any."""
        return self.env["atelier.appointment.type"].search(
            [
                ("is_published", "=", True),
                ("technician_ids", "!=", False),
                ("ask_vehicle", "!=", "no"),
            ],
            limit=1,
        )
