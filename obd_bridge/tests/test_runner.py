# SPDX-License-Identifier: GPL-2.0-or-later
"""The loop: back-off, sessions, delivery, stop. With fakes first, then the real
thing: elmulator + python-OBD + the Odoo-shaped server, in threads and processes."""

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time

import pytest

from bridge_testkit import (
    DownTransport,
    Emulator,
    FakeOdoo,
    FakeReader,
    FakeTransport,
    car_scenario,
    free_port,
    wait_for,
)
from obd_bridge.outbox import Outbox
from obd_bridge.payload import Dtc, Reading, SessionInfo, new_uuid
from obd_bridge.reader import AdapterDisconnected, AdapterInfo
from obd_bridge.runner import Backoff, Runner, Sender, Stats
from obd_bridge.transport import PermanentError, TransientError


def test_backoff_doubles_up_to_the_cap_and_resets():
    backoff = Backoff(1, 60)
    assert [backoff.next() for _ in range(9)] == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    backoff.reset()
    assert backoff.next() == 1
    assert [Backoff(0.5, 3).next() for _ in range(2)] == [0.5, 0.5]  # fresh each
    many = Backoff(1, 60)
    for _ in range(5000):  # no overflow after days of failures
        delay = many.next()
    assert delay == 60
    with pytest.raises(ValueError):
        Backoff(10, 5)


# -- Sender with a fake transport ---------------------------------------------------
def fill(box: Outbox, n_batches: int) -> list[str]:
    s = SessionInfo("garage-1", new_uuid(), "2026-11-21T09:00:00.000Z")
    for i in range(n_batches * box.max_items):
        box.append(s, [Reading("RPM", 1.8e9 + i, float(i), "rpm")])
    return [b.batch_uuid for b in box.pending()]


def test_sender_acks_stored_and_duplicate(outbox):
    uuids = fill(outbox, 2)
    transport = FakeTransport()
    transport.stored[uuids[0]] = {}  # Odoo already has the first one
    result = Sender(outbox, transport).flush()
    assert (result.sent, result.duplicates, result.failed) == (1, 1, 0)
    assert outbox.stats().pending == 0


def test_transient_error_keeps_the_batch_and_stops_the_round(outbox):
    uuids = fill(outbox, 3)
    transport = FakeTransport([TransientError("HTTP 503")])
    result = Sender(outbox, transport).flush()
    assert (result.sent, result.failed, result.error) == (0, 1, "HTTP 503")
    assert len(transport.sent) == 1  # no point hammering a down Odoo
    assert [b.batch_uuid for b in outbox.pending()] == uuids
    assert outbox.get(uuids[0]).attempts == 1
    assert Sender(outbox, transport).flush().sent == 3  # Odoo is back


def test_permanent_error_parks_the_batch_and_goes_on(outbox):
    uuids = fill(outbox, 3)
    refused = PermanentError("HTTP 422: ValidationError: bad VIN")
    transport = FakeTransport(["ok", refused, "ok"])
    result = Sender(outbox, transport).flush()
    assert (result.sent, result.parked, result.failed) == (2, 1, 0)
    assert [(b.batch_uuid, b.last_error) for b in outbox.parked()] == [
        (uuids[1], "HTTP 422: ValidationError: bad VIN")
    ]
    assert outbox.stats().pending == 0


def test_an_answer_off_contract_parks_the_batch(outbox):
    fill(outbox, 1)
    transport = FakeTransport([{"status": "stored"}])  # no batch_uuid
    result = Sender(outbox, transport).flush()
    assert result.parked == 1
    assert "answer is for batch None" in outbox.parked()[0].last_error


# -- Runner with fakes ----------------------------------------------------------------
def session_entry(polls, then="disconnect", vin="VF1RFB00X12345678"):
    return {
        "info": AdapterInfo(vin, "FakeELM v1", "ISO 15765-4 (CAN 11/500)"),
        "dtcs": [Dtc("P0301", "stored", 1.8e9), Dtc("P0171", "pending", 1.8e9)],
        "polls": polls,
        "then": then,
    }


def run_in_thread(runner: Runner) -> threading.Thread:
    thread = threading.Thread(target=runner.run, daemon=True)
    thread.start()
    return thread


def by_session(payloads):
    sessions = {}
    for p in payloads:
        s = sessions.setdefault(
            p["session_uuid"], {"readings": [], "dtcs": [], "events": []}
        )
        for kind in ("readings", "dtcs", "events"):
            s[kind] += p[kind]
    return sessions


def test_sessions_events_reconnect_and_clean_stop(make_config):
    config = make_config(batch_max_items=4)
    polls = [[("RPM", 800 + i, "rpm"), ("SPEED", i, "km/h")] for i in range(5)]
    script = [
        AdapterDisconnected("nothing on the port"),
        session_entry(polls, then="disconnect"),
        AdapterDisconnected("adapter rebooting"),
        session_entry(polls[:2], then="idle", vin=None),
    ]
    reader = FakeReader(script)
    transport = FakeTransport()
    runner = Runner(
        config, reader_factory=lambda: reader, transport_factory=lambda: transport
    )
    thread = run_in_thread(runner)
    wait_for(lambda: len(runner.sessions) == 2 and not reader.entry["polls"], 10)
    runner.request_stop()
    thread.join(10)
    assert not thread.is_alive()

    first, second = (s.session_uuid for s in runner.sessions)
    sessions = by_session(transport.stored.values())
    assert [e["type"] for e in sessions[first]["events"]] == [
        "connected",
        "disconnected",
        "session_end",
    ]
    assert sessions[first]["events"][1]["detail"] == "fake adapter unplugged"
    assert sessions[first]["events"][2]["detail"] == "adapter disconnected"
    assert len(sessions[first]["readings"]) == 10
    assert [(d["code"], d["status"]) for d in sessions[first]["dtcs"]] == [
        ("P0301", "stored"),
        ("P0171", "pending"),
    ]
    assert [e["type"] for e in sessions[second]["events"]] == [
        "connected",
        "session_end",
    ]
    assert sessions[second]["events"][-1]["detail"] == "bridge stopped"
    assert len(sessions[second]["readings"]) == 4
    assert all(
        p["vin"] is None
        for p in transport.stored.values()
        if p["session_uuid"] == second
    )
    assert all(
        len(p["readings"]) + len(p["dtcs"]) + len(p["events"]) <= 4
        for p in transport.stored.values()
    )
    with Outbox(config.outbox_path) as box:
        stats = box.stats()
    assert (stats.open, stats.pending, stats.parked) == (0, 0, 0)
    assert reader.closed == reader.opened  # every adapter released


class RecordingStop(threading.Event):
    """The adapter loop's pauses (the main thread's waits) are recorded, not
    slept; after ``limit`` of them the runner is stopped. ``on_wait`` runs at
    each one."""

    def __init__(self, limit: int, on_wait=None):
        super().__init__()
        self.limit = limit
        self.on_wait = on_wait
        self.waits: list[float] = []

    def wait(self, timeout=None):
        if threading.current_thread() is threading.main_thread():
            self.waits.append(timeout)
            if self.on_wait is not None:
                self.on_wait()
            if len(self.waits) >= self.limit:
                self.set()
        return super().wait(0.001)


def run_until_stopped(config, reader, stop) -> Runner:
    """Run the bridge on ``reader`` (Odoo always answering) until ``stop`` says."""
    runner = Runner(
        config,
        reader_factory=lambda: reader,
        transport_factory=FakeTransport,
        stop=stop,
    )
    runner.run()
    return runner


def test_reconnect_back_off_is_capped(make_config):
    config = make_config(reconnect_initial=0.5, reconnect_max=3)
    reader = FakeReader([AdapterDisconnected("unplugged")] * 10)
    stop = RecordingStop(6)
    run_until_stopped(config, reader, stop)
    assert stop.waits == [0.5, 1.0, 2.0, 3.0, 3.0, 3.0]


def test_a_silent_adapter_is_reopened_after_a_growing_pause(make_config):
    """A session without a single valid answer does not reset the back-off; one
    with valid answers does. Each lost adapter is closed before the pause."""

    def lost(valid):
        return {"polls": [], "then": "disconnect", "valid": valid}

    config = make_config(reconnect_initial=0.5, reconnect_max=3)
    reader = FakeReader([lost(0), lost(0), lost(0), lost(1), lost(0)])
    closed_before_wait = []
    stop = RecordingStop(
        6, on_wait=lambda: closed_before_wait.append(reader.closed == reader.opened)
    )
    runner = run_until_stopped(config, reader, stop)
    # silent, silent, silent, good (reset), silent, then no adapter at all
    assert stop.waits == [0.5, 1.0, 2.0, 0.5, 1.0, 2.0]
    assert all(closed_before_wait)
    assert len(runner.sessions) == 5
    assert runner.stats.totals()["reconnects"] == 4


class RejectingTransport(FakeTransport):
    """Odoo storing each batch but rejecting its first reading."""

    def send(self, payload):
        answer = super().send(payload)
        count = sum(len(payload[k]) for k in ("readings", "dtcs", "events"))
        rejected = [{"index": 0, "kind": "reading", "reason": "out_of_range: x"}]
        answer["rejected"] = rejected if payload["readings"] else []
        answer["accepted"] = count - len(answer["rejected"])
        return answer


STATUS_RE = re.compile(
    r"status: (?P<read>\d+) readings read, (?P<dropped>\d+) answers dropped, "
    r"(?P<queued>\d+) items queued, (?P<sent>\d+) batches sent "
    r"\((?P<accepted>\d+) items accepted, (?P<rejected>\d+) rejected by Odoo\), "
    r"(?P<parked>\d+) batches parked, (?P<failed>\d+) failed sends, "
    r"(?P<reconnects>\d+) reconnects; adapter (?P<adapter>[^;]+); "
    r"outbox (?P<pending>\d+) pending, (?P<parked_now>\d+) parked$"
)


def status_lines(caplog):
    return [
        STATUS_RE.match(r.getMessage())
        for r in caplog.records
        if r.getMessage().startswith("status: ")
    ]


def test_one_status_line_per_interval_with_the_counts(make_config, caplog):
    caplog.set_level("INFO", logger="obd_bridge.runner")
    config = make_config(batch_max_items=4, status_interval=0.15)
    polls = [[("RPM", 800 + i, "rpm"), ("SPEED", i, "km/h")] for i in range(5)]
    first = session_entry(polls, then="disconnect")
    first["dropped_per_poll"] = 1
    reader = FakeReader([first, session_entry(polls[:2], then="idle")])
    transport = RejectingTransport()
    runner = Runner(
        config, reader_factory=lambda: reader, transport_factory=lambda: transport
    )
    thread = run_in_thread(runner)
    wait_for(lambda: len(runner.sessions) == 2 and not reader.entry["polls"], 10)
    with Outbox(config.outbox_path) as box:
        wait_for(lambda: box.stats().pending == 0 and box.stats().open == 1, 10)
    time.sleep(0.4)  # at least two status lines while running
    assert "connected, session" in status_lines(caplog)[-1]["adapter"]
    runner.request_stop()
    thread.join(10)

    lines = status_lines(caplog)
    assert all(lines), "every status line has the documented format"
    assert len(lines) >= 3  # periodic ones and the last one on the way out
    total = {k: sum(int(m[k]) for m in lines) for k in Stats.FIELDS}
    # session 1: connected + 2 DTCs + 10 readings + disconnected + session_end;
    # session 2: connected + 2 DTCs + 4 readings + session_end
    assert total["read"] == 14
    assert total["dropped"] == 5
    assert total["queued"] == 15 + 8
    assert total["sent"] == len(transport.stored)
    assert total["rejected"] == sum(
        1 for p in transport.stored.values() if p["readings"]
    )
    assert total["accepted"] == 23 - total["rejected"]
    assert (total["parked"], total["failed"], total["reconnects"]) == (0, 0, 1)
    assert lines[-1]["adapter"] == "not connected"
    assert (lines[-1]["pending"], lines[-1]["parked_now"]) == ("0", "0")


def test_status_line_counts_failures_parked_and_the_outbox(make_config, caplog):
    caplog.set_level("INFO", logger="obd_bridge.runner")
    config = make_config(batch_max_items=1, batch_max_age=60, status_interval=3600)
    s = SessionInfo("garage-1", new_uuid(), "2026-11-21T09:00:00.000Z")
    with Outbox(config.outbox_path, max_items=1) as box:
        for i in range(4):
            box.append(s, [Reading("RPM", 1.8e9 + i, float(i), "rpm")])
        transport = FakeTransport(["ok", PermanentError("HTTP 403"), "ok"])
        runner = Runner(config, transport_factory=lambda: transport)
        Sender(box, transport, runner.stats).flush()
        box.append(s, [Reading("RPM", 1.8e9 + 9, 9.0, "rpm")])
        Sender(box, DownTransport(), runner.stats).flush()
        counts = runner.log_status(box)
        again = runner.log_status(box)
    assert (counts["sent"], counts["parked"], counts["failed"]) == (3, 1, 1)
    assert (counts["pending"], counts["parked_total"]) == (1, 1)
    assert (again["sent"], again["parked"], again["failed"]) == (0, 0, 0)  # reset
    (first, second) = status_lines(caplog)
    assert first["pending"] == "1" and first["parked_now"] == "1"
    assert second["sent"] == "0"


def test_odoo_down_keeps_everything_until_acknowledged(make_config):
    config = make_config(batch_max_items=3, batch_max_age=60)  # sealed by size only
    polls = [[("RPM", 800 + i, "rpm")] for i in range(7)]
    reader = FakeReader([session_entry(polls, then="disconnect")])
    transport = DownTransport()
    runner = Runner(
        config, reader_factory=lambda: reader, transport_factory=lambda: transport
    )
    thread = run_in_thread(runner)
    box = Outbox(config.outbox_path)
    # session: connected + 2 dtcs + 7 readings + disconnected + session_end = 12
    wait_for(lambda: box.stats().pending == 4, 10, message="4 sealed batches")
    wait_for(lambda: len(transport.sent) >= 3, 10, message="retries")
    assert transport.stored == {}
    assert any(b.attempts >= 1 and "refused" in b.last_error for b in box.pending())

    transport.up.set()  # Odoo is back
    wait_for(lambda: box.stats().pending == 0, 10, message="delivery")
    runner.request_stop()
    thread.join(10)
    values = sorted(
        r["value"] for p in transport.stored.values() for r in p["readings"]
    )
    assert values == [800.0 + i for i in range(7)]
    assert len(transport.stored) == 4
    box.close()


def test_stop_with_odoo_down_leaves_the_batches_for_next_time(make_config):
    config = make_config(batch_max_items=100, batch_max_age=60)
    reader = FakeReader([session_entry([[("RPM", 800, "rpm")]], then="idle")])
    down = DownTransport()
    runner = Runner(
        config, reader_factory=lambda: reader, transport_factory=lambda: down
    )
    thread = run_in_thread(runner)
    with Outbox(config.outbox_path) as box:
        # connected + 2 DTCs + 1 reading, still in the open batch
        wait_for(lambda: box.stats().open_items == 4, 10, message="the reading")
    runner.request_stop()
    thread.join(10)
    assert not thread.is_alive()
    with Outbox(config.outbox_path) as box:
        (batch,) = box.pending()  # sealed on stop, not delivered, not lost
    assert [e["type"] for e in batch.payload["events"]] == ["connected", "session_end"]
    assert [r["value"] for r in batch.payload["readings"]] == [800.0]

    # next start: Odoo is up, the old batch goes first
    reader2 = FakeReader([])
    transport = FakeTransport()
    runner2 = Runner(
        config, reader_factory=lambda: reader2, transport_factory=lambda: transport
    )
    thread = run_in_thread(runner2)
    wait_for(lambda: batch.batch_uuid in transport.stored, 10)
    runner2.request_stop()
    thread.join(10)


# -- the real thing -----------------------------------------------------------------
CAR = {
    "vin": "VF1RFB00X12345678",
    "pids": {
        0x0C: [bytes([0x0C, 0x80]), bytes([0x0D, 0x00])],
        0x0D: [b"\x32"],
        0x05: [b"\x7b"],
    },
    "stored": ("P0301",),
    "pending": ("P0171",),
}


def test_end_to_end_unplug_replug_with_odoo_down_then_up(make_config, tmp_path):
    """elmulator + python-OBD + runner + XML-RPC to the Odoo-shaped server.

    Odoo is down from the start. The adapter is killed mid-session: the session
    ends, its readings are in the outbox. The adapter comes back on the same port:
    a new session. Odoo comes up: everything arrives, each batch once."""
    emulator = Emulator(car_scenario("e2e_car", **CAR), tmp_path).start()
    odoo = FakeOdoo()
    odoo.port = free_port()  # not started yet: connection refused
    config = make_config(
        port=emulator.url,
        odoo_url=f"http://127.0.0.1:{odoo.port}",
        pids="RPM=0.1,SPEED=0.2,COOLANT_TEMP=5",
        batch_max_items=10,
        batch_max_age=0.3,
    )
    runner = Runner(config)
    thread = run_in_thread(runner)
    box = Outbox(config.outbox_path)
    try:
        wait_for(lambda: box.stats().pending >= 2, 20, message="readings queued")
        emulator.kill()  # unplugged mid-session
        first = runner.sessions[0].session_uuid

        def first_session_closed():
            box.seal_all()
            payloads = [b.payload for b in box.pending(1000)]
            events = [
                e["type"]
                for p in payloads
                if p["session_uuid"] == first
                for e in p["events"]
            ]
            return events[-2:] == ["disconnected", "session_end"] and payloads

        payloads = wait_for(first_session_closed, 20, message="session end")
        readings = [r for p in payloads for r in p["readings"]]
        assert {r["pid"] for r in readings} == {"RPM", "SPEED", "COOLANT_TEMP"}
        assert {r["value"] for r in readings if r["pid"] == "RPM"} == {800.0, 832.0}

        emulator.start()  # plugged back, same port
        wait_for(lambda: len(runner.sessions) == 2, 30, message="reconnect")
        odoo.start(port=odoo.port)  # Odoo comes up
        wait_for(lambda: len(odoo.items("readings")) > len(readings) + 3, 20)
    finally:
        runner.request_stop()
        thread.join(20)
        emulator.kill()
        odoo.stop()
    assert not thread.is_alive()
    assert box.stats().pending == 0 and box.stats().parked == 0
    assert odoo.contract_violations == []
    assert set(odoo.store_counts().values()) == {1}  # each batch stored once
    sessions = by_session(odoo.payloads())
    assert list(sessions) == [s.session_uuid for s in runner.sessions]
    one, two = sessions.values()
    assert [e["type"] for e in one["events"]] == [
        "connected",
        "disconnected",
        "session_end",
    ]
    assert [e["type"] for e in two["events"]] == ["connected", "session_end"]
    assert {(d["code"], d["status"]) for d in one["dtcs"]} == {
        ("P0301", "stored"),
        ("P0171", "pending"),
    }
    header = odoo.payloads()[0]
    assert header["vin"] == "VF1RFB00X12345678"
    assert header["adapter"] == "ELM327 v1.5"
    assert header["protocol"] == "ISO 15765-4 (CAN 11/500)"
    assert header["bridge_id"] == "garage-1"
    box.close()


def test_silent_adapter_ends_the_session_and_is_reopened(make_config, tmp_path):
    """elmulator keeps the link open but stops answering after the first RPM:
    python-OBD still says Car Connected. The watchdog ends the session (events
    disconnected + session_end, delivered to the Odoo-shaped server), the bridge
    closes the adapter, pauses and reconnects: a new session, answering again."""
    scenario = car_scenario(
        "silent_runner_car",
        pids={0x0C: [bytes([0x0C, 0x80])]},
        extra=[{"request": "010C", "response_chunks": [], "post_action": "stall"}],
    )
    emulator = Emulator(scenario, tmp_path).start()
    odoo = FakeOdoo().start()
    config = make_config(
        port=emulator.url,
        odoo_url=odoo.url,
        transport="json2",
        pids="RPM=0.05",
        adapter_timeout=0.05,
        max_silent=2,
        reconnect_initial=0.5,
        reconnect_max=1,
        batch_max_age=0.2,
    )
    runner = Runner(config)
    thread = run_in_thread(runner)
    try:
        wait_for(lambda: len(runner.sessions) == 2, 40, message="reconnect")
        first = runner.sessions[0].session_uuid

        def first_session_delivered():
            events = [
                e
                for p in odoo.payloads()
                if p["session_uuid"] == first
                for e in p["events"]
            ]
            return (
                events if events[-1:] and events[-1]["type"] == "session_end" else None
            )

        events = wait_for(first_session_delivered, 20, message="first session")
        second = runner.sessions[1].session_uuid
        wait_for(
            lambda: any(
                p["session_uuid"] == second and p["readings"] for p in odoo.payloads()
            ),
            20,
            message="readings of the second session",
        )
    finally:
        runner.request_stop()
        thread.join(30)
        emulator.kill()
        odoo.stop()
    assert [e["type"] for e in events] == ["connected", "disconnected", "session_end"]
    assert "adapter silent: 2 queries in a row got no answer" in events[1]["detail"]
    assert events[2]["detail"] == "adapter disconnected"
    readings = [
        r["value"]
        for p in odoo.payloads()
        if p["session_uuid"] == first
        for r in p["readings"]
    ]
    assert readings == [800.0]
    assert emulator.transcript().count("client connected") == 2
    assert runner.stats.totals()["reconnects"] == 1


def test_daemon_process_stops_cleanly_on_sigterm(tmp_path, fake_odoo):
    emulator = Emulator(car_scenario("sigterm_car", **CAR), tmp_path).start()
    config = tmp_path / "bridge.toml"
    config.write_text(
        f"""
[adapter]
port = "{emulator.url}"
[pids]
RPM = 0.2
[odoo]
url = "{fake_odoo.url}"
db = "atelier"
api_key = "{fake_odoo.api_key}"
transport = "json2"
[bridge]
id = "garage-9"
outbox = "{tmp_path / "outbox.sqlite3"}"
batch_max_items = 1000
batch_max_age = 60
""",
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("OBD_BRIDGE_")}
    cmd = [sys.executable, "-m", "obd_bridge"]
    proc = subprocess.Popen(
        [*cmd, "run", "-c", str(config)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(lambda: "'010C' ->" in emulator.transcript(), 30, message="polling")
        time.sleep(0.5)
        assert fake_odoo.payloads() == []  # batches are 60 s / 1000 items: not yet sent
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        emulator.kill()
    assert proc.returncode == 0, err
    assert "SIGTERM received, stopping" in err
    (payload,) = fake_odoo.payloads()  # the last flush on the way out
    assert payload["bridge_id"] == "garage-9"
    assert [e["type"] for e in payload["events"]] == ["connected", "session_end"]
    assert payload["events"][-1]["detail"] == "bridge stopped"
    assert payload["readings"] and all(r["pid"] == "RPM" for r in payload["readings"])
    status = subprocess.run(
        [*cmd, "status", "-c", str(config)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["pending"] == 0
