# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class SlideSlide(models.Model):
    _inherit = "slide.slide"

    atelier_competency_ids = fields.Many2many(
        "atelier.academy.competency",
        compute="_compute_atelier_competency_ids",
        string="Competencies",
        help="Competencies of the questions of this lesson's quiz or exam.",
    )
    atelier_duration_minutes = fields.Integer(
        "Estimated duration (min)", compute="_compute_atelier_duration_minutes"
    )

    def _compute_atelier_competency_ids(self):
        for slide in self:
            slide.atelier_competency_ids = (
                slide.question_ids.atelier_competency_ids
                | slide.survey_id.question_ids.atelier_competency_ids
            )

    def _compute_atelier_duration_minutes(self):
        for slide in self:
            slide.atelier_duration_minutes = round((slide.completion_time or 0.0) * 60)

    # ------------------------------------------------------------------
    # Gating
    # ------------------------------------------------------------------
    def _atelier_lock_reasons(self, partner, view_only=False):
        """{slide id: why it is closed to ``partner`` (French), or False}.

        A lesson is closed when its course is (see slide.channel), or, in a
        course whose lessons unlock in order, while a lesson before it is not
        completed. ``view_only``: preview lessons stay open for reading, as
        Odoo intends; what counts (completion, quiz, time) is always gated.
        """
        result = dict.fromkeys(self.ids, False)
        Channel = self.env["slide.channel"]
        if not partner or not self or Channel._atelier_gating_bypass(partner):
            return result
        slides = self.sudo()
        channel_reasons = slides.channel_id._atelier_lock_reasons(partner)
        ordered = slides.channel_id.filtered("atelier_sequential")
        completed = set()
        if ordered:
            self.env["slide.slide.partner"].flush_model()
            self.env.cr.execute(
                SQL(
                    """SELECT slide_id FROM slide_slide_partner
                        WHERE partner_id = %s AND completed AND channel_id = ANY(%s)""",
                    partner.id,
                    ordered.ids,
                )
            )
            completed = {row[0] for row in self.env.cr.fetchall()}
        for slide in slides:
            if slide.is_category or (view_only and slide.is_preview):
                continue
            reason = channel_reasons.get(slide.channel_id.id)
            if not reason and slide.channel_id in ordered:
                for previous in slide.channel_id.slide_content_ids:
                    if previous == slide:
                        break
                    if (
                        previous.is_published
                        and previous.active
                        and previous.id not in completed
                    ):
                        reason = self.env._(
                            "Complete the lesson “%(lesson)s” first: the lessons "
                            "of this course open in order.",
                            lesson=previous.name,
                        )
                        break
            result[slide.id] = reason
        return result

    def _atelier_lock_reason(self, partner=None, view_only=False):
        self.ensure_one()
        partner = partner or self.env.user.partner_id
        return self._atelier_lock_reasons(partner, view_only=view_only)[self.id]

    def _atelier_check_unlocked(self, partner=None, view_only=False):
        """Raise a UserError (French) if one of these lessons is closed."""
        partner = partner or self.env.user.partner_id
        for reason in self._atelier_lock_reasons(partner, view_only=view_only).values():
            if reason:
                raise UserError(reason)

    def action_set_viewed(self, quiz_attempts_inc=False):
        self._atelier_check_unlocked(view_only=True)
        return super().action_set_viewed(quiz_attempts_inc=quiz_attempts_inc)

    def action_mark_completed(self):
        self._atelier_check_unlocked()
        return super().action_mark_completed()

    def _action_mark_completed(self):
        self._atelier_check_unlocked()
        return super()._action_mark_completed()

    def _generate_certification_url(self):
        # the exam of a closed course cannot even be previewed
        self._atelier_check_unlocked()
        return super()._generate_certification_url()

    # ------------------------------------------------------------------
    # Quiz attempts (Odoo keeps only a counter)
    # ------------------------------------------------------------------
    def _atelier_record_quiz_attempt(self, answers):
        """Store the attempt of the current learner on this quiz.

        ``answers`` are the ``slide.answer`` records submitted (one per
        question). Refused on a closed lesson.
        """
        self.ensure_one()
        partner = self.env.user.partner_id
        self._atelier_check_unlocked(partner)
        questions = self.sudo().question_ids
        by_question = {answer.question_id.id: answer for answer in answers.sudo()}
        line_vals = [
            {
                "question_id": question.id,
                "answer_id": by_question[question.id].id
                if question.id in by_question
                else False,
                "correct": bool(
                    question.id in by_question and by_question[question.id].is_correct
                ),
            }
            for question in questions
        ]
        correct = sum(1 for vals in line_vals if vals["correct"])
        return (
            self.env["atelier.academy.quiz.attempt"]
            .sudo()
            .create(
                {
                    "partner_id": partner.id,
                    "slide_id": self.id,
                    "score": round(100.0 * correct / len(questions), 2)
                    if questions
                    else 0.0,
                    "line_ids": [fields.Command.create(vals) for vals in line_vals],
                }
            )
        )
