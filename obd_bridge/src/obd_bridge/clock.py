# SPDX-License-Identifier: GPL-2.0-or-later
"""Timestamps that survive a clock step.

A bridge's wall clock may jump while a car is being read: NTP correcting a
Raspberry Pi that booted with yesterday's time, an operator setting the time.
Readings stamped with ``time.time()`` would then jump too, and Odoo would
refuse them as "before the session start" or "in the future".

A :class:`SessionClock` reads the wall clock once, when the session starts,
and counts from there with the monotonic clock (which never jumps): every
timestamp of a session is in the frame of its start. ``sent_at`` (the time at
which a batch is sent, in that same frame) lets Odoo measure and correct the
whole frame when the start itself was wrong. The monotonic clock is only
comparable within one boot: :func:`boot_id` tells whether a batch queued before
a restart was written during this boot.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

BOOT_ID_FILE = Path("/proc/sys/kernel/random/boot_id")


def boot_id() -> str:
    """This boot's identifier (Linux), or ``""`` when unknown."""
    try:
        return BOOT_ID_FILE.read_text(encoding="ascii").strip()
    except OSError:
        return ""


@dataclass(frozen=True)
class ClockAnchor:
    """Where a session's frame starts: the wall time and the monotonic time
    read together at the session start, and the boot they belong to."""

    wall: float
    mono: float
    boot: str

    def as_dict(self) -> dict:
        return {"wall": self.wall, "mono": self.mono, "boot": self.boot}

    @classmethod
    def from_dict(cls, data: dict | None) -> ClockAnchor | None:
        if not data:
            return None
        try:
            return cls(float(data["wall"]), float(data["mono"]), str(data["boot"]))
        except (KeyError, TypeError, ValueError):
            return None

    def now(self, mono: float, boot: str) -> float | None:
        """The time in this frame at monotonic time ``mono`` of boot ``boot``;
        None when the boot differs (the monotonic clocks are not comparable)."""
        if not self.boot or boot != self.boot:
            return None
        return self.wall + (mono - self.mono)


class SessionClock:
    """The clock of one session: the wall clock at its start plus the
    monotonic time elapsed since."""

    def __init__(
        self,
        wall: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
        boot: str | None = None,
    ):
        self.monotonic = monotonic
        self.anchor = ClockAnchor(
            wall(), monotonic(), boot_id() if boot is None else boot
        )

    def now(self) -> float:
        return self.anchor.wall + (self.monotonic() - self.anchor.mono)
