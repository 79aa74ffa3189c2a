"""The team console's briefing, a broadcast's alert, wrapped options and the phone
layout, at 80×24 and 160×48, compared with stored SVG snapshots.

The traffic is the fake server's (the server's own shaper and welcomes), with the
server's wall clock standing still, so every run draws the same. Update after an
intended visual change with ``pytest tests/tui/test_team_snapshots.py
--snapshot-update`` and look at the new snapshots before committing them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import RadioSet

from engine import commands as c
from engine.net.fake import FakeLink, FakeServer
from tests.tui.scripted import M, ScriptedLink, fake_server, send
from tests.tui.test_snapshots import settle
from tui.console.base import ConsoleApp
from tui.team.app import TeamScreen, make_team_app
from tui.team.inject_view import InjectView

SIZES = [(80, 24), (160, 48)]
Run = Callable[[Pilot[Any]], Awaitable[None]]


def _play(team: str, until: int | None) -> tuple[FakeServer, FakeLink, FakeLink]:
    """Team ``team``'s link to a fake server, played to ``until`` (None: not started)."""
    server = fake_server(1)
    control = server.link("facilitator:control")
    link = server.link(f"team:{team}", "Amira")
    if until is not None:
        send(server, control, c.Start())
        server.advance_to(until)
        send(server, control, c.Pause())
    return server, control, link


def console(pilot: Pilot[Any]) -> TeamScreen:
    app = pilot.app
    assert isinstance(app, ConsoleApp)
    screen = app.console_screen
    assert isinstance(screen, TeamScreen)
    return screen


def briefing() -> tuple[ConsoleApp[Any], Run]:
    _server, _control, team = _play("cert", None)
    return make_team_app(link=ScriptedLink(team.drain())), settle


def alert() -> tuple[ConsoleApp[Any], Run]:
    server, control, team = _play("cert", 6 * M)
    link = ScriptedLink(team.drain())

    async def broadcast(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        text = "Coffee break in 10 minutes: finish the answer you are on, then stretch."
        send(server, control, c.Broadcast(title="Break", text=text))
        link.push(*team.drain())
        screen = console(pilot)
        for _ in range(100):
            await pilot.pause()
            if screen.model.messages and not screen._redraw_pending:
                break
        for box in screen.query("Input, TextArea"):
            box.cursor_blink = False  # type: ignore[attr-defined]
        await pilot.pause()

    return make_team_app(link=link), broadcast


def options() -> tuple[ConsoleApp[Any], Run]:
    """The energy cabinet 11 minutes in: I-11 asks for a line, options of 130 characters."""
    _server, _control, team = _play("energy", 11 * M)

    async def show_options(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        screen = console(pilot)
        view = screen.query_one(InjectView)
        assert view.entry is not None and view.entry.inject == "I-11", view.entry
        view.scroll_to_widget(view.query_one(RadioSet), animate=False, top=True)
        await settle(pilot)

    return make_team_app(link=ScriptedLink(team.drain())), show_options


def phone() -> tuple[ConsoleApp[Any], Run]:
    _server, _control, team = _play("energy", 11 * M)
    return make_team_app(link=ScriptedLink(team.drain())), settle


SCREENS: dict[str, Callable[[], tuple[ConsoleApp[Any], Run]]] = {
    "team-briefing": briefing,
    "team-broadcast-alert": alert,
    "team-wrapped-options": options,
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_team_screen(snap_compare: Any, screen: str, size: tuple[int, int]) -> None:
    app, run_before = SCREENS[screen]()
    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_team_console_at_a_phones_width(snap_compare: Any) -> None:
    """412 px in a browser is about 42 columns: the inbox above the inject."""
    app, run_before = phone()
    assert snap_compare(app, terminal_size=(42, 40), run_before=run_before)
