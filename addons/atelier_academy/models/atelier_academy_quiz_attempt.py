# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AtelierAcademyQuizAttempt(models.Model):
    """One submission of a lesson quiz, with its score (Odoo keeps a counter)."""

    _name = "atelier.academy.quiz.attempt"
    _description = "Quiz attempt"
    _order = "create_date desc, id desc"

    partner_id = fields.Many2one(
        "res.partner", string="Learner", required=True, readonly=True, index=True
    )
    slide_id = fields.Many2one(
        "slide.slide", string="Lesson", required=True, readonly=True, ondelete="cascade"
    )
    channel_id = fields.Many2one(
        related="slide_id.channel_id", store=True, index=True, string="Course"
    )
    score = fields.Float("Score (%)", readonly=True)
    line_ids = fields.One2many(
        "atelier.academy.quiz.attempt.line", "attempt_id", readonly=True
    )

    _partner_date_idx = models.Index("(partner_id, create_date)")
