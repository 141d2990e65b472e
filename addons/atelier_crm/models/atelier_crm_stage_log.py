# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL


class AtelierCrmStageLog(models.Model):
    """How long a lead stayed in each stage (time in stage figures)."""

    _name = "atelier.crm.stage.log"
    _description = "Time in stage"
    _order = "date_in desc, id desc"
    _rec_name = "stage_id"

    lead_id = fields.Many2one("crm.lead", required=True, ondelete="cascade", index=True)
    stage_id = fields.Many2one("crm.stage", ondelete="cascade", index=True)
    team_id = fields.Many2one("crm.team", string="Sales team", ondelete="set null")
    date_in = fields.Datetime(string="Entered", required=True)
    date_out = fields.Datetime(string="Left")
    days = fields.Float(string="Days in stage", digits=(16, 2), aggregator="avg")

    @api.model
    def _atelier_close(self, lead_ids, now):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """UPDATE atelier_crm_stage_log
                      SET date_out = %(now)s,
                          days = GREATEST(EXTRACT(EPOCH FROM (%(now)s - date_in)), 0)
                                 / 86400.0
                    WHERE lead_id = ANY(%(ids)s) AND date_out IS NULL""",
                now=now,
                ids=list(lead_ids),
            )
        )
        self.invalidate_model(["date_out", "days"])
