# SPDX-License-Identifier: GPL-2.0-or-later
"""A clock step during a session (issue #10, item 29): timestamps stay in the
frame of the session start, and each batch goes out with ``sent_at`` in that
frame so that Odoo can measure how far off the frame itself is."""

import threading

from bridge_testkit import FakeReader, FakeTransport, wait_for
from obd_bridge.clock import ClockAnchor, SessionClock
from obd_bridge.outbox import Outbox
from obd_bridge.payload import Reading, SessionInfo, new_uuid
from obd_bridge.reader import AdapterInfo
from obd_bridge.runner import Runner, Sender


class SteppingClock:
    """A wall clock that jumps by ``step`` seconds after ``after`` reads, and
    the monotonic clock beside it (which never jumps)."""

    def __init__(self, start=1_800_000_000.0, step=-3600.0, after=10):
        self.mono = 1000.0
        self.start = start
        self.step = step
        self.after = after
        self.reads = 0
        self.lock = threading.Lock()

    def tick(self, seconds=0.5):
        with self.lock:
            self.mono += seconds

    def monotonic(self):
        with self.lock:
            return self.mono

    def wall(self):
        with self.lock:
            self.reads += 1
            jump = self.step if self.reads > self.after else 0.0
            return self.start + (self.mono - 1000.0) + jump


def test_a_session_clock_ignores_a_step_of_the_wall_clock():
    clock = SteppingClock(step=3600.0, after=1)
    session = SessionClock(clock.wall, clock.monotonic, boot="boot-1")
    clock.tick(2.0)
    assert clock.wall() - session.anchor.wall == 3602.0  # the wall clock jumped
    assert session.now() - session.anchor.wall == 2.0  # the session did not
    assert session.anchor == ClockAnchor(1_800_000_000.0, 1000.0, "boot-1")


def test_sent_at_is_in_the_frame_of_the_batch_and_only_within_one_boot(outbox):
    mono = [5000.0]
    anchor = ClockAnchor(wall=1_800_000_000.0, mono=4000.0, boot="this-boot")
    session = SessionInfo(
        "garage-1", new_uuid(), "2027-01-15T08:00:00.000Z", anchor=anchor
    )
    for i in range(3):
        outbox.append(session, [Reading("RPM", 1_800_000_010.0 + i, 800.0, "rpm")])
    other = SessionInfo(
        "garage-1",
        new_uuid(),
        "2027-01-15T08:00:00.000Z",
        anchor=ClockAnchor(1_800_000_000.0, 4000.0, "boot-before-a-reboot"),
    )
    for i in range(3):
        outbox.append(other, [Reading("RPM", 1_800_000_010.0 + i, 800.0, "rpm")])
    assert all("sent_at" not in b.payload for b in outbox.pending())  # not stored
    transport = FakeTransport()
    Sender(outbox, transport, monotonic=lambda: mono[0], boot="this-boot").flush()
    by_session = {p["session_uuid"]: p for p in transport.sent}
    # 1000 s of monotonic time after the anchor: the frame's 08:16:40
    assert by_session[session.session_uuid]["sent_at"] == "2027-01-15T08:16:40.000Z"
    # another boot: the monotonic clocks are not comparable, no sent_at
    assert "sent_at" not in by_session[other.session_uuid]


def test_readings_of_a_session_survive_a_clock_step(make_config):
    """The wall clock goes back one hour in the middle of a session: every
    timestamp still follows the monotonic clock from the session start, and
    sent_at lies in the same frame."""
    clock = SteppingClock(step=-3600.0, after=5)

    class TickingReader(FakeReader):
        def poll_due(self):
            clock.tick(0.5)
            return super().poll_due()

        def next_due(self):
            return clock.monotonic()  # always due: the fake clock sets the pace

    polls = [[("RPM", 800 + i, "rpm")] for i in range(40)]
    reader = TickingReader(
        [
            {
                "info": AdapterInfo("VF1RFB00X12345678", "FakeELM", "CAN"),
                "polls": polls,
                "then": "idle",
            }
        ]
    )
    transport = FakeTransport()
    config = make_config(batch_max_items=10, batch_max_age=60)
    runner = Runner(
        config,
        reader_factory=lambda: reader,
        transport_factory=lambda: transport,
        monotonic=clock.monotonic,
        wall=clock.wall,
    )
    thread = threading.Thread(target=runner.run, daemon=True)
    thread.start()
    wait_for(lambda: reader.entry is not None and not reader.entry["polls"], 10)
    runner.request_stop()
    thread.join(10)
    assert clock.reads > 5, "the wall clock did jump during the session"
    readings = sorted(
        (r for p in transport.stored.values() for r in p["readings"]),
        key=lambda r: r["ts"],
    )
    # in time order, the readings are in the order they were read
    assert [r["value"] for r in readings] == [800.0 + i for i in range(40)]
    stamps = [r["ts"] for r in readings]
    assert len(set(stamps)) == 40
    (session,) = runner.sessions
    assert session.started_at == "2027-01-15T08:00:00.000Z"
    assert stamps[0] == "2027-01-15T08:00:00.500Z"
    assert stamps[-1] == "2027-01-15T08:00:20.000Z"  # 40 polls, 0.5 s apart
    for payload in transport.sent:
        # sent after the last reading, in the session's frame (not 1 h before)
        assert payload["sent_at"] >= max(
            [r["ts"] for r in payload["readings"]] or [payload["started_at"]]
        )
    with Outbox(config.outbox_path) as box:
        assert box.stats().pending == 0
