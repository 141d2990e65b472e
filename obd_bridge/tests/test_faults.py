# SPDX-License-Identifier: GPL-2.0-or-later
"""Batches Odoo cannot take (issue #10, item 30) and the memory stand-in of an
unwritable outbox (item 28), with fakes; the real file systems are in
test_disk_faults.py."""

import logging
from xmlrpc.client import Fault

from bridge_testkit import FakeTransport
from obd_bridge.memory import MemoryOutbox
from obd_bridge.payload import Event, Reading, SessionInfo, new_uuid
from obd_bridge.runner import POISON_ATTEMPTS, Sender
from obd_bridge.transport import (
    PermanentError,
    ServerError,
    TransientError,
    classify_fault,
    classify_status,
)


def fill(box, n_batches: int) -> list[str]:
    s = SessionInfo("garage-1", new_uuid(), "2026-11-21T09:00:00.000Z")
    for i in range(n_batches * box.max_items):
        box.append(s, [Reading("RPM", 1.8e9 + i, float(i), "rpm")])
    return [b.batch_uuid for b in box.pending()]


class PoisonTransport(FakeTransport):
    """Odoo failing with an internal error on some batches only."""

    def __init__(self, poison):
        super().__init__()
        self.poison = set(poison)

    def send(self, payload):
        if payload["batch_uuid"] in self.poison:
            with self.lock:
                self.sent.append(payload)
            raise ServerError("XML-RPC fault 1: Traceback ... KeyError: 'x'")
        return super().send(payload)


def test_internal_errors_are_classified_apart():
    assert isinstance(classify_status(500), ServerError)
    assert isinstance(classify_fault(Fault(1, "Traceback\nKeyError")), ServerError)
    for status in (502, 503, 504):
        error = classify_status(status)
        assert isinstance(error, TransientError)
        assert not isinstance(error, ServerError)
    for status in (400, 409, 413, 422):
        assert isinstance(classify_status(status), PermanentError)


def test_a_batch_odoo_keeps_failing_on_is_parked_and_the_queue_moves(outbox, caplog):
    uuids = fill(outbox, 2)
    poison = uuids[0]
    transport = PoisonTransport([poison])
    seen = set(uuids)
    for _round in range(POISON_ATTEMPTS):
        Sender(outbox, transport).flush()
        seen.update(fill(outbox, 1))  # the car is still being read
    Sender(outbox, transport).flush()
    assert [b.batch_uuid for b in outbox.parked()] == [poison]
    assert "accepted the next ones" in outbox.parked()[0].last_error
    assert set(transport.stored) == seen - {poison}
    assert outbox.stats().pending == 0
    sends = [p["batch_uuid"] for p in transport.sent]
    assert sends.count(poison) == POISON_ATTEMPTS  # once per round, no more
    assert any("parked" in r.getMessage() for r in caplog.records)


def test_odoo_failing_on_every_batch_is_not_a_poison(outbox):
    """Two internal errors in a row: Odoo is in trouble (its database down),
    nothing is parked, the round stops."""
    uuids = fill(outbox, 3)
    transport = PoisonTransport(uuids)
    for _round in range(POISON_ATTEMPTS + 2):
        result = Sender(outbox, transport).flush()
        assert result.failed == 2
    assert outbox.stats().parked == 0
    assert [b.batch_uuid for b in outbox.pending()] == uuids


def test_rejected_items_are_summed_up_in_one_line(outbox, caplog):
    caplog.set_level(logging.WARNING, logger="obd_bridge.runner")
    fill(outbox, 1)
    rejected = [
        {"index": i, "kind": "reading", "reason": "before_start: x", "kept": True}
        for i in range(2)
    ] + [{"index": 2, "kind": "reading", "reason": "out_of_range: 99999"}]

    class Rejecting(FakeTransport):
        def send(self, payload):
            answer = super().send(payload)
            return {**answer, "accepted": 0, "rejected": rejected, "kept": 2}

    Sender(outbox, Rejecting()).flush()
    (line,) = [r.getMessage() for r in caplog.records if "rejected" in r.getMessage()]
    assert "3 item(s) (before_start x2, out_of_range x1; 2 kept aside by Odoo)" in line


def test_memory_is_bounded_and_keeps_events():
    memory = MemoryOutbox(capacity=10, max_items=4, max_age=60)
    s = SessionInfo("garage-1", new_uuid(), "2026-11-21T09:00:00.000Z")
    memory.append(s, [Reading("RPM", 1.8e9 + i, float(i), "rpm") for i in range(15)])
    memory.append(s, [Event("session_end", 1.8e9 + 20, "bridge stopped")])
    assert memory.dropped == 5
    assert memory.items == 11
    memory.seal_all()
    payloads = [b.payload for b in memory.pending()]
    values = [r["value"] for p in payloads for r in p["readings"]]
    assert values == [float(i) for i in range(10)]  # the first ten kept
    assert payloads[-1]["events"][0]["type"] == "session_end"
    first = memory.pending()[0]
    memory.ack(first.batch_uuid)
    assert memory.items == 7
    memory.append(s, [Reading("RPM", 1.8e9 + 30, 30.0, "rpm")])
    assert memory.items == 8, "room again once Odoo took a batch"
