# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class CalendarAttendee(models.Model):
    _inherit = "calendar.attendee"

    def write(self, vals):
        res = super().write(vals)
        if "state" in vals:
            # declined -> accepted turns the attendee's time busy again
            self.env["atelier.booking"]._atelier_touch_agendas(
                partner_ids=self.partner_id.ids
            )
        return res
