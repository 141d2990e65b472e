# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AtelierAcademyQuizAttemptLine(models.Model):
    """The answer given to one question of a quiz attempt."""

    _name = "atelier.academy.quiz.attempt.line"
    _description = "Quiz attempt answer"

    attempt_id = fields.Many2one(
        "atelier.academy.quiz.attempt", required=True, ondelete="cascade", index=True
    )
    partner_id = fields.Many2one(
        related="attempt_id.partner_id", store=True, index=True
    )
    question_id = fields.Many2one(
        "slide.question", required=True, ondelete="cascade", index=True
    )
    answer_id = fields.Many2one("slide.answer", ondelete="set null")
    correct = fields.Boolean()
