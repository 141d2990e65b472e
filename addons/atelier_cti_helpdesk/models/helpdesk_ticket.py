# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskTicket(models.Model):
    # a ticket opened from the pop-up shows at once on the caller's card
    _name = "helpdesk.ticket"
    _inherit = ["helpdesk.ticket", "atelier.card.mixin"]

    atelier_call_id = fields.Many2one(
        "atelier.call",
        string="Originating call",
        index="btree_not_null",
        ondelete="set null",
        copy=False,
    )
