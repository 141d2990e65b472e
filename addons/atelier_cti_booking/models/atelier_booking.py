# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AtelierBooking(models.Model):
    # a booking made, moved or cancelled refreshes the caller's card in the
    # pop-up at once ("Next appointments")
    _name = "atelier.booking"
    _inherit = ["atelier.booking", "atelier.card.mixin"]

    atelier_call_id = fields.Many2one(
        "atelier.call",
        string="Booked during call",
        index="btree_not_null",
        ondelete="set null",
        copy=False,
        readonly=True,
    )
