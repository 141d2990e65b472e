# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    atelier_placement_result_ids = fields.One2many(
        "atelier.academy.placement.result", "user_input_id", string="Placement result"
    )

    def _mark_done(self):
        res = super()._mark_done()
        placements = self.filtered(
            lambda answer: (
                answer.survey_id.atelier_kind == "placement" and not answer.test_entry
            )
        )
        if placements:
            self.env["atelier.academy.placement.result"].sudo()._atelier_create_from(
                placements
            )
        exams = self.filtered(lambda answer: answer.slide_partner_id)
        if exams:
            self.env["atelier.academy.enrolment"].sudo()._atelier_progress_changed(
                exams.partner_id
            )
        return res
