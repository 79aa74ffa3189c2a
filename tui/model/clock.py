"""The exercise clock as a console shows it, extrapolated between server updates.

The server sends the exercise time at a server wall instant, with the speed and
whether it runs. Consoles redraw every second without asking: they extrapolate
from the moment they received the update, on their own monotonic clock.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from engine.durations import format_clock


@dataclass
class ConsoleClock:
    now_ms: int = 0
    status: str = "ready"
    speed: float = 1.0
    duration: int = 0
    start: datetime | None = None
    received: float = 0.0
    wall: Callable[[], float] = time.monotonic

    def update(self, now_ms: int, status: str, speed: float, duration: int | None = None) -> None:
        self.now_ms, self.status, self.speed = now_ms, status, speed
        if duration is not None:
            self.duration = duration
        self.received = self.wall()

    CLOCK_EVENTS = frozenset({"start", "pause", "resume", "set_speed", "jump", "end", "ended"})
    """Logged events that change the clock, as every console folds them."""

    def apply_event(self, kind: str, t: int, payload: dict[str, Any]) -> None:
        """Fold one of :data:`CLOCK_EVENTS` logged at exercise time ``t``."""
        status = {
            "start": "running",
            "resume": "running",
            "pause": "paused",
            "end": "ended",
            "ended": "ended",
        }.get(kind, self.status)
        speed = float(payload.get("speed", self.speed)) if kind == "set_speed" else self.speed
        # Time only goes forward: an event replayed to a late joiner (a jump above all)
        # must not pull back the clock the server's ``clock`` message already set.
        at = int(payload.get("to", t)) if kind == "jump" else t
        self.update(max(at, self.now_ms), status, speed)

    def now(self) -> int:
        """Exercise time (ms) now, extrapolated while running."""
        if self.status != "running":
            return self.now_ms
        elapsed = max(0.0, self.wall() - self.received)
        return min(self.now_ms + int(elapsed * 1000 * self.speed), self.duration or 1 << 62)

    def elapsed_text(self) -> str:
        return format_clock(self.now())

    def in_world_text(self) -> str | None:
        if self.start is None:
            return None
        return (self.start + timedelta(milliseconds=self.now())).strftime("%a %H:%M")

    def remaining_text(self) -> str:
        return format_clock(max(0, self.duration - self.now()))

    def status_text(self) -> str:
        if self.status == "running":
            return "RUNNING" if self.speed == 1 else f"RUNNING ×{self.speed:g}"
        return {"ready": "NOT STARTED", "paused": "PAUSED", "ended": "ENDED"}.get(
            self.status, self.status.upper()
        )
