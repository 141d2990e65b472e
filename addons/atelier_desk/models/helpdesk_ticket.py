# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from odoo.addons.atelier_helpdesk.models.res_partner import BADGE_COLORS


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    # the contact's timeline reads a contact's tickets newest first
    _atelier_partner_create_idx = models.Index(
        "(partner_id, create_date DESC, id DESC) WHERE partner_id IS NOT NULL"
    )

    def _atelier_timeline_values(self):
        statuses = dict(
            self._fields["atelier_sla_status"]._description_selection(self.env)
        )
        values = {}
        for ticket in self:
            status = ticket.atelier_sla_status
            if ticket.stage_id.closed:
                badge, color = ticket.stage_id.name, "success"
            elif status in BADGE_COLORS:
                badge, color = statuses[status], BADGE_COLORS[status]
            else:
                badge, color = ticket.stage_id.name, "secondary"
            values[ticket.id] = {
                "title": f"{ticket.number} {ticket.name}",
                "body": " · ".join(
                    part
                    for part in (
                        ticket.team_id.name,
                        ticket.type_id.name,
                        ticket.user_id.name,
                    )
                    if part
                ),
                "badge": badge,
                "badge_color": color,
            }
        return values
