# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

REPAIR_SYSTEMS = [
    ("all", "Every trouble code"),
    ("P", "Powertrain codes (P)"),
    ("C", "Chassis codes (C)"),
    ("B", "Body codes (B)"),
    ("U", "Network codes (U)"),
]


class AtelierAppointmentType(models.Model):
    _inherit = "atelier.appointment.type"

    atelier_repair_system = fields.Selection(
        REPAIR_SYSTEMS,
        string="Repairs of trouble codes",
        help="'Book a repair' on a trouble code books this type: the type set for "
        "the code's system, else the one set for every code. Empty: never booked "
        "for a repair.",
    )
