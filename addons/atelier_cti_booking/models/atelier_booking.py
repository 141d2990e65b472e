# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AtelierBooking(models.Model):
    _inherit = "atelier.booking"

    atelier_call_id = fields.Many2one(
        "atelier.call",
        string="Booked during call",
        index="btree_not_null",
        ondelete="set null",
        copy=False,
        readonly=True,
    )
