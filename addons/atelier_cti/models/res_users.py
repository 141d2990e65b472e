# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    atelier_cti_extension = fields.Char(
        string="Phone extension",
        index="btree_not_null",
        copy=False,
        help="Extension on the PBX: events naming it as agent are this user's.",
    )
