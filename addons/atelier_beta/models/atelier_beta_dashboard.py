# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, models
from odoo.tools import SQL

from .atelier_beta_signup import BETA_TZ

# retention windows, in days after the activation day (both ends included):
# D1 is the next day; D7 and D30 are a week each, the app being a weekly tool
RETENTION = {"d1": (1, 1), "d7": (7, 13), "d30": (30, 36)}

_USED_IN_WINDOW = """
EXISTS (SELECT 1 FROM atelier_beta_activity x
         WHERE x.signup_id = t.signup_id
           AND x.day BETWEEN t.a_day + %(lo)s AND t.a_day + %(hi)s) AS %(name)s
"""
_WINDOW_COUNTS = """
count(*) FILTER (WHERE r.a_day + %(hi)s < %(today)s) AS %(eligible)s,
count(*) FILTER (WHERE r.a_day + %(hi)s < %(today)s AND r.%(used)s) AS %(active)s
"""
# per batch: invitations, acceptances, activations and the D-n windows
_BATCH_FIGURES = """
WITH t AS (
    SELECT i.batch_id, i.state, i.sent_at, s.id AS signup_id,
           CASE WHEN i.state = 'accepted' AND s.activated_at IS NOT NULL
                THEN (s.activated_at AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date
           END AS a_day
      FROM atelier_beta_invitation i
      JOIN atelier_beta_signup s ON s.id = i.signup_id
     WHERE i.batch_id = ANY(%(ids)s)
), r AS (
    SELECT t.*, %(windows)s FROM t
)
SELECT r.batch_id,
       count(*) FILTER (WHERE r.state <> 'cancelled' OR r.sent_at IS NOT NULL)
           AS drawn_count,
       count(*) FILTER (WHERE r.sent_at IS NOT NULL) AS invited_count,
       count(*) FILTER (WHERE r.state = 'accepted') AS accepted_count,
       count(*) FILTER (WHERE r.a_day IS NOT NULL) AS activated_count,
       %(aggregates)s
  FROM r
 GROUP BY r.batch_id
"""
_FUNNEL = """
SELECT count(*) AS signups,
       count(*) FILTER (WHERE s.confirmed_at IS NOT NULL) AS confirmed,
       count(*) FILTER (WHERE s.state = 'waiting') AS waiting,
       count(*) FILTER (WHERE s.state = 'tester') AS testers,
       count(*) FILTER (WHERE s.activated_at IS NOT NULL) AS activated,
       count(*) FILTER (WHERE s.state = 'erased') AS erased,
       count(*) FILTER (WHERE s.state = 'pending') AS pending
  FROM atelier_beta_signup s
"""
_INVITATIONS = """
SELECT count(*) FILTER (WHERE i.sent_at IS NOT NULL) AS invited,
       count(*) FILTER (WHERE i.state = 'accepted') AS accepted,
       count(*) FILTER (WHERE i.state = 'expired') AS expired,
       count(*) FILTER (WHERE i.state = 'sent') AS open,
       count(*) FILTER (WHERE i.state = 'accepted' AND s.activated_at IS NOT NULL)
           AS activated
  FROM atelier_beta_invitation i
  JOIN atelier_beta_signup s ON s.id = i.signup_id
"""
_PER_DAY = """
SELECT d::date AS day, count(s.id) AS signups
  FROM generate_series(%(start)s::date, %(today)s::date, interval '1 day') d
  LEFT JOIN atelier_beta_signup s
    ON (s.create_date AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date = d::date
 GROUP BY 1 ORDER BY 1
"""
_BY_SOURCE = """
SELECT s.origin, src.name AS source, count(*) AS signups,
       count(*) FILTER (WHERE s.confirmed_at IS NOT NULL) AS confirmed,
       count(*) FILTER (WHERE s.activated_at IS NOT NULL) AS activated
  FROM atelier_beta_signup s
  LEFT JOIN utm_source src ON src.id = s.source_id
 GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 20
"""
# active testers of each week, and how many were activated by its end
# activations per day counted once (MATERIALIZED: not once per week)
_WEEKS = """
WITH activated AS MATERIALIZED (
    SELECT (s.activated_at AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date AS day,
           count(*) AS n
      FROM atelier_beta_signup s
     WHERE s.activated_at IS NOT NULL
     GROUP BY 1
)
SELECT w::date AS week,
       (SELECT count(DISTINCT a.signup_id) FROM atelier_beta_activity a
         WHERE a.day BETWEEN w::date AND w::date + 6) AS active,
       (SELECT COALESCE(sum(v.n), 0) FROM activated v
         WHERE v.day <= w::date + 6)::bigint AS activated
  FROM generate_series(%(first)s::date, %(monday)s::date, interval '7 days') w
 ORDER BY 1
"""


def pct(part, whole):
    return round(100.0 * part / whole, 1) if whole else None


def nps_of(promoters, detractors, answers):
    return round(100.0 * (promoters - detractors) / answers) if answers else None


class AtelierBetaDashboard(models.AbstractModel):
    """The beta's figures, computed from the records in a few SQL queries.

    Erased and never-confirmed sign-ups keep their rows without personal
    data, so every count here stays right after an erasure.
    """

    _name = "atelier.beta.dashboard"
    _description = "Beta KPIs"

    @api.model
    def atelier_dashboard(self):
        """Every figure of the dashboard (the beta team only)."""
        self.env["atelier.beta.signup"]._atelier_check_team()
        return self.sudo()._atelier_kpis()

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------
    def _atelier_fetch(self, query):
        self.env.cr.execute(query)
        columns = [col.name for col in self.env.cr.description]
        return [dict(zip(columns, row, strict=True)) for row in self.env.cr.fetchall()]

    @api.model
    def _atelier_batch_figures(self, batch_ids):
        """``{batch id: {drawn_count, invited_count, accepted_count,
        activated_count, active_d1, eligible_d1, ...}}``. A tester counts in
        the D-n figures once their window has closed ("eligible")."""
        if not batch_ids:
            return {}
        self.env.flush_all()
        today = self.env["atelier.beta.activity"]._atelier_today()
        windows = SQL(", ").join(
            SQL(_USED_IN_WINDOW, lo=lo, hi=hi, name=SQL.identifier(f"used_{key}"))
            for key, (lo, hi) in RETENTION.items()
        )
        aggregates = SQL(", ").join(
            SQL(
                _WINDOW_COUNTS,
                hi=hi,
                today=today,
                eligible=SQL.identifier(f"eligible_{key}"),
                active=SQL.identifier(f"active_{key}"),
                used=SQL.identifier(f"used_{key}"),
            )
            for key, (_lo, hi) in RETENTION.items()
        )
        rows = self._atelier_fetch(
            SQL(
                _BATCH_FIGURES,
                tz=BETA_TZ,
                ids=list(batch_ids),
                windows=windows,
                aggregates=aggregates,
            )
        )
        return {row.pop("batch_id"): row for row in rows}

    @api.model
    def _atelier_nps(self, dimension=None, period=None):
        """NPS of the answered questions, as a whole or by ``dimension``
        ("batch", "profile", "fuel_type", "origin"): a list of
        ``{key, answers, promoters, passives, detractors, nps}``."""
        columns = {
            None: SQL("NULL"),
            "batch": SQL("n.batch_id"),
            "profile": SQL("n.profile"),
            "fuel_type": SQL("n.fuel_type"),
            "origin": SQL("n.origin"),
        }
        where = SQL("n.score IS NOT NULL")
        if period:
            where = SQL("%s AND n.period = %s", where, period)
        self.env["atelier.beta.nps"].flush_model()
        rows = self._atelier_fetch(
            SQL(
                """SELECT %(key)s AS key, count(*) AS answers,
                          count(*) FILTER (WHERE n.score >= 9) AS promoters,
                          count(*) FILTER (WHERE n.score BETWEEN 7 AND 8) AS passives,
                          count(*) FILTER (WHERE n.score <= 6) AS detractors
                     FROM atelier_beta_nps n
                    WHERE %(where)s
                    GROUP BY 1
                    ORDER BY 2 DESC""",
                key=columns[dimension],
                where=where,
            )
        )
        for row in rows:
            row["nps"] = nps_of(row["promoters"], row["detractors"], row["answers"])
        return rows

    @api.model
    def _atelier_feedback_ticket_count(self):
        """Accepted bugs turned into tickets (the helpdesk glue counts them)."""
        return None

    @api.model
    def _atelier_kpis(self):
        self.env.flush_all()
        today = self.env["atelier.beta.activity"]._atelier_today()
        tz = BETA_TZ
        labels = {
            key: dict(
                self.env["atelier.beta.signup"]
                ._fields[key]
                ._description_selection(self.env)
            )
            for key in ("fuel_type", "profile", "origin", "state")
        }

        [funnel] = self._atelier_fetch(SQL(_FUNNEL))
        [invitations] = self._atelier_fetch(SQL(_INVITATIONS))
        start = today - timedelta(days=29)
        per_day = self._atelier_fetch(
            SQL(
                _PER_DAY,
                start=start,
                today=today,
                tz=tz,
            )
        )
        by_source = self._atelier_fetch(SQL(_BY_SOURCE))
        for row in by_source:
            name = row["source"]
            if isinstance(name, dict):
                name = (
                    name.get(self.env.lang)
                    or name.get("en_US")
                    or next(iter(name.values()), "")
                )
            row["label"] = name or labels["origin"].get(row["origin"], row["origin"])
            row["confirmation_rate"] = pct(row["confirmed"], row["signups"])
        # weekly actives: the last 8 weeks, Monday to Sunday
        monday = today - timedelta(days=today.weekday())
        weeks = self._atelier_fetch(
            SQL(
                _WEEKS,
                first=monday - timedelta(weeks=7),
                monday=monday,
                tz=tz,
            )
        )
        for row in weeks:
            row["rate"] = pct(row["active"], row["activated"])
        [last7] = self._atelier_fetch(
            SQL(
                """SELECT count(DISTINCT a.signup_id) AS active
                     FROM atelier_beta_activity a
                    WHERE a.day BETWEEN %(from)s AND %(today)s""",
                today=today,
                **{"from": today - timedelta(days=6)},
            )
        )
        batches = self.env["atelier.beta.batch"].search(
            [("state", "=", "sent")], order="id"
        )
        figures = self._atelier_batch_figures(batches.ids)
        per_batch = []
        for batch in batches:
            row = figures.get(batch.id, {})
            per_batch.append(
                {
                    "id": batch.id,
                    "name": batch.name,
                    "invited": row.get("invited_count", 0),
                    "accepted": row.get("accepted_count", 0),
                    "activated": row.get("activated_count", 0),
                    **{
                        f"retention_{key}": pct(
                            row.get(f"active_{key}", 0), row.get(f"eligible_{key}", 0)
                        )
                        for key in RETENTION
                    },
                    **{
                        f"eligible_{key}": row.get(f"eligible_{key}", 0)
                        for key in RETENTION
                    },
                }
            )
        [feedback] = self._atelier_fetch(
            SQL(
                """SELECT count(*) AS received,
                          count(*) FILTER (WHERE f.state = 'accepted') AS accepted,
                          count(*) FILTER (WHERE f.state = 'merged') AS merged,
                          count(*) FILTER (WHERE f.kind = 'bug') AS bugs,
                          count(*) FILTER (WHERE f.kind = 'idea') AS ideas,
                          count(*) FILTER (WHERE f.kind = 'praise') AS praise
                     FROM atelier_beta_feedback f"""
            )
        )
        feedback["tickets"] = self._atelier_feedback_ticket_count()
        feedback["acceptance_rate"] = pct(feedback["accepted"], feedback["received"])
        [referrals] = self._atelier_fetch(
            SQL(
                """SELECT count(*) FILTER (WHERE r.referrer_id <> r.referred_id)
                              AS referred,
                          count(*) FILTER (WHERE r.state = 'credited') AS credited,
                          count(*) FILTER (WHERE r.state = 'pending') AS pending,
                          count(*) FILTER (WHERE r.state = 'review') AS review,
                          count(*) FILTER (WHERE r.state = 'rejected') AS rejected,
                          count(DISTINCT r.referrer_id) AS referrers
                     FROM atelier_beta_referral r"""
            )
        )
        referrals["conversion"] = pct(referrals["credited"], referrals["referred"])
        referrals["per_referrer"] = (
            round(referrals["referred"] / referrals["referrers"], 2)
            if referrals["referrers"]
            else None
        )
        top = self._atelier_fetch(
            SQL(
                """SELECT s.id, COALESCE(s.name, '') AS name, s.state,
                         count(*) FILTER (WHERE r.referrer_id <> r.referred_id)
                             AS referred,
                         count(*) FILTER (WHERE r.state = 'credited') AS credited,
                         count(*) FILTER (WHERE r.state = 'rejected') AS rejected
                    FROM atelier_beta_referral r
                    JOIN atelier_beta_signup s ON s.id = r.referrer_id
                GROUP BY s.id
                ORDER BY 5 DESC, 4 DESC, s.id
                   LIMIT 10"""
            )
        )
        for row in top:
            row["state_label"] = labels["state"].get(row["state"])
            row["conversion"] = pct(row["credited"], row["referred"])
        rejected = self.env["atelier.beta.referral"].search(
            [("state", "=", "rejected")], order="write_date desc, id desc", limit=10
        )
        overall = (self._atelier_nps() or [{}])[0]
        nps = {"all": overall.get("nps"), "answers": overall.get("answers", 0)}
        batch_names = dict(zip(batches.ids, batches.mapped("name"), strict=True))
        for dimension in ("batch", "profile", "fuel_type", "origin"):
            rows = self._atelier_nps(dimension)
            for row in rows:
                if dimension == "batch":
                    row["label"] = batch_names.get(row["key"]) or self.env._("No batch")
                else:
                    row["label"] = labels[dimension].get(row["key"], row["key"])
            nps[dimension] = rows
        detractors = self.env["atelier.beta.nps"].search(
            [("category", "=", "detractor"), ("follow_up_done", "=", False)],
            order="answered_at desc, id desc",
            limit=10,
        )
        return {
            "today": str(today),
            "funnel": {
                **funnel,
                "confirmation_rate": pct(funnel["confirmed"], funnel["signups"]),
            },
            "invitations": {
                **invitations,
                "acceptance_rate": pct(invitations["accepted"], invitations["invited"]),
                "activation_rate": pct(
                    invitations["activated"], invitations["accepted"]
                ),
            },
            "per_day": [
                {"day": str(row["day"]), "signups": row["signups"]} for row in per_day
            ],
            "per_day_max": max([row["signups"] for row in per_day] or [0]),
            "by_source": by_source,
            "weekly": {
                "active_last_7_days": last7["active"],
                "activated": funnel["activated"],
                "rate": pct(last7["active"], funnel["activated"]),
                "weeks": [
                    {
                        "week": str(row["week"]),
                        "active": row["active"],
                        "rate": row["rate"],
                    }
                    for row in weeks
                ],
            },
            "batches": per_batch,
            "feedback": feedback,
            "referrals": {
                **referrals,
                "top": top,
                "rejected_list": [
                    {
                        "id": referral.id,
                        "referrer": referral.referrer_id.name or self.env._("Erased"),
                        "referred": referral.referred_id.name or self.env._("Erased"),
                        "reason": referral.reason,
                    }
                    for referral in rejected
                ],
            },
            "nps": nps,
            "detractors": [
                {
                    "id": request.id,
                    "name": request.signup_id.name or self.env._("Erased"),
                    "score": request.score,
                    "comment": request.comment or "",
                    "period": request.period,
                }
                for request in detractors
            ],
        }
