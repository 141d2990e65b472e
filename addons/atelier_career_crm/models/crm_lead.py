# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    atelier_channel = fields.Selection(
        selection_add=[("career", "CV follow-up")], ondelete={"career": "set null"}
    )
