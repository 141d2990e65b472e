# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class AtelierAcademyPath(models.Model):
    """An ordered list of courses; each opens when the previous one is passed."""

    _name = "atelier.academy.path"
    _description = "Learning path"
    _order = "sequence, id"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(help="Shown to the learner with the recommendation.")
    line_ids = fields.One2many(
        "atelier.academy.path.line", "path_id", string="Courses", copy=True
    )
    channel_ids = fields.Many2many(
        "slide.channel", compute="_compute_channel_ids", string="Course list"
    )
    min_minutes = fields.Integer(
        "Minimum measured time (min)",
        compute="_compute_min_minutes",
        store=True,
        readonly=False,
        help="Measured time on task needed over the whole path for the "
        "certificate. Defaults to the sum of the courses' minimums.",
    )
    package_ids = fields.Many2many(
        "atelier.academy.package",
        "atelier_academy_package_path_rel",
        "path_id",
        "package_id",
        string="Packages",
    )
    course_count = fields.Integer(compute="_compute_channel_ids")

    @api.depends("line_ids.channel_id", "line_ids.sequence")
    def _compute_channel_ids(self):
        for path in self:
            path.channel_ids = path.line_ids.sorted(
                lambda line: (line.sequence, line.id)
            ).channel_id
            path.course_count = len(path.line_ids)

    @api.depends("line_ids.min_minutes")
    def _compute_min_minutes(self):
        for path in self:
            path.min_minutes = sum(path.line_ids.mapped("min_minutes"))

    def _atelier_ordered_lines(self):
        self.ensure_one()
        return self.line_ids.sorted(lambda line: (line.sequence, line.id))

    def _atelier_course_lock_reason(self, channel, partner, stats):
        """Why ``channel`` is still closed on this path, or False.

        ``stats`` comes from ``slide.channel._atelier_course_stats`` and
        covers the courses of the path.
        """
        self.ensure_one()
        for line in self._atelier_ordered_lines():
            if line.channel_id == channel:
                return False
            stat = stats[partner.id, line.channel_id.id]
            if not line._atelier_is_passed(stat):
                return line._atelier_blocking_message(channel, stat)
        return False
