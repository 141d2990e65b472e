# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class AtelierCareerSession(models.Model):
    _inherit = "atelier.career.session"

    @api.model_create_multi
    def create(self, vals_list):
        sessions = super().create(vals_list)
        # the learner rehearses: the CV follow-up has done its job
        self.env["atelier.crm.enrolment"]._atelier_career_stop(
            sessions.sudo().user_id, "career_interview"
        )
        return sessions
