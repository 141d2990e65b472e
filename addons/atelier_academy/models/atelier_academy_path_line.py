# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AtelierAcademyPathLine(models.Model):
    """A course of a path, with what it takes to pass it."""

    _name = "atelier.academy.path.line"
    _description = "Course of a learning path"
    _order = "path_id, sequence, id"

    path_id = fields.Many2one(
        "atelier.academy.path", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    channel_id = fields.Many2one(
        "slide.channel", string="Course", required=True, ondelete="restrict", index=True
    )
    min_score = fields.Float(
        "Minimum score (%)",
        default=70.0,
        help="Best exam score needed to pass the course (100 % of the lessons "
        "completed when the course has no exam).",
    )
    min_minutes = fields.Integer(
        "Minimum measured time (min)",
        default=0,
        help="Time on task measured on the lessons of the course.",
    )

    _path_channel_uniq = models.Constraint(
        "UNIQUE (path_id, channel_id)", "A course appears once in a path."
    )
    _min_score_range = models.Constraint(
        "CHECK (min_score >= 0 AND min_score <= 100)",
        "The minimum score is a percentage.",
    )
    _min_minutes_positive = models.Constraint(
        "CHECK (min_minutes >= 0)", "The minimum time cannot be negative."
    )

    def _atelier_previous_lines(self):
        self.ensure_one()
        return self.path_id.line_ids.filtered(
            lambda line: (line.sequence, line.id) < (self.sequence, self.id)
        )

    def _atelier_is_passed(self, stat):
        """Whether a learner's figures (``_atelier_course_stats``) pass it."""
        self.ensure_one()
        return (
            stat["completed"]
            and stat["score"] >= self.min_score
            and stat["seconds"] >= self.min_minutes * 60
        )

    def _atelier_blocking_message(self, channel, stat):
        """French explanation: ``channel`` waits for this course to be passed."""
        self.ensure_one()
        values = {
            "course": channel.name,
            "previous": self.channel_id.name,
            "min_score": round(self.min_score),
            "score": round(stat["score"]),
            "min_minutes": self.min_minutes,
            "minutes": stat["seconds"] // 60,
        }
        if not stat["completed"]:
            return self.env._(
                "“%(course)s” opens when “%(previous)s” is completed "
                "(%(min_score)s %% needed to pass).",
                **values,
            )
        if stat["score"] < self.min_score:
            return self.env._(
                "“%(course)s” opens when “%(previous)s” is passed with at least "
                "%(min_score)s %% (your best score: %(score)s %%).",
                **values,
            )
        return self.env._(
            "“%(course)s” opens after %(min_minutes)s minutes of measured work on "
            "“%(previous)s” (so far: %(minutes)s min).",
            **values,
        )
