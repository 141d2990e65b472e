# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AtelierCareerPurgeLog(models.Model):
    """One purge of an interview's transcript (GDPR: kept 30 days)."""

    _name = "atelier.career.purge.log"
    _description = "Transcript purge"
    _order = "id desc"

    session_ref = fields.Integer("Session", readonly=True)
    learner_id = fields.Many2one("res.users", readonly=True, ondelete="set null")
    lines_deleted = fields.Integer(readonly=True)
    synthesis_kept = fields.Boolean(readonly=True)
    ai_logs_cleared = fields.Integer("AI log entries cleared", readonly=True)
    reason = fields.Selection(
        [("retention", "30 days passed"), ("learner", "Asked by the learner")],
        readonly=True,
    )
