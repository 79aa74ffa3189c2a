"""The control room's new and reworked views at 80x24 and 160x48, as stored SVG snapshots:
the toolbar, the team grid with a table marked behind, one table opened, the jump
dialog with its preview and its confirmation, and the broadcast dialog's audiences.

Update after an intended visual change with ``pytest tests/tui/test_room_snapshots.py
--snapshot-update`` and look at the new snapshots before committing them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.tui.test_snapshots import SIZES, console, facilitator_app, steps
from tui.facilitator.table_view import TableScreen


async def _grid_02(pilot: Pilot[Any]) -> None:
    """The cursor on grid-02, the table that fell behind."""
    grid = console(pilot).query_one("#team-grid")
    grid.move_cursor(row=grid.get_row_index("grid-02"))
    await pilot.pause()


async def _open_grid_02(pilot: Pilot[Any]) -> None:
    """Open grid-02's table and wait for its screen, so keys pressed next reach it (on
    a busy machine a key pressed at once went to the grid: a flaky snapshot)."""
    await _grid_02(pilot)
    await pilot.press("enter")
    for _ in range(200):
        if isinstance(pilot.app.screen, TableScreen):
            break
        await pilot.pause(0.01)
    assert isinstance(pilot.app.screen, TableScreen), "the table did not open"
    await pilot.pause()


SCREENS: dict[str, Callable[[Pilot[Any]], Awaitable[None]]] = {
    "room-toolbar": steps("1"),
    "room-teams-behind": steps("2", extra=_grid_02),
    "room-table-inbox": steps("2", extra=_open_grid_02),
    "room-table-answers": steps("2", extra=_open_grid_02),
    "room-jump-preview": steps("j", "+", "2", "0", "m"),
    "room-jump-confirm": steps("j", "+", "2", "0", "m", "enter"),
    "room-broadcast": steps("B"),
}
AFTER: dict[str, tuple[str, ...]] = {"room-table-answers": ("2",)}
"""Keys pressed once the screen above is up (the table view's own tabs)."""


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_room(snap_compare: Any, screen: str, size: tuple[int, int]) -> None:
    run_before = SCREENS[screen]

    async def run(pilot: Pilot[Any]) -> None:
        await run_before(pilot)
        for key in AFTER.get(screen, ()):
            await pilot.press(key)
            await pilot.pause()

    assert snap_compare(facilitator_app(), terminal_size=size, run_before=run)
