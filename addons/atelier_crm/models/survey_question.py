# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

LEAD_FIELDS = [
    ("atelier_profile", "Profile"),
    ("atelier_need", "Need"),
    ("atelier_timeline", "Timeline"),
    ("atelier_vehicle_type", "Vehicle"),
]


class SurveyQuestion(models.Model):
    _inherit = "survey.question"

    atelier_lead_field = fields.Selection(
        LEAD_FIELDS,
        string="Opportunity field",
        help="Qualification scripts: the chosen answer's value goes into this "
        "field of the opportunity.",
    )
