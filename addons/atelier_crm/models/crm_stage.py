# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

STAGE_ROLES = [
    ("new", "New"),
    ("call", "Advisory call"),
    ("qualified", "Qualified"),
    ("proposal", "Proposal"),
    ("negotiation", "Negotiation"),
]


class CrmStage(models.Model):
    _inherit = "crm.stage"

    atelier_role = fields.Selection(
        STAGE_ROLES,
        string="Role in the funnel",
        help="Where the scoring and the qualification script move a lead: "
        "the stage of the lead's pipeline with this role.",
    )
