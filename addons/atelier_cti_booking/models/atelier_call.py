# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_datetime

from odoo.addons.atelier_booking.models.atelier_booking import SlotTakenError

SLOT_LABEL_FORMAT = "EEE d MMM HH:mm"


class AtelierCall(models.Model):
    _inherit = "atelier.call"

    atelier_booking_ids = fields.One2many(
        "atelier.booking",
        "atelier_call_id",
        string="Appointments booked",
        readonly=True,
    )
    atelier_booking_count = fields.Integer(
        string="Appointments", compute="_compute_atelier_booking_count"
    )

    @api.depends("atelier_booking_ids")
    def _compute_atelier_booking_count(self):
        for call in self:
            call.atelier_booking_count = len(call.atelier_booking_ids)

    # ------------------------------------------------------------------
    # Actions (call form)
    # ------------------------------------------------------------------
    def action_atelier_book(self):
        """The booking wizard of the caller, its bookings linked to the call."""
        self.ensure_one()
        self._atelier_check_can_book()
        return self.partner_id.action_atelier_book(atelier_call_id=self.id)

    def action_atelier_view_bookings(self):
        self.ensure_one()
        return self.atelier_booking_ids._atelier_action_view(
            [("atelier_call_id", "=", self.id)]
        )

    # ------------------------------------------------------------------
    # RPC from the pop-up
    # ------------------------------------------------------------------
    def atelier_booking_slots(self, appointment_type_id=False, limit=6):
        """The appointment types and the next free slots of one of them (the
        first published one by default) for the caller of this call."""
        self.ensure_one()
        self._atelier_check_can_book()
        types = self.env["atelier.appointment.type"]._bookable()
        appointment_type = types.filtered(lambda t: t.id == appointment_type_id)[:1]
        appointment_type = appointment_type or types[:1]
        return {
            "types": [{"id": t.id, "name": t.name} for t in types],
            "type_id": appointment_type.id or False,
            "slots": self._atelier_slots_data(appointment_type, limit=limit),
        }

    def atelier_book_slot(self, appointment_type_id, start):
        """Book ``start`` (UTC, ISO) of the type for the caller, confirmed.

        Returns ``{"booked": True, "booking_id", "label", "name"}``, or, when another
        booking got the slot first, ``{"booked": False, "message", "slots"}``
        with the next free slots."""
        self.ensure_one()
        self._atelier_check_can_book()
        appointment_type = (
            self.env["atelier.appointment.type"]
            ._bookable()
            .filtered(lambda t: t.id == appointment_type_id)
        )
        if not appointment_type:
            raise UserError(self.env._("This appointment type cannot be booked."))
        partner = self.sudo().partner_id
        try:
            booking = self.env["atelier.booking"]._book(
                appointment_type,
                start,
                partner=partner,
                hold=False,
                client_tz=partner.tz or self.env.user.tz,
            )
        except SlotTakenError as exc:
            return {
                "booked": False,
                "message": exc.args[0],
                "slots": self._atelier_slots_data(appointment_type),
            }
        booking.sudo().atelier_call_id = self
        return {
            "booked": True,
            "booking_id": booking.id,
            "label": self._atelier_slot_label(booking.start),
            "name": booking.display_name,
        }

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _atelier_check_can_book(self):
        self.check_access("write")
        if not self.env.user.has_group("atelier_base.group_assistant"):
            raise AccessError(self.env._("Only assistants book appointments."))
        if not self.partner_id:
            raise UserError(self.env._("Identify the caller before booking."))

    def _atelier_slot_label(self, start):
        return format_datetime(
            self.env,
            start,
            tz=self.env.user.tz or "Europe/Paris",
            dt_format=SLOT_LABEL_FORMAT,
        )

    def _atelier_slots_data(self, appointment_type, limit=6):
        if not appointment_type:
            return []
        users = self.env["res.users"].sudo()
        return [
            {
                "start": fields.Datetime.to_string(start),
                "label": self._atelier_slot_label(start),
                "technicians": ", ".join(users.browse(user_ids).mapped("name")),
            }
            for start, user_ids in appointment_type._next_free_slots(limit=limit)
        ]
