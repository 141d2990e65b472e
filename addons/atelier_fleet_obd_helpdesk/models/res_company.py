# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    atelier_helpdesk_dtc_type_id = fields.Many2one(
        "helpdesk.ticket.type",
        string="Type of tickets from a trouble code",
        help="Tickets opened from a trouble code or a vehicle get this type, "
        "hence its team and SLA.",
    )

    def _atelier_dtc_ticket_type(self):
        """The type of a ticket about a vehicle's diagnostic (sudo)."""
        self.ensure_one()
        ticket_type = self.sudo().atelier_helpdesk_dtc_type_id
        if not ticket_type:
            ticket_type = (
                self.env.ref(
                    "atelier_helpdesk.helpdesk_type_diagnostic",
                    raise_if_not_found=False,
                )
                or self.env["helpdesk.ticket.type"]
            )
        return ticket_type.sudo()
