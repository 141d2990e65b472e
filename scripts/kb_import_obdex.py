#!/usr/bin/env python3
"""Import the OBDex trouble codes into an existing database, as the English
base of the knowledge base (the import wizard's code path: our own texts are
kept, only missing languages are filled in).

Usage: .venv/bin/python scripts/kb_import_obdex.py --db atelier ../shared/data/obdex

Does nothing (exit 0) when the folder has no data/generic/*.yaml: the suite
never depends on that folder. Needs atelier_dtc installed in the database
(atelier_knowledge adds the symptoms and refreshes the search vocabulary).
"""

import argparse
import pathlib
import sys
import time

from _bench_common import ODOO_SRC, config_args


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("obdex", help="the OBDex folder (README, schema, data)")
    parser.add_argument("--db", required=True)
    args = parser.parse_args()
    files = sorted(pathlib.Path(args.obdex, "data", "generic").glob("*.yaml"))
    if not files:
        print(f"no OBDex files under {args.obdex}: nothing imported")
        return 0
    sys.path.insert(0, ODOO_SRC)
    import odoo
    from odoo.modules.registry import Registry
    from odoo.tools import config

    config.parse_config(config_args(args.db))
    registry = Registry(args.db)
    began = time.perf_counter()
    totals = {"created_count": 0, "updated_count": 0, "skipped_count": 0}
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        wizard = env["atelier.dtc.import"].create(
            {"data_file": b"W10=", "filename": "obdex.yaml"}
        )
        for path in files:
            stats = wizard._import_content(path.read_bytes(), "yaml")
            for key in totals:
                totals[key] += stats[key]
    print(
        f"OBDex: {totals['created_count']} codes created, {totals['updated_count']} "
        f"updated, {totals['skipped_count']} skipped in "
        f"{time.perf_counter() - began:.1f}s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
