#!/usr/bin/env python3
# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Error of the call-volume forecast of atelier_desk on generated history.

The history is a desk's incoming calls per hour, generated week by week:
opening hours (Monday to Friday 8-12 and 14-18, Saturday 9-12), a morning
peak, busier Mondays, a steady growth, a few quiet weeks (holidays) and
Poisson noise. Every week after the first ``--warmup`` is forecast from the
weeks before it, with the addon's forecast (seasonal average with a trend,
``addons/atelier_desk/tools/forecast.py``, the code the dashboard runs) and
with the naive baseline "same hour last week"; both are scored against what
happened.

Usage: .venv/bin/python scripts/eval_forecast.py [--weeks 26] [--seeds 5]

MAPE is over the hours with at least one call (it is undefined at zero);
WAPE (sum of errors / sum of calls) covers every hour.
"""

import argparse
import importlib.util
import math
import os
import random
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load_forecast():
    """The addon's forecast module, imported alone (no Odoo needed)."""
    path = os.path.join(ROOT, "addons", "atelier_desk", "tools", "forecast.py")
    spec = importlib.util.spec_from_file_location("atelier_desk_forecast", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# calls per hour at the base level, Monday first (local time)
HOUR_PROFILE = {
    8: 4.0,
    9: 9.0,
    10: 11.0,
    11: 9.0,
    12: 1.0,
    13: 1.5,
    14: 7.0,
    15: 8.0,
    16: 7.0,
    17: 4.0,
}
DAY_FACTOR = [1.35, 1.1, 1.0, 1.0, 0.85, 0.0, 0.0]
SATURDAY = {9: 3.0, 10: 4.0, 11: 3.0}


def poisson(rng, rate):
    """A Poisson draw (Knuth's method for small rates, normal beyond)."""
    if rate <= 0:
        return 0
    if rate > 30:
        return max(0, round(rng.gauss(rate, math.sqrt(rate))))
    limit, product, count = math.exp(-rate), rng.random(), 0
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def generate_history(weeks, seed, growth=0.01):
    """``weeks`` weeks of calls per (weekday, hour)."""
    rng = random.Random(seed)
    quiet = set(rng.sample(range(4, weeks), k=max(1, weeks // 12)))
    history = []
    for week in range(weeks):
        level = (1 + growth) ** week * rng.uniform(0.92, 1.08)
        if week in quiet:
            level *= 0.55  # a holiday week
        days = []
        for day in range(7):
            row = []
            for hour in range(24):
                rate = HOUR_PROFILE.get(hour, 0.0) * DAY_FACTOR[day]
                if day == 5:
                    rate = SATURDAY.get(hour, 0.0)
                rate *= level
                if not rate and 7 <= hour <= 19:
                    rate = 0.1  # a few calls outside opening hours
                row.append(poisson(rng, rate))
            days.append(row)
        history.append(days)
    return history


METHODS = {
    "forecast": "seasonal average + trend (addon)",
    "no_trend": "same, trend off (for comparison)",
    "baseline": "same hour last week (naive)",
}


def evaluate(forecast_module, history, warmup):
    results = {name: [] for name in METHODS}
    for target in range(warmup, len(history)):
        past, actual = history[:target], history[target]
        predictions = {
            "forecast": forecast_module.seasonal_trend_forecast(past),
            "no_trend": forecast_module.seasonal_trend_forecast(past, damping=0),
            "baseline": forecast_module.naive_forecast(past),
        }
        for name, predicted in predictions.items():
            results[name].append(forecast_module.errors(actual, predicted))
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--weeks", type=int, default=26, help="weeks of history")
    parser.add_argument(
        "--growth", type=float, default=0.01, help="weekly growth of the calls"
    )
    parser.add_argument("--warmup", type=int, default=8, help="weeks before scoring")
    parser.add_argument("--seeds", type=int, default=5, help="generated histories")
    args = parser.parse_args()
    forecast = load_forecast()
    print(
        f"{args.seeds} generated histories of {args.weeks} weeks; each week "
        f"after the first {args.warmup} forecast from the weeks before it"
    )
    print(f"{'history':>8} {'method':<34} {'MAPE %':>8} {'WAPE %':>8}")
    totals = {name: [] for name in METHODS}
    labels = METHODS
    for seed in range(1, args.seeds + 1):
        results = evaluate(
            forecast,
            generate_history(args.weeks, seed, growth=args.growth),
            args.warmup,
        )
        for name in METHODS:
            mape = sum(r[0] for r in results[name]) / len(results[name])
            wape = sum(r[1] for r in results[name]) / len(results[name])
            totals[name].append((mape, wape))
            print(f"{seed:>8} {labels[name]:<34} {mape:>8.1f} {wape:>8.1f}")
    print("-" * 62)
    summary = {}
    for name in METHODS:
        mape = sum(t[0] for t in totals[name]) / len(totals[name])
        wape = sum(t[1] for t in totals[name]) / len(totals[name])
        summary[name] = (mape, wape)
        print(f"{'mean':>8} {labels[name]:<34} {mape:>8.1f} {wape:>8.1f}")
    gain = 100 * (1 - summary["forecast"][0] / summary["baseline"][0])
    wape_gain = 100 * (1 - summary["forecast"][1] / summary["baseline"][1])
    print(
        f"forecast error lower than the naive baseline: MAPE -{gain:.0f} %, "
        f"WAPE -{wape_gain:.0f} %"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
