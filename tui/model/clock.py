"""The exercise clock as a console shows it, extrapolated between server updates.

The server sends the exercise time at a server wall instant, with the speed and
whether it runs. Consoles redraw every second without asking: they extrapolate
from the moment they received the update, on their own monotonic clock
(:class:`engine.clock.ClockView`, which the benchmarks' participants use too).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import assert_never

from engine import commands as c
from engine.clock import ClockView
from engine.durations import format_clock
from engine.events import Discussion, Ended
from engine.i18n import _
from engine.net.protocol import ClockMsg
from engine.storyclock import StoryClock

ClockBody = c.Start | c.Pause | c.Resume | c.SetSpeed | c.Jump | c.End | Ended | Discussion
"""The events after which the clock changes (:data:`engine.events.CLOCK_KINDS`)."""


@dataclass
class ConsoleClock(ClockView):
    story: StoryClock | None = None
    """The in-world time at each moment, when the scenario has a start
    (:mod:`engine.storyclock`, as every other surface reads it)."""

    def hear(self, msg: ClockMsg) -> None:
        """A server ``clock`` message, as heard now."""
        self.update(msg.now, msg.status, msg.speed, msg.duration or None)

    def apply(self, body: ClockBody, t: int) -> None:
        """Fold a clock event logged at exercise time ``t``."""
        status, speed, at = self.status, self.speed, t
        match body:
            case c.Start() | c.Resume():
                status = "running"
            case c.Pause() | Discussion():
                status = "paused"
            case c.SetSpeed():
                speed = body.speed
            case c.Jump():
                at = body.to
            case c.End() | Ended():
                status = "ended"
            case _:
                assert_never(body)
        # Time only goes forward: an event replayed to a late joiner (a jump above all)
        # must not pull back the clock the server's ``clock`` message already set.
        self.update(max(at, self.now_ms), status, speed)

    def elapsed_text(self) -> str:
        return format_clock(self.now())

    def in_world_text(self) -> str | None:
        if self.story is None:
            return None
        return self.story.text(self.now())

    def remaining_text(self) -> str:
        return format_clock(max(0, self.duration - self.now()))

    def status_text(self) -> str:
        if self.status == "running":
            running = _("RUNNING")
            return running if self.speed == 1 else f"{running} ×{self.speed:g}"
        return {"ready": _("NOT STARTED"), "paused": _("PAUSED"), "ended": _("ENDED")}.get(
            self.status, self.status.upper()
        )
