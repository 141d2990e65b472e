# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class AtelierAcademyPlacementBand(models.Model):
    """A score band of the placement test and the path it recommends.

    Bands are tried in sequence; the first whose conditions all hold wins.
    A band without condition takes every remaining case.
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
    condition_ids = fields.One2many(
        "atelier.academy.placement.band.condition",
        "band_id",
        string="Conditions",
        copy=True,
        help="All must hold. No condition: the band takes every remaining case.",
    )
    path_id = fields.Many2one("atelier.academy.path", string="Recommended path")
    package_id = fields.Many2one(
        "atelier.academy.package",
        string="Package offered",
        help="When set, the learner is offered this package; otherwise they "
        "are enrolled in the path directly.",
    )
    explanation = fields.Text(help="Why this path: shown with the learner's scores.")

    @api.model
    def _atelier_match(self, survey, scores):
        """The first band matching ``scores`` ({'global': 55.0, 'electric': …})."""
        bands = self.search(
            ["|", ("survey_id", "=", False), ("survey_id", "=", survey.id)],
            order="sequence, id",
        )
        for band in bands:
            if all(
                condition._atelier_holds(scores) for condition in band.condition_ids
            ):
                return band
        return self.browse()
