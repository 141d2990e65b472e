# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

BADGE_COLORS = {
    "breached": "danger",
    "at_risk": "warning",
    "on_track": "info",
    "met": "success",
}
CARD_LIMIT = 5


class ResPartner(models.Model):
    _inherit = "res.partner"

    atelier_helpdesk_team_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Usual helpdesk team",
        help="Tickets of this client and of its contacts go to this team, "
        "unless the request itself says otherwise (its type, the phone line "
        "called, a trouble code).",
    )

    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + ["atelier_helpdesk_team_id"]

    def _compute_helpdesk_ticket_count(self):
        # OCA counts with ("partner_id", "child_of", record.id), which logs a
        # warning for a contact being created (a NewId) in a form or pop-up:
        # a new contact has no ticket.
        new = self.filtered(lambda partner: not partner._origin.id)
        for partner in new:
            partner.helpdesk_ticket_count = 0
            partner.helpdesk_ticket_active_count = 0
            partner.helpdesk_ticket_count_string = "0 / 0"
        return super(ResPartner, self - new)._compute_helpdesk_ticket_count()

    def _atelier_card_sections(self):
        sections = super()._atelier_card_sections()
        Ticket = self.env["helpdesk.ticket"]
        if not Ticket.has_access("read"):
            return sections
        domain = [
            ("partner_id", "child_of", self.commercial_partner_id.id),
            ("closed", "=", False),
        ]
        count = Ticket.search_count(domain)
        tickets = Ticket.search(domain, limit=CARD_LIMIT, order="create_date desc")
        status_labels = dict(
            Ticket._fields["atelier_sla_status"]._description_selection(self.env)
        )
        items = []
        for ticket in tickets:
            status = ticket.atelier_sla_status or "none"
            item = {
                "label": ticket.number,
                "value": ticket.name,
                "res_model": "helpdesk.ticket",
                "res_id": ticket.id,
            }
            if status in BADGE_COLORS:
                item["badge"] = status_labels[status]
                item["badge_color"] = BADGE_COLORS[status]
            items.append(item)
        action = False
        if count:
            action = {
                "type": "ir.actions.act_window",
                "name": self.env._("Open tickets"),
                "res_model": "helpdesk.ticket",
                "view_mode": "list,form",
                "views": [[False, "list"], [False, "form"]],
                "domain": domain,
                "context": {"default_partner_id": self.id},
            }
        sections.append(
            {
                "key": "tickets",
                "title": self.env._("Open tickets"),
                "sequence": 20,
                "type": "list",
                "items": items,
                "count": count,
                "action": action,
            }
        )
        return sections
