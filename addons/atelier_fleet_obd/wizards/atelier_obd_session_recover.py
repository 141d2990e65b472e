# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import math
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.atelier_obd_session import FUTURE_SKEW
from ..tools import ingest_rules as rules


class AtelierObdSessionRecover(models.TransientModel):
    """Store the items of a session that Odoo kept aside for their time (a
    bridge clock that jumped), shifted by the minutes the manager confirms."""

    _name = "atelier.obd.session.recover"
    _description = "Recover the readings kept aside for their time"

    session_id = fields.Many2one("atelier.obd.session", required=True)
    parked_count = fields.Integer("Items kept aside", compute="_compute_parked")
    parked_first = fields.Datetime("Earliest", compute="_compute_parked")
    parked_last = fields.Datetime("Latest", compute="_compute_parked")
    shift_minutes = fields.Float(
        "Shift (minutes)",
        compute="_compute_shift_minutes",
        store=True,
        readonly=False,
        help="Added to the timestamps of the items kept aside. Suggested: what "
        "brings them inside the session.",
    )

    @api.depends("session_id")
    def _compute_parked(self):
        for wizard in self:
            moments = wizard._parked_moments()
            wizard.parked_count = len(moments)
            wizard.parked_first = min(moments) if moments else False
            wizard.parked_last = max(moments) if moments else False

    @api.depends("session_id")
    def _compute_shift_minutes(self):
        now = fields.Datetime.now()
        for wizard in self:
            moments = wizard._parked_moments()
            shift = 0.0
            if moments and max(moments) > now + FUTURE_SKEW:
                shift = math.floor((now - max(moments)).total_seconds() / 60)
            elif moments and min(moments) < wizard.session_id.started_at:
                started = wizard.session_id.started_at
                shift = math.ceil((started - min(moments)).total_seconds() / 60)
            wizard.shift_minutes = shift

    def _parked_moments(self):
        """The times of the kept items, with their batch's clock correction."""
        self.ensure_one()
        moments = []
        for batch in self.session_id.sudo().batch_ids.filtered("parked_count"):
            offset = timedelta(seconds=batch.clock_offset or 0.0)
            for item in batch.parked_items or []:
                try:
                    moments.append(rules.parse_ts(item.get("ts")) + offset)
                except rules.RuleError:
                    continue
        return moments

    def action_recover(self):
        self.ensure_one()
        self.check_access("write")
        session = self.session_id
        session.check_access("write")
        if not self.parked_count:
            raise UserError(self.env._("This session has no item kept aside."))
        stored = session.sudo()._ingest_recover_parked(
            timedelta(minutes=self.shift_minutes)
        )
        left = self.session_id.sudo().batch_ids.mapped("parked_count")
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if stored else "warning",
                "message": self.env._(
                    "%(stored)s item(s) stored, %(left)s still kept aside.",
                    stored=stored,
                    left=sum(left),
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
