"""Smaller things a newcomer hit in the team console (issue 12, bug 12), and the
stacked layout of a phone's browser.

* The login showed the join code as dots, and after a wrong code put the cursor in
  the server address.
* Ctrl+Q quit a team console at once, without asking, and the footer did not say so.
* Long actor names wrapped in the "Write to…" list.
* At a phone's width (412 px: about forty columns) the inbox and the inject sat side
  by side, each too narrow to read.
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.widgets import Input, RichLog, Select
from textual.widgets._footer import FooterKey
from textual.widgets._select import SelectCurrent, SelectOverlay

from tests.tui.pilots import until
from tests.tui.scripted import ScriptedLink, team_traffic
from tui.commands.join import JoinApp
from tui.console.base import ConsoleApp
from tui.console.login import Credentials, LoginScreen
from tui.console.screens import QuitScreen
from tui.team.app import TeamScreen, make_team_app
from tui.team.inbox import InboxList
from tui.team.inject_view import InjectView

CODE = "K7QM-2WXD-P9TR"


async def test_the_join_code_is_shown_as_typed() -> None:
    app: ConsoleApp[Any] = make_team_app(connect=lambda _credentials: ScriptedLink())
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LoginScreen), "the login screen")
        box = app.screen.query_one("#code", Input)
        box.focus()
        await pilot.press(*CODE)
        assert box.value == CODE
        assert not box.password
        assert CODE in box.render_line(0).text, "the code on screen, not dots"


async def test_after_a_refused_code_the_cursor_is_back_in_the_code() -> None:
    """What ``sitroom join`` does after a refusal: the login again, filled in, with the
    reason; the code is what to correct, so the cursor is there, the code selected."""
    given = Credentials("http://127.0.0.1:8470", "WRONG-CODE", "Cy")
    app = JoinApp(given=given, error="unknown join code: check the code on your card")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LoginScreen), "the login screen")
        await pilot.pause()
        code = app.screen.query_one("#code", Input)
        await until(pilot, lambda: app.focused is code, "the code focused")
        await pilot.press(*CODE)
        assert code.value == CODE, "typing replaces the wrong code"


async def test_ctrl_q_asks_before_leaving_and_is_in_the_footer() -> None:
    app: ConsoleApp[Any] = make_team_app(link=ScriptedLink(team_traffic()))
    async with app.run_test(size=(80, 24)) as pilot:
        console = app.console_screen
        await until(pilot, lambda: console.model.inbox, "the injects")
        await pilot.pause()
        quits = [
            key for key in console.query(FooterKey) if key.key == "ctrl+q" and key.region.width
        ]
        assert quits, "Ctrl+Q in the footer"
        assert quits[0].region.right <= 80, "and on screen at 80 columns"
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, QuitScreen), "the question")
        assert app.return_code is None
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is console, "back to the console")
        assert app.return_code is None, "Esc keeps playing"
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, QuitScreen), "the question again")
        await pilot.press("ctrl+q")
        await until(pilot, lambda: app.return_code is not None, "the console to quit")
    assert app.return_code == 0


LONG_NAMES = [
    ("press", "Wire-service reporter covering the summit for the international desk"),
    ("platform", "Video platform trust and safety, escalations and law-enforcement liaison"),
    ("ministry", "Energy ministry"),
]


class PlainApp(App[None]):
    """The team console in a plain Textual app, as ``sitroom join`` (and so the browser)
    runs it: nothing of :class:`~tui.console.safe.SafeApp`'s styles helps."""

    def __init__(self) -> None:
        super().__init__()
        self.team = TeamScreen(link=ScriptedLink(team_traffic()))

    def on_mount(self) -> None:
        self.push_screen(self.team)


async def test_long_actor_names_keep_one_line_each_in_write_to() -> None:
    app = PlainApp()
    async with app.run_test(size=(80, 24)) as pilot:
        console = app.team
        await until(pilot, lambda: console.model.actors, "the welcome")
        await pilot.press("3")
        await pilot.pause()
        console.query_one("MessagesPane").set_actors(LONG_NAMES)  # type: ignore[attr-defined]
        select = console.query_one("#actor", Select)
        assert app.focused is select, "3 goes straight to whom to write"
        select.value = "platform"
        await pilot.pause()
        assert console.query_one(SelectCurrent).size.height == 1
        select.focus()
        await pilot.press("enter")
        overlay = console.query_one(SelectOverlay)
        await until(pilot, lambda: overlay.display and overlay.size.height, "the list")
        # One line per actor (and the prompt line): no name wraps onto two.
        assert overlay.virtual_size.height == len(LONG_NAMES) + 1, overlay.virtual_size


async def test_at_a_phones_width_the_inbox_sits_above_the_inject() -> None:
    app: ConsoleApp[Any] = make_team_app(link=ScriptedLink(team_traffic()))
    async with app.run_test(size=(42, 40)) as pilot:
        console = app.console_screen
        await until(pilot, lambda: console.model.inbox, "the injects")
        await pilot.pause()
        inbox, inject = console.query_one(InboxList).region, console.query_one(InjectView).region
        assert inbox.bottom <= inject.y, (inbox, inject)
        assert inbox.width >= 40 and inject.width >= 40, (inbox, inject)
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        await pilot.pause()
        inbox, inject = console.query_one(InboxList).region, console.query_one(InjectView).region
        assert inbox.right <= inject.x and inbox.y == inject.y, "side by side when wide"


async def test_a_question_names_the_actor_it_went_to() -> None:
    app: ConsoleApp[Any] = make_team_app(link=ScriptedLink(team_traffic()))
    async with app.run_test(size=(160, 48)) as pilot:
        console = app.console_screen
        await until(pilot, lambda: console.model.messages, "the messages")
        await pilot.press("3")
        log = console.query_one("#conversation", RichLog)
        await until(pilot, lambda: log.lines, "the conversation")
        lines = [strip.text for strip in log.lines]
        asked = next(line for line in lines if "→" in line)
        assert "Amira → Video platform trust and safety:" in asked, asked
