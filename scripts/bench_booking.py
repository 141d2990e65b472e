#!/usr/bin/env python3
# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark of atelier_booking.

1. Free slots for 10 technicians x 60 days with 5,000 existing calendar
   events: the set-based engine (one query per kind of data) against a
   per-technician, per-day search loop, in the same run, same data.
2. 50 concurrent confirmations of one slot through HTTP against a running
   Odoo: exactly 1 booking, 49 clean refusals (HTTP 409), no 500.

Usage (the database must have atelier_booking installed):
    .venv/bin/python scripts/bench_booking.py -c /tmp/dev.conf -d h_booking \
        [--port 8173] [--url http://127.0.0.1:8069] [--skip-http]

Part 1 runs in one transaction that is rolled back. Part 2 commits its
fixtures (a type, a technician), starts its own Odoo on --port unless --url
is given, and removes the fixtures afterwards.
"""

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

ODOO_SRC = os.environ.get("ODOO_SRC", "/opt/odoo/19.0")
sys.path.insert(0, ODOO_SRC)

import odoo  # noqa: E402
import odoo.service.server  # noqa: E402
from odoo import api  # noqa: E402
from odoo.modules.registry import Registry  # noqa: E402
from odoo.tools import config  # noqa: E402

TECHS = 10
DAYS = 60
EVENTS = 5000
CLIENTS = 50
PARIS = "Europe/Paris"


def make_fixtures(env, prefix, technicians=TECHS):
    calendar = env["resource.calendar"].create(
        {
            "name": f"{prefix} calendar",
            "tz": PARIS,
            "attendance_ids": [
                (
                    0,
                    0,
                    {
                        "name": f"{d}-{p}",
                        "dayofweek": str(d),
                        "hour_from": h0,
                        "hour_to": h1,
                        "day_period": p,
                    },
                )
                for d in range(5)
                for h0, h1, p in ((8, 12, "morning"), (13, 18, "afternoon"))
            ],
        }
    )
    users = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            [
                {
                    "name": f"{prefix} tech {i}",
                    "login": f"{prefix}_tech_{i}",
                    "email": f"{prefix}.tech{i}@example.com",
                    "tz": PARIS,
                    "group_ids": [
                        (6, 0, [env.ref("atelier_base.group_technician").id])
                    ],
                }
                for i in range(technicians)
            ]
        )
    )
    appointment_type = env["atelier.appointment.type"].create(
        {
            "name": f"{prefix} visit",
            "duration": 60,
            "slot_step": 30,
            "buffer_before": 15,
            "buffer_after": 15,
            "min_notice_hours": 0,
            "max_horizon_days": DAYS,
            "technician_ids": [(6, 0, users.ids)],
            "is_published": True,
        }
    )
    env["resource.resource"].search([("user_id", "in", users.ids)]).write(
        {"calendar_id": calendar.id, "tz": PARIS}
    )
    return calendar, users, appointment_type


def naive_slots(env, appointment_type, users, start, stop):
    """What the engine replaces: for each technician and each day, search
    the events, leaves and bookings of that day, then compute."""
    from odoo.addons.atelier_booking.tools import availability as engine

    rules = appointment_type._slot_rules()
    result = {}
    for user in users:
        resource = env["resource.resource"].search([("user_id", "=", user.id)])
        attendances = [
            engine.Attendance(int(a.dayofweek), a.hour_from, a.hour_to)
            for a in resource.calendar_id.attendance_ids
            if a.day_period != "lunch"
        ]
        zone = engine.get_zone(resource.tz)
        slots = []
        day = engine.utc_to_local(start, zone).date()
        last = engine.utc_to_local(stop, zone).date()
        while day <= last:
            d_start, d_stop = engine.local_day_bounds(day, zone)
            events = env["calendar.event"].search(
                [
                    ("partner_ids", "in", user.partner_id.id),
                    ("show_as", "=", "busy"),
                    ("start", "<", d_stop),
                    ("stop", ">", d_start),
                ]
            )
            leaves = env["resource.calendar.leaves"].search(
                [
                    ("date_from", "<", d_stop),
                    ("date_to", ">", d_start),
                    "|",
                    ("resource_id", "=", resource.id),
                    "&",
                    ("resource_id", "=", False),
                    ("calendar_id", "=", resource.calendar_id.id),
                ]
            )
            bookings = env["atelier.booking"].search(
                [
                    ("technician_id", "=", user.id),
                    ("state", "in", ("held", "confirmed")),
                    ("blocked_start", "<", d_stop),
                    ("blocked_stop", ">", d_start),
                ]
            )
            agenda = engine.TechnicianAgenda(
                tz=resource.tz,
                attendances=attendances,
                leaves=[(lv.date_from, lv.date_to) for lv in leaves],
                busy=[(e.start, e.stop) for e in events]
                + [(b.blocked_start, b.blocked_stop) for b in bookings],
            )
            work = engine.subtract(
                engine.working_intervals(agenda, day, day), agenda.leaves
            )
            slots += engine.free_slots(work, agenda.busy, rules, start, stop)
            day += timedelta(days=1)
        result[user.id] = slots
    return result


def bench_engine(dbname):
    registry = Registry(dbname)
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {"tz": PARIS})
        _cal, users, appointment_type = make_fixtures(env, "bench1")
        rng = random.Random(42)
        now = datetime.now().replace(second=0, microsecond=0)
        events = []
        for i in range(EVENTS):
            user = users[i % TECHS]
            start = now + timedelta(
                days=rng.randrange(DAYS), hours=rng.randrange(24), minutes=15
            )
            events.append(
                {
                    "name": f"bench event {i}",
                    "start": start,
                    "stop": start + timedelta(minutes=rng.choice((30, 60, 90))),
                    "partner_ids": [(6, 0, user.partner_id.ids)],
                    "show_as": "busy",
                    "user_id": user.id,
                }
            )
        t0 = time.perf_counter()
        env["calendar.event"].with_context(
            no_mail_to_attendees=True, dont_notify=True, mail_create_nolog=True
        ).create(events)
        env.flush_all()
        print(f"fixtures: {EVENTS} events created in {time.perf_counter() - t0:.1f}s")
        stop = now + timedelta(days=DAYS)

        env.invalidate_all()
        q0, t0 = cr.sql_log_count, time.perf_counter()
        fast = appointment_type._get_free_slots(now, stop, now=now)
        t_fast, q_fast = time.perf_counter() - t0, cr.sql_log_count - q0

        env.invalidate_all()
        q0, t0 = cr.sql_log_count, time.perf_counter()
        slow = naive_slots(env, appointment_type, users, now, stop)
        t_slow, q_slow = time.perf_counter() - t0, cr.sql_log_count - q0

        total = sum(len(v) for v in fast.values())
        same = all(sorted(set(fast[u])) == sorted(set(slow[u])) for u in fast)
        print(
            f"free slots, {TECHS} technicians x {DAYS} days, {EVENTS} events: "
            f"{total} slots"
        )
        print(f"  set-based engine      : {t_fast * 1000:8.1f} ms, {q_fast:5d} queries")
        print(f"  per-technician loop   : {t_slow * 1000:8.1f} ms, {q_slow:5d} queries")
        print(f"  speed-up x{t_slow / t_fast:.1f}; same slots: {same}")
        cr.rollback()
        return same


def wait_http(url, timeout=180):
    import requests

    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if requests.get(f"{url}/web/health", timeout=5).ok:
                return True
        except requests.RequestException:
            pass
        time.sleep(1)
    return False


def bench_http(dbname, conf, port, url=None):
    import requests

    registry = Registry(dbname)
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        cal, users, appointment_type = make_fixtures(env, "bench2", technicians=1)
        params = env["ir.config_parameter"]
        old_limit = params.get_param("atelier_booking.guest_hourly_limit")
        params.set_param("atelier_booking.guest_hourly_limit", 0)
        slot = appointment_type._next_free_slots(limit=1)[0][0]
        ids = (cal.id, users.id, users.partner_id.id, appointment_type.id)
        cr.commit()
    server = None
    logfile = None
    try:
        if not url:
            # lost races are expected refusals: the server must log no ERROR
            logfile = tempfile.NamedTemporaryFile(
                prefix="bench_booking_", suffix=".log", delete=False
            ).name
            url = f"http://127.0.0.1:{port}"
            server = subprocess.Popen(
                [
                    sys.executable,
                    f"{ODOO_SRC}/odoo-bin",
                    "-c",
                    conf,
                    "-d",
                    dbname,
                    f"--http-port={port}",
                    f"--db-filter=^{dbname}$",
                    "--max-cron-threads=0",
                    "--log-level=warn",
                    f"--logfile={logfile}",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        if not wait_http(url):
            print("HTTP: the server did not answer")
            return False
        page = f"{url}/book/{ids[3]}?day={slot.date()}"
        barrier = threading.Barrier(CLIENTS)

        def client(i):
            session = requests.Session()
            html = session.get(page, timeout=60).text
            token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
            barrier.wait(timeout=120)
            t0 = time.perf_counter()
            response = session.post(
                f"{url}/book/{ids[3]}/hold",
                data={"csrf_token": token, "start": slot.isoformat(), "tz": PARIS},
                allow_redirects=False,
                timeout=120,
            )
            elapsed = time.perf_counter() - t0
            if response.status_code == 303:
                details = url + response.headers["Location"]
                form = session.get(details, timeout=60).text
                token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
                confirm = session.post(
                    details,
                    data={
                        "csrf_token": token,
                        "name": f"Bench client {i}",
                        "email": f"bench.client{i}@example.com",
                    },
                    allow_redirects=False,
                    timeout=60,
                )
                return ("won", confirm.status_code, elapsed)
            return ("refused", response.status_code, elapsed)

        t0 = time.perf_counter()
        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            results = list(pool.map(client, range(CLIENTS)))
        wall = time.perf_counter() - t0
        won = [r for r in results if r[0] == "won"]
        refused = [r for r in results if r[0] == "refused"]
        statuses = sorted({r[1] for r in refused})
        with registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            bookings = env["atelier.booking"].search(
                [("appointment_type_id", "=", ids[3]), ("state", "=", "confirmed")]
            )
            count = len(bookings)
        latencies = sorted(r[2] for r in results)
        print(
            f"HTTP: {CLIENTS} concurrent confirmations of one slot in {wall:.1f}s: "
            f"{len(won)} won (confirmation HTTP {[r[1] for r in won]}), "
            f"{len(refused)} refused (HTTP {statuses}); "
            f"confirmed bookings in the database: {count}"
        )
        print(
            f"  hold latency median {latencies[len(latencies) // 2] * 1000:.0f} ms, "
            f"max {latencies[-1] * 1000:.0f} ms"
        )
        errors = None
        if logfile:
            with open(logfile, encoding="utf-8", errors="replace") as log:
                errors = sum(1 for line in log if " ERROR " in line)
            print(f"  server log: {errors} ERROR lines")
        return count == 1 and len(won) == 1 and statuses == [409] and not errors
    finally:
        if server:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        if logfile:
            os.unlink(logfile)
        with registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {"active_test": False})
            bookings = env["atelier.booking"].search(
                [("appointment_type_id", "=", ids[3])]
            )
            partners = bookings.partner_id
            bookings.event_id.unlink()
            bookings.unlink()
            env["atelier.appointment.type"].browse(ids[3]).unlink()
            env["resource.resource"].search([("user_id", "=", ids[1])]).unlink()
            env["res.users"].browse(ids[1]).unlink()
            (partners | env["res.partner"].browse(ids[2])).exists().unlink()
            env["resource.calendar"].browse(ids[0]).unlink()
            if old_limit is not None:
                env["ir.config_parameter"].set_param(
                    "atelier_booking.guest_hourly_limit", old_limit
                )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", default="/tmp/dev.conf")
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--port", type=int, default=8173)
    parser.add_argument("--url", help="a running Odoo serving the database")
    parser.add_argument("--skip-http", action="store_true")
    args = parser.parse_args()
    config.parse_config(["-c", args.config, "-d", args.database])
    odoo.service.server.load_server_wide_modules()
    ok = bench_engine(args.database)
    if not args.skip_http:
        ok = bench_http(args.database, args.config, args.port, args.url) and ok
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
