# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

BETA_BADGES = (
    "badge_first_diagnostic",
    "badge_bug_hunter",
    "badge_visionary",
    "badge_first_referral",
    "badge_ambassador",
)


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model
    def _atelier_beta_badges(self):
        """The badges of the beta (the portal shows only these)."""
        badges = self.env["gamification.badge"]
        for xmlid in BETA_BADGES:
            badge = self.env.ref(f"atelier_beta.{xmlid}", raise_if_not_found=False)
            if badge:
                badges |= badge
        return badges

    def _atelier_grant_beta_badge(self, xmlid):
        """Grant a beta badge once (badges are granted by the system only)."""
        badge = self.env.ref(f"atelier_beta.{xmlid}", raise_if_not_found=False)
        if not badge:
            return self.env["gamification.badge.user"]
        BadgeUser = self.env["gamification.badge.user"].sudo()
        granted = BadgeUser
        for user in self.filtered("id"):
            if BadgeUser.search_count(
                [("user_id", "=", user.id), ("badge_id", "=", badge.id)], limit=1
            ):
                continue
            granted |= BadgeUser.create({"user_id": user.id, "badge_id": badge.id})
        granted._send_badge()
        return granted
