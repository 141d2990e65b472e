# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Call-volume forecast per weekday and hour, in plain Python (no Odoo, no
numpy: ``scripts/eval_forecast.py`` imports this file alone).

A week is a 7 x 24 grid of counts (Monday first, hours 0-23 local time);
a history is a list of weeks, oldest first.

The forecast of next week is a *seasonal average with a trend*:

- the profile: for every (weekday, hour), the average of that slot over the
  last ``weeks`` weeks, recent weeks weighing more (weight ``decay ** age``);
  a week far quieter than the others (a holiday, a closure: under
  ``quiet_ratio`` of their median total) is left out;
- the trend: a least-squares line through the weekly totals of the same
  weeks, extrapolated one week ahead, applied as a factor (damped, bounded)
  to the profile.

The naive baseline it is measured against is "the same hour last week".
"""

DAYS = 7
HOURS = 24


def empty_week(value=0):
    return [[value] * HOURS for _day in range(DAYS)]


def week_total(week):
    return sum(sum(day) for day in week)


def linear_fit(values):
    """(intercept, slope) of the least-squares line through ``values`` at
    x = 0, 1, 2..."""
    count = len(values)
    if count < 2:
        return (values[0] if values else 0.0), 0.0
    mean_x = (count - 1) / 2
    mean_y = sum(values) / count
    sxx = sum((x - mean_x) ** 2 for x in range(count))
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in enumerate(values))
    slope = sxy / sxx if sxx else 0.0
    return mean_y - slope * mean_x, slope


def seasonal_trend_forecast(
    history, weeks=12, decay=0.9, damping=0.5, max_change=0.3, quiet_ratio=0.7
):
    """Next week's expected count per (weekday, hour) from ``history``.

    ``weeks``: how many recent weeks are used; ``decay``: weight of a week
    relative to the next one; ``damping``: share of the fitted trend kept;
    ``max_change``: bound of the trend factor (+/- 30 % by default).
    Returns a 7 x 24 grid of floats (all zero without history).
    """
    recent = [week for week in history[-weeks:] if week is not None]
    if not recent:
        return empty_week(0.0)
    recent = drop_quiet_weeks(recent, quiet_ratio)
    count = len(recent)
    weights = [decay ** (count - 1 - index) for index in range(count)]
    total_weight = sum(weights)
    profile = empty_week(0.0)
    for weight, week in zip(weights, recent, strict=True):
        for day in range(DAYS):
            row = profile[day]
            for hour in range(HOURS):
                row[hour] += weight * week[day][hour]
    for day in range(DAYS):
        profile[day] = [value / total_weight for value in profile[day]]
    factor = trend_factor(recent, weights, damping, max_change)
    return [[value * factor for value in day] for day in profile]


def drop_quiet_weeks(weeks, ratio):
    """``weeks`` without those whose total is under ``ratio`` times the
    median total (the last week is always kept when it is the only one)."""
    totals = sorted(week_total(week) for week in weeks)
    middle = len(totals) // 2
    median = (
        totals[middle] if len(totals) % 2 else (totals[middle - 1] + totals[middle]) / 2
    )
    kept = [week for week in weeks if week_total(week) >= ratio * median]
    return kept or weeks[-1:]


def trend_factor(recent, weights, damping=0.5, max_change=0.3):
    """Ratio of next week's total on the fitted line to the weighted average
    total that the profile stands for, damped and bounded."""
    totals = [week_total(week) for week in recent]
    if len(totals) < 3:
        return 1.0
    intercept, slope = linear_fit(totals)
    expected = intercept + slope * len(totals)
    level = sum(w * t for w, t in zip(weights, totals, strict=True)) / sum(weights)
    if level <= 0 or expected <= 0:
        return 1.0
    factor = 1 + damping * (expected / level - 1)
    return min(max(factor, 1 - max_change), 1 + max_change)


def naive_forecast(history):
    """The baseline: next week is the same as the last one."""
    if not history or history[-1] is None:
        return empty_week(0.0)
    return [[float(value) for value in day] for day in history[-1]]


def errors(actual, forecast):
    """``(mape, wape, slots)``: the mean absolute percentage error over the
    slots with at least one call (MAPE is undefined at zero), the weighted
    absolute percentage error over all slots (sum of errors / sum of
    calls), both in %, and how many slots the MAPE covers."""
    percentages = []
    abs_error = 0.0
    total = 0.0
    for day in range(DAYS):
        for hour in range(HOURS):
            real = actual[day][hour]
            error = abs(real - forecast[day][hour])
            abs_error += error
            total += real
            if real > 0:
                percentages.append(error / real)
    mape = 100 * sum(percentages) / len(percentages) if percentages else 0.0
    wape = 100 * abs_error / total if total else 0.0
    return mape, wape, len(percentages)
