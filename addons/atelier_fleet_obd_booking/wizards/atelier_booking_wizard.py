# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AtelierBookingWizard(models.TransientModel):
    _inherit = "atelier.booking.wizard"

    atelier_obd_dtc_id = fields.Many2one(
        "atelier.obd.session.dtc", string="Trouble code"
    )

    def _book_slot(self, slot):
        if self.atelier_obd_dtc_id:
            # the wizard's creator chose the code: may they read it?
            self.atelier_obd_dtc_id.check_access("read")
        action = super()._book_slot(slot)
        booking = self.env["atelier.booking"].browse(action.get("res_id"))
        if self.atelier_obd_dtc_id and booking:
            booking.sudo().atelier_obd_dtc_id = self.atelier_obd_dtc_id
        if booking and not booking.has_access("read"):
            # a technician booking for a colleague does not see the colleague's
            # appointments: tell him it is booked instead of opening it
            booking = booking.sudo()
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "success",
                    "message": self.env._(
                        "Repair booked on %(when)s with %(technician)s.",
                        when=booking._local_start(tz=self.env.user.tz),
                        technician=booking.technician_id.name,
                    ),
                    "next": {"type": "ir.actions.act_window_close"},
                },
            }
        return action
