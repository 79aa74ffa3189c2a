"""What a team console redraws, and what it leaves alone (issue 13).

In a browser every tab is a console of its own, and an inject reaches every team at
once: what one console draws for a tick or an inject is multiplied by the room.
These tests hold the structural savings (``bench/draw.py`` has the figures):

* the one-second tick redraws only the inbox rows whose text changed, and never lays
  the screen out for a countdown whose digits moved;
* a new inject draws only its own row afresh, the others from what they kept;
* a deadline passing on the inject being read redraws its form, not the inject.

The traffic is the fake server's (the server's own shaping), as in the other console
tests.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Markdown

from engine import commands as c
from engine.durations import format_countdown
from engine.net.fake import FakeLink, FakeServer
from tests.tui.pilots import until
from tests.tui.scripted import M, ScriptedLink, fake_server, send
from tui.team.answer import AnswerForm
from tui.team.app import TeamScreen, make_team_app
from tui.team.inbox import InboxLine, InboxList
from tui.team.inject_view import InjectView


@dataclass
class Play:
    server: FakeServer
    control: FakeLink
    team: FakeLink
    link: ScriptedLink

    def advance(self, t: int) -> None:
        """The exercise clock to ``t``; what the team receives goes to its console."""
        self.server.advance_to(t)
        self.link.push(*self.team.drain())


@asynccontextmanager
async def console_at(minutes: int) -> AsyncIterator[tuple[Any, TeamScreen, Play]]:
    """Team ``cert``'s console, the exercise ``minutes`` in and its clock running."""
    server = fake_server(1)
    control = server.link("facilitator:control")
    team = server.link("team:cert", "Amira")
    send(server, control, c.Start())
    server.advance_to(minutes * M)
    play = Play(server, control, team, ScriptedLink(team.drain()))
    app = make_team_app(link=play.link)
    async with app.run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, TeamScreen), "the team console")
        console = app.screen
        assert isinstance(console, TeamScreen)
        await settled(pilot, console, play)
        yield pilot, console, play


async def settled(pilot: Any, console: TeamScreen, play: Play) -> None:
    await until(
        pilot,
        lambda: play.link.queue.empty() and not console._redraw_pending,
        "the console to take in what it was sent",
    )
    await pilot.pause()


@dataclass
class Refresh:
    widget: Widget
    regions: tuple[Region, ...]
    layout: bool


@contextmanager
def refreshes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Refresh]]:
    """Every ``Widget.refresh`` asked for while the block runs."""
    seen: list[Refresh] = []
    original = Widget.refresh

    def spy(self: Widget, *regions: Region, **kwargs: Any) -> Widget:
        seen.append(Refresh(self, regions, bool(kwargs.get("layout"))))
        return original(self, *regions, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(Widget, "refresh", spy)
        yield seen


def stand_still_at(console: TeamScreen, t: int) -> None:
    """The console's clock at exercise time ``t``, not moving (the tick then reads it)."""
    console.model.clock.update(t, "paused", 1.0)


async def test_a_tick_redraws_only_the_rows_whose_countdown_moved(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with console_at(40) as (pilot, console, _play):
        inbox = console.query_one(InboxList)
        rows = [o.prompt for o in inbox.options]
        assert len(rows) >= 4 and all(isinstance(r, InboxLine) for r in rows)
        t = console.model.clock.now()
        stand_still_at(console, t)
        console._tick()
        await pilot.pause()

        # The clock stands still: a tick changes no row, and redraws none.
        with refreshes(monkeypatch) as seen:
            console._tick()
        assert [r for r in seen if r.widget is inbox] == []
        assert [r for r in seen if r.layout] == []

        # A second later: the rows counting down to a deadline change, the others do not.
        stand_still_at(console, t + 1000)
        counting = [r for r in rows if isinstance(r, InboxLine) and r.entry.next_due(t) is not None]
        assert 0 < len(counting) < len(rows), "some rows count down, some do not"
        with refreshes(monkeypatch) as seen:
            console._tick()
        mine = [r for r in seen if r.widget is inbox]
        assert all(len(r.regions) == 1 and r.regions[0].height == 1 for r in mine), mine
        assert len(mine) == len(counting)
        assert [r.widget for r in seen if r.layout] == [], "a countdown laid the screen out"
        # And those rows read the new countdown.
        for row in counting:
            left = (row.entry.next_due(t + 1000) or 0) - (t + 1000)
            if left >= 0:
                assert format_countdown(left) in str(row), str(row)


async def test_a_new_inject_draws_only_its_own_row_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    async with console_at(40) as (pilot, console, play):
        inbox = console.query_one(InboxList)
        before = len(inbox.options)
        drawn: list[str] = []
        original = InboxLine.render_strips

        def spy(self: InboxLine, *args: Any, **kwargs: Any) -> Any:
            drawn.append(self.entry.inject)
            return original(self, *args, **kwargs)

        # Stop the clock where it is, so that no countdown moves while the inject arrives.
        stand_still_at(console, console.model.clock.now())
        monkeypatch.setattr(InboxLine, "render_strips", spy)
        t = play.server.now
        while len(console.model.inbox) == before:
            t += M
            play.advance(t)
            await settled(pilot, console, play)
        await pilot.pause()
        new = [e.inject for e in console.model.entries("newest")[: len(inbox.options) - before]]
        assert len(inbox.options) > before and new
        # Only the new rows, and the rows whose text changed with the time (the console's
        # clock heard the server's), are drawn from scratch: not every row on screen.
        assert set(new) <= set(drawn)
        assert len(drawn) < len(inbox.options), drawn


async def test_a_deadline_redraws_the_form_not_the_inject() -> None:
    async with console_at(6) as (pilot, console, play):
        view = console.query_one(InjectView)
        assert view.entry is not None
        entry = view.entry
        due = [x.due_at for x in entry.expectations if x.due_at is not None]
        assert due, "the first inject has a deadline"
        body = view.query_one(Markdown)
        forms = list(view.query(AnswerForm))
        play.advance(max(due) + M)
        await settled(pilot, console, play)
        assert view.entry is entry
        assert all(x.status(play.server.now) in ("overdue", "expired") for x in entry.expectations)
        # The inject's text is the same widget: only the forms moved on.
        assert view.query_one(Markdown) is body
        assert list(view.query(AnswerForm)) == forms
        assert all(f.has_class("-overdue") for f in forms)
