# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AtelierBookingWizard(models.TransientModel):
    _inherit = "atelier.booking.wizard"

    atelier_call_id = fields.Many2one("atelier.call", string="Call")

    def _book_slot(self, slot):
        action = super()._book_slot(slot)
        if self.atelier_call_id and action.get("res_id"):
            booking = self.env["atelier.booking"].browse(action["res_id"])
            booking.sudo().atelier_call_id = self.atelier_call_id
        return action
