#!/usr/bin/env python3
"""OBD ingest benchmark against a running Odoo: batched ingest vs one create per
reading, both over XML-RPC, in the same run.

* batched: ``atelier.obd.session.ingest(payload)`` with BATCH readings per call,
  as the bridge's technical user (created by the script in the "OBD bridge"
  group, password authentication);
* baseline: one ``create`` per reading (``atelier.obd.reading.chunk`` with a
  single value) as the administrator, i.e. what a naive client would do.

Prints readings/s for each and the ratio. Targets (issue #6): >= 10,000
readings/s batched and >= 50x the baseline. Exit status 1 when a target is missed.

Usage: .venv/bin/python scripts/bench_obd_ingest.py --url http://localhost:8069
       --db NAME --admin-login admin --admin-password admin
       [--readings 100000] [--batch 5000] [--baseline 1000]
"""

import argparse
import sys
import time
import uuid
import xmlrpc.client
from datetime import datetime, timedelta, timezone

PIDS = (
    ("RPM", 800.0, 20.0),
    ("SPEED", 0.0, 1.0),
    ("COOLANT_TEMP", 60.0, 0.5),
    ("ENGINE_LOAD", 10.0, 1.0),
    ("THROTTLE_POS", 5.0, 1.0),
)


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def readings(start, first, count):
    out = []
    for i in range(first, first + count):
        pid, base, step = PIDS[i % len(PIDS)]
        moment = start + timedelta(milliseconds=20 * i)
        out.append({"pid": pid, "ts": iso(moment), "value": base + (i % 40) * step})
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://localhost:8069")
    parser.add_argument("--db", required=True)
    parser.add_argument("--admin-login", default="admin")
    parser.add_argument("--admin-password", default="admin")
    parser.add_argument("--readings", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=5_000)
    parser.add_argument("--baseline", type=int, default=1_000)
    args = parser.parse_args()

    common = xmlrpc.client.ServerProxy(f"{args.url}/xmlrpc/2/common", allow_none=True)
    models = xmlrpc.client.ServerProxy(f"{args.url}/xmlrpc/2/object", allow_none=True)
    admin = common.authenticate(args.db, args.admin_login, args.admin_password, {})
    if not admin:
        sys.exit("admin authentication failed")

    def call(uid, password, model, method, *a, **kw):
        return models.execute_kw(args.db, uid, password, model, method, list(a), kw)

    def admin_call(model, method, *a, **kw):
        return call(admin, args.admin_password, model, method, *a, **kw)

    # the bridge's technical user, only in the "OBD bridge" group
    group = admin_call(
        "ir.model.data",
        "check_object_reference",
        "atelier_fleet_obd",
        "group_obd_bridge",
    )[1]
    login = f"bench-bridge-{uuid.uuid4().hex[:8]}"
    password = uuid.uuid4().hex
    bridge = admin_call(
        "res.users",
        "create",
        {
            "name": "Bench OBD bridge",
            "login": login,
            "password": password,
            "group_ids": [(6, 0, [group])],
        },
    )
    bridge_uid = common.authenticate(args.db, login, password, {})

    start = datetime.now(timezone.utc) - timedelta(hours=1)
    session_uuid = str(uuid.uuid4())
    base_payload = {
        "bridge_id": "bench",
        "session_uuid": session_uuid,
        "vin": None,
        "adapter": "bench",
        "protocol": "bench",
        "started_at": iso(start),
        "dtcs": [],
        "events": [],
    }
    # warm-up (creates the session)
    call(
        bridge_uid,
        password,
        "atelier.obd.session",
        "ingest",
        {**base_payload, "batch_uuid": str(uuid.uuid4()), "readings": []},
    )

    payloads = [
        {
            **base_payload,
            "batch_uuid": str(uuid.uuid4()),
            "readings": readings(start, first, min(args.batch, args.readings - first)),
        }
        for first in range(0, args.readings, args.batch)
    ]
    accepted = 0
    began = time.perf_counter()
    for payload in payloads:
        answer = call(bridge_uid, password, "atelier.obd.session", "ingest", payload)
        accepted += answer["accepted"]
    batched_time = time.perf_counter() - began
    session_id = answer["session_id"]
    batched_rate = accepted / batched_time
    print(
        f"batched ingest: {accepted} readings in {len(payloads)} calls of "
        f"{args.batch}, {batched_time:.2f} s -> {batched_rate:,.0f} readings/s"
    )

    one_by_one = readings(start + timedelta(minutes=30), 0, args.baseline)
    began = time.perf_counter()
    for reading in one_by_one:
        moment = reading["ts"][:19].replace("T", " ")
        admin_call(
            "atelier.obd.reading.chunk",
            "create",
            {
                "session_id": session_id,
                "pid": reading["pid"],
                "count": 1,
                "ts_first": moment,
                "ts_last": moment,
                "value_min": reading["value"],
                "value_max": reading["value"],
                "value_sum": reading["value"],
                "ts_list": [0],
                "value_list": [reading["value"]],
            },
        )
    baseline_time = time.perf_counter() - began
    baseline_rate = len(one_by_one) / baseline_time
    print(
        f"one create per reading: {len(one_by_one)} readings, {baseline_time:.2f} s "
        f"-> {baseline_rate:,.0f} readings/s"
    )
    ratio = batched_rate / baseline_rate
    print(f"ratio: {ratio:.0f}x")

    # clean up what the benchmark created
    admin_call("atelier.obd.session", "unlink", [session_id])
    admin_call("res.users", "write", [bridge], {"active": False})
    ok = batched_rate >= 10_000 and ratio >= 50
    print("targets (>= 10,000 readings/s, >= 50x):", "OK" if ok else "MISSED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
