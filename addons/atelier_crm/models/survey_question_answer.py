# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from .crm_stage import STAGE_ROLES


class SurveyQuestionAnswer(models.Model):
    _inherit = "survey.question.answer"

    atelier_value = fields.Char(
        string="Field value", help="Technical value written in the opportunity field."
    )
    atelier_stage_role = fields.Selection(
        STAGE_ROLES,
        string="Moves to",
        help="The opportunity moves to its pipeline's stage with this role "
        "(the furthest of the answers wins).",
    )
    atelier_expected_revenue = fields.Float(string="Expected revenue")
    atelier_lost_reason_id = fields.Many2one(
        "crm.lost.reason",
        string="Lost reason",
        help="This answer ends the call with a lost opportunity.",
    )
