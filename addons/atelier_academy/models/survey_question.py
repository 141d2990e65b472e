# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from .atelier_academy_competency import DOMAINS


class SurveyQuestion(models.Model):
    _inherit = "survey.question"

    atelier_competency_ids = fields.Many2many(
        "atelier.academy.competency",
        "atelier_academy_competency_survey_question_rel",
        "question_id",
        "competency_id",
        string="Competencies",
    )
    atelier_domain = fields.Selection(
        DOMAINS,
        string="Academy domain",
        help="On a section of the placement test: the domain it measures.",
    )

    def _atelier_max_score(self):
        """Best score one can get on this question (as survey computes it)."""
        self.ensure_one()
        scores = self.suggested_answer_ids.mapped("answer_score")
        if self.question_type == "simple_choice":
            return max([score for score in scores if score > 0], default=0.0)
        if self.question_type == "multiple_choice":
            return sum(score for score in scores if score > 0)
        return self.answer_score if self.is_scored_question else 0.0

    def _atelier_question_domain(self):
        self.ensure_one()
        return (
            self.page_id.atelier_domain
            or self.atelier_domain
            or (self.atelier_competency_ids[:1].domain)
            or False
        )
