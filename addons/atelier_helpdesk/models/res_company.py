# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    atelier_helpdesk_team_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Default helpdesk team",
        help="Team of a ticket that nothing else routes: no team or type "
        "chosen, no line, trouble code or usual team of the client.",
    )
    atelier_helpdesk_type_id = fields.Many2one(
        "helpdesk.ticket.type",
        string="Default ticket type",
        help="Type of a ticket that nothing else routes.",
    )
