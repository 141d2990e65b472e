# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from odoo.addons.atelier_career.tools.text import fold

WEAK_SCORE = 2
MAX_COURSES = 3


class AtelierCareerSession(models.Model):
    _inherit = "atelier.career.session"

    def _recommended_courses(self):
        """Published academy courses about the weak criteria (score 2 or
        less): a course matches when its name, summary or tags hold a word
        start of the criterion's keywords. One course per weak criterion
        first, weakest first; three at most; absolute links (the PDF)."""
        self.ensure_one()
        weak = self.score_ids.filtered(lambda s: s.score <= WEAK_SCORE).sorted(
            lambda s: (s.score, s.id)
        )
        if not weak:
            return []
        grid = {c.name: c._keyword_list() for c in self.persona_id.criterion_ids}
        channels = (
            self.env["slide.channel"]
            .sudo()
            .search([("is_published", "=", True), ("active", "=", True)])
        )
        texts = {
            channel: fold(
                " ".join(
                    [
                        channel.name or "",
                        channel.description_short or "",
                        " ".join(channel.tag_ids.mapped("name")),
                    ]
                )
            )
            for channel in channels
        }
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        matches = []
        for score in weak:
            stems = [
                fold(k).strip() for k in grid.get(score.criterion, []) if k.strip()
            ]
            matches.append(
                (
                    score.criterion,
                    [
                        channel
                        for channel, text in texts.items()
                        if any(f" {stem}" in f" {text}" for stem in stems)
                    ],
                )
            )
        # one course per weak criterion first (weakest first), then the next
        courses, seen, rank = [], set(), 0
        while len(courses) < MAX_COURSES and any(len(m[1]) > rank for m in matches):
            for criterion, channels in matches:
                if rank >= len(channels) or channels[rank].id in seen:
                    continue
                channel = channels[rank]
                seen.add(channel.id)
                courses.append(
                    {
                        "name": channel.name,
                        "url": f"{base}{channel.website_url}",
                        "criterion": criterion,
                    }
                )
                if len(courses) >= MAX_COURSES:
                    break
            rank += 1
        return courses
