# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Availability engine: pure functions on time intervals.

Nothing here imports Odoo. Intervals are ``(start, stop)`` pairs of naive
datetimes in UTC (the way Odoo stores ``Datetime`` fields), half-open:
``start <= t < stop``. Working hours are described in the technician's local
wall time and converted to UTC day by day, so that the Europe/Paris DST
changes give 08:00 local on both sides of the change.
"""

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class InvalidTimezone(ValueError):
    """Raised for a time zone name that the tz database does not know."""


@dataclass(frozen=True)
class Attendance:
    """One line of working hours: ``dayofweek`` 0 = Monday, hours as floats
    (8.5 = 08:30), ``week_type`` 0/1 for two-week calendars, else None."""

    dayofweek: int
    hour_from: float
    hour_to: float
    week_type: int | None = None


@dataclass
class TechnicianAgenda:
    """What the engine needs to know about one technician."""

    tz: str
    attendances: list[Attendance]
    two_weeks: bool = False
    leaves: list[tuple[datetime, datetime]] = field(default_factory=list)
    busy: list[tuple[datetime, datetime]] = field(default_factory=list)


@dataclass(frozen=True)
class SlotRules:
    """Rules of an appointment type, all durations as timedelta."""

    duration: timedelta
    step: timedelta
    buffer_before: timedelta = timedelta(0)
    buffer_after: timedelta = timedelta(0)
    min_notice: timedelta = timedelta(0)
    max_horizon: timedelta = timedelta(days=60)


# ----------------------------------------------------------------------
# Time zones
# ----------------------------------------------------------------------
def get_zone(name):
    """ZoneInfo for ``name``; InvalidTimezone for garbage (never KeyError)."""
    if not name or not isinstance(name, str) or len(name) > 64:
        raise InvalidTimezone(f"Unknown time zone: {name!r}")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidTimezone(f"Unknown time zone: {name!r}") from exc


def local_to_utc(day, hours, zone):
    """UTC naive datetime of the wall-clock time ``hours`` on ``day`` in
    ``zone``. A wall time inside the spring-forward gap is moved forward (the
    clock jumps from 02:00 to 03:00, so 02:30 does not exist: 03:30 is used);
    an ambiguous autumn time takes its first occurrence."""
    if hours >= 24:
        wall = datetime.combine(day + timedelta(days=1), time())
    else:
        minutes = round(hours * 60)
        wall = datetime.combine(day, time(minutes // 60, minutes % 60))
    # PEP 495: fold=0 reads a time in the gap with the offset in force before
    # the change (so it lands after the jump) and an ambiguous time as its
    # first occurrence
    aware = wall.replace(tzinfo=zone, fold=0)
    return aware.astimezone(timezone.utc).replace(tzinfo=None)


def utc_to_local(value, zone):
    """Aware local datetime for a UTC naive datetime."""
    return value.replace(tzinfo=timezone.utc).astimezone(zone)


def is_repeated_hour(local):
    """Whether the wall time of the aware local datetime ``local`` happens
    twice that day (the autumn change: 02:30 CEST, then 02:30 CET)."""
    naive = local.replace(tzinfo=None)
    zone = local.tzinfo
    return (
        naive.replace(tzinfo=zone, fold=0).utcoffset()
        != naive.replace(tzinfo=zone, fold=1).utcoffset()
    )


def offset_label(local):
    """The UTC offset of an aware datetime: "UTC+2", "UTC-5", "UTC+5:30"."""
    minutes = int(local.utcoffset().total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, minutes = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{minutes:02d}" if minutes else "")


def time_label(value, zone, fmt="%H:%M"):
    """Local wall time of the UTC naive ``value``, with its UTC offset when
    that wall time happens twice that day, so that the two are told apart."""
    local = utc_to_local(value, zone)
    label = local.strftime(fmt)
    if is_repeated_hour(local):
        label = f"{label} ({offset_label(local)})"
    return label


def local_day_bounds(day, zone):
    """UTC interval covering the local calendar day ``day`` (23 or 25 hours
    on DST change days)."""
    return local_to_utc(day, 0, zone), local_to_utc(day + timedelta(days=1), 0, zone)


# ----------------------------------------------------------------------
# Intervals
# ----------------------------------------------------------------------
def merge(intervals: Iterable[tuple[datetime, datetime]]):
    """Sorted union of intervals; empty ones dropped, touching ones joined."""
    result = []
    for start, stop in sorted(i for i in intervals if i[0] < i[1]):
        if result and start <= result[-1][1]:
            if stop > result[-1][1]:
                result[-1] = (result[-1][0], stop)
        else:
            result.append((start, stop))
    return result


def subtract(base, removals):
    """``base`` minus ``removals`` (both any iterables), sorted and merged."""
    removals = merge(removals)
    result = []
    for start, stop in merge(base):
        cursor = start
        idx = max(bisect_left(removals, (start,)) - 1, 0)
        while idx < len(removals) and removals[idx][0] < stop:
            r_start, r_stop = removals[idx]
            if r_stop > cursor:
                if r_start > cursor:
                    result.append((cursor, min(r_start, stop)))
                cursor = max(cursor, r_stop)
                if cursor >= stop:
                    break
            idx += 1
        if cursor < stop:
            result.append((cursor, stop))
    return result


def overlaps(merged, start, stop):
    """Whether [start, stop) meets any interval of the sorted merged list."""
    idx = bisect_left(merged, (start,))
    if idx > 0 and merged[idx - 1][1] > start:
        return True
    return idx < len(merged) and merged[idx][0] < stop


# ----------------------------------------------------------------------
# Working hours
# ----------------------------------------------------------------------
def week_type(day):
    """Parity of the week of ``day``, as Odoo's two-week calendars count it."""
    return ((day.toordinal() - 1) // 7) % 2


def working_intervals(agenda: TechnicianAgenda, first_day: date, last_day: date):
    """UTC intervals of work from ``first_day`` to ``last_day`` included, from
    the attendances read in the technician's local wall time."""
    zone = get_zone(agenda.tz)
    by_day = {}
    for att in agenda.attendances:
        by_day.setdefault(att.dayofweek, []).append(att)
    intervals = []
    day = first_day
    while day <= last_day:
        parity = week_type(day)
        for att in by_day.get(day.weekday(), ()):
            if (
                agenda.two_weeks
                and att.week_type is not None
                and att.week_type != parity
            ):
                continue
            if att.hour_to <= att.hour_from:
                continue
            intervals.append(
                (
                    local_to_utc(day, att.hour_from, zone),
                    local_to_utc(day, att.hour_to, zone),
                )
            )
        day += timedelta(days=1)
    return merge(intervals)


# ----------------------------------------------------------------------
# Slots
# ----------------------------------------------------------------------
def window(now, rules: SlotRules):
    """Earliest and latest start allowed at ``now`` (UTC naive)."""
    return now + rules.min_notice, now + rules.max_horizon


def free_slots(work, busy, rules: SlotRules, earliest, latest):
    """Starts (UTC naive) of free slots.

    A slot lies inside one ``work`` interval; the slot widened by the buffers
    (the range it blocks) must not meet ``busy``. Starts step from the start
    of each working interval; only starts in ``[earliest, latest]`` count.
    """
    busy = merge(busy)
    step = rules.step if rules.step > timedelta(0) else rules.duration
    slots = []
    for w_start, w_stop in merge(work):
        start = w_start
        if start < earliest:
            # jump to the first step at or after the earliest start
            missing = earliest - start
            start += step * -(-missing // step)
        while start + rules.duration <= w_stop and start <= latest:
            if not overlaps(
                busy,
                start - rules.buffer_before,
                start + rules.duration + rules.buffer_after,
            ):
                slots.append(start)
            start += step
    return slots


def compute_availability(agendas, rules: SlotRules, now, date_from=None, date_to=None):
    """Free slots for several technicians at once.

    ``agendas``: {key: TechnicianAgenda}; ``now``: UTC naive; optional
    ``date_from``/``date_to`` (UTC naive) narrow the notice/horizon window.
    Returns {key: [UTC naive starts]}.
    """
    earliest, latest = window(now, rules)
    if date_from and date_from > earliest:
        earliest = date_from
    if date_to and date_to < latest:
        latest = date_to
    result = {}
    if earliest > latest:
        return {key: [] for key in agendas}
    for key, agenda in agendas.items():
        zone = get_zone(agenda.tz)
        first_day = utc_to_local(earliest, zone).date()
        last_day = utc_to_local(latest + rules.duration, zone).date()
        work = working_intervals(agenda, first_day, last_day)
        work = subtract(work, agenda.leaves)
        result[key] = free_slots(work, agenda.busy, rules, earliest, latest)
    return result


def blocked_range(start, rules: SlotRules):
    """The range a booking starting at ``start`` keeps its technician busy."""
    return start - rules.buffer_before, start + rules.duration + rules.buffer_after


def pick_least_loaded(candidates, load):
    """The candidate with the fewest bookings; ties broken by the smallest
    key so the choice is stable."""
    if not candidates:
        return None
    return min(candidates, key=lambda key: (load.get(key, 0), key))


def merge_slots(per_technician):
    """{start: [technician keys]} sorted by start, for "any technician"."""
    merged = {}
    for key, starts in per_technician.items():
        for start in starts:
            merged.setdefault(start, []).append(key)
    return dict(sorted(merged.items()))
