# SPDX-License-Identifier: GPL-2.0-or-later
"""The outbox: a SQLite queue of batches that survives restarts.

Items (readings, trouble codes, events) are appended to the *open* batch of their
session. A batch is *sealed* (state ``pending``, payload frozen) when it holds
``max_items`` items, when it is ``max_age`` seconds old, or when its session ends.
Its ``batch_uuid`` is fixed when the batch is created, so sending it twice is
idempotent on the Odoo side. ``ack`` deletes a delivered batch; ``park`` sets aside
one that Odoo refused for good (it stays in the file for an operator to requeue).

One file, WAL journal, one connection per thread; a second process (``obd-bridge
status`` / ``flush``) may open the same file at the same time.

Files written by earlier versions have two more ``batch`` columns, ``item_count``
(now counted from the open batch's items) and ``sealed_at``: both have defaults
and are neither read nor written any more, so such a file opens and works as it is.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .clock import ClockAnchor
from .payload import (
    Dtc,
    Event,
    Reading,
    SessionInfo,
    build_payload,
    item_kind,
    new_uuid,
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS batch (
    batch_uuid   TEXT PRIMARY KEY,
    session_uuid TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('open', 'pending', 'parked')),
    header       TEXT NOT NULL,
    payload      TEXT,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT,
    created_at   REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS batch_state_created ON batch (state, created_at);
CREATE TABLE IF NOT EXISTS item (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    batch_uuid TEXT NOT NULL REFERENCES batch (batch_uuid) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('reading', 'dtc', 'event')),
    data       TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS item_batch ON item (batch_uuid, id);
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT
);
"""
# sqlite3 primary result codes (https://sqlite.org/rescode.html)
SQLITE_PERM, SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN = (
    3,
    8,
    10,
    13,
    14,
)
# What a problem of the outbox's disk is called in logs and the status line;
# at start, all but DISK_FULL are configuration errors (exit 78)
DISK_FULL = "disk full"
READ_ONLY = "read-only file system"
NO_PERMISSION = "no permission"
IO_ERROR = "I/O error"
CANNOT_OPEN = "cannot open the file"
CONFIG_PROBLEMS = (READ_ONLY, NO_PERMISSION, CANNOT_OPEN, IO_ERROR)


class OutboxUnavailable(Exception):
    """The outbox file cannot be written (or opened): the disk is full, the
    file system read-only, the file out of reach. ``kind`` says which."""

    def __init__(self, kind: str, detail: str):
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail


def _read_only(path: Path) -> bool:
    for candidate in (path, *path.parents):
        try:
            return bool(os.statvfs(candidate).f_flag & os.ST_RDONLY)
        except OSError:
            continue
    return False


def probe(path: Path) -> OSError | None:
    """Write and sync one byte next to the outbox: the kernel's error, or None.
    SQLite says "disk I/O error" where the kernel said "read-only file system"
    or "no space left"."""
    if str(path) == ":memory:":
        return None
    path = Path(path)
    probe_file = path.parent / f".{path.name}.probe"
    try:
        handle = os.open(probe_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(handle, b"\0")
            os.fsync(handle)
        finally:
            os.close(handle)
            os.unlink(probe_file)
    except OSError as exc:
        return exc
    return None


def unavailable(exc: BaseException, path: Path) -> OutboxUnavailable | None:
    """The :class:`OutboxUnavailable` matching a sqlite3 or OS error about the
    outbox's disk, None for any other error (a bug, a lock held too long)."""
    if isinstance(exc, OSError):
        code = exc.errno
        if code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            return OutboxUnavailable(DISK_FULL, str(exc))
        if code == errno.EROFS:
            return OutboxUnavailable(READ_ONLY, str(exc))
        if code in (errno.EACCES, errno.EPERM):
            return OutboxUnavailable(NO_PERMISSION, str(exc))
        if code in (errno.ENOTDIR, errno.EEXIST, errno.ENOENT, errno.EISDIR):
            return OutboxUnavailable(CANNOT_OPEN, str(exc))
        return OutboxUnavailable(IO_ERROR, str(exc))
    if not isinstance(exc, sqlite3.Error):
        return None
    code = getattr(exc, "sqlite_errorcode", None)
    text = str(exc).lower()
    primary = code & 0xFF if code is not None else None
    if primary == SQLITE_FULL or "disk is full" in text:
        return OutboxUnavailable(DISK_FULL, str(exc))
    if primary in (SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_IOERR, SQLITE_PERM) or any(
        words in text
        for words in ("readonly database", "unable to open", "disk i/o error")
    ):
        if _read_only(path):
            return OutboxUnavailable(READ_ONLY, str(exc))
        probed = probe(path) if str(path) != ":memory:" else None
        if probed is not None and probed.errno in (
            errno.EROFS,
            errno.ENOSPC,
            errno.EDQUOT,
            errno.EACCES,
            errno.EPERM,
        ):
            kind = unavailable(probed, path).kind
            return OutboxUnavailable(kind, f"{exc} ({probed.strerror})")
        if primary == SQLITE_READONLY or "readonly" in text:
            return OutboxUnavailable(NO_PERMISSION, str(exc))
        if primary == SQLITE_CANTOPEN or "unable to open" in text:
            return OutboxUnavailable(CANNOT_OPEN, str(exc))
        if primary == SQLITE_PERM:
            return OutboxUnavailable(NO_PERMISSION, str(exc))
        return OutboxUnavailable(IO_ERROR, str(exc))
    return None


@dataclass(frozen=True)
class Batch:
    batch_uuid: str
    session_uuid: str
    state: str
    payload: dict
    attempts: int
    last_error: str | None
    created_at: float
    clock: ClockAnchor | None = None  # the frame of its timestamps


@dataclass(frozen=True)
class OutboxStats:
    open: int
    pending: int
    parked: int
    open_items: int
    oldest: float | None  # created_at of the oldest undelivered (open/pending) batch


class Outbox:
    def __init__(
        self,
        path: str | Path,
        max_items: int = 200,
        max_age: float = 10.0,
        clock: Callable[[], float] = time.time,
    ):
        if max_items < 1:
            raise ValueError("max_items must be >= 1")
        self.path = Path(path)
        self.max_items = max_items
        self.max_age = max_age
        self.clock = clock
        try:
            if str(path) != ":memory:":
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(
                str(path), timeout=30.0, isolation_level=None, check_same_thread=True
            )
        except (OSError, sqlite3.Error) as exc:
            problem = unavailable(exc, self.path)
            if problem is None:
                raise
            raise problem from exc
        try:
            self._setup()
        except BaseException as exc:
            self._db.close()
            problem = unavailable(exc, self.path)
            if problem is not None:
                raise problem from exc
            raise

    def _setup(self, attempts: int = 200) -> None:
        """WAL mode and the schema. Switching a new file to WAL takes a lock
        without SQLite's busy handler: when another connection (the sender, the
        status thread, ``obd-bridge status``) opens the file at the same moment,
        wait a little and try again."""
        for attempt in range(attempts):
            try:
                self._db.execute("PRAGMA journal_mode=WAL")
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or attempt == attempts - 1:
                    raise
                time.sleep(0.05)
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.executescript(SCHEMA)
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(batch)")}
        if "clock" not in columns:  # a file of an earlier version
            try:
                self._db.execute("ALTER TABLE batch ADD COLUMN clock TEXT")
            except sqlite3.OperationalError as exc:
                # another connection (the sender, ``obd-bridge status``)
                # opening the same file migrated it between our two steps
                if "duplicate column" not in str(exc):
                    raise

    def check_writable(self) -> None:
        """Write and commit a small row: OutboxUnavailable when the file
        cannot be written (a read-only file system, a full disk...)."""
        with self._write() as db:
            db.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('checked_at', ?)",
                (str(self.clock()),),
            )

    # -- lifecycle ---------------------------------------------------------------
    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Outbox:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _write(self):
        return _Transaction(self._db, self.path)

    # -- writing -----------------------------------------------------------------
    def append(
        self, session: SessionInfo, items: Iterable[Reading | Dtc | Event]
    ) -> list[str]:
        """Append items to the session's open batch(es), in one transaction.

        Returns the list of batch UUIDs sealed because they became full."""
        sealed: list[str] = []
        rows = [(item_kind(item), item.as_item()) for item in items]
        if not rows:
            return sealed
        now = self.clock()
        with self._write() as db:
            batch_uuid, count = self._open_batch(db, session, now)
            for kind, data in rows:
                if count >= self.max_items:
                    self._seal(db, batch_uuid)
                    sealed.append(batch_uuid)
                    batch_uuid, count = self._create_batch(db, session, now)
                db.execute(
                    "INSERT INTO item (batch_uuid, kind, data) VALUES (?, ?, ?)",
                    (batch_uuid, kind, json.dumps(data, allow_nan=False)),
                )
                count += 1
            if count >= self.max_items:
                self._seal(db, batch_uuid)
                sealed.append(batch_uuid)
        return sealed

    def _open_batch(self, db, session, now):
        """The session's open batch and the number of items in it (a new batch
        when it has none)."""
        row = db.execute(
            "SELECT batch_uuid FROM batch "
            "WHERE session_uuid = ? AND state = 'open' "
            "ORDER BY created_at LIMIT 1",
            (session.session_uuid,),
        ).fetchone()
        if row is None:
            return self._create_batch(db, session, now)
        count = db.execute(
            "SELECT COUNT(*) FROM item WHERE batch_uuid = ?", (row[0],)
        ).fetchone()[0]
        return row[0], count

    def _create_batch(self, db, session, now):
        batch_uuid = new_uuid()
        anchor = session.anchor.as_dict() if session.anchor else None
        db.execute(
            "INSERT INTO batch (batch_uuid, session_uuid, state, header, created_at, "
            "clock) VALUES (?, ?, 'open', ?, ?, ?)",
            (
                batch_uuid,
                session.session_uuid,
                json.dumps(session.header(), sort_keys=True),
                now,
                json.dumps(anchor) if anchor else None,
            ),
        )
        return batch_uuid, 0

    def _seal(self, db, batch_uuid: str) -> None:
        header = json.loads(
            db.execute(
                "SELECT header FROM batch WHERE batch_uuid = ?", (batch_uuid,)
            ).fetchone()[0]
        )
        items = [
            (kind, json.loads(data))
            for kind, data in db.execute(
                "SELECT kind, data FROM item WHERE batch_uuid = ? ORDER BY id",
                (batch_uuid,),
            )
        ]
        payload = build_payload(header, batch_uuid, items)
        db.execute(
            "UPDATE batch SET state = 'pending', payload = ? WHERE batch_uuid = ?",
            (json.dumps(payload, allow_nan=False), batch_uuid),
        )
        db.execute("DELETE FROM item WHERE batch_uuid = ?", (batch_uuid,))

    def seal_due(self, now: float | None = None) -> list[str]:
        """Seal open batches older than ``max_age``, and those created "in the
        future" (the wall clock went back since): they would wait for hours."""
        now = self.clock() if now is None else now
        return self._seal_where(
            "(created_at <= ? OR created_at > ?)",
            (now - self.max_age, now + self.max_age),
        )

    def seal_session(self, session_uuid: str) -> list[str]:
        """Seal the open batch of a session that has ended."""
        return self._seal_where("session_uuid = ?", (session_uuid,))

    def seal_all(self) -> list[str]:
        """Seal every open batch (e.g. left by a process that died)."""
        return self._seal_where("1 = 1", ())

    def _seal_where(self, where: str, params: tuple) -> list[str]:
        with self._write() as db:
            uuids = [
                row[0]
                for row in db.execute(
                    f"SELECT batch_uuid FROM batch WHERE state = 'open' AND {where}",
                    params,
                )
            ]
            for batch_uuid in uuids:
                self._seal(db, batch_uuid)
        return uuids

    def ack(self, batch_uuid: str) -> bool:
        """Odoo has the batch (stored or duplicate): forget it."""
        with self._write() as db:
            cur = db.execute(
                "DELETE FROM batch WHERE batch_uuid = ? AND state != 'open'",
                (batch_uuid,),
            )
            return cur.rowcount == 1

    def park(self, batch_uuid: str, reason: str) -> bool:
        """Odoo refused the batch for good: keep it aside, stop sending it."""
        with self._write() as db:
            cur = db.execute(
                "UPDATE batch SET state = 'parked', attempts = attempts + 1, "
                "last_error = ? WHERE batch_uuid = ? AND state = 'pending'",
                (reason[:2000], batch_uuid),
            )
            return cur.rowcount == 1

    def record_failure(self, batch_uuid: str, error: str) -> None:
        """A transient failure: keep the batch pending, remember why."""
        with self._write() as db:
            db.execute(
                "UPDATE batch SET attempts = attempts + 1, last_error = ? "
                "WHERE batch_uuid = ?",
                (error[:2000], batch_uuid),
            )

    def import_batch(self, batch: Batch) -> bool:
        """Store a sealed batch kept elsewhere (in memory while this file could
        not be written), with its UUID; False when the file already has it."""
        with self._write() as db:
            cur = db.execute(
                "INSERT OR IGNORE INTO batch (batch_uuid, session_uuid, state, "
                "header, payload, attempts, last_error, created_at, clock) "
                "VALUES (?, ?, ?, '{}', ?, ?, ?, ?, ?)",
                (
                    batch.batch_uuid,
                    batch.session_uuid,
                    batch.state,
                    json.dumps(batch.payload, allow_nan=False),
                    batch.attempts,
                    batch.last_error,
                    batch.created_at,
                    json.dumps(batch.clock.as_dict()) if batch.clock else None,
                ),
            )
            return cur.rowcount == 1

    def requeue_parked(self) -> int:
        """Put every parked batch back in the queue (after fixing the cause)."""
        with self._write() as db:
            return db.execute(
                "UPDATE batch SET state = 'pending' WHERE state = 'parked'"
            ).rowcount

    # -- reading -----------------------------------------------------------------
    def pending(self, limit: int = 50) -> list[Batch]:
        """Sealed batches waiting for delivery, oldest first."""
        return self._batches("pending", limit)

    def parked(self, limit: int = 1000) -> list[Batch]:
        return self._batches("parked", limit)

    _COLUMNS = (
        "batch_uuid, session_uuid, state, payload, attempts, last_error, "
        "created_at, clock"
    )

    @staticmethod
    def _batch(row) -> Batch:
        payload = json.loads(row[3]) if row[3] else None
        clock = ClockAnchor.from_dict(json.loads(row[7])) if row[7] else None
        return Batch(row[0], row[1], row[2], payload, row[4], row[5], row[6], clock)

    def _read(self, query: str, params: tuple = ()) -> list:
        try:
            return self._db.execute(query, params).fetchall()
        except sqlite3.Error as exc:
            problem = unavailable(exc, self.path)
            if problem is not None:
                raise problem from exc
            raise

    def _batches(self, state: str, limit: int) -> list[Batch]:
        rows = self._read(
            f"SELECT {self._COLUMNS} FROM batch WHERE state = ? "
            "ORDER BY rowid LIMIT ?",  # insertion order: a clock step cannot mix it
            (state, limit),
        )
        return [self._batch(r) for r in rows]

    def open_batches(self) -> list[Batch]:
        """The open batches as they would be sealed, built without writing:
        what the sender can still deliver from a file it cannot write (sealed
        later with the same UUID and items, it comes back as a duplicate)."""
        batches = []
        for uuid, session_uuid, header, created_at, clock in self._read(
            "SELECT batch_uuid, session_uuid, header, created_at, clock FROM batch "
            "WHERE state = 'open' ORDER BY rowid"
        ):
            items = [
                (kind, json.loads(data))
                for kind, data in self._read(
                    "SELECT kind, data FROM item WHERE batch_uuid = ? ORDER BY id",
                    (uuid,),
                )
            ]
            if not items:
                continue
            payload = build_payload(json.loads(header), uuid, items)
            anchor = ClockAnchor.from_dict(json.loads(clock)) if clock else None
            batches.append(
                Batch(uuid, session_uuid, "open", payload, 0, None, created_at, anchor)
            )
        return batches

    def get(self, batch_uuid: str) -> Batch | None:
        rows = self._read(
            f"SELECT {self._COLUMNS} FROM batch WHERE batch_uuid = ?", (batch_uuid,)
        )
        return self._batch(rows[0]) if rows else None

    def stats(self) -> OutboxStats:
        counts = dict(self._read("SELECT state, COUNT(*) FROM batch GROUP BY state"))
        open_items = self._read("SELECT COUNT(*) FROM item")[0][0]
        oldest = self._read(
            "SELECT MIN(created_at) FROM batch WHERE state IN ('open', 'pending')"
        )[0][0]
        return OutboxStats(
            open=counts.get("open", 0),
            pending=counts.get("pending", 0),
            parked=counts.get("parked", 0),
            open_items=open_items,
            oldest=oldest,
        )


class _Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT`` (``ROLLBACK`` on error). An error of
    the disk (full, read-only...) comes out as :class:`OutboxUnavailable`."""

    def __init__(self, db: sqlite3.Connection, path: Path):
        self.db = db
        self.path = path

    def __enter__(self) -> sqlite3.Connection:
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            self._raise(exc)
        return self.db

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            try:
                self.db.execute("COMMIT")
                return
            except sqlite3.Error as error:
                self._rollback()
                self._raise(error)
        self._rollback()
        if isinstance(exc, sqlite3.Error):
            self._raise(exc)

    def _rollback(self) -> None:
        if self.db.in_transaction:
            # SQLite may have rolled back by itself (e.g. disk full)
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("ROLLBACK")

    def _raise(self, exc: sqlite3.Error):
        problem = unavailable(exc, self.path)
        if problem is not None:
            raise problem from exc
        raise exc
