# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


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
        """The booking wizard of the vehicle's owner, on the appointment type
        set for repairs of the code's system, the code in the notes.
        Assistants and technicians may book it."""
        self.ensure_one()
        self.check_access("read")
        return self.session_id._atelier_book_repair(self)

    def action_atelier_view_bookings(self):
        self.ensure_one()
        self.check_access("read")
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
