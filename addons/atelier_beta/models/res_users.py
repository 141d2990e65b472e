# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class ResUsers(models.Model):
    _inherit = "res.users"

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
