# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AtelierBookingWizardSlot(models.TransientModel):
    _name = "atelier.booking.wizard.slot"
    _description = "Free slot proposed to the assistant"
    _order = "start"

    wizard_id = fields.Many2one(
        "atelier.booking.wizard", required=True, ondelete="cascade"
    )
    start = fields.Datetime(required=True)
    technician_ids = fields.Many2many("res.users", string="Free technicians")

    def action_book(self):
        self.ensure_one()
        self.check_access("write")
        return self.wizard_id._book_slot(self)
