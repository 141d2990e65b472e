# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.tools import html2plaintext

STATE_COLORS = {"missed": "danger", "ringing": "warning", "answered": "info"}


class AtelierCall(models.Model):
    _inherit = "atelier.call"

    # the contact's timeline reads a contact's calls newest first
    _atelier_partner_start_idx = models.Index(
        "(partner_id, start_at DESC, id DESC) WHERE partner_id IS NOT NULL"
    )

    def _atelier_timeline_values(self):
        states = dict(self._fields["state"]._description_selection(self.env))
        outcomes = dict(self._fields["outcome"]._description_selection(self.env))
        values = {}
        for call in self:
            parts = []
            if call.user_id:
                parts.append(call.user_id.name)
            if call.duration:
                parts.append(f"{call.duration // 60}:{call.duration % 60:02d}")
            if call.outcome:
                parts.append(outcomes[call.outcome])
            note = html2plaintext(call.notes or "").strip()
            if note:
                parts.append(note[:200])
            values[call.id] = {
                "title": call.name,
                "body": " · ".join(parts),
                "badge": states.get(call.state),
                "badge_color": STATE_COLORS.get(call.state, "success"),
            }
        return values
