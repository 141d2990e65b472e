# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    atelier_booking_ids = fields.One2many(
        "atelier.booking", "crm_lead_id", string="Bookings", readonly=True
    )
    atelier_booking_count = fields.Integer(compute="_compute_atelier_booking_count")

    def _compute_atelier_booking_count(self):
        counts = {}
        # salespeople do not all read bookings: they see no button then
        if self.env["atelier.booking"].has_access("read"):
            counts = dict(
                self.env["atelier.booking"]._read_group(
                    [("crm_lead_id", "in", self.ids)], ["crm_lead_id"], ["__count"]
                )
            )
        for lead in self:
            lead.atelier_booking_count = counts.get(lead, 0)

    def action_atelier_view_bookings(self):
        self.ensure_one()
        self.check_access("read")
        return self.atelier_booking_ids._atelier_action_view(
            [("crm_lead_id", "=", self.id)]
        )

    def _atelier_crm_booking_owner(self):
        """A client who booked expects a person, not a nurturing e-mail: the
        lead gets a salesperson at once (the team's round robin), so that no
        new client waits in "nothing forgotten" for someone to pick them."""
        now = fields.Datetime.now()
        for lead in self.sudo().filtered(lambda lead: not lead.user_id):
            team = lead.team_id or self.env["crm.team"]._atelier_team_for_profile(
                lead.atelier_profile
            )
            member = team._atelier_next_member(now) if team else False
            if member:
                lead.write({"team_id": team.id, "user_id": member.user_id.id})
