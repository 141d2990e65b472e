# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AtelierKbTag(models.Model):
    _name = "atelier.kb.tag"
    _description = "Knowledge base tag"
    _order = "name"

    name = fields.Char(required=True)
    color = fields.Integer()

    _name_uniq = models.Constraint("UNIQUE (name)", "This tag already exists.")
