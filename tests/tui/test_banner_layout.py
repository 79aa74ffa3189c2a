"""A banner that appears with a text longer than its last one shows all of it.

CI caught the team console's "Connection lost: reconnecting…" warning cut to one line
at 80 columns (its end, "when the connection is back.", missing): the banner was shown
before it got its text, so Textual laid it out with the old, empty text and kept that
height (see :func:`tui.console.widgets.reveal`). The class is every banner that is
shown and given a text in one go: the connection banner in each state it can reach,
from each state, and the break line, at phone, terminal and wide widths.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import partial
from itertools import permutations
from typing import Any

import pytest
from rich.console import Console
from rich.text import Text

from engine import commands as c
from engine.net.protocol import LinkChange, LinkState
from tests.tui.flows import screen_text
from tests.tui.pilots import until
from tests.tui.scripted import M, ScriptedLink, fake_server, send, team_traffic
from tui.console.base import ConsoleApp
from tui.console.widgets import ConnectionBanner, PauseBanner
from tui.team.app import make_team_app

WIDTHS = [40, 80, 160]
STATES: list[LinkState] = ["connected", "connecting", "reconnecting", "closed"]


def _flat(text: str) -> str:
    """The screen's words in order, whatever the line breaks."""
    return re.sub(r"\s+", " ", text)


def _in_state(banner: ConnectionBanner, state: LinkState) -> bool:
    return banner.state == state


def _whole(app: ConsoleApp[Any], shown: str) -> bool:
    return _flat(shown) in _flat(screen_text(app))


async def _hidden_tabs_redrawn(pilot: Any, app: ConsoleApp[Any]) -> None:
    """Redraw the widgets of the tabs not shown, as traffic for them does all the time
    (a message, a note). Textual then lays the whole screen out again the next time a
    widget's size is asked: the moment the banner is shown, before it had its text."""
    for box in app.console_screen.query("Input, RichLog"):
        box.refresh()
    await pilot.pause()


@pytest.mark.parametrize("width", WIDTHS)
async def test_the_connection_warning_shows_whole_from_every_state(width: int) -> None:
    link = ScriptedLink(team_traffic())
    app = make_team_app(link=link)
    async with app.run_test(size=(width, 24)) as pilot:
        banner = app.console_screen.query_one(ConnectionBanner)
        for before, after in permutations(STATES, 2):
            for state in (before, after):
                await _hidden_tabs_redrawn(pilot, app)
                link.push(LinkChange(state=state, reason=""))
                await until(pilot, partial(_in_state, banner, state), f"the {state} banner")
                await pilot.pause()
            if after == "connected":
                assert not banner.display
                continue
            shown = str(banner.render())
            assert shown and banner.display
            await until(pilot, partial(_whole, app, shown), f"all of {shown!r} after {before}")


@pytest.mark.parametrize("width", WIDTHS)
async def test_a_break_line_longer_than_one_row_shows_whole(width: int) -> None:
    server = fake_server()
    control = server.link("facilitator:control")
    team = server.link(f"team:{server.roster.teams[0].id}", "Amira")
    send(server, control, c.Start())
    server.advance_to(20 * M)
    wall = datetime(2026, 2, 11, 11, 0, tzinfo=UTC).timestamp()
    reason = "Coffee break in the hall: keep your notes, the regulator's call comes next"
    link = ScriptedLink(team.drain())
    app = make_team_app(link=link)
    screen = app.console_screen
    screen.wall_clock = lambda: wall
    screen.tz = UTC
    screen.model.clock.wall = lambda: 0.0
    async with app.run_test(size=(width, 24)) as pilot:
        banner = screen.query_one(PauseBanner)
        await until(pilot, lambda: screen.model.clock.status == "running", "play")
        await _hidden_tabs_redrawn(pilot, app)
        send(server, control, c.Pause(reason=reason, until=wall + 15 * 60))
        link.push(*team.drain())
        await until(pilot, lambda: banner.has_class("-shown"), "the break line")
        await pilot.pause()
        shown = str(banner.render())
        assert reason in shown
        # The line may be cut at its limit of three rows, never at the one row it had.
        inner = width - 2  # its padding
        rows = len(Text(shown).wrap(Console(width=inner), inner))
        if rows <= 3:
            await until(pilot, lambda: _whole(app, shown), f"all of {shown!r}")
        else:
            assert banner.region.height == 3
