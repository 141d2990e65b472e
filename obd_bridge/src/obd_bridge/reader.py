# SPDX-License-Identifier: GPL-2.0-or-later
"""The car side: the only module that imports python-OBD (lazily).

:class:`Reader` opens an ELM327 adapter (a serial device, ``/dev/rfcomm0``, or
``socket://host:port`` for Wi-Fi adapters and emulators), reads the VIN and the
trouble codes, and polls each configured PID at its own rate. Values become plain
floats with a unit string; anything the adapter garbles is dropped with a log line.
A lost adapter or car raises :class:`AdapterDisconnected`.

Two things python-OBD 0.7.3 does not do, done here:

- it decodes whatever bytes come back: an ECU's negative response ``7F 01 12``
  becomes 1152 rpm (or -22 °C), a short frame is padded with zeros (-40 °C). The
  reader sends each OBD request without python-OBD's padding and decoding, checks
  the raw messages (:func:`check_messages`: service byte, PID byte, length) and
  only then lets python-OBD decode the good ones;
- it reports ``CAR_CONNECTED`` while an adapter that stopped answering makes each
  query wait for the serial timeout. The reader sets that timeout (fixed at 10 s
  by python-OBD) to ``timeout`` once connected, and a :class:`Watchdog` turns
  ``max_silent`` unanswered queries in a row, or no valid answer for
  ``stale_after`` seconds, into :class:`AdapterDisconnected`.
"""

from __future__ import annotations

import logging
import math
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from .payload import DTC_RE, Dtc, Reading

_logger = logging.getLogger(__name__)

KEEPALIVE = "_KEEPALIVE"  # pseudo PID polled when no configured PID is supported
KEEPALIVE_INTERVAL = 5.0
VIN_RE = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")
VIN_CHARS = frozenset(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
NEGATIVE_RESPONSE = 0x7F  # ISO 14229 / ISO 15031-5 negative response service id
# negative response codes an OBD ECU sends (ISO 14229-1 table A.1)
NRC_NAMES = {
    0x10: "general reject",
    0x11: "service not supported",
    0x12: "sub-function not supported",
    0x13: "incorrect message length",
    0x14: "response too long",
    0x21: "busy, repeat request",
    0x22: "conditions not correct",
    0x31: "request out of range",
    0x33: "security access denied",
    0x78: "response pending",
}

# pint's short unit symbols, made readable where python-OBD defines its own
_UNIT_SYMBOLS = {
    "kph": "km/h",
    "GPS": "g/s",
    "LPH": "L/h",
    "PPM": "ppm",
    "deg": "°",
    "ratio": "",
    "dimensionless": "",
    "l": "L",
}


class AdapterDisconnected(Exception):
    """The adapter or the car is gone (or never answered)."""


def check_messages(command, messages) -> tuple[list, list[tuple[str, str]]]:
    """Split python-OBD messages (undecoded, unpadded) into the ones that answer
    ``command`` and the problems of the others, as ``(kind, text)``.

    Dropped: a negative response (service ``7F``), an answer to another service
    or PID, a mode 01/02 frame shorter than the command's data (python-OBD would
    pad it with zeros), an empty frame. Mode 09 sizes are left alone: python-OBD's
    are those of the legacy protocols, the VIN is decoded from the raw bytes."""
    good, problems = [], []
    mode, pid, size = command.mode, command.pid, command.bytes
    for message in messages:
        data = bytes(message.data)
        if not data:
            problems.append(("empty", "empty frame"))
        elif data[0] == NEGATIVE_RESPONSE:
            nrc = data[2] if len(data) > 2 else None
            name = NRC_NAMES.get(nrc, "unknown code") if nrc is not None else "no code"
            problems.append(("negative", f"negative response {data.hex(' ')} ({name})"))
        elif mode is not None and data[0] != 0x40 + mode:
            problems.append(
                ("mismatch", f"answer to service {data[0]:02X}, not {0x40 + mode:02X}")
            )
        elif mode in (1, 2, 9) and pid is not None and data[1:2] != bytes([pid]):
            got = f"{data[1]:02X}" if len(data) > 1 else "none"
            problems.append(("mismatch", f"answer for PID {got}, not {pid:02X}"))
        elif mode in (1, 2) and size and len(data) < size:
            problems.append(
                ("short", f"short frame {data.hex(' ')} ({len(data)} of {size} bytes)")
            )
        else:
            good.append(message)
    return good, problems


class Watchdog:
    """Notices an adapter that stopped answering while python-OBD still says
    *Car Connected*: ``max_silent`` queries in a row without a single line back
    (each one waited for the serial timeout), or no valid answer from the car for
    ``stale_after`` seconds (never less than twice the fastest polling rate)."""

    def __init__(
        self,
        max_silent: int = 3,
        stale_after: float = 30.0,
        monotonic: Callable[[], float] = time.monotonic,
    ):
        self.max_silent = max_silent
        self.stale_after = stale_after
        self.monotonic = monotonic
        self.restart()

    def restart(self, fastest_interval: float | None = None) -> None:
        self.silent = 0
        self.valid = 0
        self.last_valid = self.monotonic()
        self.limit = self.stale_after
        if fastest_interval:
            self.limit = max(self.stale_after, 2 * fastest_interval)

    def unanswered(self) -> None:
        self.silent += 1

    def answered(self, valid: bool) -> None:
        self.silent = 0
        if valid:
            self.valid += 1
            self.last_valid = self.monotonic()

    def verdict(self) -> str | None:
        """Why the adapter should be considered gone, or None."""
        if self.silent >= self.max_silent:
            return f"adapter silent: {self.silent} queries in a row got no answer"
        quiet = self.monotonic() - self.last_valid
        if quiet > self.limit:
            return f"no valid answer from the car for {quiet:.0f}s"
        return None


def _no_decode(_messages):
    """Decoder of the raw requests: python-OBD must not decode before we check."""
    return None


@dataclass(frozen=True)
class AdapterInfo:
    vin: str | None
    adapter: str
    protocol: str


def load_obd():
    """Import python-OBD (GPL-2.0-only); kept out of module import time."""
    import obd  # noqa: PLC0415 - lazy on purpose: GPL module, slow import

    return obd


def unknown_pid_names(names: Iterable[str]) -> list[str]:
    """The names that are not python-OBD commands (for config validation)."""
    obd = load_obd()
    return [n for n in names if not obd.commands.has_name(n)]


def format_unit(units: object) -> str:
    try:
        symbol = format(units, "~")
    except (TypeError, ValueError):
        symbol = str(units)
    symbol = symbol.replace(" ", "")
    return _UNIT_SYMBOLS.get(symbol, symbol)


def to_reading(pid: str, value: object, ts: float) -> Reading | None:
    """A python-OBD value -> a :class:`Reading`, or ``None`` (logged) if it is not
    a finite number: ``None`` (NO DATA), NaN, a string, a bit array..."""
    if value is None:
        _logger.info("%s: no data from the adapter, dropped", pid)
        return None
    unit = ""
    magnitude = value
    if hasattr(value, "magnitude") and hasattr(value, "units"):
        magnitude = value.magnitude
        unit = format_unit(value.units)
    if isinstance(magnitude, bool) or not isinstance(magnitude, (int, float)):
        _logger.warning(
            "%s: not a number (%s %.60r), dropped", pid, type(magnitude).__name__, value
        )
        return None
    number = float(magnitude)
    if not math.isfinite(number):
        _logger.warning("%s: non-finite value %r, dropped", pid, number)
        return None
    return Reading(pid=pid, ts=ts, value=number, unit=unit)


def decode_vin(data: bytes | bytearray | None) -> str | None:
    """The VIN from a mode 09 PID 02 message body.

    python-OBD 0.7.3's VIN decoder strips the characters ``0 1 2 x \\`` from both
    ends (it mixes ``b'\\x01'`` and ``b'\\\\x01'``), so we decode the raw bytes: keep
    the VIN alphabet, drop the count byte and padding, take the last 17."""
    if not data:
        return None
    body = bytes(data[2:]) if len(data) > 2 and data[0] == 0x49 else bytes(data)
    chars = bytes(b for b in body if b in VIN_CHARS).decode("ascii")
    if len(chars) < 17:
        return None
    vin = chars[-17:]
    return vin if VIN_RE.match(vin) else None


def dtc_codes(value: object) -> list[str]:
    """python-OBD's DTC value(s) ``[("P0301", "desc"), ...]`` -> valid codes."""
    if value is None:
        return []
    if isinstance(value, tuple) and value and isinstance(value[0], str):
        value = [value]  # FREEZE_DTC: a single (code, description)
    codes = []
    for entry in value if isinstance(value, (list, tuple)) else []:
        code = entry[0] if isinstance(entry, (list, tuple)) and entry else entry
        if isinstance(code, str) and DTC_RE.match(code):
            if code not in codes and code != "P0000":
                codes.append(code)
        else:
            _logger.warning("unparsable trouble code %r, dropped", entry)
    return codes


def _permanent_dtc_command(obd):
    """Mode 0A (permanent DTCs): python-OBD 0.7.3 has no command for it."""
    from obd import decoders  # noqa: PLC0415 - see load_obd()

    return obd.OBDCommand(
        "GET_PERMANENT_DTC", "Get permanent DTCs", b"0A", 0, decoders.dtc, obd.ECU.ALL
    )


class Reader:
    """One adapter connection. Not thread-safe: one thread polls."""

    def __init__(
        self,
        port: str,
        pids: Sequence,  # of config.PidConfig (name, interval)
        baudrate: int | None = 38400,
        timeout: float = 1.0,
        protocol: str | None = None,
        check_voltage: bool = True,
        max_silent: int = 3,
        stale_after: float = 30.0,
        monotonic: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
    ):
        self.port = port
        self.pids = list(pids)
        self.baudrate = baudrate
        self.timeout = timeout
        self.protocol = protocol
        self.check_voltage = check_voltage
        self.monotonic = monotonic
        self.wall = wall
        self._conn = None
        self._commands: dict = {}
        self._next_due: dict[str, float] = {}
        self._intervals: dict[str, float] = {}
        self._raw: dict = {}  # command -> its undecoded, unpadded twin
        self._logged: set[tuple[str, str]] = set()
        self.watchdog = Watchdog(max_silent, stale_after, monotonic)
        self.dropped = 0  # answers dropped since this reader was made

    # -- connection --------------------------------------------------------------
    def open(self) -> AdapterInfo:
        obd = load_obd()
        try:
            conn = obd.OBD(
                self.port,
                baudrate=self.baudrate,
                protocol=self.protocol,
                fast=False,
                timeout=self.timeout,
                check_voltage=self.check_voltage,
            )
        except Exception as exc:  # pyserial/OS errors escaping python-OBD
            raise AdapterDisconnected(f"cannot open {self.port}: {exc}") from exc
        status = conn.status()
        if status != obd.OBDStatus.CAR_CONNECTED:
            self._safe_close(conn)
            raise AdapterDisconnected(f"{self.port}: {status}, no car connected")
        self._conn = conn
        self._logged.clear()
        self._set_read_timeout(conn)
        self.watchdog.restart()
        self._prepare_commands(obd)
        self.watchdog.restart(min(self._intervals.values(), default=None))
        info = AdapterInfo(
            vin=self.read_vin(),
            adapter=self._adapter_name(obd),
            protocol=conn.protocol_name() or "",
        )
        _logger.info(
            "connected to %s: %s, %s, VIN %s",
            self.port,
            info.adapter,
            info.protocol,
            info.vin or "unknown",
        )
        return info

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            self._safe_close(conn)

    def _set_read_timeout(self, conn) -> None:
        """python-OBD 0.7.3 opens the port with a fixed 10 s read timeout and only
        uses its own ``timeout`` while probing the baud rate: an adapter that stops
        answering would block each query for ~110 s (python-OBD reads ten more
        times when nothing came). Its initialisation keeps the 10 s (a real
        adapter may take seconds to find the protocol); the queries get ours."""
        port = getattr(getattr(conn, "interface", None), "_ELM327__port", None)
        if port is None or not hasattr(port, "timeout"):
            _logger.warning(
                "cannot set the adapter read timeout (python-OBD internals changed):"
                " a silent adapter blocks each query for python-OBD's timeout"
            )
            return
        try:
            port.timeout = self.timeout
        except Exception as exc:  # pyserial refusing the value on this port
            _logger.warning("cannot set the adapter read timeout: %s", exc)

    @property
    def valid_answers(self) -> int:
        """Valid answers from the car since the last open (0: a useless link)."""
        return self.watchdog.valid

    @staticmethod
    def _safe_close(conn) -> None:
        try:
            conn.close()
        except Exception as exc:  # the port may already be gone
            _logger.debug("closing the adapter: %s", exc)

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _prepare_commands(self, obd) -> None:
        now = self.monotonic()
        self._commands.clear()
        self._next_due.clear()
        self._intervals.clear()
        for pid in self.pids:
            if not obd.commands.has_name(pid.name):
                _logger.error("%s is not a python-OBD command, not polled", pid.name)
                continue
            command = obd.commands[pid.name]
            if not self._conn.supports(command):
                _logger.warning(
                    "%s is not supported by this car (mode %s PID %s), not polled",
                    pid.name,
                    command.mode,
                    command.pid,
                )
                continue
            self._commands[pid.name] = command
            self._intervals[pid.name] = pid.interval
            self._next_due[pid.name] = now
        if not self._commands:
            _logger.warning(
                "none of the configured PIDs is supported by this car: "
                "only checking the link every %gs",
                KEEPALIVE_INTERVAL,
            )
            self._commands[KEEPALIVE] = obd.commands.PIDS_A  # 01 00: every car
            self._intervals[KEEPALIVE] = KEEPALIVE_INTERVAL
            self._next_due[KEEPALIVE] = now + KEEPALIVE_INTERVAL

    def _raw_request(self, obd, command):
        """The same OBD request without python-OBD's padding and decoding (AT
        commands are sent as they are)."""
        if command.mode is None:
            return command
        raw = self._raw.get(command)
        if raw is None:
            raw = obd.OBDCommand(
                command.name,
                command.desc,
                command.command,
                0,
                _no_decode,
                command.ecu,
                command.fast,
                command.header,
            )
            self._raw[command] = raw
        return raw

    def _query(self, command, force: bool = False):
        """One query: the decoded response, or None when nothing usable came back
        (logged). Raises AdapterDisconnected when the link is gone or silent."""
        if self._conn is None:
            raise AdapterDisconnected(f"{self.port}: not open")
        response = self._exchange(command, force)
        verdict = self.watchdog.verdict()
        if verdict:
            raise AdapterDisconnected(f"{self.port}: {verdict}")
        return response

    def _exchange(self, command, force: bool):
        obd = load_obd()
        conn = self._conn
        if not force and not conn.supports(command):
            return None
        request = self._raw_request(obd, command)
        try:
            response = conn.query(request, force=True)
        except Exception as exc:
            # python-OBD catches serial errors itself; what lands here is a
            # protocol parser tripping over garbage, or the port dying under it.
            if conn.status() != obd.OBDStatus.CAR_CONNECTED:
                raise AdapterDisconnected(f"{self.port}: {exc}") from exc
            self._drop(command.name, "unparsable", f"unparsable answer ({exc})")
            return None
        if conn.status() != obd.OBDStatus.CAR_CONNECTED:
            raise AdapterDisconnected(f"{self.port}: {conn.status()}")
        if response.command is None:  # not a single line from the adapter
            self.watchdog.unanswered()
            _logger.debug("%s: no answer from the adapter", command.name)
            return None
        if request is command:  # an AT command: the adapter is alive
            self.watchdog.answered(valid=False)
            return response
        messages, problems = check_messages(command, response.messages)
        for kind, text in problems:
            self._drop(command.name, kind, text)
        self.watchdog.answered(valid=bool(messages))
        if not messages:  # everything dropped (logged), or NO DATA
            return None if problems else obd.OBDResponse(command, [])
        try:
            return command(messages)  # python-OBD pads and decodes the good ones
        except Exception as exc:  # a decoder tripping over an odd but valid frame
            self._drop(command.name, "unparsable", f"unparsable answer ({exc})")
            return None

    def _drop(self, name: str, kind: str, text: str) -> None:
        """Log a dropped answer: a warning the first time per command and kind
        on this connection, debug afterwards (the status line counts them)."""
        self.dropped += 1
        if (name, kind) in self._logged:
            _logger.debug("%s: %s, dropped", name, text)
            return
        self._logged.add((name, kind))
        _logger.warning(
            "%s: %s, dropped (further ones on this connection at debug level)",
            name,
            text,
        )

    def _adapter_name(self, obd) -> str:
        response = self._query(obd.commands.ELM_VERSION, force=True)
        value = getattr(response, "value", None)
        if isinstance(value, str) and value.strip() and value.strip() != "OK":
            return value.strip()[:64]
        return "ELM327"

    # -- reads -------------------------------------------------------------------
    def read_vin(self) -> str | None:
        obd = load_obd()
        response = self._query(obd.commands.VIN, force=True)
        messages = getattr(response, "messages", None) or []
        if not messages:
            _logger.info("no VIN from the car (mode 09 PID 02 unanswered)")
            return None
        vin = decode_vin(messages[0].data)
        if vin is None:
            _logger.warning("unparsable VIN %r, ignored", bytes(messages[0].data))
        return vin

    def read_dtcs(self) -> list[Dtc]:
        """Stored (mode 03), pending (mode 07) and permanent (mode 0A) codes, and
        the code that froze the freeze frame (01 02, reported as stored when not
        already listed)."""
        obd = load_obd()
        ts = self.wall()
        result: list[Dtc] = []
        stored = dtc_codes(self._value(self._query(obd.commands.GET_DTC)))
        result += [Dtc(code, "stored", ts) for code in stored]
        if self._conn.supports(obd.commands.FREEZE_DTC):
            frozen = dtc_codes(self._value(self._query(obd.commands.FREEZE_DTC)))
            result += [Dtc(c, "stored", ts) for c in frozen if c not in stored]
        if self._conn.supports(obd.commands.GET_CURRENT_DTC):
            pending = dtc_codes(self._value(self._query(obd.commands.GET_CURRENT_DTC)))
            result += [Dtc(code, "pending", ts) for code in pending]
        permanent = dtc_codes(
            self._value(self._query(_permanent_dtc_command(obd), force=True))
        )
        result += [Dtc(code, "permanent", ts) for code in permanent]
        return result

    @staticmethod
    def _value(response):
        if response is None or response.is_null():
            return None
        return response.value

    def next_due(self) -> float | None:
        """Monotonic time of the next poll, None when nothing is polled."""
        return min(self._next_due.values(), default=None)

    def poll_due(self) -> list[Reading]:
        """Query every PID whose time has come; returns the good readings."""
        readings = []
        now = self.monotonic()
        for name, due in list(self._next_due.items()):
            if due > now:
                continue
            response = self._query(self._commands[name])
            interval = self._intervals[name]
            # keep the rhythm, but never try to catch up on missed polls
            next_due = due + interval
            after = self.monotonic()
            self._next_due[name] = next_due if next_due > after else after + interval
            if name == KEEPALIVE or response is None:  # None: dropped or silent
                continue
            value = None if response.is_null() else response.value
            reading = to_reading(name, value, self.wall())
            if reading is not None:
                readings.append(reading)
        return readings

    @property
    def polled(self) -> list[str]:
        return [name for name in self._commands if name != KEEPALIVE]
