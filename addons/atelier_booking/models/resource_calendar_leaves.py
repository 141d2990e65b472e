# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

LEAVE_FIELDS = frozenset({"date_from", "date_to", "resource_id", "calendar_id"})


class ResourceCalendarLeaves(models.Model):
    _inherit = "resource.calendar.leaves"

    @api.model_create_multi
    def create(self, vals_list):
        leaves = super().create(vals_list)
        leaves._atelier_touch_agendas()
        return leaves

    def write(self, vals):
        res = super().write(vals)
        if LEAVE_FIELDS.intersection(vals):
            self._atelier_touch_agendas()
        return res

    def _atelier_touch_agendas(self):
        """A leave takes the time of its resource, or of everybody on its
        calendar when it has no resource (a public holiday)."""
        self.env["atelier.booking"]._atelier_touch_agendas(
            resource_ids=self.resource_id.ids,
            calendar_ids=self.filtered(
                lambda leave: not leave.resource_id
            ).calendar_id.ids,
        )
