# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AtelierAcademySession(models.Model):
    _inherit = "atelier.academy.session"

    atelier_booking_ids = fields.One2many(
        "atelier.booking", "atelier_session_id", string="Bookings"
    )
