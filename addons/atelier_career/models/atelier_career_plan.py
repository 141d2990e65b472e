# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AtelierCareerPlan(models.Model):
    """What a learner may do with the career tools (Starter, Pro)."""

    _name = "atelier.career.plan"
    _description = "Career plan"
    _order = "sequence, id"

    name = fields.Char(required=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    monthly_quota = fields.Integer(
        "Sessions per month", help="Interview sessions a month; 0: unlimited."
    )
    all_personas = fields.Boolean(
        help="All personas; otherwise only the standard ones."
    )
    full_synthesis = fields.Boolean(
        help="Every strength and point to improve; otherwise a short feedback."
    )
    pdf_export = fields.Boolean("PDF export of a session")
    custom_scenarios = fields.Boolean(help="The coaches' own personas.")
    webhooks = fields.Boolean()
    manager_space = fields.Boolean(help="A company's manager sees the team.")
    price = fields.Monetary(help="Monthly price, for information.")
    currency_id = fields.Many2one(
        "res.currency", default=lambda self: self.env.company.currency_id
    )
    active = fields.Boolean(default=True)

    _code_uniq = models.Constraint("UNIQUE (code)", "A plan's code is unique.")
