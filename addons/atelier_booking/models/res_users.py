# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class ResUsers(models.Model):
    _inherit = "res.users"

    def _atelier_booking_ensure_resource(self):
        """Give every technician without one a resource (working hours and
        time zone) on their company's calendar."""
        users = self.sudo()
        have = set(
            users.env["resource.resource"]
            .with_context(active_test=False)
            .search([("user_id", "in", users.ids)])
            .user_id.ids
        )
        vals_list = [
            {
                "name": user.name,
                "user_id": user.id,
                "company_id": user.company_id.id,
                "calendar_id": user.company_id.resource_calendar_id.id,
                "tz": user.tz
                or user.company_id.resource_calendar_id.tz
                or "Europe/Paris",
                "resource_type": "user",
            }
            for user in users
            if user.id not in have
        ]
        if vals_list:
            users.env["resource.resource"].create(vals_list)
