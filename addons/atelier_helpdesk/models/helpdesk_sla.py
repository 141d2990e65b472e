# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskSla(models.Model):
    _inherit = "helpdesk.sla"

    # OCA's name is not translatable: French users read the English source
    name = fields.Char(translate=True)

    atelier_kind = fields.Selection(
        [("resolution", "Resolution"), ("first_response", "First response")],
        string="Target",
        default="resolution",
        required=True,
        help="Resolution: met when the ticket reaches the expected stage. "
        "First response: met by the first public reply of an employee.",
    )
    atelier_type_ids = fields.Many2many(
        "helpdesk.ticket.type",
        "atelier_helpdesk_sla_type_rel",
        "sla_id",
        "type_id",
        string="Ticket types",
        help="Apply only to tickets of these types (all types when empty).",
    )
    atelier_warning_hours = fields.Float(
        string="Warn before (working hours)",
        default=1.0,
        help="An activity is scheduled this many working hours before the "
        "deadline, so the target can still be met.",
    )
