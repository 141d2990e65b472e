# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

REASONS = [
    ("sla_breached", "Tickets past their deadline"),
    ("missed_calls", "Missed calls not called back"),
    ("low_csat", "Low satisfaction"),
]
# weight of one occurrence of a reason in the client's risk score
WEIGHTS = {"sla_breached": 3, "missed_calls": 2, "low_csat": 3}
CSAT_DAYS = 90


class AtelierDeskRisk(models.Model):
    """Clients at risk, one row per client and reason, computed in SQL from
    the records: unresolved tickets past their SLA deadline, missed calls
    nobody called back, a low satisfaction rating lately. Everything is
    counted on the client's company (its people's tickets and calls
    included)."""

    _name = "atelier.desk.risk"
    _description = "Client at risk"
    _auto = False
    _order = "score desc, partner_id, reason"
    _depends = {
        "helpdesk.ticket": [
            "commercial_partner_id",
            "stage_id",
            "active",
            "atelier_sla_status",
            "atelier_sla_deadline",
            "atelier_csat",
            "closed_date",
        ],
        "atelier.call": [
            "partner_id",
            "state",
            "direction",
            "callback_done",
            "outcome",
            "start_at",
        ],
        "atelier.booking": ["partner_id", "atelier_csat", "stop"],
        "res.partner": ["commercial_partner_id"],
    }

    partner_id = fields.Many2one("res.partner", string="Client", readonly=True)
    reason = fields.Selection(REASONS, readonly=True)
    count = fields.Integer(readonly=True)
    since = fields.Datetime(
        readonly=True, help="Oldest deadline missed, oldest missed call."
    )
    csat = fields.Float(string="Satisfaction (/5)", readonly=True, aggregator="avg")
    score = fields.Integer(readonly=True, aggregator="sum")

    @property
    def _table_query(self):
        now = fields.Datetime.now()
        threshold = self._low_csat_threshold()
        return SQL(
            """
            SELECT t.commercial_partner_id * 10 + 1 AS id,
                   t.commercial_partner_id AS partner_id,
                   'sla_breached' AS reason, count(*) AS count,
                   min(t.atelier_sla_deadline) AS since, NULL::float AS csat,
                   %(w_sla)s * count(*) AS score
              FROM helpdesk_ticket t
              JOIN helpdesk_ticket_stage s ON s.id = t.stage_id
             WHERE t.active AND s.closed IS NOT TRUE
               AND t.commercial_partner_id IS NOT NULL
               AND (t.atelier_sla_status = 'breached'
                    OR t.atelier_sla_deadline < %(now)s)
             GROUP BY t.commercial_partner_id
            UNION ALL
            SELECT p.commercial_partner_id * 10 + 2, p.commercial_partner_id,
                   'missed_calls', count(*), min(c.start_at), NULL,
                   %(w_calls)s * count(*)
              FROM atelier_call c
              JOIN res_partner p ON p.id = c.partner_id
             WHERE c.direction = 'inbound' AND c.state = 'missed'
               AND c.callback_done IS NOT TRUE AND c.outcome IS NULL
             GROUP BY p.commercial_partner_id
            UNION ALL
            SELECT r.partner_id * 10 + 3, r.partner_id, 'low_csat', count(*),
                   min(r.rated_on), avg(r.csat), %(w_csat)s
              FROM (
                    SELECT t.commercial_partner_id AS partner_id,
                           t.atelier_csat AS csat, t.closed_date AS rated_on
                      FROM helpdesk_ticket t
                     WHERE t.atelier_csat > 0 AND t.closed_date >= %(since)s
                       AND t.commercial_partner_id IS NOT NULL
                    UNION ALL
                    SELECT p.commercial_partner_id, b.atelier_csat, b.stop
                      FROM atelier_booking b
                      JOIN res_partner p ON p.id = b.partner_id
                     WHERE b.atelier_csat > 0 AND b.stop >= %(since)s
                   ) r
             GROUP BY r.partner_id
            HAVING min(r.csat) <= %(threshold)s
            """,
            now=now,
            since=now - timedelta(days=CSAT_DAYS),
            threshold=threshold,
            w_sla=WEIGHTS["sla_breached"],
            w_calls=WEIGHTS["missed_calls"],
            w_csat=WEIGHTS["low_csat"],
        )

    @api.model
    def _low_csat_threshold(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("atelier_desk.low_csat", "2")
        )
        try:
            return float(value)
        except ValueError:
            return 2.0

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _atelier_clients(self, limit=10):
        """The clients most at risk: ``[{"partner_id", "name", "score",
        "reasons": [{"reason", "label", "count", "text"}]}]``."""
        top = self._read_group(
            [], ["partner_id"], ["score:sum"], order="score:sum desc", limit=limit
        )
        partners = [partner for partner, _score in top]
        rows = self.search([("partner_id", "in", [p.id for p in partners])])
        labels = dict(self._fields["reason"]._description_selection(self.env))
        by_partner = {partner.id: [] for partner in partners}
        for row in rows:
            by_partner[row.partner_id.id].append(
                {
                    "reason": row.reason,
                    "label": labels[row.reason],
                    "count": row.count,
                    "text": row._reason_text(),
                    "action": row._records_action(),
                }
            )
        return [
            {
                "partner_id": partner.id,
                "name": partner.display_name,
                "score": score,
                "reasons": by_partner[partner.id],
            }
            for partner, score in top
        ]

    def _reason_text(self):
        self.ensure_one()
        _ = self.env._
        if self.reason == "sla_breached":
            return _("%(count)s ticket(s) past their deadline", count=self.count)
        if self.reason == "missed_calls":
            return _("%(count)s missed call(s) not called back", count=self.count)
        return _(
            "Satisfaction %(csat)s / 5 (%(count)s rating(s))",
            csat=f"{self.csat:.1f}",
            count=self.count,
        )

    def _records_action(self):
        """The tickets, calls or rated records behind this reason (opened
        with the reader's own rights)."""
        self.ensure_one()
        client = self.partner_id
        if self.reason == "sla_breached":
            return {
                "type": "ir.actions.act_window",
                "name": self.env._("Tickets past their deadline"),
                "res_model": "helpdesk.ticket",
                "views": [[False, "list"], [False, "form"]],
                "domain": [
                    ("commercial_partner_id", "=", client.id),
                    ("stage_id.closed", "=", False),
                    "|",
                    ("atelier_sla_status", "=", "breached"),
                    ("atelier_sla_deadline", "<", fields.Datetime.now()),
                ],
            }
        if self.reason == "missed_calls":
            return {
                "type": "ir.actions.act_window",
                "name": self.env._("Missed calls not called back"),
                "res_model": "atelier.call",
                "views": [[False, "list"], [False, "form"]],
                "domain": [
                    ("partner_id", "child_of", client.id),
                    ("direction", "=", "inbound"),
                    ("state", "=", "missed"),
                    ("callback_done", "=", False),
                    ("outcome", "=", False),
                ],
            }
        if self.reason == "low_csat":
            return {
                "type": "ir.actions.act_window",
                "name": self.env._("Rated tickets"),
                "res_model": "helpdesk.ticket",
                "views": [[False, "list"], [False, "form"]],
                "domain": [
                    ("commercial_partner_id", "=", client.id),
                    ("atelier_csat", ">", 0),
                ],
            }
        raise UserError(self.env._("Unknown reason."))
