# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Chart scales and the report's charts (matplotlib, rendered on the server).

One chart per measure, each with its own unit and a sensible scale: a narrow
band (13.9-14.1 V) stays a flat line on a sane range instead of a zigzag at
full height; every chart of a report shares the same time axis and the same
margins, so they line up one under the other.
"""

import io
from datetime import datetime, timezone

import matplotlib

matplotlib.use("Agg")  # no display on a server; set before any figure

# pylint: disable=wrong-import-position
import matplotlib.dates as mdates  # noqa: E402
import pytz  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

# The smallest span a chart of this unit shows: a change smaller than this is
# noise for a mechanic (0.2 V on a 14 V charging voltage: 2 V covers a healthy
# charging range, 13.5 to 14.8 V), not a trend.
MIN_SPAN = {
    "rpm": 500.0,
    "km/h": 20.0,
    "°C": 10.0,
    "%": 10.0,
    "V": 2.0,
    "g/s": 5.0,
    "kPa": 10.0,
    "L/h": 2.0,
    "°": 5.0,
    "km": 10.0,
    "s": 60.0,
}
# Decimals shown for a value of this unit (report tables and axes)
DIGITS = {
    "rpm": 0,
    "km/h": 0,
    "°C": 0,
    "%": 0,
    "V": 2,
    "g/s": 1,
    "kPa": 0,
    "L/h": 1,
    "°": 1,
    "km": 0,
    "s": 0,
}
PADDING = 0.08  # of the span, above and below the data
COLOR = "#1f5f9e"


def digits(unit):
    return DIGITS.get(unit, 2)


def axis_range(values, unit, limits=None):
    """``(low, high)`` of a chart's value axis: the data, at least
    ``MIN_SPAN[unit]`` wide, padded, kept within the measure's ``limits``
    (what the sensor can report: no negative speed, no 130 % load)."""
    if not values:
        return 0.0, 1.0
    low, high = min(values), max(values)
    span = high - low
    minimum = max(MIN_SPAN.get(unit, 1.0), abs(high) * 0.02)
    if span < minimum:
        middle = (low + high) / 2
        low, high = middle - minimum / 2, middle + minimum / 2
        span = minimum
    low -= span * PADDING
    high += span * PADDING
    if limits:
        floor, ceiling = limits
        low, high = max(low, floor), min(high, ceiling)
    return low, high


def format_number(value, places=0, decimal_point=".", thousands=" ", strip=False):
    """``value`` in the reader's language: 3 500, 13,8 (``strip``: no trailing
    zeros, 14 rather than 14,00)."""
    text = f"{value:,.{places}f}"
    if strip and "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", "-0.0"):
        text = text[1:]
    return (
        text.replace(",", "\x00").replace(".", decimal_point).replace("\x00", thousands)
    )


def number_formatter(decimal_point=".", thousands=" ", places=2):
    """Tick labels: 3 500 rpm, 13,75 V."""

    def fmt(value, _position=None):
        return format_number(value, places, decimal_point, thousands, strip=True)

    return fmt


def render_chart(
    points,
    unit,
    *,
    y_range,
    x_range,
    tz="UTC",
    decimal_point=".",
    thousands=" ",
    size=(7.2, 1.55),
):
    """One measure as an SVG (``str``): ``points`` are ``[epoch ms, value]``,
    ``x_range`` the session's ``(first, last)`` epoch ms shared by every chart,
    ``y_range`` from :func:`axis_range`. Times in ``tz``."""
    zone = pytz.timezone(tz or "UTC")
    figure = Figure(figsize=size, dpi=100)
    # fixed margins, not tight_layout: every chart's plot area is the same
    figure.subplots_adjust(left=0.09, right=0.985, top=0.95, bottom=0.2)
    axes = figure.add_subplot()
    times = [_utc(ms) for ms, _value in points]
    values = [value for _ms, value in points]
    axes.plot(times, values, color=COLOR, linewidth=1.1)
    axes.set_xlim(_utc(x_range[0]), _utc(x_range[1]))
    axes.set_ylim(*y_range)
    axes.yaxis.set_major_locator(MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10]))
    axes.yaxis.set_major_formatter(
        FuncFormatter(number_formatter(decimal_point, thousands))
    )
    axes.set_ylabel(unit, fontsize=8)
    locator = mdates.AutoDateLocator(tz=zone, minticks=6, maxticks=12)
    axes.xaxis.set_major_locator(locator)
    seconds = (x_range[1] - x_range[0]) / 1000
    axes.xaxis.set_major_formatter(
        mdates.DateFormatter("%H:%M:%S" if seconds < 180 else "%H:%M", tz=zone)
    )
    axes.tick_params(labelsize=7.5, length=3, color="#888888")
    axes.grid(True, color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        axes.spines[side].set_color("#888888")
    buffer = io.StringIO()
    # text stays text (searchable, copyable in the PDF), in the report's font
    with matplotlib.rc_context({"svg.fonttype": "none", "font.family": "DejaVu Sans"}):
        figure.savefig(buffer, format="svg")
    return buffer.getvalue()


def _utc(ms):
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc)
