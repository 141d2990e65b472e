# Copyright 2026 Atelier
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The value rules of the ingest API, as plain functions (no ORM).

Everything the bridge sends is checked here before it reaches the database or
a ``json.dumps``: numbers must fit a float and a plausible range, timestamps a
sane calendar, structures a small depth, and whatever is echoed back in a
rejection reason is cut short. See readme/DESCRIPTION.md for the contract.
"""

import hashlib
import json
import math
from datetime import datetime, timedelta, timezone

EPOCH = datetime(1970, 1, 1)
# a timestamp outside these years is not a reading of a car in service
MIN_MOMENT = datetime(2000, 1, 1)
MAX_MOMENT = datetime(2200, 1, 1)
MAX_ODOMETER = 2_000_000  # km
MAX_MAGNITUDE = 1e15  # larger numbers are garbage, and 400-digit ints overflow
MAX_DEPTH = 6  # payload > list > item > freeze_frame > value (and one spare)
MAX_FREEZE_KEYS = 64
MAX_READINESS_KEYS = 64
MAX_SHORT_TEXT = 64
ECHO_CHARS = 60  # how much of a bad value a rejection reason quotes

# Every reason of a rejected item starts with one of these codes
REASON_CODES = (
    "malformed",
    "unknown_pid",
    "not_a_number",
    "not_finite",
    "out_of_range",
    "bad_timestamp",
    "future",
    "before_start",
    "bad_code",
    "bad_status",
    "bad_type",
    "bad_freeze_frame",
    "vin_mismatch",
)
# Reasons of items Odoo keeps aside (recoverable) instead of dropping
TIME_REASONS = ("future", "before_start")


class RuleError(ValueError):
    """A value breaks a rule; the message is the rejection reason."""


def echo(value):
    """``repr(value)``, cut to ECHO_CHARS: a reason never quotes a whole input."""
    if isinstance(value, (dict, list)):
        text = f"<{type(value).__name__} of {len(value)}>"
    else:
        text = repr(value)
    if len(text) > ECHO_CHARS:
        text = text[: ECHO_CHARS - 1] + "…"
    return text


def as_float(value):
    """A finite float of sane magnitude; RuleError (with its code) otherwise."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RuleError(f"not_a_number: {echo(value)}")
    if isinstance(value, int):
        if abs(value) > MAX_MAGNITUDE:
            raise RuleError(f"out_of_range: {echo(value)} is too large")
        return float(value)
    if not math.isfinite(value):
        raise RuleError(f"not_finite: {echo(value)}")
    if abs(value) > MAX_MAGNITUDE:
        raise RuleError(f"out_of_range: {echo(value)} is too large")
    return value


def parse_ts(value):
    """Naive UTC datetime from an ISO 8601 string between the years 2000 and
    2200; RuleError ``bad_timestamp`` otherwise (year 1 or 9999 with an offset
    would overflow when converted to UTC)."""
    if not isinstance(value, str) or len(value) > 40:
        raise RuleError(f"bad_timestamp: {echo(value)}")
    try:
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is not None:
            moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    except (ValueError, OverflowError):
        raise RuleError(f"bad_timestamp: {echo(value)}") from None
    if not MIN_MOMENT <= moment < MAX_MOMENT:
        raise RuleError(f"bad_timestamp: {echo(value)} is not a plausible date")
    return moment


def check_ts(value, window, offset=timedelta(0)):
    """The moment of ``value`` shifted by ``offset`` (the bridge's clock
    correction) when it falls inside ``window`` (low, high); RuleError
    ``bad_timestamp``, ``future`` or ``before_start`` otherwise."""
    moment = parse_ts(value) + offset
    low, high = window
    if moment > high:
        raise RuleError(f"future: {echo(value)} is in the future")
    if moment < low:
        raise RuleError(f"before_start: {echo(value)} is before the session start")
    return moment


def max_depth(value, limit):
    """Depth of nested lists and objects in ``value``, without recursion; stops
    counting past ``limit`` (a 3,000-level structure costs ``limit`` steps per
    branch, not a RecursionError). Scalars are never stacked: a batch of 5,000
    readings costs a few milliseconds."""
    containers = (dict, list)
    if not isinstance(value, containers):
        return 0
    deepest = 0
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > deepest:
            deepest = depth
            if depth > limit:
                return depth
        children = node.values() if isinstance(node, dict) else node
        stack.extend(
            (child, depth + 1) for child in children if isinstance(child, containers)
        )
    return deepest


def freeze_frame(value):
    """A freeze frame as a flat ``{name: number or short text}`` object;
    RuleError ``bad_freeze_frame`` otherwise."""
    if not isinstance(value, dict):
        raise RuleError("bad_freeze_frame: must be an object")
    if len(value) > MAX_FREEZE_KEYS:
        raise RuleError(f"bad_freeze_frame: more than {MAX_FREEZE_KEYS} values")
    clean = {}
    for key, item in value.items():
        if not isinstance(key, str) or not key or len(key) > MAX_SHORT_TEXT:
            raise RuleError(f"bad_freeze_frame: bad name {echo(key)}")
        if isinstance(item, str):
            if len(item) > MAX_SHORT_TEXT:
                raise RuleError(f"bad_freeze_frame: {key} is too long")
            clean[key] = item
        elif item is None or isinstance(item, bool):
            clean[key] = item
        else:
            try:
                as_float(item)
            except RuleError:
                raise RuleError(
                    f"bad_freeze_frame: {key} must be a number or a short text, "
                    f"not {echo(item)}"
                ) from None
            clean[key] = item  # ints stay ints: 2150 rpm, not 2150.0
    return clean


def readiness(value):
    """Readiness monitors: ``{name: status}`` with short names and statuses."""
    if not isinstance(value, dict) or len(value) > MAX_READINESS_KEYS:
        raise RuleError("readiness must be an object of monitor name -> status")
    for key, item in value.items():
        if not isinstance(key, str) or len(key) > MAX_SHORT_TEXT:
            raise RuleError("readiness must be an object of monitor name -> status")
        if not isinstance(item, (str, bool)) or (
            isinstance(item, str) and len(item) > MAX_SHORT_TEXT
        ):
            raise RuleError("readiness must be an object of monitor name -> status")
    return value


def odometer(value):
    """Kilometres between 0 and MAX_ODOMETER."""
    try:
        km = as_float(value)
    except RuleError:
        km = -1
    if not 0 <= km <= MAX_ODOMETER:
        raise RuleError(
            f"odometer must be a number of kilometres between 0 and {MAX_ODOMETER}"
        )
    return km


def content_hash(payload):
    """SHA-256 of what a batch says, whatever the transport: its canonical JSON
    without ``sent_at`` (which changes at each attempt). Call it on a payload
    whose depth was checked."""
    data = {key: value for key, value in payload.items() if key != "sent_at"}
    text = json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def to_epoch_ms(moment):
    return int(round((moment - EPOCH).total_seconds() * 1000))


def from_epoch_ms(value):
    return EPOCH + timedelta(milliseconds=value)
