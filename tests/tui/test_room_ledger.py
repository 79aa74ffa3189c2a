"""The inject ledger in the control room: who opened an inject, and when (issue 12).

A real server on loopback; the control room and two members of table a-01 on shipped
clients, driven with Pilot. The first member to look at an inject tells the engine
(an ``open`` input); the control room's MSEL counts the tables that opened it and the
table view says who opened it and how long after its delivery. A second member who
looks at it later sends nothing: the engine keeps the table's first opening.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from engine import commands as c
from engine.eventlog import EventLog
from tests.server.conftest import M, serving
from tests.tui.flows import console, grid_cell, msel_cell, open_inject, open_teams
from tui.facilitator.table_view import TableScreen


async def test_the_first_member_to_read_an_inject_opens_it_for_the_table(tmp_path: Path) -> None:
    async with serving(tmp_path) as served:
        control, _ = await served.client("facilitator:control")
        await control.send(c.Start())
        await control.send(c.Jump(to=12 * M))  # A1 (at 10m, to every table) is delivered
        await control.send(c.Pause())
        async with contextlib.AsyncExitStack() as stack:
            room = await stack.enter_async_context(
                console(served, served.code("facilitator:control"), "facilitator")
            )
            await room.until(lambda: msel_cell(room, "A1", "opened") == "0/4", "A1 unopened")
            team = (await open_teams(stack, served, "a-01"))["a-01"]
            await open_inject(team, "A1")
            await room.until(lambda: msel_cell(room, "A1", "opened") == "1/4", "A1 opened once")
            second = await stack.enter_async_context(
                console(served, served.code("team:a-01"), "team", "member-2")
            )
            await open_inject(second, "A1")
            # The table view: who opened it, how long after delivery.
            await room.press("2")
            await room.until(lambda: grid_cell(room, "a-01", "id") == "a-01", "the grid")
            with room.active():
                grid = room.screen.query_one("#team-grid")
                grid.move_cursor(row=grid.get_row_index("a-01"))
            await room.press("enter")
            await room.until(lambda: isinstance(room.app.screen, TableScreen), "a-01's table")
            await room.until_shows("opened 2m after delivery by member-1")
            await room.press("escape")
            refused = [t for t in second.toasts() if "opened" in t]
    with EventLog.open(served.db, readonly=True) as log:
        opens = [e.body for e in log.events() if isinstance(e.body, c.Open)]
    assert [(o.team, o.member, o.inject) for o in opens] == [("a-01", "member-1", "A1")]
    assert refused == []
