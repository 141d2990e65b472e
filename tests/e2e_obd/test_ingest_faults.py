# SPDX-License-Identifier: GPL-2.0-or-later
"""Issue #10, items 29-32, against a real Odoo served by ``odoo-bin`` (its
threaded server: concurrent requests are concurrent transactions):

- six first batches of one new session at once, and a duplicate delivered
  concurrently: every batch stored once, no refusal, no ERROR in Odoo's log;
- a bridge whose clock is an hour ahead, then stepped back mid-session (as
  NTP does): every reading stored, at the right time;
- batches Odoo refuses for their content: parked by the bridge, not retried,
  the queue goes on.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timedelta, timezone

from bridge_testkit import Emulator, wait_for
from test_bridge_odoo import (
    OdooView,
    counting_car,
    expected_rpm,
    rpm_answers_per_connection,
)

from obd_bridge.config import load_config
from obd_bridge.outbox import Batch, Outbox
from obd_bridge.payload import utc_iso
from obd_bridge.runner import Runner


def post_json2(odoo, payload) -> tuple[int, dict]:
    request = urllib.request.Request(
        f"{odoo.url}/json/2/atelier.obd.session/ingest",
        data=json.dumps({"payload": payload}).encode(),
        headers={
            "Authorization": f"bearer {odoo.api_key}",
            "X-Odoo-Database": odoo.db,
            "Content-Type": "application/json",
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def batch(bridge_id, session_uuid, start, first_rpm, count=5):
    return {
        "bridge_id": bridge_id,
        "batch_uuid": str(uuid.uuid4()),
        "session_uuid": session_uuid,
        "vin": None,
        "adapter": "ELM327 v1.5",
        "protocol": "ISO 15765-4 (CAN 11/500)",
        "started_at": utc_iso(start),
        "readings": [
            {
                "pid": "RPM",
                "ts": utc_iso(start + 1 + first_rpm + i),
                "value": float(first_rpm + i),
                "unit": "rpm",
            }
            for i in range(count)
        ],
        "dtcs": [],
        "events": [],
    }


def all_at_once(odoo, payloads) -> list[tuple[int, dict]]:
    barrier = threading.Barrier(len(payloads))
    results: list = [None] * len(payloads)

    def send(index, payload):
        barrier.wait()
        results[index] = post_json2(odoo, payload)

    threads = [
        threading.Thread(target=send, args=(i, p)) for i, p in enumerate(payloads)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results


def test_six_first_batches_of_a_new_session_at_once(odoo):
    view = OdooView(odoo, "e2e-race")
    session_uuid = str(uuid.uuid4())
    start = time.time() - 600
    payloads = [batch("e2e-race", session_uuid, start, 10 * i) for i in range(6)]
    results = all_at_once(odoo, payloads)
    assert [status for status, _answer in results] == [200] * 6, results
    assert {answer["status"] for _status, answer in results} == {"stored"}
    (session,) = view.sessions()
    assert session["reading_count"] == 30
    assert sorted(view.rpm(session["id"])) == [
        float(v) for v in range(60) if v % 10 < 5
    ]
    assert view.batch_count() == 6

    # the same batch delivered four times at once: stored once, no error
    again = batch("e2e-race", session_uuid, start, 100)
    results = all_at_once(odoo, [again] * 4)
    assert [status for status, _answer in results] == [200] * 4, results
    statuses = sorted(answer["status"] for _status, answer in results)
    assert statuses == ["duplicate"] * 3 + ["stored"]
    assert view.batch_count() == 7
    assert odoo.log_errors() == []


def test_a_bridge_clock_an_hour_ahead_then_stepped_back(odoo, tmp_path):
    """Its clock is an hour ahead when the car connects, then NTP steps it back
    while the car is being read: Odoo stores every reading, at the right time."""
    emulator = Emulator(counting_car("clock_step_car"), tmp_path).start()
    skew = [3600.0]
    env = {
        **odoo.bridge_env("json2"),
        "OBD_BRIDGE_PORT": emulator.url,
        "OBD_BRIDGE_ID": "e2e-clock",
        "OBD_BRIDGE_OUTBOX": str(tmp_path / "outbox.sqlite3"),
        "OBD_BRIDGE_PIDS": "RPM=0.1",
        "OBD_BRIDGE_ADAPTER_TIMEOUT": "0.2",
        "OBD_BRIDGE_BATCH_MAX_ITEMS": "10",
        "OBD_BRIDGE_BATCH_MAX_AGE": "0.5",
        "OBD_BRIDGE_RETRY_INITIAL": "0.2",
        "OBD_BRIDGE_RETRY_MAX": "1",
    }
    runner = Runner(load_config(None, environ=env), wall=lambda: time.time() + skew[0])
    view = OdooView(odoo, "e2e-clock")
    real_start = datetime.now(timezone.utc).replace(tzinfo=None)
    thread = threading.Thread(target=runner.run, daemon=True)
    thread.start()
    try:
        wait_for(lambda: view.rpm_count() >= 20, 60, 0.3, "readings in Odoo")
        skew[0] = 0.0  # NTP steps the clock back an hour
        count = view.rpm_count()
        wait_for(lambda: view.rpm_count() >= count + 20, 60, 0.3, "more readings")
    finally:
        runner.request_stop()
        thread.join(60)
        emulator.kill()
    (session,) = odoo.admin(
        "atelier.obd.session",
        "search_read",
        [("bridge_id", "=", "e2e-clock")],
        fields=["started_at", "clock_offset", "reading_count", "ended_at"],
    )
    (answers,) = rpm_answers_per_connection(emulator)
    assert view.rpm(session["id"]) == expected_rpm(answers)  # none refused
    assert abs(session["clock_offset"] + 3600) < 30
    started = datetime.strptime(session["started_at"], "%Y-%m-%d %H:%M:%S")
    assert abs(started - real_start) < timedelta(seconds=30)
    ended = datetime.strptime(session["ended_at"], "%Y-%m-%d %H:%M:%S")
    assert timedelta(0) < ended - started < timedelta(minutes=5)
    assert odoo.log_errors() == []


def test_batches_refused_for_their_content_are_parked(odoo, tmp_path):
    """A 400-digit odometer and a start in year 9999 with an offset used to
    answer 500, which the bridge retried forever, blocking its queue."""
    outbox_path = tmp_path / "outbox.sqlite3"
    start = time.time() - 300
    session_uuid = str(uuid.uuid4())
    good = [batch("e2e-hostile", session_uuid, start, 10 * i) for i in range(2)]
    huge = batch("e2e-hostile", session_uuid, start, 50)
    huge["odometer"] = 10**400
    far = batch("e2e-hostile", str(uuid.uuid4()), start, 60)
    far["started_at"] = "9999-12-31T23:30:00-02:00"
    with Outbox(outbox_path) as box:
        for index, payload in enumerate([good[0], huge, far, good[1]]):
            box.import_batch(
                Batch(
                    payload["batch_uuid"],
                    payload["session_uuid"],
                    "pending",
                    payload,
                    0,
                    None,
                    start + index,
                )
            )
    env = {k: v for k, v in os.environ.items() if not k.startswith("OBD_BRIDGE_")}
    env.update(
        {
            **odoo.bridge_env("json2"),
            "OBD_BRIDGE_PORT": "socket://127.0.0.1:1",
            "OBD_BRIDGE_ID": "e2e-hostile",
            "OBD_BRIDGE_OUTBOX": str(outbox_path),
        }
    )
    proc = subprocess.run(
        [sys.executable, "-m", "obd_bridge", "flush"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    result = json.loads(proc.stdout)
    assert proc.returncode == 1, proc.stderr  # something was parked
    assert (result["sent"], result["parked"], result["failed"]) == (2, 2, 0)
    with Outbox(outbox_path) as box:
        parked = {b.batch_uuid: b.last_error for b in box.parked()}
        assert box.stats().pending == 0
    assert set(parked) == {huge["batch_uuid"], far["batch_uuid"]}
    assert "HTTP 422" in parked[huge["batch_uuid"]]
    assert "odometer" in parked[huge["batch_uuid"]]
    assert "started_at" in parked[far["batch_uuid"]]
    view = OdooView(odoo, "e2e-hostile")
    (session,) = view.sessions()
    assert view.rpm(session["id"]) == [float(v) for v in (*range(5), *range(10, 15))]
    assert odoo.log_errors() == []
