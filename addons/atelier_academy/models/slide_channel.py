# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .atelier_academy_competency import DOMAINS


class SlideChannel(models.Model):
    _inherit = "slide.channel"

    atelier_domain = fields.Selection(DOMAINS, string="Academy domain", index=True)
    atelier_level = fields.Char("Level")
    atelier_sequential = fields.Boolean(
        "Lessons unlock in order",
        help="A lesson opens only when the lessons before it are completed; "
        "the server refuses the others.",
    )
    atelier_path_line_ids = fields.One2many(
        "atelier.academy.path.line", "channel_id", string="In learning paths"
    )

    # ------------------------------------------------------------------
    # Gating
    # ------------------------------------------------------------------
    def _action_add_members(
        self, target_partners, member_status="joined", raise_on_access=False
    ):
        """Refuse to enrol a learner in a course their path keeps closed.

        Odoo's prerequisites only hide the Join button: every enrolment path
        (join route, invitations accepted, back-office grants, glue code in
        sudo) ends here.
        """
        if member_status == "joined" and target_partners:
            for partner in target_partners:
                reasons = self._atelier_lock_reasons(partner)
                refused = [reason for reason in reasons.values() if reason]
                if refused:
                    raise UserError(refused[0])
        return super()._action_add_members(
            target_partners,
            member_status=member_status,
            raise_on_access=raise_on_access,
        )

    @api.model
    def _atelier_gating_bypass(self, partner=None):
        """Course staff (eLearning officers) are not gated, whether they act
        or are enrolled (a course's responsible joins it); code in sudo acting
        for a learner is."""
        officer = "website_slides.group_website_slides_officer"
        if not self.env.su and self.env.user.has_group(officer):
            return True
        return bool(
            partner and any(user.has_group(officer) for user in partner.sudo().user_ids)
        )

    def _atelier_lock_reasons(self, partner):
        """{course id: why it is closed to ``partner`` (French), or False}.

        A course is closed when one of its Odoo prerequisites is not
        finished, or when it belongs to learning paths and none of the
        learner's active enrolments has passed the courses before it. A
        learner without an enrolment in such a path may only open a course
        that starts a path.
        """
        result = dict.fromkeys(self.ids, False)
        if not partner or not self or self._atelier_gating_bypass(partner):
            return result
        channels = self.sudo()
        lines = (
            self.env["atelier.academy.path.line"]
            .sudo()
            .search([("channel_id", "in", channels.ids), ("path_id.active", "=", True)])
        )
        paths = lines.path_id
        enrolments = (
            self.env["atelier.academy.enrolment"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", partner.id),
                    ("state", "in", ("active", "done")),
                    ("path_id", "in", paths.ids),
                ]
            )
        )
        prerequisites = channels.prerequisite_channel_ids
        stats = self._atelier_course_stats(
            [partner.id],
            (channels | prerequisites | enrolments.path_id.line_ids.channel_id).ids,
        )
        for channel in channels:
            if channel.user_id.partner_id == partner:
                continue  # its responsible
            missing = channel.prerequisite_channel_ids.filtered(
                lambda c: not stats[partner.id, c.id]["completed"]
            )
            if missing:
                result[channel.id] = self.env._(
                    "Finish the course “%(course)s” first.", course=missing[0].name
                )
                continue
            channel_lines = lines.filtered(
                lambda line, channel=channel: line.channel_id == channel
            )
            if not channel_lines:
                continue
            own = enrolments.filtered(
                lambda e, paths=channel_lines.path_id: e.path_id in paths
            )
            if own:
                reasons = [
                    enrolment.path_id._atelier_course_lock_reason(
                        channel, partner, stats
                    )
                    for enrolment in own
                ]
                if all(reasons):
                    result[channel.id] = reasons[0]
            elif all(line._atelier_previous_lines() for line in channel_lines):
                result[channel.id] = self.env._(
                    "“%(course)s” belongs to a learning path: it opens once the "
                    "courses before it are passed. Take the placement test or ask "
                    "your coach.",
                    course=channel.name,
                )
        return result

    def _atelier_check_unlocked(self, partner=None):
        """Raise a UserError (French) if a course is closed to ``partner``."""
        partner = partner or self.env.user.partner_id
        for reason in self._atelier_lock_reasons(partner).values():
            if reason:
                raise UserError(reason)

    # ------------------------------------------------------------------
    # Progress figures, set-based
    # ------------------------------------------------------------------
    @api.model
    def _atelier_course_stats(self, partner_ids, channel_ids):
        """Progress of learners on courses, in four queries.

        Returns a defaultdict keyed by (partner id, channel id) of dicts:
        ``member``, ``completion`` (%), ``completed``, ``has_exam``,
        ``score`` (best exam %, or the completion for a course without
        exam) and ``seconds`` (measured time on task).
        """
        stats = defaultdict(
            lambda: {
                "member": False,
                "completion": 0,
                "completed": False,
                "has_exam": False,
                "score": 0.0,
                "exam_score": None,
                "seconds": 0,
            }
        )
        partner_ids, channel_ids = list(partner_ids), list(channel_ids)
        if not partner_ids or not channel_ids:
            return stats
        for model in (
            "slide.channel.partner",
            "slide.slide",
            "survey.user_input",
            "atelier.academy.timelog",
        ):
            self.env[model].flush_model()
        cr = self.env.cr
        cr.execute(
            SQL(
                """SELECT partner_id, channel_id, completion, member_status
                     FROM slide_channel_partner
                    WHERE active AND partner_id = ANY(%s) AND channel_id = ANY(%s)""",
                partner_ids,
                channel_ids,
            )
        )
        for partner_id, channel_id, completion, status in cr.fetchall():
            row = stats[partner_id, channel_id]
            row["member"] = status != "invited"
            row["completion"] = completion or 0
            row["completed"] = status == "completed"
        cr.execute(
            SQL(
                """SELECT DISTINCT channel_id FROM slide_slide
                    WHERE slide_category = 'certification' AND active AND is_published
                      AND channel_id = ANY(%s)""",
                channel_ids,
            )
        )
        exam_channels = {row[0] for row in cr.fetchall()}
        cr.execute(
            SQL(
                """SELECT ui.partner_id, s.channel_id, MAX(ui.scoring_percentage)
                     FROM survey_user_input ui
                     JOIN slide_slide s ON s.id = ui.slide_id
                    WHERE ui.state = 'done' AND ui.test_entry IS NOT TRUE
                      AND ui.partner_id = ANY(%s) AND s.channel_id = ANY(%s)
                 GROUP BY ui.partner_id, s.channel_id""",
                partner_ids,
                channel_ids,
            )
        )
        exam_scores = {(p, c): score for p, c, score in cr.fetchall()}
        cr.execute(
            SQL(
                """SELECT partner_id, channel_id, SUM(seconds)
                     FROM atelier_academy_timelog
                    WHERE partner_id = ANY(%s) AND channel_id = ANY(%s)
                 GROUP BY partner_id, channel_id""",
                partner_ids,
                channel_ids,
            )
        )
        seconds = {(p, c): total for p, c, total in cr.fetchall()}
        for partner_id in partner_ids:
            for channel_id in channel_ids:
                row = stats[partner_id, channel_id]
                row["has_exam"] = channel_id in exam_channels
                row["exam_score"] = exam_scores.get((partner_id, channel_id))
                row["score"] = (
                    (row["exam_score"] or 0.0)
                    if row["has_exam"]
                    else float(row["completion"])
                )
                row["seconds"] = int(seconds.get((partner_id, channel_id)) or 0)
        return stats
