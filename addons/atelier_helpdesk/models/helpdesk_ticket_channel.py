# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

CHANNEL_SELECTION = [
    ("email", "Email"),
    ("phone", "Phone"),
    ("portal", "Portal"),
    ("web", "Web"),
    ("other", "Other"),
]


class HelpdeskTicketChannel(models.Model):
    _inherit = "helpdesk.ticket.channel"

    atelier_code = fields.Selection(
        CHANNEL_SELECTION,
        string="Channel kind",
        help="Kind of channel shown on every ticket received through it.",
    )

    @api.model
    def _atelier_for_code(self, code):
        """The channel record of a kind (first by sequence), or empty."""
        if not code:
            return self.browse()
        return self.sudo().search([("atelier_code", "=", code)], limit=1)
