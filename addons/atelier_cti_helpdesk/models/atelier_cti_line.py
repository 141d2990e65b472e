# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AtelierCtiLine(models.Model):
    _inherit = "atelier.cti.line"

    atelier_helpdesk_team_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Helpdesk team",
        help="Team of the tickets opened from the calls of this line (the "
        "number the client dialed says what the call is about).",
    )
    atelier_helpdesk_type_id = fields.Many2one(
        "helpdesk.ticket.type",
        string="Ticket type",
        help="Type of the tickets opened from the calls of this line; empty: "
        "the team's default type.",
    )
