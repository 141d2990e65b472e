# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

from ..tools.regions import REGIONS
from .crm_lead import CHANNELS, FUNNEL

_MEASURES = ("lead_count", "mql_count", "sql_count", "won_count", "lost_count")


def _rate(part, whole):
    return round(100.0 * part / whole, 1) if whole else 0.0


class AtelierCrmFunnelReport(models.Model):
    """One row per lead with 0/1 columns per funnel level (a won lead went
    through every level), so that pivots and graphs sum them."""

    _name = "atelier.crm.funnel.report"
    _description = "Funnel analysis"
    _auto = False
    _order = "create_date desc"
    _rec_name = "lead_id"

    lead_id = fields.Many2one("crm.lead", readonly=True)
    create_date = fields.Datetime(string="Created on", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales team", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    source_id = fields.Many2one("utm.source", readonly=True)
    campaign_id = fields.Many2one("utm.campaign", readonly=True)
    medium_id = fields.Many2one("utm.medium", readonly=True)
    referral_code = fields.Char(string="Referral code", readonly=True)
    channel = fields.Selection(CHANNELS, string="Way in", readonly=True)
    region = fields.Selection(REGIONS, readonly=True)
    funnel = fields.Selection(FUNNEL, string="Funnel stage", readonly=True)
    stage_id = fields.Many2one("crm.stage", readonly=True)
    lead_count = fields.Integer(string="Leads", readonly=True, aggregator="sum")
    mql_count = fields.Integer(
        string="Marketing-qualified", readonly=True, aggregator="sum"
    )
    sql_count = fields.Integer(
        string="Sales-qualified", readonly=True, aggregator="sum"
    )
    won_count = fields.Integer(string="Won", readonly=True, aggregator="sum")
    lost_count = fields.Integer(string="Lost", readonly=True, aggregator="sum")
    conversion = fields.Float(string="Conversion (%)", readonly=True, aggregator="avg")
    expected_revenue = fields.Float(readonly=True, aggregator="sum")
    won_revenue = fields.Float(string="Revenue won", readonly=True, aggregator="sum")
    days_to_won = fields.Float(string="Days to win", readonly=True, aggregator="avg")
    score = fields.Float(readonly=True, aggregator="avg")

    @property
    def _table_query(self):
        return SQL(
            """SELECT l.id, l.id AS lead_id, l.create_date, l.team_id, l.user_id,
                      l.company_id, l.source_id, l.campaign_id, l.medium_id,
                      l.atelier_referral_code AS referral_code,
                      l.atelier_channel AS channel, l.atelier_region AS region,
                      l.atelier_funnel AS funnel, l.stage_id,
                      1 AS lead_count,
                      (l.atelier_mql_date IS NOT NULL OR l.atelier_sql_date IS NOT NULL
                       OR l.won_status = 'won')::int AS mql_count,
                      (l.atelier_sql_date IS NOT NULL OR l.won_status = 'won')::int
                          AS sql_count,
                      (l.won_status = 'won')::int AS won_count,
                      (l.won_status = 'lost')::int AS lost_count,
                      CASE WHEN l.won_status = 'won' THEN 100.0 ELSE 0.0 END
                          AS conversion,
                      COALESCE(l.expected_revenue, 0) AS expected_revenue,
                      CASE WHEN l.won_status = 'won'
                           THEN COALESCE(l.expected_revenue, 0) ELSE 0 END
                          AS won_revenue,
                      CASE WHEN l.won_status = 'won' AND l.date_closed IS NOT NULL
                           THEN EXTRACT(EPOCH FROM (l.date_closed - l.create_date))
                                / 86400.0
                      END AS days_to_won,
                      l.atelier_score AS score
                 FROM crm_lead l
                WHERE l.active OR l.won_status = 'lost'"""
        )

    # ------------------------------------------------------------------
    # The dashboard
    # ------------------------------------------------------------------
    @api.model
    def atelier_dashboard(self, date_from=None, date_to=None, team_id=None):
        """Every figure of the funnel dashboard, computed by the database
        (grouped reads and one SQL query each), within the caller's access
        rules."""
        self.check_access("read")
        domain = Domain.TRUE
        try:
            if date_from:
                domain &= Domain(
                    "create_date", ">=", fields.Datetime.to_datetime(date_from)
                )
            if date_to:
                domain &= Domain(
                    "create_date", "<", fields.Datetime.to_datetime(date_to)
                )
            if team_id:
                domain &= Domain("team_id", "=", int(team_id))
        except (TypeError, ValueError) as exc:
            raise ValidationError(self.env._("Bad dashboard filter.")) from exc
        sets = self._atelier_grouping_sets(domain)
        totals = sets.pop("totals")
        return {
            "totals": totals,
            "rates": {
                "lead_to_mql": _rate(totals["mql_count"], totals["lead_count"]),
                "mql_to_sql": _rate(totals["sql_count"], totals["mql_count"]),
                "sql_to_won": _rate(totals["won_count"], totals["sql_count"]),
                "lead_to_won": _rate(totals["won_count"], totals["lead_count"]),
            },
            "currency": self.env.company.currency_id.symbol,
            **sets,
            "stage_times": self._atelier_stage_times(domain),
            "sequences": self._atelier_sequence_figures(),
        }

    @api.model
    def _atelier_grouping_sets(self, domain, limit=10):
        """Totals and the breakdowns per source, campaign, referral code and
        way in: one pass over the leads (GROUPING SETS), within the rules."""
        query = self._search(domain)
        query.order = None
        dims = ("source_id", "campaign_id", "referral_code", "channel")
        columns = [SQL.identifier(query.table, dim) for dim in dims]
        query.groupby = SQL(
            "GROUPING SETS ((), %s)",
            SQL(", ").join(SQL("(%s)", column) for column in columns),
        )
        sums = [SQL("SUM(%s)", SQL.identifier(query.table, name)) for name in _MEASURES]
        self.env.cr.execute(
            query.select(SQL("GROUPING(%s)", SQL(", ").join(columns)), *columns, *sums)
        )
        # GROUPING() sets a bit for each dimension not grouped by
        bits = {
            15: "totals",
            7: "source_id",
            11: "campaign_id",
            13: "referral_code",
            14: "channel",
        }
        groups = {name: [] for name in bits.values()}
        for grouping, *values in self.env.cr.fetchall():
            keys, figures = values[: len(dims)], values[len(dims) :]
            name = bits[grouping]
            row = dict(zip(_MEASURES, (value or 0 for value in figures), strict=True))
            if name != "totals":
                row["key"] = keys[dims.index(name)] or False
            groups[name].append(row)
        totals = (
            groups["totals"][0] if groups["totals"] else dict.fromkeys(_MEASURES, 0)
        )
        result = {"totals": {name: totals[name] for name in _MEASURES}}
        for dim, out in (
            ("source_id", "by_source"),
            ("campaign_id", "by_campaign"),
            ("referral_code", "by_referral"),
            ("channel", "by_channel"),
        ):
            rows = sorted(
                groups[dim], key=lambda row: (-row["lead_count"], str(row["key"]))
            )
            rows = rows[: 20 if dim == "campaign_id" else limit]
            self._atelier_name_rows(dim, rows)
            result[out] = rows
        self._atelier_campaign_costs(result["by_campaign"])
        return result

    @api.model
    def _atelier_name_rows(self, dim, rows):
        field = self._fields[dim]
        if field.type == "many2one":
            records = (
                self.env[field.comodel_name]
                .sudo()
                .browse([row["key"] for row in rows if row["key"]])
            )
            names = {record.id: record.display_name for record in records}
        elif field.type == "selection":
            names = dict(field._description_selection(self.env))
        else:
            names = {}
        for row in rows:
            row["name"] = names.get(row["key"], row["key"]) or self.env._("(none)")
            row["conversion"] = _rate(row["won_count"], row["lead_count"])

    @api.model
    def _atelier_campaign_costs(self, rows):
        campaigns = (
            self.env["utm.campaign"]
            .sudo()
            .browse([row["key"] for row in rows if row["key"]])
        )
        costs = {campaign.id: campaign.atelier_cost for campaign in campaigns}
        for row in rows:
            cost = costs.get(row["key"]) or 0.0
            row["cost"] = cost
            row["cost_per_lead"] = (
                round(cost / row["lead_count"], 2)
                if cost and row["lead_count"]
                else None
            )
            row["cost_per_customer"] = (
                round(cost / row["won_count"], 2) if cost and row["won_count"] else None
            )

    @api.model
    def _atelier_stage_times(self, domain):
        """Average days in each stage (stays that ended) and the leads in it
        now with their average age there, over the leads of ``domain``."""
        query = self._search(domain)
        query.order = None
        if query.where_clause.code:
            leads = SQL("g.lead_id IN (%s)", query.subselect("lead_id"))
        else:  # nothing filtered (a manager, all time): no join on the leads
            leads = SQL("TRUE")
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """SELECT g.stage_id, s.name, s.sequence,
                          AVG(g.days) FILTER (WHERE g.date_out IS NOT NULL),
                          COUNT(*) FILTER (WHERE g.date_out IS NOT NULL),
                          COUNT(*) FILTER (WHERE g.date_out IS NULL),
                          AVG(EXTRACT(EPOCH FROM (%(now)s - g.date_in)) / 86400.0)
                              FILTER (WHERE g.date_out IS NULL)
                     FROM atelier_crm_stage_log g
                     JOIN crm_stage s ON s.id = g.stage_id
                    WHERE %(leads)s
                 GROUP BY g.stage_id, s.name, s.sequence
                 ORDER BY s.sequence, g.stage_id""",
                now=fields.Datetime.now(),
                leads=leads,
            )
        )
        Stage = self.env["crm.stage"].sudo()
        rows = []
        for (
            stage_id,
            _name,
            _seq,
            avg_days,
            left,
            current,
            age,
        ) in self.env.cr.fetchall():
            stage = Stage.browse(stage_id)
            name = stage.display_name
            if len(stage.team_ids) == 1:
                # "New" is a stage of each pipeline: say which
                name = f"{name} ({stage.team_ids.display_name})"
            rows.append(
                {
                    "stage_id": stage_id,
                    "name": name,
                    "avg_days": round(float(avg_days), 1)
                    if avg_days is not None
                    else None,
                    "left_count": left,
                    "current_count": current,
                    "current_avg_days": round(float(age), 1)
                    if age is not None
                    else None,
                }
            )
        return rows

    @api.model
    def _atelier_sequence_figures(self):
        Step = self.env["atelier.crm.sequence.step"].sudo()
        figures = self.env["atelier.crm.enrolment.step"]._atelier_figures([], "step_id")
        steps = (
            Step.browse(list(figures))
            .exists()
            .sorted(
                lambda s: (
                    s.sequence_id.sequence,
                    s.sequence_id.id,
                    s.day_offset,
                    s.sequence,
                )
            )
        )
        rows = []
        for step in steps:
            row = figures[step.id]
            sent = row.get("sent", 0)
            rows.append(
                {
                    "sequence": step.sequence_id.name,
                    "step": step.name,
                    "day": step.day_label,
                    "sent": sent,
                    "opened": row.get("opened", 0),
                    "clicked": row.get("clicked", 0),
                    "replied": row.get("replied", 0),
                    "converted": row.get("converted", 0),
                    "open_rate": _rate(row.get("opened", 0), sent),
                    "click_rate": _rate(row.get("clicked", 0), sent),
                }
            )
        return rows
