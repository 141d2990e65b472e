# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    atelier_booking_hold_minutes = fields.Integer(
        string="Hold duration (minutes)",
        config_parameter="atelier_booking.hold_minutes",
        default=10,
    )
    atelier_booking_cutoff_hours = fields.Integer(
        string="Online changes cutoff (hours)",
        config_parameter="atelier_booking.manage_cutoff_hours",
        default=24,
    )
    atelier_booking_guest_limit = fields.Integer(
        string="Guest bookings per hour and IP",
        config_parameter="atelier_booking.guest_hourly_limit",
        default=5,
    )
