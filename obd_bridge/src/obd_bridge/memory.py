# SPDX-License-Identifier: GPL-2.0-or-later
"""The outbox's stand-in while its file cannot be written.

A full disk or a file system turned read-only must not stop the bridge: the
items go to a :class:`MemoryOutbox` (same batches, same UUIDs, same payloads
as the file would have made), the sender delivers them like the others, and
they move to the file as soon as it can be written again. Memory is bounded:
beyond ``capacity`` items, new *readings* are dropped and counted (events and
trouble codes, a few per session, are always kept). What is still in memory
when the bridge stops is written to the file if it can be, lost otherwise
(logged).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable

from .outbox import Batch, OutboxStats
from .payload import (
    Dtc,
    Event,
    Reading,
    SessionInfo,
    build_payload,
    item_kind,
    new_uuid,
)


class MemoryOutbox:
    """The subset of :class:`~obd_bridge.outbox.Outbox` the runner and the
    sender use, in memory, thread-safe."""

    def __init__(
        self,
        capacity: int = 50_000,
        max_items: int = 200,
        max_age: float = 10.0,
        clock: Callable[[], float] = time.time,
    ):
        self.capacity = capacity
        self.max_items = max_items
        self.max_age = max_age
        self.clock = clock
        self.dropped = 0  # readings refused because memory was full
        self._lock = threading.Lock()
        self._open: dict[str, dict] = {}  # session uuid -> open batch
        self._batches: dict[str, Batch] = {}  # uuid -> sealed (pending/parked)
        self._items = 0  # items held, open and sealed

    # -- writing -------------------------------------------------------------------
    def append(
        self, session: SessionInfo, items: Iterable[Reading | Dtc | Event]
    ) -> list[str]:
        sealed = []
        now = self.clock()
        with self._lock:
            for item in items:
                kind = item_kind(item)
                if kind == "reading" and self._items >= self.capacity:
                    self.dropped += 1
                    continue
                batch = self._open.get(session.session_uuid)
                if batch is None:
                    batch = self._open[session.session_uuid] = {
                        "uuid": new_uuid(),
                        "session": session,
                        "created_at": now,
                        "items": [],
                    }
                batch["items"].append((kind, item.as_item()))
                self._items += 1
                if len(batch["items"]) >= self.max_items:
                    sealed.append(self._seal(session.session_uuid))
        return sealed

    def _seal(self, session_uuid: str) -> str:
        batch = self._open.pop(session_uuid)
        session = batch["session"]
        payload = build_payload(session.header(), batch["uuid"], batch["items"])
        self._batches[batch["uuid"]] = Batch(
            batch["uuid"],
            session_uuid,
            "pending",
            payload,
            0,
            None,
            batch["created_at"],
            session.anchor,
        )
        return batch["uuid"]

    def seal_due(self, now: float | None = None) -> list[str]:
        now = self.clock() if now is None else now
        with self._lock:
            due = [
                uuid
                for uuid, batch in self._open.items()
                if not now - self.max_age < batch["created_at"] <= now + self.max_age
            ]
            return [self._seal(uuid) for uuid in due]

    def seal_session(self, session_uuid: str) -> list[str]:
        with self._lock:
            if session_uuid not in self._open:
                return []
            return [self._seal(session_uuid)]

    def seal_all(self) -> list[str]:
        with self._lock:
            return [self._seal(uuid) for uuid in list(self._open)]

    def _replace(self, batch_uuid: str, **changes) -> bool:
        batch = self._batches.get(batch_uuid)
        if batch is None:
            return False
        values = {**batch.__dict__, **changes}
        self._batches[batch_uuid] = Batch(**values)
        return True

    def ack(self, batch_uuid: str) -> bool:
        with self._lock:
            batch = self._batches.pop(batch_uuid, None)
            if batch is not None:
                self._items -= _count(batch)
            return batch is not None

    def park(self, batch_uuid: str, reason: str) -> bool:
        with self._lock:
            batch = self._batches.get(batch_uuid)
            return batch is not None and self._replace(
                batch_uuid,
                state="parked",
                attempts=batch.attempts + 1,
                last_error=reason[:2000],
            )

    def record_failure(self, batch_uuid: str, error: str) -> None:
        with self._lock:
            batch = self._batches.get(batch_uuid)
            if batch is not None:
                self._replace(
                    batch_uuid, attempts=batch.attempts + 1, last_error=error[:2000]
                )

    def take_all(self) -> list[Batch]:
        """Seal the open batches and hand every batch over (to the file)."""
        with self._lock:
            for uuid in list(self._open):
                self._seal(uuid)
            batches = list(self._batches.values())
            self._batches.clear()
            self._items = 0
            return batches

    def give_back(self, batches: list[Batch]) -> None:
        """Batches the file could not take after all."""
        with self._lock:
            for batch in batches:
                self._batches[batch.batch_uuid] = batch
                self._items += _count(batch)

    # -- reading -------------------------------------------------------------------
    def pending(self, limit: int = 50) -> list[Batch]:
        with self._lock:
            batches = [b for b in self._batches.values() if b.state == "pending"]
        return batches[:limit]  # insertion order

    def parked(self, limit: int = 1000) -> list[Batch]:
        with self._lock:
            batches = [b for b in self._batches.values() if b.state == "parked"]
        return batches[:limit]

    @property
    def items(self) -> int:
        with self._lock:
            return self._items

    def stats(self) -> OutboxStats:
        with self._lock:
            states = [b.state for b in self._batches.values()]
            created = [b["created_at"] for b in self._open.values()] + [
                b.created_at for b in self._batches.values() if b.state == "pending"
            ]
            return OutboxStats(
                open=len(self._open),
                pending=states.count("pending"),
                parked=states.count("parked"),
                open_items=sum(len(b["items"]) for b in self._open.values()),
                oldest=min(created) if created else None,
            )

    def close(self) -> None:
        """Nothing to release (the content stays until handed over)."""


def _count(batch: Batch) -> int:
    return sum(len(batch.payload[key]) for key in ("readings", "dtcs", "events"))
