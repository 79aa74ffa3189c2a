"""Opening an inject puts the focus in its answer: typing writes, it runs no keys.

A planner opened an inject with a text answer (Enter in the inbox) and started
typing: the focus was on the inject's text, so ``i`` opened the briefing and ``n``
jumped to the next unread; reaching the box took several Tabs. Enter (or a click) on
an inbox entry now focuses the inject's first unanswered field, leaving the inject
scrolled to its top until the field is used. Driven through Pilot at 80x24 on the
server's own traffic (``comms`` twenty minutes into summit-deepfake).
"""

from __future__ import annotations

from typing import Any

from textual.widgets import RadioSet, TabbedContent

from tests.tui.pilots import type_keys, until
from tests.tui.scripted import ScriptedLink
from tests.tui.test_team_bugs import comms_traffic
from tui.console.base import ConsoleApp
from tui.console.textbox import TextBox
from tui.team.app import TeamScreen, make_team_app
from tui.team.inbox import InboxList
from tui.team.inject_view import InjectView


async def _open(pilot: Any, app: ConsoleApp[Any], kind: str) -> TeamScreen:
    """Highlight the first inject with an unanswered ``kind`` question and press Enter."""
    console = app.console_screen
    assert isinstance(console, TeamScreen)
    await until(pilot, lambda: console.model.inbox, "the injects")
    inject = next(
        e.inject
        for e in console.model.inbox.values()
        if any(i.kind == kind and i.answer is None for i in e.expectations)
    )
    inbox = console.query_one(InboxList)
    inbox.focus()
    inbox.highlighted = [o.id for o in inbox.options].index(inject)
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    return console


async def test_typing_after_opening_an_inject_writes_the_answer() -> None:
    app: ConsoleApp[Any] = make_team_app(link=ScriptedLink(comms_traffic()))
    async with app.run_test(size=(80, 24)) as pilot:
        console = await _open(pilot, app, "text")
        box = app.focused
        assert isinstance(box, TextBox), app.focused
        view = console.query_one(InjectView)
        assert view.scroll_y == 0  # the inject is read from its top
        assert not view.region.contains_region(box.region)  # the box starts cut off
        await type_keys(pilot, "in nine minutes")
        assert box.text == "in nine minutes"
        assert app.screen is console  # i did not open the briefing
        assert console.query_one(TabbedContent).active == "inbox"
        # Typing brought the whole box into view (it was cut by the view's bottom edge).
        assert view.region.contains_region(box.region), (box.region, view.region)


async def test_opening_a_decision_focuses_its_options() -> None:
    app: ConsoleApp[Any] = make_team_app(link=ScriptedLink(comms_traffic()))
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app, "decision")
        assert isinstance(app.focused, RadioSet), app.focused
        await pilot.press("2")  # the console's keys still work from the options
        assert app.console_screen.query_one(TabbedContent).active == "feed"


async def test_a_member_starts_in_the_inbox_and_enter_opens_the_inject() -> None:
    """No Tab first: the console opens with the inbox focused (not the tab bar), so the
    arrows pick an inject and Enter opens it for answering."""
    app: ConsoleApp[Any] = make_team_app(link=ScriptedLink(comms_traffic()))
    async with app.run_test(size=(80, 24)) as pilot:
        console = app.console_screen
        assert isinstance(console, TeamScreen)
        await until(pilot, lambda: console.model.inbox, "the injects")
        await until(pilot, lambda: isinstance(app.focused, InboxList), "the inbox focused")
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.focused, InboxList)
        assert console.query_one(InjectView) in app.focused.ancestors_with_self  # type: ignore[union-attr]
