# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ..tools import availability as engine


class AtelierBookingWizard(models.TransientModel):
    _name = "atelier.booking.wizard"
    _description = "Book an appointment for a client"

    partner_id = fields.Many2one("res.partner", string="Client", required=True)
    appointment_type_id = fields.Many2one(
        "atelier.appointment.type",
        string="Appointment type",
        required=True,
        default=lambda self: self.env["atelier.appointment.type"].search(
            [("technician_ids", "!=", False)], limit=1
        ),
    )
    technician_id = fields.Many2one(
        "res.users",
        domain="[('id', 'in', allowed_technician_ids)]",
        help="Leave empty for the least loaded free technician.",
    )
    allowed_technician_ids = fields.Many2many(
        related="appointment_type_id.technician_ids"
    )
    date_from = fields.Date(
        string="From", required=True, default=fields.Date.context_today
    )
    answer_description = fields.Text(string="Description")
    answer_vehicle = fields.Char(string="Vehicle")
    slot_ids = fields.One2many(
        "atelier.booking.wizard.slot", "wizard_id", string="Next free slots"
    )

    @api.onchange("appointment_type_id", "technician_id", "date_from")
    def _onchange_slots(self):
        commands = [fields.Command.clear()]
        for start, user_ids in self._find_slots():
            commands.append(
                fields.Command.create(
                    {
                        "start": start,
                        "technician_ids": [fields.Command.set(user_ids)],
                    }
                )
            )
        self.slot_ids = commands

    def _find_slots(self, limit=8):
        if not self.appointment_type_id:
            return []
        date_from = None
        if self.date_from:
            zone = engine.get_zone(self.env.user.tz or "Europe/Paris")
            date_from = engine.local_to_utc(self.date_from, 0, zone)
        return self.appointment_type_id._next_free_slots(
            limit=limit,
            date_from=date_from,
            technician=self.technician_id or None,
        )

    def _book_slot(self, slot):
        self.ensure_one()
        technician = self.technician_id
        if not technician and len(slot.technician_ids) == 1:
            technician = slot.technician_ids
        answers = {
            "answer_description": self.answer_description or False,
            "answer_vehicle": self.answer_vehicle or False,
        }
        booking = self.env["atelier.booking"]._book(
            self.appointment_type_id,
            slot.start,
            partner=self.partner_id,
            technician=technician or None,
            hold=False,
            client_tz=self.partner_id.tz or self.env.user.tz,
            answers=answers,
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "atelier.booking",
            "res_id": booking.id,
            "view_mode": "form",
            "target": "current",
        }
