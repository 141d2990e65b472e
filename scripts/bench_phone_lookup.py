#!/usr/bin/env python3
"""Caller lookup benchmark: Atelier's phone index vs plain Odoo.

Builds N contacts (1,000,000 by default) at SQL level with French mobile
numbers typed in six mixed formats, builds the phone index through its real
code path, then for 1,000 incoming E.164 numbers compares, in the same run:

* ``res.partner._atelier_find_by_phone(number)`` (exact match on the index);
* plain Odoo 19: ``search([("phone_mobile_search", "=", number)])``.

Prints, for each, the share of callers found and p50/p95 latency.
Targets (ARCHITECTURE/issue #2): 100 % found, p95 under 2 ms.

Usage: .venv/bin/python scripts/bench_phone_lookup.py [--contacts N] [--db NAME]
The database (default atelier_bench_phone) is created with atelier_base if
missing and dropped at the end unless --keep.
"""

import argparse
import random
import statistics
import subprocess
import sys
import time

from _bench_common import ODOO_SRC, config_args, db_exists, install_db

FORMATS = (
    "0{a} {b} {c} {d} {e}",  # 06 12 34 56 78
    "0{a}.{b}.{c}.{d}.{e}",  # 06.12.34.56.78
    "+33 {a} {b} {c} {d} {e}",  # +33 6 12 34 56 78
    "+33 (0){a} {b} {c} {d} {e}",  # +33 (0)6 12 34 56 78
    "0033{a}{b}{c}{d}{e}",  # 0033612345678
    "{a}{b}{c}{d}{e}",  # 612345678 (country FR)
)


def number_of(i):
    """The i-th subscriber: a distinct, valid French mobile (06 10 00 00 00 …)."""
    return str(610_000_000 + i)


def formatted(i):
    d = number_of(i)
    parts = {"a": d[0], "b": d[1:3], "c": d[3:5], "d": d[5:7], "e": d[7:9]}
    return FORMATS[i % len(FORMATS)].format(**parts)


def percentile(values, pct):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--lookups", type=int, default=1000)
    parser.add_argument("--db", default="atelier_bench_phone")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()

    if not db_exists(args.db):
        install_db(args.db, "atelier_base")
    sys.path.insert(0, ODOO_SRC)
    import odoo
    from odoo.modules.registry import Registry
    from odoo.tools import SQL, config

    config.parse_config(config_args(args.db))
    registry = Registry(args.db)
    try:
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            fr = env.ref("base.fr")
            env.company.country_id = fr
            cr.execute(SQL("SELECT count(*) FROM res_partner WHERE ref = 'bench'"))
            have = cr.fetchone()[0]
            if have < args.contacts:
                print(f"inserting {args.contacts - have:,} contacts …", flush=True)
                start = time.perf_counter()
                for lo in range(have, args.contacts, 50_000):
                    hi = min(lo + 50_000, args.contacts)
                    rows = SQL(", ").join(
                        SQL(
                            "(%s, %s, %s, %s, true, 'contact', false, %s, 'bench',"
                            " now(), now())",
                            f"Client {i}",
                            f"Client {i}",
                            formatted(i),
                            fr.id,
                            env.company.id,
                        )
                        for i in range(lo, hi)
                    )
                    cr.execute(
                        SQL(
                            "INSERT INTO res_partner (name, complete_name, phone,"
                            " country_id, active, type, is_company, company_id, ref,"
                            " create_date, write_date) VALUES %s",
                            rows,
                        )
                    )
                cr.commit()
                print(f"  done in {time.perf_counter() - start:.1f}s", flush=True)
                print("building the phone index (real code path) …", flush=True)
                start = time.perf_counter()
                total = env["atelier.phone.index"]._rebuild_all()
                cr.commit()
                cr.execute(SQL("ANALYZE atelier_phone_index"))
                cr.execute(SQL("ANALYZE res_partner"))
                elapsed = time.perf_counter() - start
                print(
                    f"  {total:,} numbers indexed in {elapsed:.1f}s "
                    f"({total / elapsed:,.0f}/s)",
                    flush=True,
                )
            cr.execute(SQL("SELECT count(*) FROM res_partner"))
            n_partners = cr.fetchone()[0]

            rng = random.Random(42)
            sample = rng.sample(range(args.contacts), args.lookups)
            cr.execute(
                SQL(
                    "SELECT name, id FROM res_partner"
                    " WHERE ref = 'bench' AND name = ANY(%s)",
                    [f"Client {i}" for i in sample],
                )
            )
            ids = dict(cr.fetchall())
            calls = [(f"+33{number_of(i)}", ids[f"Client {i}"]) for i in sample]
            Partner = env["res.partner"]

            def run(label, lookup, cold=False):
                # warm-up, then measure
                for number, _pid in calls[:20]:
                    lookup(number)
                timings, found = [], 0
                for number, pid in calls:
                    if cold:
                        # what a new request pays: no record in the cache
                        env.invalidate_all()
                    start = time.perf_counter()
                    result = lookup(number)
                    timings.append((time.perf_counter() - start) * 1000)
                    found += pid in result.ids
                return {
                    "label": label + (" (cold cache)" if cold else ""),
                    "found": found / len(calls) * 100,
                    "p50": statistics.median(timings),
                    "p95": percentile(timings, 95),
                }

            def plain(number):
                return Partner.search([("phone_mobile_search", "=", number)])

            results = [
                run("atelier _atelier_find_by_phone", Partner._atelier_find_by_phone),
                run("plain Odoo phone_mobile_search", plain),
                run(
                    "atelier _atelier_find_by_phone",
                    Partner._atelier_find_by_phone,
                    cold=True,
                ),
                run("plain Odoo phone_mobile_search", plain, cold=True),
            ]
            cr.rollback()
    finally:
        odoo.sql_db.close_db(args.db)

    print()
    print(f"contacts in database: {n_partners:,}; lookups: {len(calls):,} (E.164)")
    print("warm: records cache kept between lookups (one env); cold: emptied")
    print(f"{'method':47} {'found':>8} {'p50 ms':>9} {'p95 ms':>9}")
    for r in results:
        print(f"{r['label']:47} {r['found']:7.1f}% {r['p50']:9.3f} {r['p95']:9.3f}")
    ok = results[0]["found"] == 100 and results[0]["p95"] < 2
    print(f"target (100% found, p95 < 2 ms): {'met' if ok else 'NOT met'}")
    if not args.keep:
        subprocess.run(["dropdb", "--if-exists", args.db], check=False)


if __name__ == "__main__":
    main()
