# SPDX-License-Identifier: GPL-2.0-or-later
import json
import sqlite3
import tempfile
import threading
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from obd_bridge.outbox import Outbox
from obd_bridge.payload import Dtc, Event, Reading, SessionInfo, new_uuid


def session(**kw) -> SessionInfo:
    values = {
        "bridge_id": "garage-1",
        "session_uuid": new_uuid(),
        "started_at": "2026-11-21T09:00:00.000Z",
        "vin": "VF1RFB00X12345678",
        "adapter": "ELM327 v1.5",
        "protocol": "ISO 15765-4 (CAN 11/500)",
    }
    values.update(kw)
    return SessionInfo(**values)


def readings(n, start=0):
    return [
        Reading("RPM", 1_800_000_000 + i, 800.0 + i, "rpm") for i in range(start, n)
    ]


def test_items_are_grouped_into_batches_of_max_items(outbox):
    s = session()
    sealed = outbox.append(s, readings(7))
    assert len(sealed) == 2  # 3 + 3 sealed, 1 left in the open batch
    stats = outbox.stats()
    assert (stats.pending, stats.open, stats.open_items) == (2, 1, 1)
    first, second = outbox.pending()
    assert [r["value"] for r in first.payload["readings"]] == [800.0, 801.0, 802.0]
    assert [r["value"] for r in second.payload["readings"]] == [803.0, 804.0, 805.0]
    assert first.payload["batch_uuid"] == first.batch_uuid != second.batch_uuid
    for key, value in s.header().items():
        assert first.payload[key] == value
    assert first.payload["readings"][0] == {
        "pid": "RPM",
        "ts": "2027-01-15T08:00:00.000Z",
        "value": 800.0,
        "unit": "rpm",
    }


def test_batches_are_sealed_by_age_and_at_session_end(tmp_path):
    now = [1000.0]
    box = Outbox(
        tmp_path / "o.sqlite3", max_items=100, max_age=5.0, clock=lambda: now[0]
    )
    a, b = session(), session()
    box.append(a, readings(2))
    now[0] += 3
    box.append(b, [Event("connected", now[0], "ELM327")])
    assert box.seal_due() == []  # nothing is 5 s old yet
    now[0] += 2
    assert len(box.seal_due()) == 1  # a's batch is 5 s old, b's only 2 s
    assert box.pending()[0].session_uuid == a.session_uuid
    box.append(b, [Dtc("P0301", "stored", now[0])])
    assert len(box.seal_session(b.session_uuid)) == 1
    payload = box.pending()[1].payload
    assert payload["events"][0]["type"] == "connected"
    assert payload["dtcs"] == [
        {"code": "P0301", "status": "stored", "ts": "1970-01-01T00:16:45.000Z"}
    ]
    assert box.stats().open == 0
    box.close()


def test_everything_survives_a_restart_with_the_same_batch_uuids(tmp_path):
    path = tmp_path / "o.sqlite3"
    s = session()
    box = Outbox(path, max_items=3)
    box.append(s, readings(4))  # one sealed batch, one open with 1 item
    pending_uuid = box.pending()[0].batch_uuid
    box.close()  # the process dies here

    box = Outbox(path, max_items=3)
    assert box.stats().pending == 1
    assert box.stats().open_items == 1
    left_open = box.seal_all()  # what Runner.run() does at start
    assert len(left_open) == 1
    batches = box.pending()
    assert [b.batch_uuid for b in batches] == [pending_uuid, left_open[0]]
    assert batches[1].payload["readings"][0]["value"] == 803.0
    box.close()

    box = Outbox(path, max_items=3)  # and once more: nothing moved
    assert [b.batch_uuid for b in box.pending()] == [pending_uuid, left_open[0]]
    box.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_ack_deletes_and_park_sets_aside(outbox):
    s = session()
    outbox.append(s, readings(9))
    one, two, three = outbox.pending()
    assert outbox.ack(one.batch_uuid) is True
    assert outbox.ack(one.batch_uuid) is False  # already gone
    outbox.record_failure(two.batch_uuid, "Connection refused")
    assert outbox.get(two.batch_uuid).attempts == 1
    assert outbox.get(two.batch_uuid).last_error == "Connection refused"
    assert outbox.park(three.batch_uuid, "HTTP 422: ValidationError") is True
    assert [b.batch_uuid for b in outbox.pending()] == [two.batch_uuid]
    parked = outbox.parked()
    assert [(b.batch_uuid, b.last_error) for b in parked] == [
        (three.batch_uuid, "HTTP 422: ValidationError")
    ]
    stats = outbox.stats()
    assert (stats.pending, stats.parked) == (1, 1)
    assert stats.oldest is not None
    assert outbox.requeue_parked() == 1
    assert len(outbox.pending()) == 2


def test_two_connections_share_the_file(tmp_path):
    path = tmp_path / "o.sqlite3"
    daemon = Outbox(path, max_items=2)
    cli = Outbox(path, max_items=2)
    daemon.append(session(), readings(2))
    batch = cli.pending()[0]
    assert cli.ack(batch.batch_uuid)
    assert daemon.stats().pending == 0
    daemon.close()
    cli.close()


@settings(max_examples=40, deadline=None)
@given(
    max_items=st.integers(min_value=1, max_value=6),
    chunks=st.lists(st.integers(min_value=0, max_value=9), min_size=1, max_size=8),
)
def test_no_item_is_lost_or_duplicated(max_items, chunks):
    with tempfile.TemporaryDirectory() as tmp:
        box = Outbox(Path(tmp) / "o.sqlite3", max_items=max_items)
        s = session()
        total = 0
        for size in chunks:
            box.append(s, readings(total + size, start=total))
            total += size
        box.seal_session(s.session_uuid)
        batches = box.pending(limit=1000)
        values = [r["value"] for b in batches for r in b.payload["readings"]]
        assert values == [800.0 + i for i in range(total)]
        assert all(0 < len(b.payload["readings"]) <= max_items for b in batches)
        assert len({b.batch_uuid for b in batches}) == len(batches)
        box.close()


def test_opening_a_new_file_while_another_connection_writes_it(tmp_path):
    """The adapter loop, the sender, the status thread and `obd-bridge status`
    may open a fresh outbox at the same moment. Switching a new file to WAL while
    another connection holds a write lock fails at once ("database is locked":
    SQLite's busy timeout does not apply): the outbox must wait and try again."""
    path = tmp_path / "fresh.sqlite3"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("CREATE TABLE other_writer (x)")
    release = threading.Timer(0.3, lambda: other.execute("COMMIT"))
    release.start()
    try:
        with Outbox(path) as box:
            box.append(session(), readings(1))
            assert box.stats().open_items == 1
            mode = box._db.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        release.join()
        other.close()
    assert mode == "wal"


# the batch table as earlier versions created it: two more columns, item_count
# (kept in step with the open batch's items) and sealed_at
OLD_SCHEMA = """
CREATE TABLE batch (
    batch_uuid   TEXT PRIMARY KEY,
    session_uuid TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('open', 'pending', 'parked')),
    header       TEXT NOT NULL,
    payload      TEXT,
    item_count   INTEGER NOT NULL DEFAULT 0,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT,
    created_at   REAL NOT NULL,
    sealed_at    REAL
);
CREATE INDEX batch_state_created ON batch (state, created_at);
CREATE TABLE item (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    batch_uuid TEXT NOT NULL REFERENCES batch (batch_uuid) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('reading', 'dtc', 'event')),
    data       TEXT NOT NULL
);
CREATE INDEX item_batch ON item (batch_uuid, id);
"""


def test_a_file_of_an_earlier_version_still_works(tmp_path):
    """An outbox left by an earlier version (item_count and sealed_at columns, a
    pending batch and an open one with 2 items): the new code delivers the
    pending batch, fills the open one up to max_items and starts the next."""
    path = tmp_path / "old.sqlite3"
    s = session()
    header = json.dumps(s.header(), sort_keys=True)
    old_payload = {**s.header(), "batch_uuid": "b-pending"}
    old_payload.update(readings=[], dtcs=[], events=[])
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.executescript(OLD_SCHEMA)
        db.execute(
            "INSERT INTO batch VALUES ('b-pending', ?, 'pending', ?, ?, 0, 0, NULL,"
            " 10.0, 11.0)",
            (s.session_uuid, header, json.dumps(old_payload)),
        )
        db.execute(
            "INSERT INTO batch VALUES ('b-open', ?, 'open', ?, NULL, 2, 0, NULL,"
            " 20.0, NULL)",
            (s.session_uuid, header),
        )
        db.executemany(
            "INSERT INTO item (batch_uuid, kind, data) VALUES ('b-open', 'reading', ?)",
            [(json.dumps(r.as_item()),) for r in readings(2)],
        )
    db.close()

    with Outbox(path, max_items=3) as box:
        assert box.stats().open_items == 2
        sealed = box.append(s, readings(4, start=2))
        assert sealed == ["b-open"]  # 2 old items + 1 new one: full
        assert box.stats().open_items == 1
        box.seal_session(s.session_uuid)
        first, second, third = box.pending()
        assert first.batch_uuid == "b-pending"
        assert [r["value"] for r in second.payload["readings"]] == [
            800.0,
            801.0,
            802.0,
        ]
        assert [r["value"] for r in third.payload["readings"]] == [803.0]
        assert box.ack("b-pending") and box.park(third.batch_uuid, "refused")
        assert (box.stats().pending, box.stats().parked) == (1, 1)


def test_connections_opening_a_new_file_together_all_succeed(tmp_path):
    """The runner, its sender and ``obd-bridge status`` open the same new
    file at once: each brings the schema up to date, none fails because
    another just did it (the e2e test once lost its runner that way)."""
    for round_ in range(80):
        path = tmp_path / f"outbox-{round_}.sqlite"
        barrier = threading.Barrier(6)
        errors = []

        def open_it(path=path, barrier=barrier, errors=errors):
            barrier.wait()
            try:
                Outbox(path).close()
            except Exception as exc:  # the test reports it
                errors.append(exc)

        threads = [threading.Thread(target=open_it) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        with sqlite3.connect(path) as db:
            columns = {row[1] for row in db.execute("PRAGMA table_info(batch)")}
        assert "clock" in columns
