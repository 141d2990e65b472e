# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

STATE_COLORS = {
    "held": "warning",
    "confirmed": "info",
    "done": "success",
    "no_show": "danger",
    "cancelled": "secondary",
}


class AtelierBooking(models.Model):
    _inherit = "atelier.booking"

    atelier_booked_by = fields.Selection(
        [("client", "The client"), ("desk", "The desk")],
        string="Booked by",
        compute="_compute_atelier_booked_by",
        store=True,
        index=True,
        help="The client: online, logged in or not; the desk: by an employee "
        "(on the phone, from a ticket or a trouble code).",
    )

    # the contact's timeline reads a contact's appointments newest first
    _atelier_partner_start_idx = models.Index("(partner_id, start DESC, id DESC)")

    @api.depends("create_uid")
    def _compute_atelier_booked_by(self):
        for booking in self:
            creator = booking.create_uid
            booking.atelier_booked_by = (
                "client" if not creator or creator.share else "desk"
            )

    def _atelier_timeline_values(self):
        states = dict(self._fields["state"]._description_selection(self.env))
        values = {}
        for booking in self:
            values[booking.id] = {
                "title": booking.appointment_type_id.name or booking.name,
                "body": " · ".join(
                    part
                    for part in (booking.technician_id.name, booking.location)
                    if part
                ),
                "badge": states.get(booking.state),
                "badge_color": STATE_COLORS.get(booking.state, "secondary"),
            }
        return values
