# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .atelier_academy_competency import DOMAINS


class AtelierAcademyPlacementBand(models.Model):
    """A score band of the placement test and the path it recommends.

    Bands are tried in sequence; the first whose score (global, or one
    domain's sub-score) falls in [minimum, maximum[ wins (a maximum of 100
    includes 100).
    """

    _name = "atelier.academy.placement.band"
    _description = "Placement score band"
    _order = "sequence, id"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    survey_id = fields.Many2one(
        "survey.survey",
        string="Placement test",
        domain=[("atelier_kind", "=", "placement")],
        ondelete="cascade",
        index=True,
        help="Leave empty to use the band for every placement test.",
    )
    score_on = fields.Selection(
        [("global", "Global score"), *DOMAINS],
        string="Score used",
        required=True,
        default="global",
    )
    score_min = fields.Float("From (%)", default=0.0)
    score_max = fields.Float("Below (%)", default=100.0)
    path_id = fields.Many2one("atelier.academy.path", string="Recommended path")
    package_id = fields.Many2one(
        "atelier.academy.package",
        string="Package offered",
        help="When set, the learner is offered this package; otherwise they "
        "are enrolled in the path directly.",
    )
    explanation = fields.Text(help="Why this path: shown with the learner's scores.")

    _score_range = models.Constraint(
        "CHECK (score_min >= 0 AND score_max <= 100 AND score_min < score_max)",
        "A band goes from a lower to a higher percentage, within 0-100.",
    )

    @api.model
    def _atelier_match(self, survey, scores):
        """The first band matching ``scores`` ({'global': 55.0, 'electric': …})."""
        bands = self.search(
            ["|", ("survey_id", "=", False), ("survey_id", "=", survey.id)],
            order="sequence, id",
        )
        for band in bands:
            value = scores.get(band.score_on)
            if value is None:
                continue
            if band.score_min <= value < band.score_max or (
                band.score_max >= 100 and value >= 100
            ):
                return band
        return self.browse()
