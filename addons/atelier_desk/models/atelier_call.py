# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import math
import random
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.tools import html2plaintext

STATE_COLORS = {"missed": "danger", "ringing": "warning", "answered": "info"}

# demo history: incoming calls per hour (local time) on an ordinary weekday
DEMO_HOURS = {
    8: 2.0,
    9: 5.0,
    10: 6.0,
    11: 5.0,
    12: 1.0,
    14: 4.0,
    15: 5.0,
    16: 4.0,
    17: 2.0,
}
DEMO_DAYS = [1.3, 1.1, 1.0, 1.0, 0.8, 0.0, 0.0]
DEMO_CLIENTS = [
    "partner_garage_dupont",
    "partner_dupont_jean",
    "partner_dupont_sophie",
    "partner_martin_luc",
    "partner_martin_emma",
    "partner_petit_paul",
    "partner_bernard_hugo",
    "partner_roux_alice",
    "partner_garnier_marc",
    "partner_leroy_martine",
    "partner_morel_thomas",
    "partner_fournier_julie",
    "partner_girard_nicolas",
    "partner_bonnet_camille",
]


class AtelierCall(models.Model):
    _inherit = "atelier.call"

    # the contact's timeline reads a contact's calls newest first
    _atelier_partner_start_idx = models.Index(
        "(partner_id, start_at DESC, id DESC) WHERE partner_id IS NOT NULL"
    )

    @api.model
    def _atelier_demo_call_history(self, weeks=8, seed=15):
        """Demo data: the desk's incoming calls of the last ``weeks`` weeks
        up to yesterday, all handled (an outcome, or called back), so that
        the figures and next week's forecast open with numbers."""
        line = self.env.ref(
            "atelier_cti.atelier_cti_line_demo", raise_if_not_found=False
        )
        if not line or self.search_count([("line_id", "=", line.id)], limit=1):
            return
        clients = [
            self.env.ref(f"atelier_base.{xmlid}", raise_if_not_found=False)
            for xmlid in DEMO_CLIENTS
        ]
        clients = [client for client in clients if client]
        owner = line.owner_id
        tz = pytz.timezone(owner.tz or "Europe/Paris")
        today = pytz.utc.localize(fields.Datetime.now()).astimezone(tz).date()
        first = today - timedelta(days=today.weekday(), weeks=weeks)
        rng = random.Random(seed)
        outcomes = ["resolved", "information", "information", "callback", "voicemail"]
        vals_list = []
        day = first
        while day < today:
            level = DEMO_DAYS[day.weekday()] * (1 + 0.01 * (day - first).days / 7)
            for hour, rate in DEMO_HOURS.items():
                for _index in range(self._atelier_demo_poisson(rng, rate * level)):
                    local = datetime.combine(day, time(hour, rng.randrange(60)))
                    start = tz.localize(local).astimezone(pytz.utc).replace(tzinfo=None)
                    client = (
                        rng.choice(clients) if clients and rng.random() < 0.8 else None
                    )
                    vals = {
                        "line_id": line.id,
                        "provider": line.provider,
                        "provider_call_id": f"demo-{len(vals_list)}",
                        "direction": "inbound",
                        "caller_number": f"+3361{rng.randrange(10**7):07d}",
                        "callee_number": "+33472000000",
                        "partner_id": client.id if client else False,
                        "start_at": start,
                    }
                    if rng.random() < 0.12:
                        end = start + timedelta(seconds=25)
                        vals.update(
                            state="missed",
                            end_at=end,
                            callback_done=True,
                            callback_at=end + timedelta(minutes=rng.randrange(15, 240)),
                        )
                    else:
                        vals.update(
                            state="ended",
                            answer_at=start + timedelta(seconds=8),
                            end_at=start + timedelta(seconds=rng.randrange(60, 600)),
                            user_id=owner.id,
                            outcome=rng.choice(outcomes),
                        )
                    vals_list.append(vals)
            day += timedelta(days=1)
        self.with_context(tracking_disable=True, mail_create_nolog=True).create(
            vals_list
        )

    @api.model
    def _atelier_demo_poisson(self, rng, rate):
        limit, product, count = math.exp(-rate), rng.random(), 0
        while product > limit:
            count += 1
            product *= rng.random()
        return count

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
            if call.direction == "inbound":
                title = self.env._("Incoming call")
            else:
                title = self.env._("Outgoing call")
            if not call.partner_id and call.partner_number:
                title = f"{title} {call.partner_number}"
            values[call.id] = {
                "title": title,
                "body": " · ".join(parts),
                "badge": states.get(call.state),
                "badge_color": STATE_COLORS.get(call.state, "success"),
            }
        return values
