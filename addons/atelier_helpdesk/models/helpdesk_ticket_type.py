# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskTicketType(models.Model):
    _inherit = "helpdesk.ticket.type"

    atelier_team_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Default team",
        help="Team a ticket of this type goes to when none is given.",
    )
    atelier_sla_ids = fields.Many2many(
        "helpdesk.sla",
        "atelier_helpdesk_sla_type_rel",
        "type_id",
        "sla_id",
        string="SLA policies",
        help="Targets applied to tickets of this type.",
    )
