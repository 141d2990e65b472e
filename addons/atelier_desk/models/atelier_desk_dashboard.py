# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import SQL, format_date

from ..tools import forecast as forecaster

PERIODS = (7, 30, 90)
FORECAST_WEEKS = 12


class AtelierDeskDashboard(models.AbstractModel):
    """The manager's figures, all computed from the records (calls, tickets,
    appointments, ratings) with grouped queries; nothing is stored."""

    _name = "atelier.desk.dashboard"
    _description = "Desk figures"

    @api.model
    @api.readonly
    def atelier_dashboard_data(self, days=30):
        """Every figure of the dashboard over the last ``days`` days (7, 30
        or 90), each with the records behind it (``action``)."""
        self._check_manager()
        try:
            days = int(days)
        except (TypeError, ValueError):
            days = 0
        if days not in PERIODS:
            raise UserError(self.env._("Choose a period of 7, 30 or 90 days."))
        now = fields.Datetime.now()
        since = now - timedelta(days=days)
        calls = self._calls_figures(since)
        tickets = self._tickets_figures(since)
        bookings = self._bookings_figures(since)
        satisfaction = self._satisfaction_figures(since)
        return {
            "days": days,
            "periods": list(PERIODS),
            "since": fields.Datetime.to_string(since),
            "kpis": calls["kpis"]
            + tickets["kpis"]
            + bookings["kpis"]
            + satisfaction["kpis"],
            "calls_by_hour": calls["by_hour"],
            "tickets_by_channel": tickets["by_channel"],
            "forecast": self._forecast(now),
            "at_risk": self.env["atelier.desk.risk"]._atelier_clients(limit=10),
        }

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------
    def _calls_figures(self, since):
        Call = self.env["atelier.call"]
        _ = self.env._
        inbound = Domain("direction", "=", "inbound") & Domain("start_at", ">=", since)
        missed = inbound & Domain("state", "=", "missed")
        by_hour = {}
        for hour, state, count in Call._read_group(
            inbound, ["hour", "state"], ["__count"]
        ):
            row = by_hour.setdefault(hour, {"hour": hour, "calls": 0, "missed": 0})
            row["calls"] += count
            if state == "missed":
                row["missed"] += count
        for row in by_hour.values():
            row["missed_rate"] = round(100 * row["missed"] / row["calls"])
        total = sum(row["calls"] for row in by_hour.values())
        missed_count = sum(row["missed"] for row in by_hour.values())
        called_back = (
            missed
            & Domain("callback_done", "=", True)
            & Domain("callback_delay", ">", 0)
        )
        [[delay, called_back_count]] = Call._read_group(
            called_back, [], ["callback_delay:avg", "__count"]
        )
        waiting = (
            missed & Domain("callback_done", "=", False) & Domain("outcome", "=", False)
        )
        waiting_count = Call.search_count(waiting)
        return {
            "by_hour": [by_hour[hour] for hour in sorted(by_hour)],
            "kpis": [
                self._kpi(
                    "calls",
                    _("Incoming calls"),
                    total,
                    str(total),
                    "atelier.call",
                    inbound,
                ),
                self._kpi(
                    "missed_rate",
                    _("Missed calls"),
                    100 * missed_count / total if total else None,
                    self._percent(missed_count, total),
                    "atelier.call",
                    missed,
                    hint=_("%(count)s missed", count=missed_count),
                    tone="danger" if total and missed_count / total > 0.2 else "",
                ),
                self._kpi(
                    "callback_delay",
                    _("Time to call back"),
                    delay if called_back_count else None,
                    self._hours(delay if called_back_count else None),
                    "atelier.call",
                    called_back,
                    hint=_("%(count)s still to call back", count=waiting_count),
                    tone="warning" if waiting_count else "",
                ),
            ],
        }

    def _tickets_figures(self, since):
        Ticket = self.env["helpdesk.ticket"]
        _ = self.env._
        created = Domain("create_date", ">=", since)
        channels = dict(
            Ticket._fields["atelier_channel"]._description_selection(self.env)
        )
        by_channel = {}
        for channel, ticket_type, count in Ticket._read_group(
            created, ["atelier_channel", "type_id"], ["__count"]
        ):
            row = by_channel.setdefault(
                channel,
                {
                    "channel": channel or "other",
                    "label": channels.get(channel, _("Other")),
                    "count": 0,
                    "types": [],
                },
            )
            row["count"] += count
            row["types"].append(
                {"type": ticket_type.name or _("No type"), "count": count}
            )
        for row in by_channel.values():
            row["types"].sort(key=lambda item: -item["count"])
        total = sum(row["count"] for row in by_channel.values())
        # first response against its SLA, on the tickets opened in the period
        with_target = created & Domain("atelier_first_response_deadline", "!=", False)
        fr_breached = with_target & Domain("atelier_first_response_breached", "=", True)
        fr_met = (
            with_target
            & Domain("atelier_first_response_breached", "=", False)
            & Domain("atelier_first_response_date", "!=", False)
        )
        [[first_response, answered]] = Ticket._read_group(
            created & Domain("atelier_first_response_date", "!=", False),
            [],
            ["atelier_first_response_hours:avg", "__count"],
        )
        met_count = Ticket.search_count(fr_met)
        breached_count = Ticket.search_count(fr_breached)
        # resolution against its SLA, on the tickets closed in the period
        closed = Domain("closed_date", ">=", since) & Domain(
            "stage_id.closed", "=", True
        )
        res_target = closed & Domain("atelier_resolution_deadline", "!=", False)
        res_breached = res_target & Domain("atelier_resolution_breached", "=", True)
        [[resolution, solved]] = Ticket._read_group(
            closed & Domain("atelier_resolution_hours", ">", 0),
            [],
            ["atelier_resolution_hours:avg", "__count"],
        )
        res_total = Ticket.search_count(res_target)
        res_breached_count = Ticket.search_count(res_breached)
        open_breached = Domain("stage_id.closed", "=", False) & Domain(
            "atelier_sla_status", "=", "breached"
        )
        open_breached_count = Ticket.search_count(open_breached)
        fr_total = met_count + breached_count
        return {
            "by_channel": sorted(by_channel.values(), key=lambda r: -r["count"]),
            "kpis": [
                self._kpi(
                    "tickets",
                    _("Tickets opened"),
                    total,
                    str(total),
                    "helpdesk.ticket",
                    created,
                ),
                self._kpi(
                    "first_response",
                    _("First response on time"),
                    100 * met_count / fr_total if fr_total else None,
                    self._percent(met_count, fr_total),
                    "helpdesk.ticket",
                    fr_breached,
                    hint=_(
                        "Average %(time)s, %(count)s late",
                        time=self._hours(first_response if answered else None),
                        count=breached_count,
                    ),
                    tone="danger" if breached_count else "",
                ),
                self._kpi(
                    "resolution",
                    _("Solved on time"),
                    100 * (res_total - res_breached_count) / res_total
                    if res_total
                    else None,
                    self._percent(res_total - res_breached_count, res_total),
                    "helpdesk.ticket",
                    res_breached,
                    hint=_(
                        "Average %(time)s, %(count)s late",
                        time=self._hours(resolution if solved else None),
                        count=res_breached_count,
                    ),
                    tone="danger" if res_breached_count else "",
                ),
                self._kpi(
                    "sla_breached",
                    _("Open tickets past SLA"),
                    open_breached_count,
                    str(open_breached_count),
                    "helpdesk.ticket",
                    open_breached,
                    tone="danger" if open_breached_count else "",
                ),
            ],
        }

    def _bookings_figures(self, since):
        Booking = self.env["atelier.booking"]
        _ = self.env._
        made = Domain("create_date", ">=", since) & Domain(
            "state", "in", ["confirmed", "done", "no_show", "cancelled"]
        )
        by_origin = dict(Booking._read_group(made, ["atelier_booked_by"], ["__count"]))
        online = by_origin.get("client", 0)
        desk = by_origin.get("desk", 0)
        outcome = Domain("start", ">=", since) & Domain(
            "state", "in", ["done", "no_show"]
        )
        outcomes = dict(Booking._read_group(outcome, ["state"], ["__count"]))
        no_show = outcomes.get("no_show", 0)
        seen = no_show + outcomes.get("done", 0)
        return {
            "kpis": [
                self._kpi(
                    "booked_online",
                    _("Booked by clients"),
                    100 * online / (online + desk) if online + desk else None,
                    self._percent(online, online + desk),
                    "atelier.booking",
                    made & Domain("atelier_booked_by", "=", "client"),
                    hint=_(
                        "%(online)s online, %(desk)s by the desk",
                        online=online,
                        desk=desk,
                    ),
                ),
                self._kpi(
                    "no_show",
                    _("No-shows"),
                    100 * no_show / seen if seen else None,
                    self._percent(no_show, seen),
                    "atelier.booking",
                    outcome & Domain("state", "=", "no_show"),
                    hint=_("%(count)s of %(total)s", count=no_show, total=seen),
                    tone="warning" if no_show else "",
                ),
            ]
        }

    def _satisfaction_figures(self, since):
        _ = self.env._
        Ticket = self.env["helpdesk.ticket"]
        Booking = self.env["atelier.booking"]
        rated = {
            Ticket: Domain("closed_date", ">=", since) & Domain("atelier_csat", ">", 0),
            Booking: Domain("stop", ">=", since) & Domain("atelier_csat", ">", 0),
        }
        total_score = 0.0
        ratings = 0
        for model, domain in rated.items():
            [[score, count]] = model._read_group(
                domain, [], ["atelier_csat:sum", "__count"]
            )
            total_score += score or 0.0
            ratings += count
        surveyed = {
            model: Domain("atelier_survey_sent_date", ">=", since)
            & Domain("atelier_survey_state", "in", ["sent", "reminded", "answered"])
            for model in (Ticket, Booking)
        }
        sent = answered = 0
        for model, domain in surveyed.items():
            states = dict(
                model._read_group(domain, ["atelier_survey_state"], ["__count"])
            )
            sent += sum(states.values())
            answered += states.get("answered", 0)
        csat = total_score / ratings if ratings else None
        return {
            "kpis": [
                self._kpi(
                    "csat",
                    _("Satisfaction"),
                    csat,
                    _("%(score)s / 5", score=f"{csat:.1f}") if ratings else "–",
                    "helpdesk.ticket",
                    rated[Ticket],
                    hint=_("%(count)s ratings", count=ratings),
                    tone="danger" if csat is not None and csat < 3 else "",
                ),
                self._kpi(
                    "survey_rate",
                    _("Survey answered"),
                    100 * answered / sent if sent else None,
                    self._percent(answered, sent),
                    "helpdesk.ticket",
                    surveyed[Ticket],
                    hint=_(
                        "%(answered)s of %(sent)s requests (J+2)",
                        answered=answered,
                        sent=sent,
                    ),
                ),
            ]
        }

    # ------------------------------------------------------------------
    # Forecast of next week's calls
    # ------------------------------------------------------------------
    def _forecast(self, now):
        tz_name = self.env.user.tz or "Europe/Paris"
        history, next_monday = self._call_history(now, tz_name, FORECAST_WEEKS)
        weeks = sum(1 for week in history if week is not None)
        grid = forecaster.seasonal_trend_forecast(history)
        hours = [
            hour
            for hour in range(forecaster.HOURS)
            if any(grid[day][hour] >= 0.5 for day in range(forecaster.DAYS))
        ]
        if hours:
            hours = list(range(min(hours), max(hours) + 1))
        days = []
        for day in range(forecaster.DAYS):
            date = next_monday + timedelta(days=day)
            row = [round(grid[day][hour], 1) for hour in hours]
            if sum(row) < 0.5:
                continue
            days.append(
                {
                    "label": format_date(self.env, date, date_format="EEE d MMM"),
                    "values": row,
                    "total": round(sum(grid[day])),
                }
            )
        peak = max((value for day in days for value in day["values"]), default=0)
        return {
            "weeks": weeks,
            "week_start": fields.Date.to_string(next_monday),
            "hours": hours,
            "days": days,
            "total": round(forecaster.week_total(grid)),
            "peak": peak,
        }

    @api.model
    def _call_history(self, now, tz_name, weeks):
        """``(history, next_monday)``: the incoming calls per (weekday, hour)
        of the last ``weeks`` complete weeks (local time), oldest first; the
        weeks before the first call are None (no history, not zero)."""
        tz = pytz.timezone(tz_name)
        today = pytz.utc.localize(now).astimezone(tz).date()
        this_monday = today - timedelta(days=today.weekday())
        first_monday = this_monday - timedelta(weeks=weeks)

        def utc(day):
            local = tz.localize(datetime.combine(day, time.min))
            return local.astimezone(pytz.utc).replace(tzinfo=None)

        self.env["atelier.call"].flush_model(["start_at", "direction"])
        self.env.cr.execute(
            SQL(
                """
                SELECT local::date - %(first)s::date AS day_index,
                       extract(hour FROM local)::int AS hour, count(*)
                  FROM (SELECT start_at AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s
                               AS local
                          FROM atelier_call
                         WHERE direction = 'inbound'
                           AND start_at >= %(start)s AND start_at < %(stop)s) c
                 GROUP BY 1, 2
                """,
                first=first_monday,
                tz=tz_name,
                start=utc(first_monday),
                stop=utc(this_monday),
            )
        )
        history = [forecaster.empty_week() for _week in range(weeks)]
        for day_index, hour, count in self.env.cr.fetchall():
            week, day = divmod(day_index, 7)
            if 0 <= week < weeks:
                history[week][day][hour] += count
        # weeks before the first call are unknown, not quiet
        for index, week in enumerate(history):
            if forecaster.week_total(week):
                break
            history[index] = None
        return history, this_monday + timedelta(weeks=1)

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    @api.model
    def _check_manager(self):
        if not self.env.user.has_group("atelier_base.group_manager"):
            raise AccessError(self.env._("These figures are for managers."))

    @api.model
    def _kpi(self, key, label, value, display, model, domain, hint="", tone=""):
        return {
            "key": key,
            "label": label,
            "value": value,
            "display": display,
            "hint": hint,
            "tone": tone,
            "res_model": model,
            "domain": list(domain),
        }

    @api.model
    def _percent(self, part, total):
        if not total:
            return "–"
        return f"{round(100 * part / total)} %"

    @api.model
    def _hours(self, hours):
        if hours is None:
            return "–"
        minutes = round(hours * 60)
        if minutes < 60:
            return self.env._("%(minutes)s min", minutes=minutes)
        return self.env._(
            "%(hours)s h %(minutes)s",
            hours=minutes // 60,
            minutes=f"{minutes % 60:02d}",
        )
