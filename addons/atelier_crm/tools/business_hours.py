# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""When a step may go out: the first business-hour moment at or after a
due time, in the contact's time zone."""

import bisect
from datetime import timedelta

import pytz

HORIZON_DAYS = 45


def zone(name, default="Europe/Paris"):
    try:
        return pytz.timezone(name or default)
    except pytz.UnknownTimeZoneError:
        return pytz.timezone(default)


class OpenHours:
    """Business-hour intervals of one calendar read in one time zone, as
    sorted naive UTC (start, stop) pairs; ``first_open`` is a bisect."""

    def __init__(self, intervals):
        self.intervals = sorted(intervals)
        self.stops = [stop for _start, stop in self.intervals]

    @classmethod
    def from_calendar(cls, calendar, tz_name, start_utc, days=HORIZON_DAYS):
        tz = zone(tz_name)
        start = pytz.utc.localize(start_utc - timedelta(days=1))
        stop = pytz.utc.localize(start_utc + timedelta(days=days))
        found = calendar._work_intervals_batch(start, stop, tz=tz)[False]
        return cls(
            (
                begin.astimezone(pytz.utc).replace(tzinfo=None),
                end.astimezone(pytz.utc).replace(tzinfo=None),
            )
            for begin, end, _records in found
        )

    def first_open(self, when):
        """``when`` if it falls in business hours, else the next opening;
        None past the horizon."""
        index = bisect.bisect_right(self.stops, when)
        if index >= len(self.intervals):
            return None
        start, _stop = self.intervals[index]
        return max(start, when)
