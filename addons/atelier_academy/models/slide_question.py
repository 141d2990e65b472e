# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class SlideQuestion(models.Model):
    _inherit = "slide.question"

    atelier_competency_ids = fields.Many2many(
        "atelier.academy.competency",
        "atelier_academy_competency_slide_question_rel",
        "question_id",
        "competency_id",
        string="Competencies",
    )
