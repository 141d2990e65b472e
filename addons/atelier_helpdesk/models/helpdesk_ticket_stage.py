# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskTicketStage(models.Model):
    _inherit = "helpdesk.ticket.stage"

    atelier_send_survey = fields.Boolean(
        string="Ask for satisfaction",
        help="Closing a ticket in this stage schedules the satisfaction request "
        "(two days later, one reminder at seven days).",
    )
