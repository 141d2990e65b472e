# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmTeamMember(models.Model):
    _inherit = "crm.team.member"

    atelier_last_assigned_at = fields.Datetime(
        string="Last lead received", readonly=True, copy=False
    )
