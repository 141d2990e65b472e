# SPDX-License-Identifier: GPL-2.0-or-later
"""The payload contract with Odoo's ``atelier.obd.session.ingest(payload)``.

Plain data and pure functions only: no I/O, no python-OBD, no HTTP.

A payload (one batch)::

    {"bridge_id": "garage-1", "batch_uuid": "<uuid4>", "session_uuid": "<uuid4>",
     "vin": "VF1RFB00X12345678" or None, "adapter": "ELM327 v1.5",
     "protocol": "ISO 15765-4 (CAN 11/500)", "started_at": "2026-11-21T09:00:00Z",
     "readings": [{"pid": "RPM", "ts": "...Z", "value": 812.0, "unit": "rpm"}],
     "dtcs": [{"code": "P0301", "status": "stored", "ts": "...Z"}],
     "events": [{"type": "connected", "ts": "...Z", "detail": "..."}]}

The answer::

    {"batch_uuid": ..., "status": "stored" | "duplicate", "session_id": int,
     "accepted": int, "rejected": [{"index": i, "kind": "reading", "reason": "..."}]}
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone

from .clock import ClockAnchor

DTC_STATUSES = ("stored", "pending", "permanent")
EVENT_TYPES = ("connected", "disconnected", "session_end")
ANSWER_STATUSES = ("stored", "duplicate")
DTC_RE = re.compile(r"^[PCBU][0-9A-F]{4}$")


class AnswerError(ValueError):
    """Odoo answered, but not with what the contract promises."""


def utc_iso(ts: float) -> str:
    """Epoch seconds -> ``2026-11-21T09:00:01.250Z`` (UTC, milliseconds, Z)."""
    moment = datetime.fromtimestamp(ts, tz=timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def new_uuid() -> str:
    return str(uuid.uuid4())


@dataclass(frozen=True)
class SessionInfo:
    """What is known about one car connection; repeated in each of its batches."""

    bridge_id: str
    session_uuid: str
    started_at: str
    vin: str | None = None
    adapter: str = ""
    protocol: str = ""
    # the session's clock frame (not sent: it dates ``sent_at``, see clock.py)
    anchor: ClockAnchor | None = None

    def header(self) -> dict:
        return {
            "bridge_id": self.bridge_id,
            "session_uuid": self.session_uuid,
            "vin": self.vin,
            "adapter": self.adapter,
            "protocol": self.protocol,
            "started_at": self.started_at,
        }


@dataclass(frozen=True)
class Reading:
    pid: str
    ts: float
    value: float
    unit: str = ""

    def as_item(self) -> dict:
        return {
            "pid": self.pid,
            "ts": utc_iso(self.ts),
            "value": self.value,
            "unit": self.unit,
        }


@dataclass(frozen=True)
class Dtc:
    code: str
    status: str
    ts: float

    def as_item(self) -> dict:
        return {"code": self.code, "status": self.status, "ts": utc_iso(self.ts)}


@dataclass(frozen=True)
class Event:
    type: str
    ts: float
    detail: str = ""

    def as_item(self) -> dict:
        return {"type": self.type, "ts": utc_iso(self.ts), "detail": self.detail}


def item_kind(item: Reading | Dtc | Event) -> str:
    if isinstance(item, Reading):
        return "reading"
    if isinstance(item, Dtc):
        return "dtc"
    if isinstance(item, Event):
        return "event"
    raise TypeError(f"not a payload item: {item!r}")


def build_payload(
    header: dict,
    batch_uuid: str,
    items: list[tuple[str, dict]],
) -> dict:
    """Assemble one batch from its session header and its ``(kind, item)`` list,
    keeping the order in which the items were appended."""
    payload = dict(header)
    payload["batch_uuid"] = batch_uuid
    payload["readings"] = []
    payload["dtcs"] = []
    payload["events"] = []
    lists = {"reading": "readings", "dtc": "dtcs", "event": "events"}
    for kind, item in items:
        payload[lists[kind]].append(item)
    return payload


def with_sent_at(payload: dict, sent_at: float | None) -> dict:
    """The payload as sent: with ``sent_at`` (the bridge's time now, in the
    frame of the payload's timestamps) when it is known."""
    if sent_at is None:
        return payload
    return {**payload, "sent_at": utc_iso(sent_at)}


@dataclass
class Answer:
    batch_uuid: str
    status: str
    session_id: int
    accepted: int
    rejected: list = field(default_factory=list)
    kept: int = 0  # rejected items Odoo kept aside (refused for their time only)


def parse_answer(answer: object, batch_uuid: str) -> Answer:
    """Check Odoo's answer against the contract; raise :class:`AnswerError`."""
    if not isinstance(answer, dict):
        raise AnswerError(f"answer is not an object: {answer!r:.200}")
    if answer.get("batch_uuid") != batch_uuid:
        raise AnswerError(
            f"answer is for batch {answer.get('batch_uuid')!r}, not {batch_uuid!r}"
        )
    status = answer.get("status")
    if status not in ANSWER_STATUSES:
        raise AnswerError(f"unknown answer status {status!r}")
    session_id = answer.get("session_id")
    accepted = answer.get("accepted", 0)
    rejected = answer.get("rejected") or []
    if not isinstance(session_id, int) or isinstance(session_id, bool):
        raise AnswerError(f"session_id is not an integer: {session_id!r}")
    if not isinstance(accepted, int) or not isinstance(rejected, list):
        raise AnswerError("accepted must be an integer and rejected a list")
    kept = answer.get("kept") or 0
    if not isinstance(kept, int) or isinstance(kept, bool):
        raise AnswerError(f"kept is not an integer: {kept!r}")
    return Answer(batch_uuid, status, session_id, accepted, rejected, kept)
