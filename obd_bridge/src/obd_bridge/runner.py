# SPDX-License-Identifier: GPL-2.0-or-later
"""The daemon loop, after OCA queue_job's job runner.

Two threads share one ``threading.Event`` (``stop``):

- the adapter loop (the caller's thread): open the adapter with capped exponential
  back-off (1, 2, 4, ... 60 s); once connected, one *session* per car connection:
  a ``connected`` event, the trouble codes, then poll the PIDs into the outbox
  until the car goes away (``disconnected`` + ``session_end`` events) or ``stop``
  is set (``session_end``);
- the sender: seal batches that are old enough and deliver pending batches to
  Odoo, oldest first. A transient error keeps the batch and backs off (capped); a
  permanent one parks the batch and goes on with the next.

A third thread logs one status line every ``status_interval`` seconds: what was
read, queued, sent and rejected since the previous line, the reconnects, and the
outbox (pending, parked).

When a session ends because the adapter was lost (unplugged, or silent: see the
reader's watchdog), the adapter is closed and reopened after a pause taken from
the same capped back-off, which is only reset by a session that got valid
answers from the car: an adapter that connects and then says nothing is retried
less and less often, up to ``reconnect_max``.

On stop the session is closed, the adapter released, and one last flush is tried.
Whatever Odoo has not acknowledged stays in the outbox for the next start.

Timestamps come from a :class:`~obd_bridge.clock.SessionClock` (the wall clock
at the session start plus monotonic time): a clock step during a session does
not move them, and each batch is sent with ``sent_at`` in the same frame so that
Odoo can correct a start that was itself wrong.

When the outbox file cannot be written (disk full, file system read-only), the
bridge does not stop: a warning says why, items go to a bounded
:class:`~obd_bridge.memory.MemoryOutbox`, the sender keeps delivering what is
queued (in the file and in memory), the status line shows it, and the items go
back to the file once it can be written again. A batch Odoo fails on with an
internal error while it accepts the next one is parked after a few attempts, so
that one bad batch cannot block the queue.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass

from .clock import SessionClock, boot_id
from .memory import MemoryOutbox
from .outbox import Outbox, OutboxUnavailable, probe
from .payload import (
    AnswerError,
    Event,
    SessionInfo,
    new_uuid,
    parse_answer,
    utc_iso,
    with_sent_at,
)
from .reader import AdapterDisconnected, Reader
from .transport import PermanentError, ServerError, TransientError, make_transport

MAX_KEPT_SESSIONS = 100

_logger = logging.getLogger(__name__)

IDLE_FLUSH_PERIOD = 1.0  # seconds between sender rounds when all is well
MAX_POLL_SLEEP = 1.0  # the adapter loop checks ``stop`` at least this often
OUTBOX_RETRY_PERIOD = 5.0  # seconds between two tries of an unwritable outbox
POISON_ATTEMPTS = 3  # server errors on one batch while the next ones go through


class Backoff:
    """Capped exponential back-off: initial, 2x, 4x, ... never above ``maximum``."""

    def __init__(self, initial: float = 1.0, maximum: float = 60.0, factor=2.0):
        if initial <= 0 or maximum < initial or factor < 1:
            raise ValueError("need 0 < initial <= maximum and factor >= 1")
        self.initial = initial
        self.maximum = maximum
        self.factor = factor
        self.failures = 0

    def next(self) -> float:
        delay = min(self.initial * self.factor ** min(self.failures, 64), self.maximum)
        self.failures += 1
        return delay

    def reset(self) -> None:
        self.failures = 0


class Stats:
    """Thread-safe counters for the status line; ``take()`` returns the counts
    since the previous ``take()``."""

    FIELDS = (
        "read",  # readings read from the car
        "dropped",  # answers dropped (negative response, short frame, garbage)
        "queued",  # items put in the outbox (readings, trouble codes, events)
        "sent",  # batches acknowledged by Odoo (stored or duplicate)
        "accepted",  # items Odoo accepted
        "rejected",  # items Odoo rejected (listed in its answer)
        "parked",  # batches Odoo refused for good
        "failed",  # delivery attempts that failed (Odoo unreachable...)
        "reconnects",  # adapter sessions after the first one
    )

    def __init__(self):
        self._lock = threading.Lock()
        self._counts = dict.fromkeys(self.FIELDS, 0)
        self._totals = dict.fromkeys(self.FIELDS, 0)

    def add(self, **counts: int) -> None:
        with self._lock:
            for name, count in counts.items():
                self._counts[name] += count
                self._totals[name] += count

    def take(self) -> dict[str, int]:
        with self._lock:
            counts, self._counts = self._counts, dict.fromkeys(self.FIELDS, 0)
        return counts

    def totals(self) -> dict[str, int]:
        with self._lock:
            return dict(self._totals)


@dataclass
class FlushResult:
    sent: int = 0
    duplicates: int = 0
    parked: int = 0
    failed: int = 0
    error: str | None = None

    @property
    def delivered(self) -> int:
        return self.sent + self.duplicates

    def as_dict(self) -> dict:
        return {
            "sent": self.sent,
            "duplicates": self.duplicates,
            "parked": self.parked,
            "failed": self.failed,
            "error": self.error,
        }


class Sender:
    """Deliver the pending batches of the outbox file, then of the memory
    stand-in, through one transport.

    While the file cannot be written, what Odoo acknowledged (or refused for
    good) is remembered here and written to the file when it can be: the same
    batch is not sent again and again meanwhile."""

    def __init__(
        self,
        outbox: Outbox | None,
        transport,
        stats: Stats | None = None,
        memory: MemoryOutbox | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        boot: str | None = None,
        wall: Callable[[], float] = time.time,
    ):
        self.outbox = outbox
        self.memory = memory
        self.wall = wall
        self.problem_since = 0.0
        self.transport = transport
        self.stats = stats or Stats()
        self.monotonic = monotonic
        self.boot = boot_id() if boot is None else boot
        self.acked: set[str] = set()  # delivered, not yet deleted from the file
        self.parked: dict[str, str] = {}  # refused, not yet parked in the file
        self.problem: OutboxUnavailable | None = None

    def sources(self) -> list:
        return [box for box in (self.outbox, self.memory) if box is not None]

    def flush(self, stop: threading.Event | None = None) -> FlushResult:
        """Send pending batches oldest first until none is left, a transient error
        happens (Odoo is down: no point in trying the others now) or ``stop``."""
        result = FlushResult()
        for source in self.sources():
            sealed = self._file_op(source, lambda box: box.seal_due())
            if sealed is not None and source is self.outbox and self.problem:
                _logger.info("the outbox can be written again")
                self.problem = None
        self.record_pending_outcomes()
        for source in self.sources():
            if not self._flush_source(source, result, stop):
                break
        return result

    def _flush_source(self, source, result, stop) -> bool:
        """False when the round must end (Odoo unreachable, ``stop``)."""
        failed: set[str] = set()  # batches Odoo failed on in this round
        suspect = None  # the last of them: is it the batch, or Odoo?
        while stop is None or not stop.is_set():
            limit = 20 + len(self.acked) + len(self.parked) + len(failed)
            batches = self._file_op(source, lambda box, n=limit: box.pending(limit=n))
            if source is self.outbox and self.problem is not None:
                # the file takes no more items: the batches open when it failed
                # are complete (later ones may still be filling: not those)
                batches = (batches or []) + [
                    batch
                    for batch in self._file_op(source, lambda box: box.open_batches())
                    or []
                    if batch.created_at <= self.problem_since
                ]
            batches = [
                b
                for b in batches or []
                if b.batch_uuid not in self.acked
                and b.batch_uuid not in self.parked
                and b.batch_uuid not in failed
            ]
            if not batches:
                return True
            for batch in batches:
                if stop is not None and stop.is_set():
                    return False
                outcome = self._send_one(source, batch, result)
                if outcome == "transient":
                    return False
                if outcome == "server_error":
                    failed.add(batch.batch_uuid)
                    if suspect is not None:
                        return False  # two in a row: Odoo is in trouble
                    suspect = batch  # try the next one: does Odoo take it?
                elif outcome == "sent" and suspect is not None:
                    self._maybe_park_poison(source, suspect, result)
                    suspect = None
        return False

    def _maybe_park_poison(self, source, suspect, result) -> None:
        attempts = suspect.attempts + 1
        if attempts < POISON_ATTEMPTS:
            return
        reason = (
            f"Odoo failed on this batch {attempts} times while it accepted the "
            f"next ones (see Odoo's log); parked so that the queue moves on: "
            f"{suspect.last_error or ''}"
        )
        self._park(source, suspect.batch_uuid, reason)
        self.stats.add(parked=1)
        result.parked += 1
        _logger.error("batch %s parked: %s", suspect.batch_uuid, reason)

    def _send_one(self, source, batch, result: FlushResult) -> str:
        """``sent``, ``parked``, ``transient`` or ``server_error``."""
        uuid = batch.batch_uuid
        sent_at = batch.clock.now(self.monotonic(), self.boot) if batch.clock else None
        try:
            answer = parse_answer(
                self.transport.send(with_sent_at(batch.payload, sent_at)), uuid
            )
        except TransientError as exc:
            self._file_op(
                source, lambda box, error=str(exc): box.record_failure(uuid, error)
            )
            self.stats.add(failed=1)
            result.failed += 1
            result.error = str(exc)
            _logger.warning(
                "batch %s kept for later (attempt %d): %s",
                uuid,
                batch.attempts + 1,
                exc,
            )
            return "server_error" if isinstance(exc, ServerError) else "transient"
        except (PermanentError, AnswerError) as exc:
            self._park(source, uuid, str(exc))
            self.stats.add(parked=1)
            result.parked += 1
            result.error = str(exc)
            _logger.error("batch %s parked, Odoo refused it: %s", uuid, exc)
            return "parked"
        if (
            batch.state == "open"
            or self._file_op(source, lambda b: b.ack(uuid)) is None
        ):
            self.acked.add(uuid)  # deleted from the file when it can be
        self.stats.add(sent=1, accepted=answer.accepted, rejected=len(answer.rejected))
        if answer.status == "duplicate":
            result.duplicates += 1
        else:
            result.sent += 1
        _log_rejections(uuid, answer)
        _logger.info(
            "batch %s %s (session %s, %d accepted)",
            uuid,
            answer.status,
            answer.session_id,
            answer.accepted,
        )
        return "sent"

    def _park(self, source, uuid: str, reason: str) -> None:
        if self._file_op(source, lambda box: box.park(uuid, reason)) is None:
            self.parked[uuid] = reason

    def record_pending_outcomes(self) -> None:
        """Write to the file what could not be written when it happened."""
        if self.outbox is None or not (self.acked or self.parked):
            return
        try:
            for uuid in list(self.acked):
                self.outbox.ack(uuid)
                self.acked.discard(uuid)
            for uuid, reason in list(self.parked.items()):
                self.outbox.park(uuid, reason)
                del self.parked[uuid]
        except OutboxUnavailable as exc:
            self._note(exc)

    def _file_op(self, source, operation):
        """``operation(source)``; None (noted) when the file is unwritable."""
        try:
            return operation(source)
        except OutboxUnavailable as exc:
            self._note(exc)
            return None

    def _note(self, exc: OutboxUnavailable) -> None:
        if self.problem is None:
            self.problem_since = self.wall()
        if self.problem is None or self.problem.kind != exc.kind:
            _logger.warning(
                "the outbox cannot be written (%s): still delivering what is "
                "queued; acknowledgements are kept in memory until it can be",
                exc.kind,
            )
        self.problem = exc


def _log_rejections(uuid: str, answer) -> None:
    """One line per batch with rejected items: how many per reason code."""
    if not answer.rejected:
        return
    codes = Counter(
        str(r.get("reason", "?")).split(":", 1)[0] if isinstance(r, dict) else "?"
        for r in answer.rejected
    )
    summary = ", ".join(f"{code} x{count}" for code, count in codes.most_common())
    kept = f"; {answer.kept} kept aside by Odoo" if answer.kept else ""
    _logger.warning(
        "batch %s: Odoo rejected %d item(s) (%s%s); first: %s",
        uuid,
        len(answer.rejected),
        summary,
        kept,
        str(answer.rejected[0])[:300],
    )


class Store:
    """Where the adapter loop puts items: the outbox file, or the memory
    stand-in while the file cannot be written (retried every few seconds)."""

    def __init__(
        self,
        open_outbox: Callable[[], Outbox],
        memory: MemoryOutbox,
        monotonic: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
        path: object = "the outbox",
    ):
        self._open_outbox = open_outbox
        self.path = path
        self.memory = memory
        self.monotonic = monotonic
        self.wall = wall
        self.outbox: Outbox | None = None
        self.problem: OutboxUnavailable | None = None
        self.since: float | None = None  # wall time the problem started
        self._retry_at = 0.0

    def open(self) -> None:
        try:
            self.outbox = self._open_outbox()
            left = self.outbox.seal_all()  # open batches of a previous run
        except OutboxUnavailable as exc:
            self._degrade(exc)
            return
        if left:
            _logger.info("sealed %d batch(es) left open by a previous run", len(left))

    def close(self) -> None:
        if self.outbox is not None:
            self.outbox.close()
            self.outbox = None

    # -- the file or memory ----------------------------------------------------------
    def _file(self) -> Outbox | None:
        """The file when it is worth trying now."""
        if self.problem is not None:
            if self.monotonic() < self._retry_at:
                return None
            self._retry_at = self.monotonic() + OUTBOX_RETRY_PERIOD
            # a file system turned read-only after an error may still take
            # writes into its cache: trust it again only when a new file can
            # be made and synced next to the outbox
            if probe(self.path) is not None:
                return None
            if self.outbox is None:
                try:
                    self.outbox = self._open_outbox()
                except OutboxUnavailable as exc:
                    self._degrade(exc)
                    return None
        return self.outbox

    def append(self, session: SessionInfo, items) -> list[str]:
        items = list(items)
        outbox = self._file()
        if outbox is not None:
            try:
                if self.problem is not None:
                    # the batches left open when the file failed may have been
                    # sent as they are: sealed as they are, a resend is a
                    # duplicate. Sealed before any new item goes in them.
                    outbox.seal_all()
                sealed = outbox.append(session, items)
            except OutboxUnavailable as exc:
                self._degrade(exc)
            else:
                if self.problem is not None:
                    self._recover()
                return sealed
        dropped = self.memory.dropped
        sealed = self.memory.append(session, items)
        if dropped == 0 and self.memory.dropped:
            _logger.error(
                "memory full (%d items) and the outbox still cannot be "
                "written: new readings are dropped until one of them frees",
                self.memory.capacity,
            )
        return sealed

    def seal(self, operation) -> None:
        """``operation(box)`` (a seal) on the file and on memory."""
        operation(self.memory)
        outbox = self.outbox if self.problem is None else self._file()
        if outbox is not None:
            try:
                operation(outbox)
            except OutboxUnavailable as exc:
                self._degrade(exc)

    def _degrade(self, exc: OutboxUnavailable) -> None:
        if self.problem is None or self.problem.kind != exc.kind:
            _logger.warning(
                "outbox %s cannot be written (%s): %s; keeping up to %d items in "
                "memory and still delivering what is queued",
                self.path,
                exc.kind,
                exc.detail,
                self.memory.capacity,
            )
        if self.problem is None:
            self.since = self.wall()
        self.problem = exc
        self._retry_at = self.monotonic() + OUTBOX_RETRY_PERIOD

    def _recover(self) -> None:
        """The file takes writes again: move what memory holds into it."""
        moved = self.persist_memory()
        if moved is None:
            return
        _logger.info(
            "outbox writable again after %.0fs: %d batch(es) moved from memory",
            self.wall() - (self.since or self.wall()),
            moved,
        )
        self.problem = None
        self.since = None
        self.memory.dropped = 0

    def persist_memory(self) -> int | None:
        """Write the memory's batches to the file; None when it failed (they
        stay in memory)."""
        if self.outbox is None:
            return None
        batches = self.memory.take_all()
        for index, batch in enumerate(batches):
            try:
                self.outbox.import_batch(batch)
            except OutboxUnavailable as exc:
                self.memory.give_back(batches[index:])
                self._degrade(exc)
                return None
        return len(batches)

    def status(self) -> str:
        """The status line's words about the outbox's disk, if any."""
        memory = self.memory.stats()
        held = self.memory.items
        if self.problem is None and not held:
            return ""
        text = f"; memory {held} items ({memory.pending} batches)"
        if self.memory.dropped:
            text += f", {self.memory.dropped} readings dropped"
        if self.problem is not None:
            text += f"; OUTBOX NOT WRITABLE ({self.problem.kind})"
        return text


class Runner:
    def __init__(
        self,
        config,
        *,
        reader_factory: Callable[[], Reader] | None = None,
        transport_factory: Callable[[], object] | None = None,
        outbox_factory: Callable[[], Outbox] | None = None,
        stop: threading.Event | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
    ):
        self.config = config
        self.stop = stop or threading.Event()
        self.monotonic = monotonic
        self.wall = wall
        self.reader_factory = reader_factory or self._default_reader
        self.transport_factory = transport_factory or (lambda: make_transport(config))
        self.outbox_factory = outbox_factory or self._default_outbox
        self._wake = threading.Event()
        # this process's last sessions, newest last (bounded: an adapter that
        # keeps dropping would otherwise grow it for the life of the daemon)
        self.sessions: deque[SessionInfo] = deque(maxlen=MAX_KEPT_SESSIONS)
        self.stats = Stats()
        self.adapter_state = "not connected"
        self.memory = MemoryOutbox(
            capacity=getattr(config, "memory_max_items", 50_000),
            max_items=config.batch_max_items,
            max_age=config.batch_max_age,
            clock=wall,
        )
        self.store = Store(
            self.outbox_factory,
            self.memory,
            monotonic,
            wall,
            getattr(config, "outbox_path", "the outbox"),
        )

    def _default_outbox(self) -> Outbox:
        return Outbox(
            self.config.outbox_path,
            max_items=self.config.batch_max_items,
            max_age=self.config.batch_max_age,
            clock=self.wall,
        )

    def _default_reader(self) -> Reader:
        c = self.config
        return Reader(
            c.port,
            c.pids,
            baudrate=c.baudrate,
            timeout=c.adapter_timeout,
            protocol=c.protocol,
            check_voltage=c.check_voltage,
            max_silent=c.max_silent,
            stale_after=c.stale_after,
            monotonic=self.monotonic,
            wall=self.wall,
        )

    def request_stop(self) -> None:
        """Safe from a signal handler."""
        self.stop.set()
        self._wake.set()

    # -- main --------------------------------------------------------------------
    def run(self) -> None:
        self.store.open()
        try:
            sender = threading.Thread(
                target=self._send_loop, name="obd-bridge-sender", daemon=True
            )
            sender.start()
            status = threading.Thread(
                target=self._status_loop, name="obd-bridge-status", daemon=True
            )
            status.start()
            try:
                self._adapter_loop()
            finally:
                self.request_stop()
                sender.join()
                status.join()
                self._final_flush()
        finally:
            self.store.close()

    def _final_flush(self) -> None:
        store = self.store
        store.seal(lambda box: box.seal_all())
        transport = self.transport_factory()
        sender = Sender(
            store.outbox, transport, self.stats, self.memory, wall=self.wall
        )
        try:
            result = sender.flush()
        except Exception:
            _logger.exception("last flush failed")
            result = FlushResult()
        finally:
            transport.close()
        sender.outbox = store.outbox  # what was acknowledged, if it can be written
        sender.record_pending_outcomes()
        left = self.memory.items
        if left:
            if store.persist_memory() is not None:
                _logger.info("%d item(s) held in memory saved to the outbox", left)
            else:
                _logger.error(
                    "%d item(s) held in memory are lost: the outbox still cannot "
                    "be written (%s) and Odoo did not take them",
                    left,
                    store.problem.kind if store.problem else "no outbox",
                )
        self.log_status(store.outbox)
        stats = self._outbox_stats(store.outbox)
        _logger.info(
            "stopped: %d batch(es) delivered on the way out, %s pending, %s parked",
            result.delivered,
            "?" if stats is None else stats.pending,
            "?" if stats is None else stats.parked,
        )

    # -- adapter side ------------------------------------------------------------
    def _adapter_loop(self) -> None:
        backoff = Backoff(self.config.reconnect_initial, self.config.reconnect_max)
        while not self.stop.is_set():
            reader = self.reader_factory()
            try:
                info = reader.open()
            except Exception as exc:
                reader.close()
                delay = backoff.next()
                if isinstance(exc, AdapterDisconnected):
                    _logger.warning(
                        "adapter not available (%s); retry in %gs", exc, delay
                    )
                else:
                    _logger.exception("opening the adapter failed; retry in %gs", delay)
                self.stop.wait(delay)
                continue
            clock = SessionClock(self.wall, self.monotonic)
            reader.wall = clock.now  # the readings' times: see clock.py
            session = SessionInfo(
                bridge_id=self.config.bridge_id,
                session_uuid=new_uuid(),
                started_at=utc_iso(clock.anchor.wall),
                vin=info.vin,
                adapter=info.adapter,
                protocol=info.protocol,
                anchor=clock.anchor,
            )
            if self.sessions:
                self.stats.add(reconnects=1)
            self.sessions.append(session)
            self.adapter_state = f"connected, session {session.session_uuid}"
            try:
                self._session(reader, session, clock)
            except Exception:
                # a bug: end this session, start again later
                _logger.exception("session %s failed", session.session_uuid)
            finally:
                reader.close()
                self.adapter_state = "not connected"
                self.store.seal(
                    lambda box, uuid=session.session_uuid: box.seal_session(uuid)
                )
                self._wake.set()
            if self.stop.is_set():
                break
            # a session that got valid answers proves the link: start the back-off
            # again; one that got nothing (a silent adapter) keeps it growing
            if reader.valid_answers:
                backoff.reset()
            delay = backoff.next()
            _logger.info("adapter closed; reopening it in %gs", delay)
            self.stop.wait(delay)

    def _queue(self, session: SessionInfo, items) -> list[str]:
        items = list(items)
        dropped = self.memory.dropped
        sealed = self.store.append(session, items)
        self.stats.add(queued=len(items) - max(0, self.memory.dropped - dropped))
        return sealed

    def _session(self, reader: Reader, session: SessionInfo, clock) -> None:
        detail = f"{session.adapter} on {self.config.port}, {session.protocol}"
        self._queue(session, [Event("connected", clock.now(), detail)])
        reason = "bridge stopped"
        dropped = reader.dropped
        try:
            self._queue(session, reader.read_dtcs())
            while not self.stop.is_set():
                readings = reader.poll_due()
                if readings:
                    sealed = self._queue(session, readings)
                    self.stats.add(read=len(readings))
                    if sealed:
                        self._wake.set()  # a full batch: deliver it now
                if reader.dropped != dropped:
                    self.stats.add(dropped=reader.dropped - dropped)
                    dropped = reader.dropped
                due = reader.next_due()
                delay = MAX_POLL_SLEEP if due is None else due - self.monotonic()
                if delay > 0:
                    self.stop.wait(min(delay, MAX_POLL_SLEEP))
        except AdapterDisconnected as exc:
            _logger.warning("session %s: adapter lost: %s", session.session_uuid, exc)
            self._queue(session, [Event("disconnected", clock.now(), str(exc))])
            reason = "adapter disconnected"
        self._queue(session, [Event("session_end", clock.now(), reason)])

    # -- Odoo side ---------------------------------------------------------------
    def _open_quietly(self) -> Outbox | None:
        """A connection of this thread to the outbox file, None if it cannot be
        opened now (the adapter loop reports why)."""
        try:
            return self.outbox_factory()
        except OutboxUnavailable:
            return None

    def _send_loop(self) -> None:
        transport = self.transport_factory()
        sender = Sender(
            self._open_quietly(),
            transport,
            self.stats,
            self.memory,
            self.monotonic,
            wall=self.wall,
        )
        backoff = Backoff(self.config.retry_initial, self.config.retry_max)
        try:
            while not self.stop.is_set():
                if sender.outbox is None:
                    sender.outbox = self._open_quietly()
                try:
                    result = sender.flush(self.stop)
                except Exception as exc:  # e.g. the outbox file is locked too long
                    _logger.exception("flush failed")
                    result = FlushResult(failed=1, error=str(exc))
                if result.failed:
                    delay = backoff.next()
                    _logger.warning("Odoo not reachable; next try in %gs", delay)
                    self.stop.wait(delay)
                else:
                    backoff.reset()
                    self._wake.wait(min(IDLE_FLUSH_PERIOD, self.config.batch_max_age))
                    self._wake.clear()
        finally:
            transport.close()
            if sender.outbox is not None:
                sender.outbox.close()

    # -- status line -------------------------------------------------------------
    def _status_loop(self) -> None:
        outbox = self._open_quietly()
        try:
            while not self.stop.wait(self.config.status_interval):
                if outbox is None:
                    outbox = self._open_quietly()
                try:
                    self.log_status(outbox)
                except Exception:  # e.g. the outbox file locked too long
                    _logger.exception("status line failed")
        finally:
            if outbox is not None:
                outbox.close()

    @staticmethod
    def _outbox_stats(outbox: Outbox | None):
        if outbox is None:
            return None
        try:
            return outbox.stats()
        except OutboxUnavailable:
            return None

    def log_status(self, outbox: Outbox | None) -> dict:
        """Log the status line: the counts since the previous one and the outbox
        now. Returns what it logged (for tests and ``obd-bridge status``)."""
        counts = self.stats.take()
        box = self._outbox_stats(outbox)
        pending = box.pending if box else 0
        parked = box.parked if box else 0
        counts.update(pending=pending, parked_total=parked)
        _logger.info(
            "status: %d readings read, %d answers dropped, %d items queued, "
            "%d batches sent (%d items accepted, %d rejected by Odoo), "
            "%d batches parked, %d failed sends, %d reconnects; adapter %s; "
            "outbox %s pending, %s parked%s",
            counts["read"],
            counts["dropped"],
            counts["queued"],
            counts["sent"],
            counts["accepted"],
            counts["rejected"],
            counts["parked"],
            counts["failed"],
            counts["reconnects"],
            self.adapter_state,
            pending if box else "?",
            parked if box else "?",
            self.store.status(),
        )
        return counts


def flush_now(config) -> FlushResult:
    """Deliver what is pending now (``obd-bridge flush``)."""
    with Outbox(
        config.outbox_path,
        max_items=config.batch_max_items,
        max_age=config.batch_max_age,
    ) as outbox:
        transport = make_transport(config)
        try:
            return Sender(outbox, transport).flush()
        finally:
            transport.close()
