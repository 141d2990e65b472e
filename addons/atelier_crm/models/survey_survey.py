# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class SurveySurvey(models.Model):
    _inherit = "survey.survey"

    atelier_is_qualification = fields.Boolean(
        string="Qualification script",
        help="Filled in by a salesperson during the advisory call: its "
        "answers become the opportunity's fields and move its stage.",
    )

    @api.model
    def _atelier_qualification_script(self):
        return self.search(
            [("atelier_is_qualification", "=", True), ("active", "=", True)], limit=1
        )

    def _atelier_start_for_lead(self, lead):
        """An answer of the current salesperson about ``lead``."""
        self.ensure_one()
        return self._create_answer(
            user=self.env.user, check_attempts=False, lead_id=lead.id
        )
