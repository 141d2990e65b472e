# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    atelier_beta_feedback_id = fields.Many2one(
        "atelier.beta.feedback",
        string="Beta feedback",
        readonly=True,
        ondelete="set null",
        index="btree_not_null",
        # a copy is another request: and copying reads every copied field,
        # which a user outside the beta team may not (the copy would fail)
        copy=False,
        groups="atelier_beta.group_beta_user",
    )
