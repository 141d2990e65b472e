# SPDX-License-Identifier: GPL-2.0-or-later
"""The bridge daemon (``python -m obd_bridge run``, a real process) between the
elmulator ELM327 emulator (real python-OBD over ``socket://``) and a real Odoo
with ``atelier_fleet_obd``; what arrived is read back over XML-RPC as admin.

The emulated car answers RPM with 1000, 1001, 1002 ... rpm, one value per query,
starting again at 1000 on each new adapter connection. The emulator's transcript
counts the answers it sent, so "every reading exactly once" is checkable: the
RPM values of a session in Odoo must be exactly 1000 .. 1000 + answers - 1.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest
from bridge_testkit import Emulator, car_scenario, wait_for

from obd_bridge.outbox import Outbox

RPM_START = 1000
RPM_ANSWERS = 2000  # more than any scenario polls: the last answer repeats
VEHICLE_VIN = "VF1RFB00X12345678"  # registered by the odoo fixture


def rpm_bytes(rpm: int) -> bytes:
    return (rpm * 4).to_bytes(2, "big")  # RPM = (256 A + B) / 4


def counting_car(scenario_id: str, vin: str = VEHICLE_VIN, **codes) -> dict:
    return car_scenario(
        scenario_id,
        vin=vin,
        pids={
            0x0C: [rpm_bytes(RPM_START + i) for i in range(RPM_ANSWERS)],
            0x0D: [b"\x32"],  # 50 km/h
            0x05: [b"\x7b"],  # 83 °C
        },
        **codes,
    )


def rpm_answers_per_connection(emulator: Emulator) -> list[int]:
    """How many 01 0C answers the emulator sent on each adapter connection."""
    parts = emulator.transcript().split("client connected")[1:]
    return [part.count("'010C' ->") for part in parts]


class Bridge:
    """``python -m obd_bridge run`` configured by OBD_BRIDGE_* variables."""

    def __init__(self, tmp_path: Path, odoo, emulator, transport: str, bridge_id: str):
        self.outbox = tmp_path / "outbox.sqlite3"
        self.log = tmp_path / "bridge.log"
        self.bridge_id = bridge_id
        env = {k: v for k, v in os.environ.items() if not k.startswith("OBD_BRIDGE_")}
        env.update(odoo.bridge_env(transport))
        env.update(
            {
                "OBD_BRIDGE_PORT": emulator.url,
                "OBD_BRIDGE_ID": bridge_id,
                "OBD_BRIDGE_OUTBOX": str(self.outbox),
                "OBD_BRIDGE_PIDS": "RPM=0.1,SPEED=0.5,COOLANT_TEMP=2",
                "OBD_BRIDGE_ADAPTER_TIMEOUT": "0.2",
                "OBD_BRIDGE_BATCH_MAX_ITEMS": "25",
                "OBD_BRIDGE_BATCH_MAX_AGE": "0.5",
                "OBD_BRIDGE_RETRY_INITIAL": "0.2",
                "OBD_BRIDGE_RETRY_MAX": "1",
                "OBD_BRIDGE_RECONNECT_INITIAL": "0.2",
                "OBD_BRIDGE_RECONNECT_MAX": "1",
                "OBD_BRIDGE_HTTP_TIMEOUT": "5",
                "OBD_BRIDGE_STATUS_INTERVAL": "1",
            }
        )
        self.env = env
        self.proc: subprocess.Popen | None = None

    def start(self) -> Bridge:
        with self.log.open("a") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "obd_bridge", "run"],
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        return self

    def stop(self, sig: int = signal.SIGTERM) -> int:
        proc, self.proc = self.proc, None
        if proc is None:
            return 0
        if proc.poll() is None:
            proc.send_signal(sig)
        try:
            return proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
            raise AssertionError(f"the bridge ignored {sig!r}\n{self.log_tail()}")

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    def outbox_counts(self) -> tuple[int, int, int]:
        with Outbox(self.outbox) as box:
            stats = box.stats()
        return stats.open, stats.pending, stats.parked


class OdooView:
    """What Odoo stored for one bridge, read as admin over XML-RPC."""

    def __init__(self, odoo, bridge_id: str):
        self.odoo = odoo
        self.bridge_id = bridge_id

    def sessions(self) -> list[dict]:
        return self.odoo.admin(
            "atelier.obd.session",
            "search_read",
            [("bridge_id", "=", self.bridge_id)],
            fields=[
                "session_uuid",
                "vin",
                "vehicle_id",
                "adapter",
                "protocol",
                "state",
                "reading_count",
            ],
            order="started_at, id",
        )

    def readings(self) -> dict[int, dict[str, list[float]]]:
        """session id -> pid -> values in time order (chunks by their first
        timestamp, each chunk sorted by Odoo; the epoch-millisecond timestamps
        themselves do not fit XML-RPC's 32-bit integers)."""
        chunks = self.odoo.admin(
            "atelier.obd.reading.chunk",
            "search_read",
            [("session_id.bridge_id", "=", self.bridge_id)],
            fields=["session_id", "pid", "value_list"],
            order="ts_first, id",
        )
        result: dict = defaultdict(lambda: defaultdict(list))
        for chunk in chunks:
            result[chunk["session_id"][0]][chunk["pid"]].extend(chunk["value_list"])
        return result

    def rpm(self, session_id: int) -> list[float]:
        return self.readings()[session_id]["RPM"]

    def events(self, session_id: int) -> list[tuple[str, str]]:
        rows = self.odoo.admin(
            "atelier.obd.event",
            "search_read",
            [("session_id", "=", session_id)],
            fields=["event_type", "detail", "ts"],
            order="ts, id",
        )
        return [(row["event_type"], row["detail"] or "") for row in rows]

    def dtcs(self, session_id: int) -> set[tuple[str, str]]:
        rows = self.odoo.admin(
            "atelier.obd.session.dtc",
            "search_read",
            [("session_id", "=", session_id)],
            fields=["code", "status"],
        )
        return {(row["code"], row["status"]) for row in rows}

    def batch_count(self) -> int:
        return self.odoo.admin(
            "atelier.obd.batch", "search_count", [("bridge_id", "=", self.bridge_id)]
        )

    def rpm_count(self) -> int:
        return sum(len(p.get("RPM", [])) for p in self.readings().values())

    def wait_for_a_second_session(self) -> None:
        """A new session in Odoo, and readings in it."""
        wait_for(lambda: len(self.sessions()) == 2, 60, 0.3, "a new session")
        wait_for(
            lambda: len(self.rpm(self.sessions()[1]["id"])) >= 10,
            60,
            0.3,
            "new readings",
        )


def expected_rpm(count: int) -> list[float]:
    return [float(RPM_START + i) for i in range(count)]


@pytest.fixture
def emulator(request, tmp_path):
    car = counting_car(
        request.node.name[:40],
        stored=("P0301",),
        pending=("P0171",),
        permanent=("P0420",),
    )
    emulator = Emulator(car, tmp_path).start()
    yield emulator
    emulator.kill()


@pytest.fixture
def bridges():
    started: list[Bridge] = []
    yield started
    for bridge in started:
        if bridge.proc is not None:
            bridge.proc.kill()
            bridge.proc.wait(10)


def test_readings_and_trouble_codes_reach_odoo_over_xmlrpc(
    odoo, emulator, tmp_path, bridges
):
    bridge = Bridge(tmp_path, odoo, emulator, "xmlrpc", "e2e-xmlrpc")
    bridges.append(bridge.start())
    view = OdooView(odoo, bridge.bridge_id)
    wait_for(lambda: view.rpm_count() >= 20, 60, 0.3, "readings in Odoo")
    assert bridge.stop() == 0, bridge.log_tail()

    (session,) = view.sessions()
    assert session["vin"] == VEHICLE_VIN == odoo.vehicle_vin
    assert session["vehicle_id"], "the session is linked to the registered vehicle"
    assert session["adapter"] == "ELM327 v1.5"
    assert session["protocol"] == "ISO 15765-4 (CAN 11/500)"
    assert session["state"] == "done"  # session_end arrived on SIGTERM
    assert view.dtcs(session["id"]) == {
        ("P0301", "stored"),
        ("P0171", "pending"),
        ("P0420", "permanent"),
    }
    assert [kind for kind, _detail in view.events(session["id"])] == [
        "connected",
        "session_end",
    ]
    (answers,) = rpm_answers_per_connection(emulator)
    assert view.rpm(session["id"]) == expected_rpm(answers)
    readings = view.readings()[session["id"]]
    assert set(readings["SPEED"]) == {50.0}
    assert set(readings["COOLANT_TEMP"]) == {83.0}
    assert session["reading_count"] == sum(len(p) for p in readings.values())
    assert bridge.outbox_counts() == (0, 0, 0)
    assert "status: " in bridge.log_text()  # one status line per interval
    assert odoo.log_errors() == []


def test_odoo_killed_mid_stream_and_restarted_json2(odoo, emulator, tmp_path, bridges):
    """Odoo dies (SIGKILL: requests in flight are rolled back) while the car is
    being read; the bridge keeps reading into its outbox, and delivers when Odoo
    is back: every reading exactly once."""
    bridge = Bridge(tmp_path, odoo, emulator, "json2", "e2e-odoo-restart")
    bridges.append(bridge.start())
    view = OdooView(odoo, bridge.bridge_id)
    try:
        wait_for(lambda: view.rpm_count() >= 10, 60, 0.3, "readings in Odoo")
        odoo.stop(signal.SIGKILL)
        wait_for(lambda: bridge.outbox_counts()[1] >= 3, 30, 0.2, "queued batches")
    finally:
        if odoo.proc is None:
            odoo.start()
    delivered = view.rpm_count()
    wait_for(lambda: view.rpm_count() > delivered + 10, 60, 0.3, "delivery resumed")
    assert bridge.stop() == 0, bridge.log_tail()

    (session,) = view.sessions()
    (answers,) = rpm_answers_per_connection(emulator)
    assert view.rpm(session["id"]) == expected_rpm(answers)  # no gap, no double
    assert session["state"] == "done"
    assert bridge.outbox_counts() == (0, 0, 0)
    assert "kept for later" in bridge.log_text()  # Odoo was really gone
    assert odoo.log_errors() == []


def test_bridge_sigkilled_and_restarted_xmlrpc(odoo, emulator, tmp_path, bridges):
    """The bridge dies without warning; restarted on the same outbox it seals the
    batch the dead process left open and delivers it: nothing lost or doubled."""
    bridge = Bridge(tmp_path, odoo, emulator, "xmlrpc", "e2e-bridge-kill")
    bridges.append(bridge.start())
    view = OdooView(odoo, bridge.bridge_id)
    wait_for(lambda: view.rpm_count() >= 10, 60, 0.3, "readings in Odoo")
    time.sleep(0.3)  # an open batch with readings in it
    bridge.stop(signal.SIGKILL)
    bridge.start()
    view.wait_for_a_second_session()
    assert bridge.stop() == 0, bridge.log_tail()

    first, second = view.sessions()
    killed, restarted = rpm_answers_per_connection(emulator)
    rpm_first = view.rpm(first["id"])
    # the killed process may have had one answer on the wire, never in the outbox
    assert rpm_first in (expected_rpm(killed), expected_rpm(killed - 1))
    assert len(rpm_first) >= 10
    assert view.rpm(second["id"]) == expected_rpm(restarted)
    assert first["state"] == "running"  # no session_end: the process was killed
    assert [e for e, _d in view.events(second["id"])] == ["connected", "session_end"]
    assert "left open by a previous run" in bridge.log_text()
    assert bridge.outbox_counts() == (0, 0, 0)
    assert odoo.log_errors() == []


def test_adapter_unplugged_and_plugged_back_json2(odoo, emulator, tmp_path, bridges):
    bridge = Bridge(tmp_path, odoo, emulator, "json2", "e2e-adapter")
    bridges.append(bridge.start())
    view = OdooView(odoo, bridge.bridge_id)
    wait_for(lambda: view.rpm_count() >= 10, 60, 0.3, "readings in Odoo")
    emulator.kill()  # the adapter is unplugged
    wait_for(
        lambda: (
            [e for e, _d in view.events(view.sessions()[0]["id"])][-1:]
            == ["session_end"]
        ),
        30,
        0.3,
        "the first session's end in Odoo",
    )
    emulator.start()  # plugged back on the same port
    view.wait_for_a_second_session()
    assert bridge.stop() == 0, bridge.log_tail()

    first, second = view.sessions()
    events = view.events(first["id"])
    assert [kind for kind, _detail in events] == [
        "connected",
        "disconnected",
        "session_end",
    ]
    assert events[-1][1] == "adapter disconnected"
    assert first["state"] == second["state"] == "done"
    unplugged, plugged = rpm_answers_per_connection(emulator)
    assert view.rpm(first["id"]) == expected_rpm(unplugged)
    assert view.rpm(second["id"]) == expected_rpm(plugged)
    # "reconnects" is in every status line: one of them must count this one
    assert re.search(r", [1-9]\d* reconnects; ", bridge.log_text()), bridge.log_tail()
    assert bridge.outbox_counts() == (0, 0, 0)
    assert odoo.log_errors() == []
