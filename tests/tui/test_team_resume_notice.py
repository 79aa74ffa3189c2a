"""The team console says when play resumes or pauses, where the member is looking.

Seen in the demo at 80x24: the module's discussion paused play, a member typed an answer
while the question showed "due in 1:00", the facilitator ended the discussion and
nothing told them. The clock bar at the top went from PAUSED to RUNNING, out of their
eye line, and a few seconds later (at ×60) the question showed "missed". Now a pause or
a resume heard live pops up (at the top while they type), with the time left on the
question they answer; the keyboard stays in the answer box. What the console hears on
(re)joining, the clock it starts from, is no change; a pause and a resume heard together
cancel out.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterable
from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import TextArea

from engine import commands as c
from engine.net.protocol import Incoming
from tests.tui.pilots import type_keys, until
from tests.tui.scripted import M, ScriptedLink, fake_server, send
from tests.tui.test_team_alerts import Room, _room, playing, toasts
from tui.team.app import TeamScreen, make_team_app

SIZE = (80, 24)
"""The terminal it was seen in."""
QUESTION = "Write the joint alert to delegations"
"""I-30's question (a written answer due 20 minutes after it arrives at 1:05)."""


def play_toasts(app: App[Any]) -> list[str]:
    """The pause and resume notices on screen."""
    return [t for t in toasts(app) if "Play paused" in t or "Play resumed" in t]


def left_to_answer(notice: str) -> int:
    """The seconds a notice says are left on the question."""
    found = re.search(r"(\d+):(\d\d) left to answer: ", notice)
    assert found is not None, notice
    return int(found[1]) * 60 + int(found[2])


async def one_by_one(
    pilot: Pilot[Any], console: TeamScreen, link: ScriptedLink, messages: Iterable[Incoming]
) -> None:
    """Hand the console each message on its own, redrawn before the next: a catch-up
    read off a slow network, where a redraw may fall anywhere in it."""
    for message in messages:
        link.push(message)
        await until(pilot, link.queue.empty, "the message taken")
        await redrawn(pilot, console)


async def redrawn(pilot: Pilot[Any], console: TeamScreen) -> None:
    """Until the console has handled what was posted to it, and redrawn."""
    handled = asyncio.Event()
    console.call_later(handled.set)  # behind the messages in the console's queue
    await until(pilot, lambda: handled.is_set() and not console._redraw_pending, "a redraw")


async def answering_i30(pilot: Pilot[Any], console: TeamScreen, room: Room) -> TextArea:
    """Bring I-30 (at 1:05) and open it from the inbox: the keyboard in its answer box."""
    room.server.advance_to(66 * M)
    room.link.push(*room.team.drain())
    await until(pilot, lambda: "I-30" in console.model.inbox, "I-30")
    await until(pilot, lambda: not console._redraw_pending, "the inbox redrawn")
    await pilot.press("home", "enter")
    await until(pilot, lambda: isinstance(console.focused, TextArea), "the answer box")
    box = console.focused
    assert isinstance(box, TextArea)
    return box


async def test_play_resuming_while_a_member_types_pops_up_and_keeps_their_answer() -> None:
    room = _room()
    app = make_team_app(link=room.link)
    async with playing(app, room, size=SIZE) as (pilot, console):
        box = await answering_i30(pilot, console, room)
        room.control_sends(c.Pause())  # a break, before the member starts writing
        await until(pilot, lambda: play_toasts(app), "the pause notice")
        app.clear_notifications()
        await until(pilot, lambda: not toasts(app), "the pause notice to go")
        await type_keys(pilot, "Cloned voices call ")

        room.control_sends(c.Resume())
        await until(pilot, lambda: play_toasts(app), "the resume notice")
        (notice,) = play_toasts(app)
        assert "Play resumed" in notice
        assert QUESTION in notice, "the question being answered"
        # Due at 1:25, resumed at 1:06: 19 minutes left, a moment less as the clock runs.
        assert 19 * 60 - 2 <= left_to_answer(notice) <= 19 * 60, notice
        assert console.focused is box, "the keyboard stays in the answer box"
        assert box.text == "Cloned voices call "
        await type_keys(pilot, "delegates.")
        assert box.text == "Cloned voices call delegates."
        assert console.focused is box
        assert room.rings == [], "the bell is off until the team turns it on"


async def test_play_pausing_pops_up_with_the_time_left_and_rings_the_bell_when_on() -> None:
    room = _room()
    app = make_team_app(link=room.link)
    async with playing(app, room, size=SIZE) as (pilot, console):
        await pilot.press("b")  # the bell on, for arrivals, messages and play's turns
        box = await answering_i30(pilot, console, room)
        await type_keys(pilot, "Draft")
        app.clear_notifications()
        await until(pilot, lambda: not toasts(app), "the arrival to go")
        rings = len(room.rings)

        room.control_sends(c.Pause())
        await until(pilot, lambda: play_toasts(app), "the pause notice")
        (notice,) = play_toasts(app)
        assert "Play paused" in notice
        assert "19:00 left to answer: " + QUESTION in notice, "the clock stood still at 1:06"
        assert console.focused is box and box.text == "Draft"
        await until(pilot, lambda: len(room.rings) > rings, "the bell")
        assert len(room.rings) == rings + 1


async def test_joining_announces_nothing_and_a_rejoin_what_play_did_while_away() -> None:
    server = fake_server(1)
    control = server.link("facilitator:control")
    send(server, control, c.Start())
    server.advance_to(6 * M)
    send(server, control, c.Pause())
    send(server, control, c.Resume())
    server.advance_to(7 * M)
    team = server.link("team:cert", "Amira")  # joins while running: all that is a catch-up
    room = Room(server, control, team, ScriptedLink())
    app = make_team_app(link=room.link)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: isinstance(app.screen, TeamScreen), "the team console")
        console = app.screen
        assert isinstance(console, TeamScreen)
        await one_by_one(pilot, console, room.link, team.drain())
        assert console.model.inbox, "the catch-up"
        await until(pilot, lambda: toasts(app), "the arrival's alert")
        assert console.model.clock.status == "running"
        assert play_toasts(app) == []

        # Away while the facilitator pauses, resumes and pauses again: back, the member is
        # told where play stands now, once, however the catch-up is read.
        room.team.drop()
        send(server, control, c.Pause())
        send(server, control, c.Resume())
        send(server, control, c.Pause())
        room.team.reconnect()
        await one_by_one(pilot, console, room.link, room.team.drain())
        assert console.model.clock.status == "paused"
        await until(pilot, lambda: play_toasts(app), "the pause missed while away")
        (notice,) = play_toasts(app)
        assert "Play paused" in notice
        app.clear_notifications()
        await until(pilot, lambda: not toasts(app), "the notice to go")

        # Away and back with play as it was (paused, resumed, paused): nothing to tell.
        room.team.drop()
        send(server, control, c.Resume())
        send(server, control, c.Pause())
        room.team.reconnect()
        await one_by_one(pilot, console, room.link, room.team.drain())
        assert play_toasts(app) == []

        # Heard live, the resume is news (the console was listening all along).
        room.control_sends(c.Resume())
        await until(pilot, lambda: play_toasts(app), "the resume notice")
        (notice,) = play_toasts(app)
        assert "Play resumed" in notice


async def test_a_resume_while_the_link_was_down_is_told_on_return_to_a_typing_member() -> None:
    """A member typing through a break whose link drops: the facilitator resumes while it
    is down (a reviewer's case); back, the member is told, with the keyboard still theirs."""
    room = _room()
    app = make_team_app(link=room.link)
    async with playing(app, room, size=SIZE) as (pilot, console):
        box = await answering_i30(pilot, console, room)
        room.control_sends(c.Pause())
        await until(pilot, lambda: play_toasts(app), "the pause notice")
        app.clear_notifications()
        await until(pilot, lambda: not toasts(app), "the pause notice to go")
        await type_keys(pilot, "Cloned voices ")

        room.team.drop()
        send(room.server, room.control, c.Resume())
        room.team.reconnect()
        await one_by_one(pilot, console, room.link, room.team.drain())
        assert console.model.clock.status == "running"
        await until(pilot, lambda: play_toasts(app), "the resume missed while away")
        (notice,) = play_toasts(app)
        assert "Play resumed" in notice and QUESTION in notice
        assert console.focused is box and box.text == "Cloned voices "
        await type_keys(pilot, "call.")
        assert box.text == "Cloned voices call."


async def test_a_pause_and_a_resume_heard_together_announce_nothing() -> None:
    room = _room()
    app = make_team_app(link=room.link)
    async with playing(app, room, size=SIZE) as (pilot, console):
        # Both arrive before the console looks: play runs, as it did.
        send(room.server, room.control, c.Pause())
        send(room.server, room.control, c.Resume())
        room.link.push(*room.team.drain())
        await until(pilot, room.link.queue.empty, "both taken")
        await redrawn(pilot, console)
        assert console.model.clock.status == "running"
        assert play_toasts(app) == []

        room.control_sends(c.Pause())
        await until(pilot, lambda: play_toasts(app), "the pause notice")
        (notice,) = play_toasts(app)
        assert "Play paused" in notice
        # I-01 is shown beside the inbox: its question has 14 minutes left (due at 0:20).
        assert "14:00 left to answer: What do you do first?" in notice
