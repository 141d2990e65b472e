# SPDX-License-Identifier: GPL-2.0-or-later
"""Configuration: a frozen dataclass from a TOML (or INI) file and the environment.

Precedence: built-in defaults < file < ``OBD_BRIDGE_*`` environment variables.
Anything invalid raises :class:`ConfigError` with a message naming both the file key
and the environment variable; ``__main__`` turns it into exit code 78 (EX_CONFIG).

File layout (TOML; an ``.ini``/``.cfg``/``.conf`` file uses the same sections)::

    [adapter]
    port = "/dev/rfcomm0"            # or "socket://127.0.0.1:35000"
    baudrate = 38400                 # "auto" lets python-OBD probe
    timeout = 1.0                    # serial read timeout of every query
    max_silent = 3                   # unanswered queries in a row: reconnect
    stale_after = 30                 # seconds without a valid answer: reconnect
    [pids]                           # python-OBD command name = seconds between polls
    RPM = 1
    COOLANT_TEMP = 10
    [odoo]
    url = "http://localhost:8069"
    db = "atelier"
    login = "obd-bridge"
    api_key = "..."
    transport = "xmlrpc"             # or "json2"
    [bridge]
    id = "garage-1"
    outbox = "/var/lib/obd-bridge/outbox.sqlite3"
    status_interval = 60             # one status line every minute
    memory_max_items = 50000         # kept in memory while the outbox is unwritable
"""

from __future__ import annotations

import configparser
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from urllib.parse import urlsplit

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

ENV_PREFIX = "OBD_BRIDGE_"
CONFIG_ENV = "OBD_BRIDGE_CONFIG"
TRANSPORTS = ("xmlrpc", "json2")
PID_NAME_RE = re.compile(r"^[A-Z][A-Z0-9_]*$")

DEFAULT_PIDS = (
    ("RPM", 1.0),
    ("SPEED", 1.0),
    ("ENGINE_LOAD", 2.0),
    ("THROTTLE_POS", 2.0),
    ("MAF", 2.0),
    ("COOLANT_TEMP", 10.0),
    ("INTAKE_TEMP", 10.0),
    ("CONTROL_MODULE_VOLTAGE", 10.0),
    ("FUEL_LEVEL", 60.0),
)


class ConfigError(Exception):
    """The configuration cannot be used; the message says what to fix."""


@dataclass(frozen=True)
class PidConfig:
    name: str
    interval: float


@dataclass(frozen=True)
class Config:
    # adapter
    port: str
    bridge_id: str
    odoo_db: str
    api_key: str = field(repr=False)
    outbox_path: Path
    baudrate: int | None = 38400
    adapter_timeout: float = 1.0
    protocol: str | None = None
    check_voltage: bool = True
    max_silent: int = 3
    stale_after: float = 30.0
    pids: tuple[PidConfig, ...] = tuple(PidConfig(n, i) for n, i in DEFAULT_PIDS)
    # odoo
    odoo_url: str = "http://localhost:8069"
    odoo_login: str = ""
    transport: str = "xmlrpc"
    http_timeout: float = 10.0
    retry_initial: float = 1.0
    retry_max: float = 60.0
    # bridge
    batch_max_items: int = 200
    batch_max_age: float = 10.0
    reconnect_initial: float = 1.0
    reconnect_max: float = 60.0
    status_interval: float = 60.0
    memory_max_items: int = 50_000


# field -> (file section, file key, environment variable, kind)
_KEYS = {
    "port": ("adapter", "port", "PORT", "str"),
    "baudrate": ("adapter", "baudrate", "BAUDRATE", "baud"),
    "adapter_timeout": ("adapter", "timeout", "ADAPTER_TIMEOUT", "float"),
    "protocol": ("adapter", "protocol", "PROTOCOL", "protocol"),
    "check_voltage": ("adapter", "check_voltage", "CHECK_VOLTAGE", "bool"),
    "max_silent": ("adapter", "max_silent", "MAX_SILENT", "int"),
    "stale_after": ("adapter", "stale_after", "STALE_AFTER", "float"),
    "pids": ("pids", None, "PIDS", "pids"),
    "odoo_url": ("odoo", "url", "ODOO_URL", "str"),
    "odoo_db": ("odoo", "db", "ODOO_DB", "str"),
    "odoo_login": ("odoo", "login", "ODOO_LOGIN", "str"),
    "api_key": ("odoo", "api_key", "API_KEY", "str"),
    "transport": ("odoo", "transport", "TRANSPORT", "str"),
    "http_timeout": ("odoo", "timeout", "HTTP_TIMEOUT", "float"),
    "retry_initial": ("odoo", "retry_initial", "RETRY_INITIAL", "float"),
    "retry_max": ("odoo", "retry_max", "RETRY_MAX", "float"),
    "bridge_id": ("bridge", "id", "ID", "str"),
    "outbox_path": ("bridge", "outbox", "OUTBOX", "path"),
    "batch_max_items": ("bridge", "batch_max_items", "BATCH_MAX_ITEMS", "int"),
    "batch_max_age": ("bridge", "batch_max_age", "BATCH_MAX_AGE", "float"),
    "reconnect_initial": ("bridge", "reconnect_initial", "RECONNECT_INITIAL", "float"),
    "reconnect_max": ("bridge", "reconnect_max", "RECONNECT_MAX", "float"),
    "status_interval": ("bridge", "status_interval", "STATUS_INTERVAL", "float"),
    "memory_max_items": ("bridge", "memory_max_items", "MEMORY_MAX_ITEMS", "int"),
}
_REQUIRED = ("port", "bridge_id", "odoo_db", "api_key", "outbox_path")


def _label(name: str) -> str:
    section, key, env, _kind = _KEYS[name]
    where = f"[{section}]" if key is None else f"{section}.{key}"
    return f"{where} ({ENV_PREFIX}{env})"


def _read_file(path: Path) -> dict:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from exc
    if path.suffix.lower() in (".ini", ".cfg", ".conf"):
        parser = configparser.ConfigParser(interpolation=None)
        parser.optionxform = str  # keep PID names as written
        try:
            parser.read_string(raw.decode("utf-8"), source=str(path))
        except (configparser.Error, UnicodeDecodeError) as exc:
            raise ConfigError(f"invalid INI in {path}: {exc}") from exc
        return {s: dict(parser.items(s)) for s in parser.sections()}
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"invalid TOML in {path}: {exc}") from exc


def _from_file(data: Mapping, path: Path) -> dict:
    """Flatten the file's sections into ``{field: raw value}``; unknown keys fail."""
    by_key = {(s, k): name for name, (s, k, _e, _t) in _KEYS.items() if k}
    values: dict = {}
    for section, content in data.items():
        if not isinstance(content, Mapping):
            raise ConfigError(f"{path}: '{section}' must be a section, not a value")
        if section == "pids":
            values["pids"] = dict(content)
            continue
        for key, value in content.items():
            name = by_key.get((section, key))
            if name is None:
                raise ConfigError(f"{path}: unknown setting {section}.{key}")
            values[name] = value
    return values


def _from_env(environ: Mapping[str, str]) -> dict:
    values = {}
    for name, (_s, _k, env, _t) in _KEYS.items():
        if ENV_PREFIX + env in environ:
            values[name] = environ[ENV_PREFIX + env]
    return values


def _parse_pids(name: str, raw: object) -> tuple[PidConfig, ...]:
    if isinstance(raw, str):  # env form: "RPM=1,SPEED=0.5"
        pairs = {}
        for part in filter(None, (p.strip() for p in raw.split(","))):
            pid, sep, interval = part.partition("=")
            if not sep:
                raise ConfigError(
                    f"{_label(name)}: expected NAME=SECONDS, got {part!r}"
                )
            pairs[pid.strip()] = interval.strip()
        raw = pairs
    if not isinstance(raw, Mapping) or not raw:
        raise ConfigError(f"{_label(name)}: at least one PID to poll is required")
    result = []
    for pid, interval in raw.items():
        pid_name = str(pid).strip().upper()
        if not PID_NAME_RE.match(pid_name):
            raise ConfigError(f"{_label(name)}: {pid!r} is not a python-OBD command")
        seconds = _coerce_number(name, interval, float, f"polling rate of {pid_name}")
        if seconds <= 0:
            raise ConfigError(
                f"{_label(name)}: polling rate of {pid_name} must be > 0 seconds"
            )
        result.append(PidConfig(pid_name, seconds))
    return tuple(result)


def _coerce_number(name, raw, kind, what=None):
    if isinstance(raw, bool):
        raw = str(raw)
    try:
        return kind(raw)
    except (TypeError, ValueError):
        what = what or "value"
        raise ConfigError(
            f"{_label(name)}: {what} must be a {kind.__name__}, got {raw!r}"
        ) from None


def _coerce(name: str, raw: object):
    kind = _KEYS[name][3]
    if kind == "pids":
        return _parse_pids(name, raw)
    if kind == "str":
        return str(raw).strip()
    if kind == "path":
        text = str(raw).strip()
        return Path(text).expanduser() if text else None
    if kind == "float":
        return _coerce_number(name, raw, float)
    if kind == "int":
        if isinstance(raw, float) and not raw.is_integer():
            raise ConfigError(f"{_label(name)}: must be an integer, got {raw!r}")
        return _coerce_number(name, raw, int)
    if kind == "baud":
        if raw is None or str(raw).strip().lower() in ("", "auto"):
            return None
        return _coerce_number(name, raw, int)
    if kind == "protocol":
        text = str(raw).strip().upper() if raw is not None else ""
        return text or None
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off"):
            return False
        raise ConfigError(f"{_label(name)}: must be true or false, got {raw!r}")
    raise AssertionError(kind)  # pragma: no cover


def _validate(values: dict) -> None:
    for name in _REQUIRED:
        if not values.get(name):
            raise ConfigError(f"{_label(name)} is required")
    url = urlsplit(values.get("odoo_url", Config.odoo_url))
    if url.scheme not in ("http", "https") or not url.netloc:
        raise ConfigError(
            f"{_label('odoo_url')}: expected http(s)://host[:port], "
            f"got {values.get('odoo_url')!r}"
        )
    transport = values.get("transport", Config.transport)
    if transport not in TRANSPORTS:
        raise ConfigError(
            f"{_label('transport')}: must be one of {', '.join(TRANSPORTS)}, "
            f"got {transport!r}"
        )
    if transport == "xmlrpc" and not values.get("odoo_login"):
        raise ConfigError(f"{_label('odoo_login')} is required for XML-RPC")
    for name in (
        "adapter_timeout",
        "http_timeout",
        "retry_initial",
        "retry_max",
        "batch_max_age",
        "reconnect_initial",
        "reconnect_max",
        "stale_after",
        "status_interval",
    ):
        if name in values and not values[name] > 0:
            raise ConfigError(f"{_label(name)}: must be > 0, got {values[name]!r}")
    silent = values.get("max_silent", Config.max_silent)
    if not 1 <= silent <= 1000:
        raise ConfigError(f"{_label('max_silent')}: must be 1..1000 queries")
    items = values.get("batch_max_items", Config.batch_max_items)
    if not 1 <= items <= 10000:
        raise ConfigError(f"{_label('batch_max_items')}: must be 1..10000")
    memory = values.get("memory_max_items", Config.memory_max_items)
    if not 100 <= memory <= 10_000_000:
        raise ConfigError(f"{_label('memory_max_items')}: must be 100..10000000")
    baud = values.get("baudrate", Config.baudrate)
    if baud is not None and baud <= 0:
        raise ConfigError(f"{_label('baudrate')}: must be > 0 or 'auto'")
    protocol = values.get("protocol")
    if protocol is not None and not re.fullmatch(r"[1-9A]", protocol):
        raise ConfigError(f"{_label('protocol')}: must be 1..9 or A (ELM327 ATSP)")
    for low, high in (
        ("retry_initial", "retry_max"),
        ("reconnect_initial", "reconnect_max"),
    ):
        lo = values.get(low, getattr(Config, low))
        hi = values.get(high, getattr(Config, high))
        if lo > hi:
            raise ConfigError(f"{_label(low)} must not exceed {_label(high)}")


def load_config(
    path: str | os.PathLike | None = None,
    environ: Mapping[str, str] | None = None,
) -> Config:
    """Build the :class:`Config` from ``path`` (or ``$OBD_BRIDGE_CONFIG``) and
    the environment (``os.environ`` unless given)."""
    environ = os.environ if environ is None else environ
    if path is None and environ.get(CONFIG_ENV):
        path = environ[CONFIG_ENV]
    raw: dict = {}
    if path is not None:
        file_path = Path(path)
        raw.update(_from_file(_read_file(file_path), file_path))
    raw.update(_from_env(environ))
    values = {name: _coerce(name, value) for name, value in raw.items()}
    _validate(values)
    known = {f.name for f in fields(Config)}
    return Config(**{k: v for k, v in values.items() if k in known})
