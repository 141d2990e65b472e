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
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from .outbox import Outbox
from .payload import AnswerError, Event, SessionInfo, new_uuid, parse_answer, utc_iso
from .reader import AdapterDisconnected, Reader
from .transport import PermanentError, TransientError, make_transport

MAX_KEPT_SESSIONS = 100

_logger = logging.getLogger(__name__)

IDLE_FLUSH_PERIOD = 1.0  # seconds between sender rounds when all is well
MAX_POLL_SLEEP = 1.0  # the adapter loop checks ``stop`` at least this often


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
    """Deliver the outbox's pending batches through one transport."""

    def __init__(self, outbox: Outbox, transport, stats: Stats | None = None):
        self.outbox = outbox
        self.transport = transport
        self.stats = stats or Stats()

    def flush(self, stop: threading.Event | None = None) -> FlushResult:
        """Send pending batches oldest first until none is left, a transient error
        happens (Odoo is down: no point in trying the others now) or ``stop``."""
        self.outbox.seal_due()
        result = FlushResult()
        while stop is None or not stop.is_set():
            batches = self.outbox.pending(limit=20)
            if not batches:
                break
            for batch in batches:
                if stop is not None and stop.is_set():
                    break
                if not self._send_one(batch, result):
                    return result
        return result

    def _send_one(self, batch, result: FlushResult) -> bool:
        uuid = batch.batch_uuid
        try:
            answer = parse_answer(self.transport.send(batch.payload), uuid)
        except TransientError as exc:
            self.outbox.record_failure(uuid, str(exc))
            self.stats.add(failed=1)
            result.failed += 1
            result.error = str(exc)
            _logger.warning(
                "batch %s kept for later (attempt %d): %s",
                uuid,
                batch.attempts + 1,
                exc,
            )
            return False
        except (PermanentError, AnswerError) as exc:
            self.outbox.park(uuid, str(exc))
            self.stats.add(parked=1)
            result.parked += 1
            result.error = str(exc)
            _logger.error("batch %s parked, Odoo refused it: %s", uuid, exc)
            return True
        self.outbox.ack(uuid)
        self.stats.add(sent=1, accepted=answer.accepted, rejected=len(answer.rejected))
        if answer.status == "duplicate":
            result.duplicates += 1
        else:
            result.sent += 1
        for rejected in answer.rejected:
            _logger.warning("batch %s: Odoo rejected %s", uuid, rejected)
        _logger.info(
            "batch %s %s (session %s, %d accepted)",
            uuid,
            answer.status,
            answer.session_id,
            answer.accepted,
        )
        return True


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
        self.outbox_factory = outbox_factory or (
            lambda: Outbox(
                config.outbox_path,
                max_items=config.batch_max_items,
                max_age=config.batch_max_age,
                clock=wall,
            )
        )
        self._wake = threading.Event()
        # this process's last sessions, newest last (bounded: an adapter that
        # keeps dropping would otherwise grow it for the life of the daemon)
        self.sessions: deque[SessionInfo] = deque(maxlen=MAX_KEPT_SESSIONS)
        self.stats = Stats()
        self.adapter_state = "not connected"

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
        outbox = self.outbox_factory()
        try:
            left = outbox.seal_all()  # open batches of a previous run: sessions over
            if left:
                _logger.info(
                    "sealed %d batch(es) left open by a previous run", len(left)
                )
            sender = threading.Thread(
                target=self._send_loop, name="obd-bridge-sender", daemon=True
            )
            sender.start()
            status = threading.Thread(
                target=self._status_loop, name="obd-bridge-status", daemon=True
            )
            status.start()
            try:
                self._adapter_loop(outbox)
            finally:
                self.request_stop()
                sender.join()
                status.join()
                self._final_flush(outbox)
        finally:
            outbox.close()

    def _final_flush(self, outbox: Outbox) -> None:
        outbox.seal_all()
        transport = self.transport_factory()
        try:
            result = Sender(outbox, transport, self.stats).flush()
        except Exception:
            _logger.exception("last flush failed")
            return
        finally:
            transport.close()
        self.log_status(outbox)
        stats = outbox.stats()
        _logger.info(
            "stopped: %d batch(es) delivered on the way out, %d pending, %d parked",
            result.delivered,
            stats.pending,
            stats.parked,
        )

    # -- adapter side ------------------------------------------------------------
    def _adapter_loop(self, outbox: Outbox) -> None:
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
            session = SessionInfo(
                bridge_id=self.config.bridge_id,
                session_uuid=new_uuid(),
                started_at=utc_iso(self.wall()),
                vin=info.vin,
                adapter=info.adapter,
                protocol=info.protocol,
            )
            if self.sessions:
                self.stats.add(reconnects=1)
            self.sessions.append(session)
            self.adapter_state = f"connected, session {session.session_uuid}"
            try:
                self._session(reader, session, outbox)
            except Exception:
                # a bug or a broken outbox: end this session, start again later
                _logger.exception("session %s failed", session.session_uuid)
            finally:
                reader.close()
                self.adapter_state = "not connected"
                outbox.seal_session(session.session_uuid)
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

    def _session(self, reader: Reader, session: SessionInfo, outbox: Outbox) -> None:
        detail = f"{session.adapter} on {self.config.port}, {session.protocol}"
        outbox.append(session, [Event("connected", self.wall(), detail)])
        self.stats.add(queued=1)
        reason = "bridge stopped"
        dropped = reader.dropped
        try:
            dtcs = reader.read_dtcs()
            outbox.append(session, dtcs)
            self.stats.add(queued=len(dtcs))
            while not self.stop.is_set():
                readings = reader.poll_due()
                if readings:
                    sealed = outbox.append(session, readings)
                    self.stats.add(read=len(readings), queued=len(readings))
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
            outbox.append(session, [Event("disconnected", self.wall(), str(exc))])
            self.stats.add(queued=1)
            reason = "adapter disconnected"
        outbox.append(session, [Event("session_end", self.wall(), reason)])
        self.stats.add(queued=1)

    # -- Odoo side ---------------------------------------------------------------
    def _send_loop(self) -> None:
        outbox = self.outbox_factory()
        transport = self.transport_factory()
        sender = Sender(outbox, transport, self.stats)
        backoff = Backoff(self.config.retry_initial, self.config.retry_max)
        try:
            while not self.stop.is_set():
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
            outbox.close()

    # -- status line -------------------------------------------------------------
    def _status_loop(self) -> None:
        outbox = self.outbox_factory()
        try:
            while not self.stop.wait(self.config.status_interval):
                try:
                    self.log_status(outbox)
                except Exception:  # e.g. the outbox file locked too long
                    _logger.exception("status line failed")
        finally:
            outbox.close()

    def log_status(self, outbox: Outbox) -> dict:
        """Log the status line: the counts since the previous one and the outbox
        now. Returns what it logged (for tests and ``obd-bridge status``)."""
        counts = self.stats.take()
        box = outbox.stats()
        counts.update(pending=box.pending, parked_total=box.parked)
        _logger.info(
            "status: %d readings read, %d answers dropped, %d items queued, "
            "%d batches sent (%d items accepted, %d rejected by Odoo), "
            "%d batches parked, %d failed sends, %d reconnects; adapter %s; "
            "outbox %d pending, %d parked",
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
            box.pending,
            box.parked,
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
