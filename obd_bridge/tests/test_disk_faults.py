# SPDX-License-Identifier: GPL-2.0-or-later
"""The outbox on real file systems that fail (issue #10, item 28): a tmpfs
filled to the last byte, a bind mount turned read-only mid-stream, a daemon
started on a read-only directory.

They mount file systems, so they run as root (as CI does); as another user
they fail and say so. Nothing is simulated: SQLite gets ENOSPC and EROFS from
the kernel.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import obd_bridge.runner as runner_module
from bridge_testkit import DownTransport, Emulator, FakeReader, car_scenario, wait_for
from obd_bridge.outbox import Outbox
from obd_bridge.payload import Reading
from obd_bridge.reader import AdapterInfo
from obd_bridge.runner import Runner


class Mounts:
    def __init__(self):
        self.targets: list[Path] = []

    def run(self, *args: str) -> None:
        proc = subprocess.run(["mount", *args], capture_output=True, text=True)
        if proc.returncode:
            pytest.fail(f"mount {' '.join(args)}: {proc.stderr.strip()}")

    def tmpfs(self, target: Path, size: str) -> Path:
        target.mkdir(parents=True, exist_ok=True)
        self.run("-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(target))
        self.targets.append(target)
        return target

    def bind(self, source: Path, target: Path) -> Path:
        target.mkdir(parents=True, exist_ok=True)
        self.run("--bind", str(source), str(target))
        self.targets.append(target)
        return target

    def read_only(self, target: Path) -> None:
        """A bind mount made read-only (only when no file is open for writing
        on it: the kernel refuses otherwise)."""
        self.run("-o", "remount,ro,bind", str(target))

    def ext4(self, image: Path, target: Path, size: str = "32M") -> Path:
        """A small ext4 file system on a loop device that turns read-only on
        its first error, as a real disk's does (``errors=remount-ro``)."""
        subprocess.run(["truncate", "-s", size, str(image)], check=True)
        subprocess.run(["mkfs.ext4", "-q", "-F", str(image)], check=True)
        target.mkdir(parents=True, exist_ok=True)
        self.run("-o", "loop,errors=remount-ro", str(image), str(target))
        self.targets.append(target)
        return target

    def break_ext4(self, target: Path) -> None:
        """Make the kernel see an error on it: it turns read-only at once,
        files open for writing or not."""
        device = subprocess.run(
            ["findmnt", "-no", "SOURCE", str(target)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        Path(f"/sys/fs/ext4/{Path(device).name}/trigger_fs_error").write_text("1")

    def repair_ext4(self, image: Path, target: Path) -> None:
        subprocess.run(["umount", str(target)], check=True)
        subprocess.run(["e2fsck", "-fy", str(image)], capture_output=True)
        self.run("-o", "loop,errors=remount-ro", str(image), str(target))

    def release(self) -> None:
        for target in reversed(self.targets):
            subprocess.run(["umount", "-l", str(target)], capture_output=True)


@pytest.fixture
def mounts():
    if os.geteuid() != 0:
        pytest.fail(
            "the disk fault tests mount a tmpfs and read-only bind mounts: "
            "run them as root"
        )
    helper = Mounts()
    yield helper
    helper.release()


def fill(directory: Path) -> Path:
    """Write a file until the file system has not one byte left."""
    filler = directory / "filler"
    with filler.open("wb", buffering=0) as handle:
        for size in (1 << 16, 1 << 12, 1 << 8, 1):
            while True:
                try:
                    handle.write(b"\0" * size)
                except OSError as exc:
                    assert exc.errno == errno.ENOSPC
                    break
    return filler


class CountingReader(FakeReader):
    """A car answering RPM 0, 1, 2 ... one per poll, every 10 ms, forever."""

    def __init__(self):
        super().__init__(
            [{"info": AdapterInfo("VF1RFB00X12345678", "FakeELM", "CAN")}] * 50
        )
        self.count = 0

    def poll_due(self):
        reading = Reading("RPM", self.wall(), float(self.count), "rpm")
        self.count += 1
        return [reading]

    def next_due(self):
        return time.monotonic() + 0.01


def delivered_values(transport) -> list[float]:
    return sorted(r["value"] for p in transport.stored.values() for r in p["readings"])


def tracebacks(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.exc_info]


@pytest.fixture
def quick_retry(monkeypatch):
    monkeypatch.setattr(runner_module, "OUTBOX_RETRY_PERIOD", 0.2)


def start(runner: Runner) -> threading.Thread:
    thread = threading.Thread(target=runner.run, daemon=True)
    thread.start()
    return thread


def test_a_full_disk_keeps_readings_in_memory_and_delivers_the_queue(
    make_config, tmp_path, mounts, caplog, quick_retry
):
    caplog.set_level(logging.INFO, logger="obd_bridge")
    disk = mounts.tmpfs(tmp_path / "disk", "16m")
    config = make_config(
        outbox=disk / "outbox.sqlite3", batch_max_items=20, batch_max_age=0.2
    )
    reader = CountingReader()
    transport = DownTransport()  # Odoo down: the batches pile up in the outbox
    runner = Runner(
        config, reader_factory=lambda: reader, transport_factory=lambda: transport
    )
    thread = start(runner)
    with Outbox(config.outbox_path) as box:
        wait_for(lambda: box.stats().pending >= 5, 10, message="queued batches")
    filler = fill(disk)
    read_at_fill = reader.count
    wait_for(lambda: runner.store.problem is not None, 10, message="disk full seen")
    assert runner.store.problem.kind == "disk full"
    wait_for(lambda: runner.memory.items > 50, 10, message="readings in memory")
    assert thread.is_alive()
    status = runner.log_status(None)
    assert "OUTBOX NOT WRITABLE (disk full)" in caplog.records[-1].getMessage()
    assert status["queued"] > 0

    transport.up.set()  # Odoo is back: what the file holds and memory go out
    wait_for(
        lambda: delivered_values(transport)[-1:] > [read_at_fill + 100],
        15,
        message="delivery from the full disk and from memory",
    )
    filler.unlink()  # room again: memory goes back to the file
    wait_for(lambda: runner.store.problem is None, 10, message="recovery")
    runner.request_stop()
    thread.join(20)
    assert not thread.is_alive()
    values = delivered_values(transport)
    assert values == [float(v) for v in range(len(values))], "no gap, no double"
    assert len(values) >= reader.count - 1
    assert tracebacks(caplog) == []
    messages = "\n".join(r.getMessage() for r in caplog.records)
    assert "cannot be written (disk full)" in messages
    assert "outbox writable again" in messages
    with Outbox(config.outbox_path) as box:
        stats = box.stats()
    assert (stats.open, stats.pending, stats.parked) == (0, 0, 0)


def test_a_file_system_turning_read_only_mid_stream(
    make_config, tmp_path, mounts, caplog, quick_retry
):
    caplog.set_level(logging.INFO, logger="obd_bridge")
    image = tmp_path / "disk.img"
    state = mounts.ext4(image, tmp_path / "mnt")
    config = make_config(
        outbox=state / "outbox.sqlite3", batch_max_items=20, batch_max_age=0.2
    )
    reader = CountingReader()
    transport = DownTransport()
    transport.up.set()
    runner = Runner(
        config, reader_factory=lambda: reader, transport_factory=lambda: transport
    )
    thread = start(runner)
    wait_for(lambda: len(transport.stored) >= 3, 10, message="deliveries")
    mounts.break_ext4(state)
    wait_for(lambda: runner.store.problem is not None, 10, message="read-only seen")
    assert runner.store.problem.kind == "read-only file system"
    count = reader.count
    wait_for(
        lambda: delivered_values(transport)[-1:] > [count + 50],
        10,
        message="readings delivered from memory",
    )
    runner.request_stop()
    thread.join(20)
    assert not thread.is_alive()
    assert tracebacks(caplog) == []
    values = delivered_values(transport)
    assert values == [float(v) for v in range(len(values))]
    assert len(values) >= reader.count - 1

    # repaired (e2fsck) and mounted again: a new start finds the batches Odoo
    # acknowledged while the file could not record it, and may find writes the
    # kernel had taken just before the error although SQLite was told they
    # failed (those went to memory too): nothing is lost, a few readings may
    # arrive twice (at least once, after a file system error)
    mounts.repair_ext4(image, state)
    again = Runner(
        config,
        reader_factory=lambda: FakeReader([]),
        transport_factory=lambda: transport,
    )
    thread = start(again)
    with Outbox(config.outbox_path) as box:
        wait_for(lambda: box.stats().pending == 0, 10, message="the file emptied")
    again.request_stop()
    thread.join(20)
    after = delivered_values(transport)
    assert set(after) == {float(v) for v in range(int(max(after)) + 1)}, "no gap"
    assert set(values) <= set(after)
    assert len(after) - len(set(after)) <= 25, "at most a batch or so twice"


# -- the daemon, as a process ------------------------------------------------------
def bridge_env(outbox: Path, odoo_url: str, port: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OBD_BRIDGE_")}
    env.update(
        {
            "OBD_BRIDGE_PORT": port,
            "OBD_BRIDGE_ID": "garage-disk",
            "OBD_BRIDGE_ODOO_URL": odoo_url,
            "OBD_BRIDGE_ODOO_DB": "atelier",
            "OBD_BRIDGE_API_KEY": "s3cret-key",
            "OBD_BRIDGE_TRANSPORT": "json2",
            "OBD_BRIDGE_OUTBOX": str(outbox),
            "OBD_BRIDGE_PIDS": "RPM=0.05",
            "OBD_BRIDGE_BATCH_MAX_ITEMS": "10",
            "OBD_BRIDGE_BATCH_MAX_AGE": "0.3",
            "OBD_BRIDGE_RETRY_INITIAL": "0.1",
            "OBD_BRIDGE_RETRY_MAX": "0.5",
            "OBD_BRIDGE_STATUS_INTERVAL": "0.5",
        }
    )
    return env


def daemon(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "obd_bridge", "run"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_the_daemon_refuses_a_read_only_directory_with_exit_78(tmp_path, mounts):
    source = tmp_path / "state"
    source.mkdir()
    with Outbox(source / "existing.sqlite3"):
        pass  # an outbox left by an earlier run, on a now read-only volume
    state = mounts.bind(source, tmp_path / "ro")
    mounts.read_only(state)
    for outbox in (state / "outbox.sqlite3", state / "existing.sqlite3"):
        began = time.monotonic()
        proc = daemon(bridge_env(outbox, "http://127.0.0.1:1", "socket://127.0.0.1:1"))
        try:
            _out, err = proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
        assert proc.returncode == 78, err
        assert time.monotonic() - began < 20
        assert "read-only file system" in err
        assert "Traceback" not in err


def test_the_daemon_on_a_full_disk_runs_flushes_and_restarts(
    tmp_path, mounts, fake_odoo
):
    """Used to exit 1 with a traceback (and skip its last flush), and again
    at every restart while the disk stayed full."""
    emulator = Emulator(
        car_scenario("full_disk_car", pids={0x0C: [bytes([0x0C, 0x80])]}), tmp_path
    ).start()
    disk = mounts.tmpfs(tmp_path / "disk", "16m")
    env = bridge_env(disk / "outbox.sqlite3", fake_odoo.url, emulator.url)
    fake_odoo.mode = "http503"  # Odoo down at first: the outbox fills
    proc = daemon(env)
    try:
        with Outbox(disk / "outbox.sqlite3") as box:
            wait_for(lambda: box.stats().pending >= 3, 30, message="queued batches")
        fill(disk)
        time.sleep(1.5)  # readings while the disk is full
        fake_odoo.mode = "ok"
        wait_for(lambda: len(fake_odoo.items("readings")) >= 40, 30, message="delivery")
        time.sleep(0.5)
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert "cannot be written (disk full)" in err
    assert "stopped:" in err  # the last flush ran
    ends = [e for e in fake_odoo.items("events") if e["type"] == "session_end"]
    assert ends, "the session's end reached Odoo from memory"

    # restarted on the still full disk: it runs and delivers
    before = len(fake_odoo.items("readings"))
    proc = daemon(env)
    try:
        wait_for(
            lambda: len(fake_odoo.items("readings")) > before + 10,
            30,
            message="readings of the restarted daemon",
        )
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
        emulator.kill()
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert "disk full" in err
    with contextlib.suppress(OSError):
        (disk / "filler").unlink()
