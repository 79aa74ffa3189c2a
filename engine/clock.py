"""The exercise clock: wall time mapped to exercise time.

The clock keeps an anchor (a wall instant and the exercise time at it), a speed
and whether it runs, and re-anchors on every change. Pausing therefore shifts
everything still to come: nothing fires during a pause and nothing is "too old"
after it. The wall clock is injected, so tests drive it by hand.

Clients keep a :class:`ClockView`: the time the server last announced, carried
forward on the client's own wall clock between announcements. Both read time
through :func:`extrapolate`, so the server and every console agree on the rule.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

WallClock = Callable[[], float]


def extrapolate(at: int, since: float, wall_now: float, speed: float) -> int:
    """Exercise time (ms) at wall instant ``wall_now`` of a clock that read ``at`` at
    wall instant ``since`` and has run at ``speed`` since (never earlier than ``at``)."""
    return at + max(0, int((wall_now - since) * 1000 * speed))


def wall_seconds(now: int, t: int, speed: float) -> float:
    """Wall seconds a clock running at ``speed`` takes from exercise time ``now`` to ``t``."""
    return max(0.0, (t - now) / 1000 / speed)


class Clock:
    def __init__(
        self,
        wall: WallClock = time.monotonic,
        *,
        at: int = 0,
        speed: float = 1.0,
        running: bool = False,
    ) -> None:
        self._wall = wall
        self._anchor_wall = wall()
        self._anchor_ms = at
        self.speed = speed
        self.running = running

    def now(self) -> int:
        """Exercise time in ms (never decreasing while nobody jumps)."""
        if not self.running:
            return self._anchor_ms
        return extrapolate(self._anchor_ms, self._anchor_wall, self._wall(), self.speed)

    def _reanchor(self) -> None:
        self._anchor_ms = self.now()
        self._anchor_wall = self._wall()

    def run(self) -> None:
        self._reanchor()
        self.running = True

    def stop(self) -> None:
        self._reanchor()
        self.running = False

    def set_speed(self, speed: float) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self._reanchor()
        self.speed = speed

    def jump(self, to: int) -> None:
        """Continue from exercise time ``to`` (a jump ahead, or a resume after a restart)."""
        self._anchor_ms = to
        self._anchor_wall = self._wall()

    def seconds_until(self, t: int) -> float | None:
        """Wall seconds until exercise time ``t``; None while paused (it never comes)."""
        if not self.running:
            return None
        return wall_seconds(self.now(), t, self.speed)


@dataclass
class ClockView:
    """The exercise clock as a client last heard it, carried forward between updates.

    The server announces the exercise time with its status and speed; a client
    extrapolates from the wall instant it heard that (``received``, on its own
    ``wall`` clock) while the clock runs, and stops at the exercise's ``duration``.
    """

    now_ms: int = 0
    """Exercise time (ms) at the last update."""
    status: str = "ready"
    speed: float = 1.0
    duration: int = 0
    """Where the extrapolation stops (0: no known end)."""
    received: float = 0.0
    """The wall instant of the last update."""
    wall: WallClock = time.monotonic

    def update(
        self,
        now_ms: int,
        status: str,
        speed: float,
        duration: int | None = None,
        *,
        at: float | None = None,
    ) -> None:
        """A new reading, taken at wall instant ``at`` (default: now on :attr:`wall`)."""
        self.now_ms, self.status, self.speed = now_ms, status, speed
        if duration is not None:
            self.duration = duration
        self.received = self.wall() if at is None else at

    def update_from(self, msg: Mapping[str, Any]) -> None:
        """A server ``clock`` message (as JSON), heard now."""
        self.update(
            int(msg["now"]),
            str(msg["status"]),
            float(msg["speed"]),
            int(msg.get("duration", 0)) or None,
        )

    @property
    def running(self) -> bool:
        return self.status == "running"

    def now(self) -> int:
        """Exercise time (ms) now, extrapolated while running."""
        if not self.running:
            return self.now_ms
        now = extrapolate(self.now_ms, self.received, self.wall(), self.speed)
        return min(now, self.duration or 1 << 62)

    def seconds_until(self, t: int) -> float | None:
        """Wall seconds until exercise time ``t``; None while the clock stands still."""
        if not self.running:
            return None
        return wall_seconds(self.now(), t, self.speed)
