"""The sim cell with controllers' tracks, and the pass dialog, at 80x24 and 160x48.

The traffic is ``control-2``'s in :func:`tests.tui.test_tracks.room` (a question
passed to it, one of its track, one of ``control-1``'s, one answered), replayed.

Update after an intended visual change with ``pytest tests/tui/test_tracks_snapshots.py
--snapshot-update`` and look at the new snapshots before committing them.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from engine.net.protocol import Incoming
from tests.tui.scripted import ScriptedLink
from tests.tui.test_snapshots import SIZES, steps
from tests.tui.test_tracks import room
from tui.console.base import ConsoleApp
from tui.facilitator.app import make_facilitator_app


@functools.cache
def _traffic() -> tuple[Incoming, ...]:
    return tuple(room().control2.drain())


def control2_app() -> ConsoleApp[Any]:
    return make_facilitator_app(link=ScriptedLink(_traffic()))


SCREENS: dict[str, Callable[[Pilot[Any]], Awaitable[None]]] = {
    "tracks-simcell": steps("3"),
    "tracks-pass": steps("3", "down", "a"),
    "tracks-dialog": steps("3", "t"),
}
CASES = [("tracks-simcell", size) for size in SIZES] + [
    ("tracks-pass", (80, 24)),
    ("tracks-dialog", (80, 24)),
]
"""The sim cell at both sizes; its dialogs, centred and the same at 160x48, at 80x24."""


@pytest.mark.parametrize(
    ("screen", "size"), CASES, ids=lambda v: v if isinstance(v, str) else f"{v[0]}x{v[1]}"
)
def test_tracks(snap_compare: Any, screen: str, size: tuple[int, int]) -> None:
    assert snap_compare(control2_app(), terminal_size=size, run_before=SCREENS[screen])
