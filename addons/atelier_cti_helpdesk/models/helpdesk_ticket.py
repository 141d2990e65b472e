# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    atelier_call_id = fields.Many2one(
        "atelier.call",
        string="Originating call",
        index="btree_not_null",
        ondelete="set null",
        copy=False,
    )
