"""A module's discussion on the consoles (issue 15).

When the engine pauses for a module's discussion, every team console lists the
questions (wrapped, at a phone's width too) under a line saying which module and how
long is suggested; the control room says "Module 1 discussion — resume when done" with
the suggested time counting down from when the discussion began; the facilitator's
resume key (p) resumes play and the questions go away. Driven against the fake
server (the engine, the server's shaper and hub) on ``election-disinfo``, whose first
module's discussion falls at 0:43, with the consoles' wall clock fixed.

Snapshots at 80x24 and 160x48 of the team console and the control room during the
discussion; update after an intended visual change with
``pytest tests/tui/test_modules_consoles.py --snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from textual.geometry import Region
from textual.widgets import Static

from engine import commands as c
from engine.net.fake import FakeLink, FakeServer
from engine.net.protocol import Incoming
from tests.tui.pilots import until
from tests.tui.scripted import ROOT, M, ScriptedLink, send
from tests.tui.test_snapshots import SIZES, settle
from tui.console.base import ConsoleApp
from tui.console.widgets import PauseBanner
from tui.facilitator.app import make_facilitator_app
from tui.team.app import TeamScreen, make_team_app
from tui.team.discussion import DiscussionPanel

SCENARIO = ROOT / "scenarios" / "election-disinfo.yaml"
EPOCH = datetime(2026, 2, 11, 11, 0, tzinfo=UTC).timestamp()
"""When the discussion began, on the server's wall clock: 11:00 UTC."""
LATER = EPOCH + 90
"""The consoles' wall clock: a minute and a half into the discussion."""
FIRST = "Who told voters first that the robocalls were fake"


def _fixed(app: ConsoleApp[Any]) -> ConsoleApp[Any]:
    screen = app.console_screen
    screen.wall_clock = lambda: LATER
    screen.tz = UTC
    screen.model.clock.wall = lambda: 0.0
    return app


def _discussing() -> tuple[FakeServer, FakeLink, FakeLink]:
    """The fake server at the first module's discussion: the control room's link and
    the commission's."""
    server = FakeServer.from_file(SCENARIO, 1, wall=lambda: EPOCH)
    control = server.link("facilitator:control")
    team = server.link(f"team:{server.roster.teams[0].id}", "Amira")
    send(server, control, c.Start())
    server.advance_to(60 * M)  # stops at the discussion, as a live server does
    assert (server.exercise.now, server.exercise.status) == (43 * M, "paused")
    return server, control, team


def banner(app: ConsoleApp[Any]) -> str | None:
    widget = app.console_screen.query_one(PauseBanner)
    return str(widget.render()) if widget.has_class("-shown") else None


def panel(app: ConsoleApp[TeamScreen]) -> DiscussionPanel:
    return app.console_screen.query_one(DiscussionPanel)


async def test_every_team_sees_the_questions_until_play_resumes() -> None:
    server, control, team = _discussing()
    players = _fixed(make_team_app(link=team))
    async with players.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: panel(players).has_class("-shown"), "the questions")
        text = str(panel(players).query_one("#discussion-text", Static).render())
        assert text.startswith("Module 1 discussion — Friday afternoon\nPlay is paused.")
        assert f"1. {FIRST}" in text and "3. What did you decide" in text
        assert banner(players) == "Module 1 discussion: Friday afternoon · 8:30 left of 10 min"
        send(server, control, c.Resume())
        await until(pilot, lambda: not panel(players).has_class("-shown"), "questions gone")
        await until(pilot, lambda: banner(players) is None, "the line gone on resuming")


async def test_the_questions_wrap_on_a_phone() -> None:
    _server, _control, team = _discussing()
    players = _fixed(make_team_app(link=team))
    async with players.run_test(size=(40, 30)) as pilot:
        await until(pilot, lambda: panel(players).has_class("-shown"), "the questions")
        await pilot.pause()
        shown = panel(players)
        assert shown.region.width <= 40
        text = shown.query_one("#discussion-text", Static)
        assert text.size.width <= 40 - 4, "inside the border and padding"
        lines = text.render_lines(Region(0, 0, text.size.width, text.size.height))
        words = " ".join("".join(seg.text for seg in line).strip() for line in lines)
        # Every word of the first question is on screen: wrapped, not cropped.
        assert "Who told voters first that the robocalls were fake, and how long" in " ".join(
            words.split()
        ), words


async def test_the_control_room_counts_down_and_p_resumes() -> None:
    server, control, _team = _discussing()
    room = _fixed(make_facilitator_app(link=control))
    async with room.run_test(size=(80, 24)) as pilot:
        model = room.console_screen.model
        await until(pilot, lambda: model.clock.status == "paused", "the paused clock")
        await until(pilot, lambda: banner(room) is not None, "the discussion line")
        assert banner(room) == "Module 1 discussion — resume when done · 8:30 left of 10 min"
        room.console_screen.wall_clock = lambda: EPOCH + 11 * 60  # past the suggested time
        await until(pilot, lambda: "0:00 left" in (banner(room) or ""), "the countdown")
        await pilot.press("p")
        await until(pilot, lambda: server.exercise.status == "running", "play resumed")
        await until(pilot, lambda: banner(room) is None, "the line gone")
    later = server.advance_to(46 * M)
    assert "ED-17" in [e.payload["inject"] for e in later if e.kind == "delivered"]


# ------------------------------------------------------------------ snapshots


def _traffic() -> tuple[list[Incoming], list[Incoming]]:
    _server, control, team = _discussing()
    return list(control.drain()), list(team.drain())


SCREENS: dict[str, Callable[[], ConsoleApp[Any]]] = {
    "room-discussion": lambda: _fixed(make_facilitator_app(link=ScriptedLink(_traffic()[0]))),
    "team-discussion": lambda: _fixed(make_team_app(link=ScriptedLink(_traffic()[1]))),
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_discussion_snapshot(snap_compare: Any, screen: str, size: tuple[int, int]) -> None:
    assert snap_compare(SCREENS[screen](), terminal_size=size, run_before=settle)
