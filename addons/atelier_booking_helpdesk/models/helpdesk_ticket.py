# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    atelier_booking_ids = fields.One2many(
        "atelier.booking",
        "atelier_ticket_id",
        string="Booked appointments",
        readonly=True,
    )
    atelier_booking_count = fields.Integer(
        string="Appointments", compute="_compute_atelier_booking_count"
    )

    @api.depends("atelier_booking_ids")
    def _compute_atelier_booking_count(self):
        for ticket in self:
            ticket.atelier_booking_count = len(ticket.atelier_booking_ids)

    def _compute_atelier_next_appointment(self):
        """The next confirmed appointment booked from the ticket, else the
        client's next one: what the reply templates tell the client."""
        res = super()._compute_atelier_next_appointment()
        Booking = self.env["atelier.booking"]
        if not Booking.has_access("read"):
            return res
        upcoming = Domain("state", "=", "confirmed") & Domain(
            "start", ">=", fields.Datetime.now()
        )
        for ticket in self.filtered("id"):
            booking = Booking.search(
                upcoming & Domain("atelier_ticket_id", "=", ticket.id),
                order="start",
                limit=1,
            )
            if not booking and ticket.partner_id:
                booking = Booking.search(
                    upcoming
                    & Domain("partner_id", "child_of", ticket.commercial_partner_id.id),
                    order="start",
                    limit=1,
                )
            if booking:
                ticket.atelier_next_appointment_at = booking.start
                ticket.atelier_next_appointment_with = booking.technician_id.name
        return res

    def action_atelier_book(self):
        """The booking wizard of the ticket's client, the booking linked to
        the ticket."""
        self.ensure_one()
        self.check_access("read")
        if not self.partner_id:
            raise UserError(self.env._("Set the ticket's contact before booking."))
        return self.partner_id.action_atelier_book(
            atelier_ticket_id=self.id,
            answer_description=self.env._(
                "Ticket %(number)s: %(name)s", number=self.number or "", name=self.name
            ),
        )

    def action_atelier_view_bookings(self):
        self.ensure_one()
        self.check_access("read")
        return self.atelier_booking_ids._atelier_action_view(
            [("atelier_ticket_id", "=", self.id)]
        )
