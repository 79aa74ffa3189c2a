"""The exercise clock: wall time mapped to exercise time.

The clock keeps an anchor (a wall instant and the exercise time at it), a speed
and whether it runs, and re-anchors on every change. Pausing therefore shifts
everything still to come: nothing fires during a pause and nothing is "too old"
after it. The wall clock is injected, so tests drive it by hand.
"""

from __future__ import annotations

import time
from collections.abc import Callable

WallClock = Callable[[], float]


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
        elapsed = self._wall() - self._anchor_wall
        return self._anchor_ms + max(0, int(elapsed * 1000 * self.speed))

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
        return max(0.0, (t - self.now()) / 1000 / self.speed)
