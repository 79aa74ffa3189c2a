"""Broadcasts and actors' messages reach a team with an alert (issue 12, bug 4).

A "Coffee break in 10 minutes" broadcast was seen only by opening the Messages
tab. Now it pops up with the sender and the first words, counts on the Messages
tab until the tab is opened, and rings the bell when the team turned it on. The
traffic is what the server's own shaper sends (a fake server), pushed to the
console as it happens.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from textual.app import App
from textual.widgets import TabbedContent
from textual.widgets._toast import Toast

from engine import commands as c
from engine.net.fake import FakeLink, FakeServer
from tests.tui.pilots import until
from tests.tui.scripted import M, ScriptedLink, fake_server, send
from tui.team.app import TeamScreen, make_team_app

COFFEE = (
    "Coffee break in 10 minutes: the clock pauses at 10:15 and play resumes at 10:30 "
    "sharp, so finish the answer you are on and write down where your team stands now."
)


@dataclass
class Room:
    """A fake server with the control room's seat and team ``cert``'s console link."""

    server: FakeServer
    control: FakeLink
    team: FakeLink
    link: ScriptedLink
    rings: list[int] = field(default_factory=list)

    def control_sends(self, *commands: Any) -> None:
        for command in commands:
            send(self.server, self.control, command)
        self.link.push(*self.team.drain())


def _room() -> Room:
    server = fake_server(1)
    control = server.link("facilitator:control")
    team = server.link("team:cert", "Amira")
    send(server, control, c.Start())
    server.advance_to(6 * M)  # the first inject has arrived
    return Room(server, control, team, ScriptedLink(team.drain()))


@asynccontextmanager
async def playing(
    app: App[Any], room: Room, size: tuple[int, int] = (120, 40)
) -> AsyncIterator[Any]:
    async with app.run_test(size=size, notifications=True) as pilot:
        app.bell = lambda: room.rings.append(1)  # type: ignore[method-assign]
        await until(pilot, lambda: isinstance(app.screen, TeamScreen), "the team console")
        console = app.screen
        assert isinstance(console, TeamScreen)
        await until(pilot, lambda: console.model.inbox, "the first inject")
        await until(pilot, lambda: not console._redraw_pending, "the first redraw")
        app.clear_notifications()  # the first inject's
        await until(pilot, lambda: not toasts(app), "the first inject's alert to go")
        yield pilot, console


def toasts(app: App[Any]) -> list[str]:
    """The text of each notification on screen, title first."""
    return [toast.render().plain for toast in app.screen.query(Toast)]


def messages_label(console: TeamScreen) -> str:
    return console.query_one(TabbedContent).get_tab("messages").label.plain


async def test_a_broadcast_pops_up_with_the_sender_and_first_words() -> None:
    room = _room()
    app = make_team_app(link=room.link)
    async with playing(app, room) as (pilot, _console):
        room.control_sends(c.Broadcast(title="Break", text=COFFEE))
        await until(pilot, lambda: toasts(app), "an alert")
        (shown,) = toasts(app)
        assert "Broadcast · Control" in shown
        assert "Break: Coffee break in 10 minutes" in shown
        assert shown.rstrip().endswith("…"), "a long message shows its first words only"
        assert "where your team stands now" not in shown


async def test_the_messages_tab_counts_unread_until_it_is_opened() -> None:
    room = _room()
    app = make_team_app(link=room.link)
    async with playing(app, room) as (pilot, console):
        assert messages_label(console) == "Messages"
        room.control_sends(c.Broadcast(text=COFFEE))
        await until(pilot, lambda: messages_label(console) == "Messages (1)", "one unread")
        room.control_sends(c.Reply(team="cert", actor="press", text="Can you confirm by 10:00?"))
        await until(pilot, lambda: messages_label(console) == "Messages (2)", "two unread")
        await pilot.press("3")
        await until(pilot, lambda: messages_label(console) == "Messages", "the count cleared")
        # While the tab is open, a new message is in front of the team: no count.
        room.control_sends(c.Broadcast(text="Back in five."))
        await until(pilot, lambda: len(console.model.messages) == 3, "the third message")
        await pilot.pause()
        assert messages_label(console) == "Messages"


async def test_an_actors_reply_pops_up_under_the_actors_name() -> None:
    room = _room()
    app = make_team_app(link=room.link)
    async with playing(app, room) as (pilot, _console):
        room.control_sends(
            c.Reply(
                team="cert", actor="press", text="We run the story at 10:00 with or without you."
            )
        )
        await until(pilot, lambda: toasts(app), "an alert")
        (shown,) = toasts(app)
        assert "Message from Wire-service reporter" in shown
        assert "We run the story at 10:00 with or without you." in shown


async def test_the_bell_rings_for_a_message_only_when_it_is_on() -> None:
    room = _room()
    app = make_team_app(link=room.link)
    async with playing(app, room) as (pilot, console):
        room.control_sends(c.Broadcast(text="First."))
        await until(pilot, lambda: messages_label(console) == "Messages (1)", "the first")
        assert room.rings == [], "the bell is off until the team turns it on"
        await pilot.press("b")
        room.control_sends(c.Broadcast(text="Second."))
        await until(pilot, lambda: messages_label(console) == "Messages (2)", "the second")
        await until(pilot, lambda: room.rings, "the bell")
        assert room.rings == [1]


async def test_the_teams_own_question_raises_no_alert() -> None:
    room = _room()
    app = make_team_app(link=room.link)
    async with playing(app, room) as (pilot, console):
        ask = c.Ask(team="cert", member="Amira", actor="press", text="When is your deadline?")
        send(room.server, room.team, ask)
        room.link.push(*room.team.drain())
        await until(pilot, lambda: console.model.messages, "the question")
        await pilot.pause()
        assert messages_label(console) == "Messages"
        assert toasts(app) == []


class PlainApp(App[None]):
    """Hosts the team console as ``sitroom join`` does: a plain Textual app (not a
    :class:`~tui.console.base.ConsoleApp`, which makes every notification plain on its
    own), whose notifications read markup unless the console says otherwise."""

    def __init__(self, link: ScriptedLink) -> None:
        super().__init__()
        self.link = link

    def on_mount(self) -> None:
        self.push_screen(TeamScreen(link=self.link))


async def test_an_alert_shows_peoples_words_as_they_are_in_any_app() -> None:
    room = _room()
    app = PlainApp(room.link)
    async with playing(app, room) as (pilot, _console):
        text = "Read [bold red]this[/] and [/] then [@click=app.quit]"
        room.control_sends(c.Broadcast(title="[b]Notice[/b]", text=text))
        await until(pilot, lambda: toasts(app), "an alert")
        (shown,) = toasts(app)
        assert "[b]Notice[/b]: Read [bold red]this[/] and [/] then [@click=app.quit]" in shown
