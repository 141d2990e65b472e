# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, api, fields, models
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

    @api.model_create_multi
    def create(self, vals_list):
        teams = super().create(vals_list)
        # Odoo's default stages belong to its default team here (so that
        # they stay out of our two pipelines); a new team gets them too, as
        # it would have seen them before
        others = teams.filtered(lambda team: not team.atelier_pipeline)
        Data = self.env["ir.model.data"]
        stage_ids = [
            Data._xmlid_to_res_id(f"crm.stage_lead{index}", raise_if_not_found=False)
            for index in range(1, 5)
        ]
        stages = self.env["crm.stage"].sudo().browse(filter(None, stage_ids)).exists()
        if others and stages:
            stages.write({"team_ids": [Command.link(team.id) for team in others]})
        return teams

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
