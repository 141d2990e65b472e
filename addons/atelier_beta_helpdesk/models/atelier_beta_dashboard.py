# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.tools import SQL


class AtelierBetaDashboard(models.AbstractModel):
    _inherit = "atelier.beta.dashboard"

    @api.model
    def _atelier_feedback_ticket_count(self):
        self.env.cr.execute(
            SQL(
                "SELECT count(*) FROM atelier_beta_feedback WHERE ticket_id IS NOT NULL"
            )
        )
        return self.env.cr.fetchone()[0]
