# SPDX-License-Identifier: GPL-2.0-or-later
"""Test doubles for the bridge's tests.

- :class:`FakeOdoo`: a real HTTP server on 127.0.0.1 speaking Odoo's protocol shape
  (``/xmlrpc/2/common``, ``/xmlrpc/2/object``, ``/json/2/<model>/<method>``) and the
  ``atelier.obd.session.ingest`` contract, idempotent on ``batch_uuid``. Modes make
  it fail the ways a real Odoo does.
- :class:`Emulator`: the elmulator ELM327 emulator in its own process (so it can be
  killed like a real adapter being unplugged), and :func:`car_scenario` to script a
  car (VIN, supported PIDs and their values, trouble codes) as ISO-TP CAN frames.
- :class:`FakeReader` / :class:`FakeTransport`: in-memory doubles for unit tests,
  in the spirit of python-OBD's own fake ELM327.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import ssl
import subprocess
import sys
import threading
import time
import xmlrpc.client
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from obd_bridge.payload import Reading
from obd_bridge.reader import AdapterDisconnected, AdapterInfo
from obd_bridge.transport import PermanentError, TransientError

TS_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$")
UUID_RE = re.compile(
    r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"
)

# payload list -> (its items' keys, the key naming their kind, the allowed kinds)
ITEM_CONTRACT = {
    "dtcs": ({"code", "status", "ts"}, "status", {"stored", "pending", "permanent"}),
    "events": (
        {"type", "ts", "detail"},
        "type",
        {"connected", "disconnected", "session_end"},
    ),
}


def wait_for(predicate, timeout=15.0, interval=0.02, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# -- the payload contract, checked by the fake server ------------------------------
def contract_errors(payload) -> list[str]:
    errors = []
    if not isinstance(payload, dict):
        return ["payload is not an object"]
    expected = {
        "bridge_id",
        "batch_uuid",
        "session_uuid",
        "vin",
        "adapter",
        "protocol",
        "started_at",
        "readings",
        "dtcs",
        "events",
    }
    if set(payload) - {"sent_at"} != expected:
        errors.append(f"keys {sorted((set(payload) - {'sent_at'}) ^ expected)} differ")
        return errors
    if "sent_at" in payload and not TS_RE.match(str(payload["sent_at"])):
        errors.append("bad sent_at")
    for key in ("batch_uuid", "session_uuid"):
        if not UUID_RE.match(str(payload[key])):
            errors.append(f"{key} is not a uuid4")
    if payload["vin"] is not None and not re.match(
        r"^[A-HJ-NPR-Z0-9]{17}$", payload["vin"]
    ):
        errors.append("bad vin")
    if not TS_RE.match(payload["started_at"]):
        errors.append("bad started_at")
    for i, r in enumerate(payload["readings"]):
        if set(r) != {"pid", "ts", "value", "unit"} or not TS_RE.match(r["ts"]):
            errors.append(f"bad reading {i}: {r}")
        elif not isinstance(r["value"], float) or not isinstance(r["unit"], str):
            errors.append(f"bad reading value {i}: {r}")
    for key, (fields, kind, kinds) in ITEM_CONTRACT.items():
        for i, item in enumerate(payload[key]):
            if set(item) != fields or item[kind] not in kinds:
                errors.append(f"bad {key} item {i}: {item}")
    return errors


class FakeOdoo:
    """Odoo's protocol shape on a real socket. ``mode`` (thread-safe to change):

    ok | http500 | http503 | http401 | http403 | http404 | http422 | sleep |
    fault1 | fault2 | fault3 | fault4 | crash_after_store | garbage
    """

    def __init__(self, db="atelier", login="bridge", api_key="s3cret-key", uid=7):
        self.db = db
        self.login = login
        self.api_key = api_key
        self.uid = uid
        self.mode = "ok"
        self.sleep = 0.0
        self.stored: dict[str, dict] = {}
        self.answers: list[tuple[str, str]] = []  # (batch_uuid, status)
        self.requests: list[str] = []  # paths
        self.contract_violations: list[str] = []
        self.session_ids: dict[str, int] = {}
        self.lock = threading.Lock()
        self.server: ThreadingHTTPServer | None = None
        self.port: int | None = None
        self.connections: set[socket.socket] = set()
        self._thread: threading.Thread | None = None
        self.tls: ssl.SSLContext | None = None  # set: serve HTTPS

    # -- lifecycle
    @property
    def url(self) -> str:
        scheme = "https" if self.tls else "http"
        return f"{scheme}://127.0.0.1:{self.port}"

    def start(self, port: int | None = None) -> FakeOdoo:
        handler = type("Handler", (_OdooHandler,), {"odoo": self})
        self.server = _QuietServer(("127.0.0.1", port or self.port or 0), handler)
        if self.tls is not None:
            # the handshake happens in the request's thread, on its first read
            self.server.socket = self.tls.wrap_socket(
                self.server.socket, server_side=True, do_handshake_on_connect=False
            )
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(
            target=self.server.serve_forever,
            kwargs={"poll_interval": 0.05},
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Like killing the Odoo process: kept-alive connections die too."""
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self._thread.join(5)
            self.server = None
        with self.lock:
            connections, self.connections = set(self.connections), set()
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)

    # -- the model method
    def ingest(self, payload) -> dict:
        errors = contract_errors(payload)
        if errors:
            with self.lock:
                self.contract_violations.extend(errors)
            raise ValueError("; ".join(errors))
        with self.lock:
            uuid = payload["batch_uuid"]
            status = "duplicate" if uuid in self.stored else "stored"
            if status == "stored":
                self.stored[uuid] = payload
            session_id = self.session_ids.setdefault(
                payload["session_uuid"], len(self.session_ids) + 1
            )
            self.answers.append((uuid, status))
        accepted = sum(len(payload[k]) for k in ("readings", "dtcs", "events"))
        return {
            "batch_uuid": uuid,
            "status": status,
            "session_id": session_id,
            "accepted": accepted,
            "rejected": [],
        }

    # -- what arrived
    def payloads(self) -> list[dict]:
        with self.lock:
            return list(self.stored.values())

    def items(self, kind: str) -> list[dict]:
        return [item for p in self.payloads() for item in p[kind]]

    def store_counts(self) -> Counter:
        with self.lock:
            return Counter(uuid for uuid, status in self.answers if status == "stored")


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        """A client that gave up (timeout test) is not an error here."""


class _OdooHandler(BaseHTTPRequestHandler):
    odoo: FakeOdoo
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # keep pytest output clean
        pass

    def setup(self):
        super().setup()
        with self.odoo.lock:
            self.odoo.connections.add(self.connection)

    def finish(self):
        with self.odoo.lock:
            self.odoo.connections.discard(self.connection)
        super().finish()

    def _reply(self, status: int, body: bytes, ctype: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, data) -> None:
        self._reply(status, json.dumps(data).encode(), "application/json")

    def do_POST(self):
        odoo = self.odoo
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with odoo.lock:
            odoo.requests.append(self.path)
        mode = odoo.mode
        if mode == "sleep":
            time.sleep(odoo.sleep)
        if mode.startswith("http") and mode[4:].isdigit():
            status = int(mode[4:])
            self._json(status, {"name": f"http{status}", "message": "fake error"})
            return
        if mode == "garbage":
            self._reply(200, b"<html>502 Bad Gateway</html>", "text/html")
            return
        if self.path.startswith("/xmlrpc/2/"):
            self._xmlrpc(self.path.rsplit("/", 1)[1], body, mode)
        elif self.path.startswith("/json/2/"):
            self._json2(body, mode)
        else:
            self._json(404, {"name": "werkzeug.exceptions.NotFound"})

    def _maybe_crash(self, mode: str) -> bool:
        if mode == "crash_after_store":
            # Odoo killed after its commit, before answering
            self.odoo.mode = "ok"
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return True
        return False

    def _xmlrpc(self, service: str, body: bytes, mode: str) -> None:
        odoo = self.odoo
        params, method = xmlrpc.client.loads(body)

        def fault(code, text):
            out = xmlrpc.client.dumps(xmlrpc.client.Fault(code, text), allow_none=False)
            self._reply(200, out.encode(), "text/xml")

        if service == "common" and method == "authenticate":
            db, login, key, _env = params
            ok = (db, login, key) == (odoo.db, odoo.login, odoo.api_key)
            result = odoo.uid if ok else False
        elif service == "object" and method == "execute_kw":
            db, uid, key, model, meth, args = params[:6]
            if (db, uid, key) != (odoo.db, odoo.uid, odoo.api_key):
                fault(3, "Access Denied")
                return
            if mode.startswith("fault"):
                code = int(mode[5:])
                text = {
                    1: "Traceback (most recent call last):\nKeyError: 'x'",
                    2: "The VIN is not valid (ValidationError)",
                    3: "Access Denied",
                    4: "You are not allowed to create 'OBD Session'",
                }[code]
                fault(code, text)
                return
            if (model, meth) != ("atelier.obd.session", "ingest") or len(args) != 1:
                fault(1, f"Traceback\nAttributeError: {model}.{meth}")
                return
            try:
                result = odoo.ingest(args[0])
            except ValueError as exc:
                fault(2, str(exc))
                return
            if self._maybe_crash(mode):
                return
        else:
            fault(1, f"unknown {service}.{method}")
            return
        out = xmlrpc.client.dumps((result,), methodresponse=True, allow_none=False)
        self._reply(200, out.encode(), "text/xml")

    def _json2(self, body: bytes, mode: str) -> None:
        odoo = self.odoo
        if self.headers.get("Authorization", "").lower() != f"bearer {odoo.api_key}":
            self._json(401, {"name": "odoo.exceptions.AccessDenied"})
            return
        if self.headers.get("X-Odoo-Database") != odoo.db:
            self._json(404, {"name": "werkzeug.exceptions.NotFound"})
            return
        if not self.headers.get("Content-Type", "").startswith("application/json"):
            self._json(415, {"name": "UnsupportedMediaType"})
            return
        if self.path != "/json/2/atelier.obd.session/ingest":
            self._json(404, {"name": "werkzeug.exceptions.NotFound"})
            return
        data = json.loads(body)
        if set(data) != {"payload"}:
            self._json(422, {"name": "UnprocessableEntity", "message": str(set(data))})
            return
        try:
            result = odoo.ingest(data["payload"])
        except ValueError as exc:
            self._json(
                422, {"name": "odoo.exceptions.ValidationError", "message": str(exc)}
            )
            return
        if self._maybe_crash(mode):
            return
        self._json(200, result)


# -- ELM327 emulator ------------------------------------------------------------------
def can_lines(data: bytes, header: str = "7E8") -> list[str]:
    """ISO-TP framing of one ECU answer, as an ELM327 shows it with headers on."""
    if len(data) <= 7:
        return [f"{header} {len(data):02X} " + data.hex(" ").upper()]
    lines = [f"{header} 10 {len(data):02X} " + data[:6].hex(" ").upper()]
    rest, seq = data[6:], 1
    while rest:
        chunk = rest[:7].ljust(7, b"\x00")
        lines.append(f"{header} 2{seq % 16:X} " + chunk.hex(" ").upper())
        rest, seq = rest[7:], seq + 1
    return lines


def dtc_bytes(code: str) -> bytes:
    kind = "PCBU".index(code[0])
    first = (kind << 6) | (int(code[1], 16) << 4) | int(code[2], 16)
    return bytes([first, int(code[3:5], 16)])


def _support_mask(pids: set[int], base: int) -> bytes:
    mask = 0
    for pid in pids:
        if base < pid <= base + 32:
            mask |= 1 << (32 - (pid - base))
    if any(p > base + 32 for p in pids):
        mask |= 1  # the next range is supported too
    return mask.to_bytes(4, "big")


def command(request: str, lines: list[str] | str, **extra) -> dict:
    if isinstance(lines, str):
        lines = [lines]
    entry = {"request": request, "response_chunks": ["\r".join(lines) + "\r\r>"]}
    entry.update(extra)
    return entry


def car_scenario(
    scenario_id: str = "atelier_car",
    *,
    vin: str | None = "VF1RFB00X12345678",
    pids: dict[int, list[bytes | str]] | None = None,
    stored: tuple[str, ...] = (),
    pending: tuple[str, ...] = (),
    permanent: tuple[str, ...] = (),
    freeze: str | None = None,
    extra: list[dict] | None = None,
) -> dict:
    """An elmulator scenario for a CAN 11/500 car. ``pids``: mode 01 PID -> the
    data bytes of successive answers, or raw reply lines (the last one repeats)."""
    pids = dict(pids or {})
    supported = set(pids) | {0x01}
    if freeze:
        supported.add(0x02)
    commands = [
        command("ATZ", "ELM327 v1.5", echo=True),
        command("ATE0", "OK", echo=True),
        command("ATH1", "OK"),
        command("ATL0", "OK"),
        command("ATRV", "12.6V"),
        command("ATSP0", "OK"),
        command("ATDPN", "A6"),
        command("ATI", "ELM327 v1.5"),
    ]
    for base in (0x00, 0x20, 0x40, 0x60):
        if base == 0 or any(p > base for p in supported):
            data = bytes([0x41, base]) + _support_mask(supported, base)
            commands.append(command(f"01{base:02X}", can_lines(data)))
    commands.append(command("0101", can_lines(bytes.fromhex("41 01 00 07 E5 00"))))
    if freeze:
        commands.append(command("0102", can_lines(b"\x41\x02" + dtc_bytes(freeze))))
    for pid, answers in pids.items():
        for answer in answers:
            if isinstance(answer, str):  # a raw ELM327 line: garbage, NO DATA...
                commands.append(command(f"01{pid:02X}", answer))
            else:
                data = bytes([0x41, pid]) + answer
                commands.append(command(f"01{pid:02X}", can_lines(data)))
    for mode, codes in (("03", stored), ("07", pending), ("0A", permanent)):
        data = bytes([0x40 + int(mode, 16), len(codes)])
        data += b"".join(map(dtc_bytes, codes))
        commands.append(command(mode, can_lines(data)))
    if vin:
        data = b"\x49\x02\x01" + vin.encode("ascii")
        commands.append(command("0902", can_lines(data)))
    commands.extend(extra or [])
    return {
        "schema_version": "obd2.sim_scenario.v1",
        "scenario_id": scenario_id,
        "synthetic": True,
        "description": "Atelier test car",
        "adapter_profile": "elm327_like_tcp",
        "defaults": {"at_response": "OK\r\r>", "obd_response": "NO DATA\r\r>"},
        "stream_split_bytes": None,
        "warnings": [],
        "commands": commands,
        "expected_scan_summary": {},
    }


class Emulator:
    """``python -m elmulator serve`` in a child process: killable like a real
    adapter that is unplugged, restartable on the same port."""

    def __init__(self, scenario: dict, directory: Path):
        self.path = Path(directory) / f"{scenario['scenario_id']}.scenario.json"
        self.path.write_text(json.dumps(scenario), encoding="utf-8")
        self.log = Path(directory) / f"{scenario['scenario_id']}.elmulator.log"
        self.port = 0
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"socket://127.0.0.1:{self.port}"

    def start(self) -> Emulator:
        cmd = [sys.executable, "-m", "elmulator", "serve", str(self.path)]
        cmd += ["--host", "127.0.0.1", "--port", str(self.port)]
        with self.log.open("a") as log:
            self.proc = subprocess.Popen(
                cmd, stdout=subprocess.PIPE, stderr=log, text=True
            )
        line = self.proc.stdout.readline()
        if not line.startswith("LISTENING"):
            self.proc.kill()
            raise RuntimeError(f"elmulator did not start: {line!r}")
        self.port = int(line.split()[1])
        return self

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(5)
            self.proc.stdout.close()
            self.proc = None

    def transcript(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


# -- in-memory doubles ---------------------------------------------------------------
class FakeTransport:
    """Answers like Odoo (idempotent on batch_uuid) or fails as scripted:
    ``outcomes`` is consumed one per send: ``"ok"``, an exception instance, or a
    dict to return as the answer."""

    def __init__(self, outcomes=None):
        self.outcomes = list(outcomes or [])
        self.sent: list[dict] = []
        self.stored: dict[str, dict] = {}
        self.closed = False
        self.lock = threading.Lock()

    def send(self, payload: dict) -> dict:
        with self.lock:
            self.sent.append(payload)
            outcome = self.outcomes.pop(0) if self.outcomes else "ok"
        if isinstance(outcome, Exception):
            raise outcome
        if isinstance(outcome, dict):
            return outcome
        uuid = payload["batch_uuid"]
        status = "duplicate" if uuid in self.stored else "stored"
        self.stored.setdefault(uuid, payload)
        return {"batch_uuid": uuid, "status": status, "session_id": 1, "accepted": 1}

    def close(self) -> None:
        self.closed = True


class DownTransport(FakeTransport):
    """Odoo unreachable until ``up`` is set."""

    def __init__(self):
        super().__init__()
        self.up = threading.Event()

    def send(self, payload: dict) -> dict:
        if not self.up.is_set():
            with self.lock:
                self.sent.append(payload)
            raise TransientError("Connection refused")
        return super().send(payload)


class FakeReader:
    """A scripted adapter. ``script`` is shared by every reader the factory makes:
    each ``open()`` takes the next entry, either an exception (the adapter is not
    there) or a dict ``{"info": AdapterInfo, "dtcs": [...], "polls": [[(pid,
    value, unit)...], ...], "then": "disconnect" | "idle", "valid": 0 | 1,
    "dropped_per_poll": n}``."""

    def __init__(self, script: list, wall=time.time):
        self.script = script
        self.wall = wall
        self.entry = None
        self.opened = 0
        self.closed = 0
        self.dropped = 0

    @property
    def valid_answers(self) -> int:
        """``"valid": 0`` in an entry plays an adapter that never answered."""
        return self.entry.get("valid", 1) if self.entry else 0

    def open(self) -> AdapterInfo:
        self.opened += 1
        if not self.script:
            raise AdapterDisconnected("no adapter (script exhausted)")
        entry = self.script.pop(0)
        if isinstance(entry, Exception):
            raise entry
        self.entry = dict(entry)
        self.entry["polls"] = list(entry.get("polls", []))
        return entry.get("info", AdapterInfo("VF1RFB00X12345678", "FakeELM", "CAN"))

    def read_dtcs(self):
        return list(self.entry.get("dtcs", []))

    def poll_due(self):
        if self.entry["polls"]:
            batch = self.entry["polls"].pop(0)
            self.dropped += self.entry.get("dropped_per_poll", 0)
            return [Reading(pid, self.wall(), float(v), unit) for pid, v, unit in batch]
        if self.entry.get("then", "idle") == "disconnect":
            raise AdapterDisconnected("fake adapter unplugged")
        return []

    def next_due(self):
        return time.monotonic() + 0.005

    def close(self):
        self.closed += 1


__all__ = [
    "DownTransport",
    "Emulator",
    "FakeOdoo",
    "FakeReader",
    "FakeTransport",
    "PermanentError",
    "TransientError",
    "can_lines",
    "car_scenario",
    "contract_errors",
    "free_port",
    "wait_for",
]
