# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AtelierBookingWizard(models.TransientModel):
    _inherit = "atelier.booking.wizard"

    atelier_ticket_id = fields.Many2one("helpdesk.ticket", string="Ticket")

    def _book_slot(self, slot):
        # the booking is linked in sudo: the ticket must be the user's to see
        if self.atelier_ticket_id:
            self.atelier_ticket_id.check_access("read")
        action = super()._book_slot(slot)
        if self.atelier_ticket_id and action.get("res_id"):
            booking = self.env["atelier.booking"].browse(action["res_id"])
            booking.sudo().atelier_ticket_id = self.atelier_ticket_id
        return action
