"""The wall at 80×24 and 160×48, compared with stored SVG snapshots.

Before the start (the briefing), in play (headlines, posts, a broadcast to
everyone) and during a planned coffee break (its message and countdown). The
traffic is what a wall seat receives from the server's own code
(:mod:`tests.tui.wall_traffic`); the wall clock, the console's clock and the time
zone are fixed, so every run draws the same screen.

Update after an intended visual change with ``pytest tests/tui/test_wall_snapshots.py
--snapshot-update`` and look at the new snapshots before committing them.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.tui.scripted import ScriptedLink
from tests.tui.test_snapshots import SIZES, settle
from tests.tui.wall_traffic import EPOCH, wall_traffic
from tui.console.base import ConsoleApp
from tui.model.clock import ConsoleClock
from tui.wall.app import make_wall_app
from tui.wall.model import WallModel


class Monotonic:
    """The console's own clock, moved by hand: the exercise clock runs only when moved."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def wall_app(stage: str) -> ConsoleApp[Any]:
    model = WallModel(clock=ConsoleClock(wall=Monotonic()))
    link = ScriptedLink(wall_traffic(stage))
    return make_wall_app(link=link, model=model, wall=lambda: EPOCH, tz=UTC)


async def _settled(pilot: Pilot[Any]) -> None:
    """Every message read; then (running) 26 minutes pass on the console's clock, as
    they did on the server's, since the wall heard the clock start."""
    await settle(pilot)
    app = pilot.app
    assert isinstance(app, ConsoleApp)
    clock = app.console_screen.model.clock
    assert isinstance(clock.wall, Monotonic)
    clock.wall.now = clock.received + 26 * 60
    app.console_screen.mark({"clock"})
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("stage", ["ready", "running", "break", "discussion"])
def test_wall(snap_compare: Any, stage: str, size: tuple[int, int]) -> None:
    assert snap_compare(wall_app(stage), terminal_size=size, run_before=_settled)
