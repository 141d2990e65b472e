#!/usr/bin/env python3
# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark of the CTI events endpoint and of the caller lookup.

1. Seeds N contacts at SQL level (half with numbers typed in international
   form, half in French national form) and their phone-index rows.
2. Creates (SQL) a line ``bench`` with a known secret, rate limit off.
3. Posts C concurrent signed ``ringing`` events to a RUNNING Odoo (released
   together by a barrier), plus concurrent duplicate deliveries of some of
   them, and reports p50/p95 latency, the status codes, and checks that every
   duplicate got the same answer and stored one event.
4. In-process (Odoo as a library), compares the found share and the time of
   ``res.partner._atelier_find_by_phone`` (the E.164 index) with a plain
   ``phone_mobile_search`` domain, for numbers given in E.164.

Only loopback URLs are accepted. Example:

    .venv/bin/python /opt/odoo/19.0/odoo-bin -c /tmp/dev.conf -d bench \
        --http-port=8171 &                      # a running Odoo with atelier_cti
    .venv/bin/python scripts/bench_cti.py -c /tmp/dev.conf -d bench \
        --url http://127.0.0.1:8171 --contacts 1000000
"""

import argparse
import hashlib
import hmac
import json
import os
import random
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from urllib.parse import urlsplit

import psycopg2
import requests

BENCH_REF = "atelier-bench"
LINE_CODE = "bench"
SECRET = "bench-secret-0123456789abcdef"
FIRST = 10_000_000  # 06 10 00 00 00: every number is a valid French mobile


def e164(index):
    return f"+336{FIRST + index:08d}"


def seed(conn, count):
    with conn.cursor() as cr:
        cr.execute("SELECT count(*) FROM res_partner WHERE ref = %s", (BENCH_REF,))
        have = cr.fetchone()[0]
        if have >= count:
            print(f"seed: {have} bench contacts already there")
            return
        cr.execute("SELECT id FROM res_country WHERE code = 'FR'")
        france = cr.fetchone()[0]
        started = time.monotonic()
        # even: "+33 6 10 00 00 02" (international), odd: "06 10 00 00 01" (national)
        cr.execute(
            r"""
            WITH src AS (
                SELECT i, regexp_replace(lpad((%(first)s + i)::text, 8, '0'),
                                         '(..)(..)(..)(..)', '\1 \2 \3 \4') AS digits
                FROM generate_series(%(start)s, %(stop)s) AS i
            ), partners AS (
                INSERT INTO res_partner (name, complete_name, ref, phone, country_id,
                    active, type, is_company, create_date, write_date)
                SELECT 'Bench ' || i, 'Bench ' || i, %(ref)s,
                    CASE WHEN i %% 2 = 0 THEN '+33 6 ' ELSE '06 ' END || digits,
                    %(fr)s, true, 'contact', false,
                    now() at time zone 'UTC', now() at time zone 'UTC'
                FROM src
                RETURNING id, phone
            )
            INSERT INTO atelier_phone_index (partner_id, field_name, number, e164,
                create_date, write_date)
            SELECT id, 'phone', phone,
                '+336' || right(regexp_replace(phone, '\D', '', 'g'), 8),
                now() at time zone 'UTC', now() at time zone 'UTC'
            FROM partners
            """,
            {
                "ref": BENCH_REF,
                "first": FIRST,
                "fr": france,
                "start": have,
                "stop": count - 1,
            },
        )
        conn.commit()
        cr.execute("ANALYZE res_partner")
        cr.execute("ANALYZE atelier_phone_index")
        conn.commit()
        print(f"seed: {count - have} contacts in {time.monotonic() - started:.1f}s")


def ensure_line(conn):
    with conn.cursor() as cr:
        cr.execute("SELECT id FROM atelier_cti_line WHERE code = %s", (LINE_CODE,))
        row = cr.fetchone()
        if row:
            cr.execute(
                "UPDATE atelier_cti_line SET secret = %s, rate_limit = 1000000, "
                "active = true WHERE id = %s",
                (SECRET, row[0]),
            )
        else:
            cr.execute(
                """
                INSERT INTO atelier_cti_line (name, code, provider, secret, rate_limit,
                    active, sequence, numbers, owner_id, create_date, write_date)
                VALUES ('Bench', %s, 'bench', %s, 1000000, true, 99, '+33472000000',
                    2, now() at time zone 'UTC', now() at time zone 'UTC')
                """,
                (LINE_CODE, SECRET),
            )
        conn.commit()


def post(url, payload):
    body = json.dumps(payload).encode()
    timestamp = str(int(time.time()))
    mac = hmac.new(SECRET.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    headers = {
        "Content-Type": "application/json",
        "X-Atelier-Line": LINE_CODE,
        "X-Atelier-Timestamp": timestamp,
        "X-Atelier-Signature": "sha256=" + mac.hexdigest(),
    }
    started = time.monotonic()
    response = requests.post(url, data=body, headers=headers, timeout=60)
    elapsed = time.monotonic() - started
    try:
        answer = response.json()
    except ValueError:
        answer = {"raw": response.text[:200]}
    return response.status_code, elapsed, answer


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def bench_events(conn, base_url, contacts, concurrency, duplicates):
    url = base_url.rstrip("/") + "/atelier/cti/v1/events"
    rng = random.Random(42)
    now = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    events = [
        {
            "event_id": uuid.uuid4().hex,
            "event": "ringing",
            "call_id": uuid.uuid4().hex,
            "from": e164(rng.randrange(contacts)),
            "to": "+33472000000",
            "at": now,
        }
        for _ in range(concurrency)
    ]
    # the same events delivered twice at the same moment
    deliveries = events + events[:duplicates]
    barrier = threading.Barrier(len(deliveries))

    def deliver(payload):
        barrier.wait()
        return payload["event_id"], *post(url, payload)

    with ThreadPoolExecutor(max_workers=len(deliveries)) as pool:
        results = list(pool.map(deliver, deliveries))
    statuses = {}
    answers = {}
    inconsistent = 0
    for event_id, status, _elapsed, answer in results:
        statuses[status] = statuses.get(status, 0) + 1
        if event_id in answers and answers[event_id] != answer:
            inconsistent += 1
        answers.setdefault(event_id, answer)
    latencies = [elapsed for _id, status, elapsed, _a in results if status == 200]
    with conn.cursor() as cr:
        cr.execute(
            "SELECT count(*), count(DISTINCT event_id) FROM atelier_call_event "
            "WHERE event_id = ANY(%s)",
            ([e["event_id"] for e in events],),
        )
        stored, distinct = cr.fetchone()
    found = sum(1 for a in answers.values() if a.get("partner_ids"))
    print(
        f"\nevents: {len(deliveries)} concurrent deliveries "
        f"({concurrency} events + {duplicates} duplicates)"
    )
    print(f"  statuses: {dict(sorted(statuses.items()))}")
    if latencies:
        print(
            f"  latency p50 {percentile(latencies, 0.5) * 1000:.0f} ms, "
            f"p95 {percentile(latencies, 0.95) * 1000:.0f} ms, "
            f"max {max(latencies) * 1000:.0f} ms"
        )
    print(f"  stored events: {stored} (distinct {distinct}, expected {concurrency})")
    print(f"  duplicates answered differently: {inconsistent}")
    print(f"  callers found: {found}/{concurrency}")
    return statuses.get(500, 0) == 0 and stored == concurrency and not inconsistent


def bench_lookup(config, db, contacts, sample, slow_sample):
    sys.path.insert(0, os.environ.get("ODOO_SRC", "/opt/odoo/19.0"))
    import odoo  # noqa: PLC0415
    from odoo import api  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415

    odoo.tools.config.parse_config(["-c", config, "-d", db])
    registry = Registry(db)
    rng = random.Random(7)
    numbers = [e164(rng.randrange(contacts)) for _ in range(sample)]
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        Partner = env["res.partner"]
        started = time.monotonic()
        found_index = sum(1 for n in numbers if Partner._atelier_find_by_phone(n))
        index_time = (time.monotonic() - started) / sample
        started = time.monotonic()
        slow = numbers[:slow_sample]
        found_plain = sum(
            1 for n in slow if Partner.search([("phone_mobile_search", "=", n)])
        )
        plain_time = (time.monotonic() - started) / len(slow)
    print(
        f"\nlookup of numbers given in E.164 among {contacts} bench contacts "
        "(half typed nationally):"
    )
    print(
        f"  phone index       : found {found_index}/{sample} "
        f"({100.0 * found_index / sample:.0f}%), {index_time * 1000:.2f} ms/lookup"
    )
    print(
        f"  phone_mobile_search: found {found_plain}/{len(slow)} "
        f"({100.0 * found_plain / len(slow):.0f}%), {plain_time * 1000:.0f} ms/lookup"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-c", "--config", default="/tmp/dev.conf")
    parser.add_argument("-d", "--db", required=True)
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--duplicates", type=int, default=10)
    parser.add_argument("--lookups", type=int, default=200)
    parser.add_argument("--plain-lookups", type=int, default=10)
    parser.add_argument("--skip-events", action="store_true")
    args = parser.parse_args()
    host = urlsplit(args.url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        parser.error("--url must point at this machine (loopback)")
    conn = psycopg2.connect(dbname=args.db)
    try:
        seed(conn, args.contacts)
        ensure_line(conn)
        ok = True
        if not args.skip_events:
            ok = bench_events(
                conn, args.url, args.contacts, args.concurrency, args.duplicates
            )
    finally:
        conn.close()
    bench_lookup(args.config, args.db, args.contacts, args.lookups, args.plain_lookups)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
