# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.exceptions import UserError

SEVERITY_RANK = {"critical": 0, "high": 1, "medium": 2, "low": 3, False: 4}


class AtelierObdSession(models.Model):
    _inherit = "atelier.obd.session"

    def action_atelier_book_repair(self):
        """Book the repair of the session's trouble codes (its most severe one
        decides the appointment type)."""
        self.ensure_one()
        self.check_access("read")
        if not self.dtc_ids:
            raise UserError(self.env._("This session reported no trouble code."))
        return self._atelier_book_repair(self.dtc_ids)

    def _atelier_book_repair(self, lines):
        """The owner's booking wizard on the repair type of ``lines`` (codes
        of this session, most severe first), with the vehicle and the codes."""
        self.ensure_one()
        lines = lines.sorted(
            lambda line: (SEVERITY_RANK.get(line.severity, 4), line.code)
        )
        client = self.vehicle_id.atelier_owner_id or self.partner_id
        if not client:
            raise UserError(
                self.env._("Set the vehicle's owner before booking a repair.")
            )
        repair_type = self._atelier_repair_type(lines[0].code[:1])
        action = client.action_atelier_book(
            appointment_type_id=repair_type.id,
            atelier_obd_dtc_id=lines[0].id,
            answer_vehicle=lines[0]._atelier_vehicle_label(),
            answer_description="\n\n".join(
                line._atelier_repair_description() for line in lines
            ),
        )
        action["name"] = self.env._("Book a repair")
        return action

    def _atelier_repair_type(self, system):
        """The appointment type set for repairs of codes of ``system`` (P, C, B,
        U), else the one set for every code; UserError when none is: a repair
        must never be booked on whatever type comes first."""
        Type = self.env["atelier.appointment.type"]
        for value in (system, "all"):
            found = Type.search(
                [
                    ("atelier_repair_system", "=", value),
                    ("technician_ids", "!=", False),
                ],
                limit=1,
            )
            if found:
                return found
        raise UserError(
            self.env._(
                "No appointment type takes repairs of trouble codes yet: a manager "
                "sets 'Repairs of trouble codes' on one (Booking > Configuration > "
                "Appointment types)."
            )
        )
