# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL

from .crm_lead import PROFILE_PIPELINES


class CrmTeam(models.Model):
    _inherit = "crm.team"

    atelier_pipeline = fields.Selection(
        [("individuals", "Individuals & training"), ("partners", "B2B partners")],
        string="Leads of",
        help="The profiles of the leads this team gets: learners and car "
        "owners, or garages, parts suppliers and marketplaces.",
    )

    @api.model
    def _atelier_team_for_profile(self, profile):
        kind = PROFILE_PIPELINES.get(profile or "", "individuals")
        return self.sudo().search([("atelier_pipeline", "=", kind)], limit=1)

    def _atelier_stage(self, role):
        """This team's stage with ``role`` (a shared one otherwise)."""
        self.ensure_one()
        Stage = self.env["crm.stage"].sudo()
        return Stage.search(
            [("atelier_role", "=", role), ("team_ids", "in", self.ids)],
            order="sequence, id",
            limit=1,
        ) or Stage.search(
            [("atelier_role", "=", role), ("team_ids", "=", False)],
            order="sequence, id",
            limit=1,
        )

    def _atelier_next_member(self, now):
        """Round robin among the members available for assignment: the one
        who got a lead the longest ago (row lock: two assignments at once
        take two different people)."""
        self.ensure_one()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """SELECT m.id FROM crm_team_member m
                     JOIN res_users u ON u.id = m.user_id
                    WHERE m.crm_team_id = %s AND m.active AND u.active
                      AND NOT COALESCE(m.assignment_optout, FALSE)
                 ORDER BY m.atelier_last_assigned_at NULLS FIRST, m.id
                    LIMIT 1
                      FOR UPDATE OF m SKIP LOCKED""",
                self.id,
            )
        )
        row = self.env.cr.fetchone()
        if not row:
            return self.env["crm.team.member"]
        member = self.env["crm.team.member"].sudo().browse(row[0])
        member.atelier_last_assigned_at = now
        return member
