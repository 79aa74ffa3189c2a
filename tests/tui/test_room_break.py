"""A break planned from the control room, shown on every console (issue 12).

``b`` opens a dialog that asks for the break's length or its end and a message, and
sends a ``pause`` with ``until``; the team console and the control room then show
``Coffee break · Break until 11:15 — resumes in 15 min`` (worded once, by
:meth:`engine.views.PauseView.status_line`) until play resumes. A plain pause shows no
such line: the clock bar says PAUSED. Driven against the fake server (the engine, the
server's shaper and hub), with the consoles' wall clock fixed at 11:00 UTC.

Snapshots at 80x24 and 160x48: the dialog with its preview, and the break on the
control room and on a team's console. Update after an intended visual change with
``pytest tests/tui/test_room_break.py --snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from engine import commands as c
from engine.net.fake import FakeLink, FakeServer
from engine.net.protocol import EventMsg, Incoming
from tests.tui.pilots import until
from tests.tui.scripted import M, ScriptedLink, fake_server, send
from tests.tui.test_snapshots import SIZES, settle
from tui.console.base import ConsoleApp
from tui.console.widgets import PauseBanner
from tui.facilitator.app import make_facilitator_app
from tui.facilitator.dialogs import BreakDialog
from tui.team.app import make_team_app

EPOCH = datetime(2026, 2, 11, 11, 0, tzinfo=UTC).timestamp()
"""The consoles' wall clock: 11:00 UTC."""
SHOWN = "Coffee break · Break until 11:15 — resumes in 15 min"


def _fixed(app: ConsoleApp[Any]) -> ConsoleApp[Any]:
    """The console reads a wall clock at 11:00 UTC, and its exercise clock stands still
    between server updates (as it would for a snapshot taken in an instant)."""
    screen = app.console_screen
    screen.wall_clock = lambda: EPOCH
    screen.tz = UTC
    screen.model.clock.wall = lambda: 0.0
    return app


def _running(teams: int = 1) -> tuple[FakeServer, FakeLink, FakeLink]:
    """A fake server twenty minutes into play: the control room's link and cert's."""
    server = fake_server(teams)
    control = server.link("facilitator:control")
    team = server.link(f"team:{server.roster.teams[0].id}", "Amira")
    send(server, control, c.Start())
    server.advance_to(20 * M)
    return server, control, team


def banner(app: ConsoleApp[Any]) -> str | None:
    """The pause line under the clock bar, or None while it is hidden."""
    widget = app.console_screen.query_one(PauseBanner)
    return str(widget.render()) if widget.has_class("-shown") else None


def pauses(link: FakeLink) -> list[c.Pause]:
    return [
        c.Pause.model_validate(m.payload)
        for m in link.drain()
        if isinstance(m, EventMsg) and m.kind == "pause"
    ]


async def _plan(pilot: Pilot[Any], app: ConsoleApp[Any], until_text: str, message: str) -> None:
    await pilot.press("b")
    await until(pilot, lambda: isinstance(app.screen, BreakDialog), "the break dialog")
    await pilot.press(*until_text, "tab", *message)


async def test_a_break_planned_in_the_control_room_shows_on_every_console() -> None:
    server, control, team = _running()
    observer = server.link("observer:observer", "guest")
    room = _fixed(make_facilitator_app(link=control))
    async with room.run_test(size=(80, 24)) as pilot:
        model = room.console_screen.model
        await until(pilot, lambda: model.clock.status == "running", "the running clock")
        await _plan(pilot, room, "15m", "Coffee break")
        dialog = room.screen
        preview = str(dialog.query_one("#preview", Static).render())
        assert preview == f"Teams will see: {SHOWN}", preview
        await pilot.press("enter")
        await until(pilot, lambda: room.screen is room.console_screen, "the dialog closed")
        await until(pilot, lambda: banner(room) is not None, "the control room's break line")
        assert banner(room) == SHOWN
    assert pauses(observer) == [c.Pause(reason="Coffee break", until=EPOCH + 15 * 60)]

    players = _fixed(make_team_app(link=team))
    async with players.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: banner(players) is not None, "the team's break line")
        assert banner(players) == SHOWN
        # Five minutes on, the countdown has moved: redrawn every second.
        players.console_screen.wall_clock = lambda: EPOCH + 5 * 60 + 30
        await until(pilot, lambda: banner(players) != SHOWN, "the countdown")
        assert banner(players) == "Coffee break · Break until 11:15 — resumes in 10 min"
        send(server, control, c.Resume())
        await until(pilot, lambda: banner(players) is None, "the line gone on resuming")


async def test_the_end_of_a_break_can_be_a_time_of_day_and_not_one_that_has_passed() -> None:
    server, control, _team = _running()
    room = _fixed(make_facilitator_app(link=control))
    # A wall clock between two milliseconds, as a real one is: the end is 11:40 exactly.
    room.console_screen.wall_clock = lambda: EPOCH + 0.1236
    async with room.run_test(size=(80, 24)) as pilot:
        model = room.console_screen.model
        await until(pilot, lambda: model.clock.status == "running", "the running clock")
        await _plan(pilot, room, "10:30", "")
        await pilot.press("enter")
        error = str(room.screen.query_one(".error", Static).render())
        assert isinstance(room.screen, BreakDialog), "a time that has passed was sent"
        assert "10:30 has passed (it is 11:00 here)" in error, error
        await pilot.press("shift+tab", *["backspace"] * 5, *"11:40", "enter")
        await until(pilot, lambda: room.screen is room.console_screen, "the dialog closed")
        await until(pilot, lambda: banner(room) is not None, "the break line")
        assert banner(room) == "Break until 11:40 — resumes in 40 min"
    assert server.exercise.paused_by == c.Pause(until=EPOCH + 40 * 60)


async def test_a_plain_pause_shows_no_break_line_and_b_needs_play_running() -> None:
    server, control, _team = _running()
    send(server, control, c.Pause())
    room = _fixed(make_facilitator_app(link=control))
    async with room.run_test(size=(80, 24)) as pilot:
        model = room.console_screen.model
        await until(pilot, lambda: model.clock.status == "paused", "the paused clock")
        await pilot.pause()
        assert banner(room) is None
        await pilot.press("b")
        await pilot.pause()
        assert room.screen is room.console_screen, "the dialog opened while paused"
        shown = [n.message for n in room._notifications]
        assert any("play is paused already: resume it (p)" in m for m in shown), shown
    assert server.exercise.paused_by == c.Pause()


# ------------------------------------------------------------------ snapshots


def _break_traffic() -> tuple[list[Incoming], list[Incoming]]:
    """What the control room and team cert heard: twenty minutes of play, then a break."""
    server, control, team = _running()
    send(server, control, c.Pause(reason="Coffee break", until=EPOCH + 15 * 60))
    return list(control.drain()), list(team.drain())


def _running_room() -> ConsoleApp[Any]:
    server, control, _team = _running()
    send(server, control, c.SetSpeed(speed=1))  # a clock message at 0:20:00, as a live one
    return _fixed(make_facilitator_app(link=ScriptedLink(control.drain())))


async def _dialog(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    assert isinstance(pilot.app, ConsoleApp)
    await _plan(pilot, pilot.app, "15m", "Coffee break")
    await settle(pilot)


SCREENS: dict[str, Callable[[], ConsoleApp[Any]]] = {
    "room-break-dialog": _running_room,
    "room-break": lambda: _fixed(make_facilitator_app(link=ScriptedLink(_break_traffic()[0]))),
    "team-break": lambda: _fixed(make_team_app(link=ScriptedLink(_break_traffic()[1]))),
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_break_snapshot(snap_compare: Any, screen: str, size: tuple[int, int]) -> None:
    run = _dialog if screen == "room-break-dialog" else settle
    assert snap_compare(SCREENS[screen](), terminal_size=size, run_before=run)
