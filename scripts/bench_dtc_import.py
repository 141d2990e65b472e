#!/usr/bin/env python3
"""Trouble-code import benchmark: the full OBDex dataset through the wizard.

Creates a throw-away database with atelier_dtc (default atelier_bench_dtc),
imports every ``data/generic/*.yaml`` file of the OBDex folder given as
argument through ``atelier.dtc.import._import_content`` (the wizard's code
path: parse, then SQL upsert by 1,000), and prints the time, codes per second,
peak memory (RSS of the process) and whether every code of the files is in
the database. A second pass re-imports everything (all updates, no duplicate).

Usage: .venv/bin/python scripts/bench_dtc_import.py ../shared/data/obdex [--keep]
Needs PyYAML in the Odoo environment. Exit status 1 when the count is wrong.
"""

import argparse
import pathlib
import re
import resource
import subprocess
import sys
import time

from _bench_common import ODOO_SRC, config_args, install_db

CODE_LINE = re.compile(r"^- code:\s*([PCBU][0-9A-F]{4})\s*$", re.M)


def create_db(db):
    subprocess.run(["dropdb", "--if-exists", db], check=True)
    install_db(db, "atelier_dtc")


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("obdex", help="the OBDex folder (README, schema, data)")
    parser.add_argument("--db", default="atelier_bench_dtc")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()

    files = sorted(pathlib.Path(args.obdex, "data", "generic").glob("*.yaml"))
    if not files:
        sys.exit(f"no data/generic/*.yaml under {args.obdex}")
    contents = [(f.name, f.read_bytes()) for f in files]
    expected = set()
    for _name, content in contents:
        expected.update(CODE_LINE.findall(content.decode("utf-8")))
    size_mb = sum(len(c) for _n, c in contents) / 1e6
    print(f"{len(files)} files, {size_mb:.1f} MB, {len(expected)} distinct codes")

    create_db(args.db)
    sys.path.insert(0, ODOO_SRC)
    import odoo
    from odoo.modules.registry import Registry
    from odoo.sql_db import close_db
    from odoo.tools import config

    config.parse_config(config_args(args.db))
    registry = Registry(args.db)
    ok = True
    try:
        for label in ("first import", "re-import"):
            with registry.cursor() as cr:
                env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
                wizard = env["atelier.dtc.import"].create(
                    {"data_file": b"W10=", "filename": "obdex.yaml"}
                )
                rss_before = peak_rss_mb()
                began = time.perf_counter()
                totals = {"created_count": 0, "updated_count": 0, "skipped_count": 0}
                for _name, content in contents:
                    stats = wizard._import_content(content, "yaml")
                    for key in totals:
                        totals[key] += stats[key]
                elapsed = time.perf_counter() - began
                cr.execute(
                    "SELECT count(*) FROM atelier_dtc WHERE code = ANY(%s)",
                    [sorted(expected)],
                )
                stored = cr.fetchone()[0]
                cr.execute("SELECT count(*) FROM atelier_dtc")
                total = cr.fetchone()[0]
                cr.commit()
            done = totals["created_count"] + totals["updated_count"]
            print(
                f"{label}: {elapsed:.2f} s, {done / elapsed:,.0f} codes/s, "
                f"created {totals['created_count']}, "
                f"updated {totals['updated_count']}, "
                f"skipped {totals['skipped_count']}; peak RSS {peak_rss_mb():.0f} MB "
                f"(before: {rss_before:.0f} MB)"
            )
            print(
                f"  in database: {stored}/{len(expected)} codes of the files, "
                f"{total} in all"
            )
            ok = ok and stored == len(expected)
    finally:
        Registry.delete(args.db)
        close_db(args.db)
        if not args.keep:
            subprocess.run(["dropdb", "--if-exists", args.db], check=False)
    print("count check:", "OK" if ok else "FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
