"""The play toast says where play stands now, and the countdowns agree with it.

Two findings of a browser check of the team console. A resume within five seconds of a
pause left the "Play paused" toast on top of "Play resumed" while the clock bar said
RUNNING: the top toast, read first, was out of date. Now a play toast replaces the one
before it, and only that one (an inject's or a message's alert stays). And back from a
dropped link, the toast and the clock bar had the time left right while the answer form
and the inbox still counted from before the drop, for up to a second (until the next
tick). Now the clock message sets every countdown at once.

Toasts here live a minute (``NOTIFICATION_TIMEOUT``), so none leaves by its timer during
a test: only a replacement takes one down.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Static

from engine import commands as c
from tests.tui.pilots import until
from tests.tui.scripted import M, send
from tests.tui.test_team_alerts import _room, playing, toasts
from tests.tui.test_team_resume_notice import (
    QUESTION,
    SIZE,
    answering_i30,
    left_to_answer,
    one_by_one,
    play_toasts,
    redrawn,
)
from tui.console.base import ConsoleApp
from tui.team.answer import AnswerForm
from tui.team.app import TeamScreen, make_team_app
from tui.team.inbox import InboxList


@pytest.fixture(autouse=True)
def lasting_toasts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Toasts up for a minute: none leaves by its timer during a test."""
    monkeypatch.setattr(ConsoleApp, "NOTIFICATION_TIMEOUT", 60)


async def settled(pilot: Pilot[Any], console: TeamScreen) -> None:
    """Redrawn, and the toasts laid out again (a toast taken down is gone)."""
    await redrawn(pilot, console)
    await pilot.pause()


def titles(shown: list[str]) -> list[str]:
    """The first line of each toast."""
    return [toast.partition("\n")[0] for toast in shown]


def seconds(countdown: str) -> int:
    """``16:00`` or ``1:24:00`` in seconds."""
    total = 0
    for part in countdown.split(":"):
        total = total * 60 + int(part)
    return total


def due_in(console: TeamScreen, ref: str) -> int:
    """The seconds the answer form of ``ref`` says are left ("open · due in 16:00")."""
    form = next(f for f in console.query(AnswerForm) if f.item.ref == ref)
    shown = form.query_one(".due", Static).content
    assert isinstance(shown, Text)
    found = re.search(r"due in ([\d:]+)", shown.plain)
    assert found is not None, shown.plain
    return seconds(found[1])


def inbox_left(console: TeamScreen, inject: str) -> int:
    """The seconds the inbox row of ``inject`` counts down."""
    inbox = console.query_one(InboxList)
    row = str(inbox.get_option(inject).prompt)
    found = re.search(r" ([\d:]+)$", row)
    assert found is not None, row
    return seconds(found[1])


async def test_a_resume_soon_after_a_pause_replaces_its_toast_and_leaves_the_others() -> None:
    room = _room()
    app = make_team_app(link=room.link)
    async with playing(app, room, size=SIZE) as (pilot, console):
        room.control_sends(c.Broadcast(text="Coffee is in the back room."))
        await until(pilot, lambda: toasts(app), "the broadcast's alert")
        room.control_sends(c.Pause())
        await until(pilot, lambda: play_toasts(app), "the pause notice")
        room.control_sends(c.Resume())
        await until(
            pilot, lambda: any("Play resumed" in t for t in play_toasts(app)), "the resume notice"
        )
        await settled(pilot, console)
        assert titles(play_toasts(app)) == ["Play resumed"], "one play toast, the latest"
        assert any("Coffee is in the back room." in t for t in toasts(app)), "the broadcast stays"
        assert len(toasts(app)) == 2

        # And again: each turn replaces the last, never the broadcast.
        room.control_sends(c.Pause())
        await until(
            pilot, lambda: any("Play paused" in t for t in play_toasts(app)), "the second pause"
        )
        await settled(pilot, console)
        assert titles(play_toasts(app)) == ["Play paused"]
        assert len(toasts(app)) == 2


async def test_a_pause_says_its_reason_as_text_its_first_words_when_long() -> None:
    room = _room()
    app = make_team_app(link=room.link)
    async with playing(app, room, size=SIZE) as (pilot, console):
        room.control_sends(c.Pause(reason="Coffee break: back in [b]ten[/b] minutes"))
        await until(pilot, lambda: play_toasts(app), "the pause notice")
        (notice,) = play_toasts(app)
        # In the title: a line more made the toast cover the Submit button at 80x24.
        assert notice.startswith("Play paused · Coffee break: back in [b]ten[/b] minutes\n"), notice
        assert "The clock has stopped: deadlines wait." in notice

        room.control_sends(c.Resume())
        await until(pilot, lambda: "Play resumed" in "".join(play_toasts(app)), "the resume")
        long = (
            "Lunch [@click=app.quit]now[/] for everyone in the main hall, and the second "
            "module starts at two sharp with the regulator's call"
        )
        room.control_sends(c.Pause(reason=long))
        await until(pilot, lambda: "Play paused" in "".join(play_toasts(app)), "the second pause")
        await settled(pilot, console)
        (notice,) = play_toasts(app)
        first_twelve = " ".join(long.split()[:12])
        assert notice.startswith(f"Play paused · {first_twelve} …\n"), notice
        assert "regulator" not in notice
        assert console.is_running, "a reason that looks like markup is only text"


async def test_back_from_a_drop_the_form_and_inbox_count_down_from_the_toasts_time() -> None:
    """Paused before the drop, resumed and three minutes played while away: back, the form
    and the inbox row say what the toast says, before any one-second tick."""
    room = _room()
    app = make_team_app(link=room.link)
    async with playing(app, room, size=SIZE) as (pilot, console):
        await answering_i30(pilot, console, room)
        room.control_sends(c.Pause())
        await until(pilot, lambda: play_toasts(app), "the pause notice")
        before = left_to_answer(play_toasts(app)[0])
        await until(pilot, lambda: due_in(console, "I-30.alert") == before, "the form paused")
        app.clear_notifications()
        await until(pilot, lambda: not toasts(app), "the pause notice to go")

        console.ticker.pause()  # from here, only what the console hears moves a countdown
        room.team.drop()
        send(room.server, room.control, c.Resume())
        room.server.advance_to(room.server.exercise.now + 3 * M)
        room.team.reconnect()
        await one_by_one(pilot, console, room.link, room.team.drain())
        await until(pilot, lambda: play_toasts(app), "the resume missed while away")
        (notice,) = play_toasts(app)
        assert "Play resumed" in notice and QUESTION in notice
        told = left_to_answer(notice)
        # Three minutes played while away; the running clock's seconds since the resume
        # message arrived are real ones (a loaded CI run told 15:59 for 16:00).
        assert before - 3 * 60 - 3 <= told <= before - 3 * 60, (before, notice)
        assert due_in(console, "I-30.alert") == told, "the form, before the next tick"
        assert inbox_left(console, "I-30") == told, "the inbox row, before the next tick"


async def test_a_pause_heard_live_stops_the_forms_countdown_at_the_toasts_time() -> None:
    room = _room()
    app = make_team_app(link=room.link)
    async with playing(app, room, size=SIZE) as (pilot, console):
        await answering_i30(pilot, console, room)
        console.ticker.pause()
        room.control_sends(c.Pause())
        await until(pilot, lambda: play_toasts(app), "the pause notice")
        told = left_to_answer(play_toasts(app)[0])
        assert told == 19 * 60, "paused at 1:06, due at 1:25"
        assert due_in(console, "I-30.alert") == told, "the form, before the next tick"
        assert inbox_left(console, "I-30") == told, "the inbox row, before the next tick"
