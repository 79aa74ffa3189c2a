"""A table whose members all drop shows in the control room (issue 12).

A real server on loopback (grace period shortened), the control room through a
shipped client, driven with Pilot; the team's members are shipped clients that join
and leave. When the table's last member leaves, the grid marks it (``⊘`` before its
id, ``⊘ 0:31`` in Members), its table view says "Offline since 0:31", and an alert
like "Table falling behind" pops up once; when a member is back, the marks go. A
table already offline when the control room joins is marked but raises no alert.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from engine import commands as c
from engine.net.protocol import PresenceMsg
from engine.net.server.settings import ServerSettings
from tests.server.conftest import M, serving
from tests.tui.flows import console, grid_cell
from tests.tui.pilots import until
from tests.tui.scripted import ScriptedLink, fake_server, send
from tests.tui.test_snapshots import SIZES, steps
from tests.tui.test_snapshots import console as console_of
from tui.console.base import ConsoleApp
from tui.facilitator.app import make_facilitator_app
from tui.facilitator.table_view import TableScreen


async def test_a_table_that_disconnects_is_marked_and_raises_one_alert(tmp_path: Path) -> None:
    settings = ServerSettings(presence_grace=0.2)
    async with serving(tmp_path, settings=settings) as served:
        control, _ = await served.client("facilitator:control")
        await control.send(c.Start())
        await control.send(c.Jump(to=31 * M))
        await control.send(c.Pause())  # the clock stands at 0:31:00
        async with contextlib.AsyncExitStack() as stack:
            room = await stack.enter_async_context(
                console(served, served.code("facilitator:control"), "facilitator")
            )
            await room.press("2")
            member, _ = await served.client("team:a-01", "amira")
            await room.until(lambda: grid_cell(room, "a-01", "id") == "a-01", "a-01 online")
            await member.close()
            await room.until(lambda: grid_cell(room, "a-01", "id") == "⊘ a-01", "the mark")
            assert grid_cell(room, "a-01", "members") == "⊘ 0:31"
            assert (
                room.toasts().count(
                    "Table offline: a-01 is offline: no member connected since 0:31:00"
                )
                == 1
            ), room.toasts()
            # The table view says so too.
            with room.active():
                grid = room.screen.query_one("#team-grid")
                grid.move_cursor(row=grid.get_row_index("a-01"))
            await room.press("enter")
            await room.until(lambda: isinstance(room.app.screen, TableScreen), "a-01's table")
            await room.until_shows("Offline since 0:31: no member connected")
            await room.press("escape")
            # Back: the marks go, and no alert comes with it.
            await served.client("team:a-01", "amira")
            await room.until(lambda: grid_cell(room, "a-01", "id") == "a-01", "a-01 back")
            assert grid_cell(room, "a-01", "members") == "1"
            assert sum("offline" in t for t in room.toasts()) == 1, room.toasts()


async def test_a_table_offline_before_the_control_room_joins_is_marked_quietly(
    tmp_path: Path,
) -> None:
    settings = ServerSettings(presence_grace=0.05)
    async with serving(tmp_path, settings=settings) as served:
        _, staff = await served.client("observer:observer")
        member, _ = await served.client("team:b-02", "cleo")
        await member.close()
        await staff.wait(
            lambda r: any(not p.online for m in r.of(PresenceMsg) for p in m.teams),
            what="b-02 announced offline",
        )
        async with console(served, served.code("facilitator:control"), "facilitator") as room:
            await room.press("2")
            await room.until(lambda: grid_cell(room, "b-02", "id") == "⊘ b-02", "the mark")
            assert grid_cell(room, "b-02", "members") == "⊘ 0:00"
            await room.pause()
            assert not any("offline" in t for t in room.toasts()), room.toasts()


# ------------------------------------------------------------------ snapshots


def _offline_room() -> ConsoleApp[Any]:
    """The control room 31 minutes in: every table has a member connected but
    grid, whose only member left at 0:31 (the fake server's own presence)."""
    server = fake_server(1)
    control = server.link("facilitator:control")
    members = {t.id: server.link(f"team:{t.id}", "Jo") for t in server.roster.teams}
    send(server, control, c.Start())
    server.advance_to(31 * M)
    members["grid"].drop()
    send(server, control, c.Pause())
    return make_facilitator_app(link=ScriptedLink(control.drain()))


async def _grid(pilot: Pilot[Any]) -> None:
    grid = console_of(pilot).query_one("#team-grid")
    grid.move_cursor(row=grid.get_row_index("grid"))
    await pilot.pause()


async def _open_grid(pilot: Pilot[Any]) -> None:
    await _grid(pilot)
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, TableScreen), "grid's table")
    await pilot.pause()


SCREENS = {
    "room-offline-grid": steps("2", extra=_grid),
    "room-offline-table": steps("2", extra=_open_grid),
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_offline_snapshot(snap_compare: Any, screen: str, size: tuple[int, int]) -> None:
    assert snap_compare(_offline_room(), terminal_size=size, run_before=SCREENS[screen])
