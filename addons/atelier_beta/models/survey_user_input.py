# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    def _mark_done(self):
        res = super()._mark_done()
        requests = (
            self.env["atelier.beta.nps"]
            .sudo()
            .search([("user_input_id", "in", self.ids)])
        )
        if requests:
            requests._atelier_read_answer()
        return res
