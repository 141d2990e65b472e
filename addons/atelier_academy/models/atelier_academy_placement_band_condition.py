# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .atelier_academy_competency import DOMAINS


class AtelierAcademyPlacementBandCondition(models.Model):
    """One condition of a band: a score (global or a domain's) in a range.

    The range is [from, below[, and a range ending at 100 includes 100.
    """

    _name = "atelier.academy.placement.band.condition"
    _description = "Placement band condition"
    _order = "band_id, id"

    band_id = fields.Many2one(
        "atelier.academy.placement.band", required=True, ondelete="cascade", index=True
    )
    score_on = fields.Selection(
        [("global", "Global score"), *DOMAINS],
        string="Score",
        required=True,
        default="global",
    )
    score_min = fields.Float("From (%)", default=0.0)
    score_max = fields.Float("Below (%)", default=100.0)

    _score_range = models.Constraint(
        "CHECK (score_min >= 0 AND score_max <= 100 AND score_min < score_max)",
        "A condition goes from a lower to a higher percentage, within 0-100.",
    )

    @api.depends("score_on", "score_min", "score_max")
    def _compute_display_name(self):
        labels = dict(self._fields["score_on"]._description_selection(self.env))
        for condition in self:
            condition.display_name = self.env._(
                "%(score)s from %(min)s to %(max)s %%",
                score=labels.get(condition.score_on, ""),
                min=round(condition.score_min),
                max=round(condition.score_max),
            )

    def _atelier_holds(self, scores):
        self.ensure_one()
        value = scores.get(self.score_on)
        if value is None:
            return False
        return self.score_min <= value < self.score_max or (
            self.score_max >= 100 and value >= 100
        )
