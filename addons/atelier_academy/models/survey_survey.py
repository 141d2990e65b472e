# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class SurveySurvey(models.Model):
    _inherit = "survey.survey"

    atelier_kind = fields.Selection(
        [("placement", "Placement test"), ("exam", "Course exam")],
        string="Academy use",
        index="btree_not_null",
    )
    atelier_band_ids = fields.One2many(
        "atelier.academy.placement.band", "survey_id", string="Score bands"
    )
