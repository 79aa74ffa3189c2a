"""Where the keyboard is in the control room and the evaluator console (issue 12, bug 8).

Enter in the sim cell pressed the toolbar's Start button (it had the focus from the
start) and answered "Not accepted – the exercise is already paused"; Esc did not
leave a text field.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Button, Input, OptionList, TabbedContent

from engine import commands as c
from tests.tui.pilots import type_keys, until
from tests.tui.scripted import ScriptedLink, staff_traffic
from tui.console.base import ConsoleApp
from tui.evaluator.app import make_evaluator_app
from tui.facilitator.app import make_facilitator_app
from tui.facilitator.dialogs import ReplyDialog
from tui.facilitator.simcell import SimCellTable


async def test_enter_in_the_sim_cell_replies_and_never_presses_a_toolbar_button() -> None:
    messages, _ = staff_traffic()
    link = ScriptedLink(messages)
    app: ConsoleApp[Any] = make_facilitator_app(link=link)
    async with app.run_test(size=(120, 36)) as pilot:
        console = app.console_screen
        await until(pilot, lambda: console.model.open_questions(), "the open question")
        assert not isinstance(app.focused, Button), app.focused
        await pilot.press("3")
        table = console.query_one(SimCellTable)
        await until(pilot, lambda: table.row_count > 0, "the question in the sim cell")
        await until(pilot, lambda: app.focused is table, "the sim cell focused")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ReplyDialog), "the reply dialog")
        await pilot.press("escape")
        await pilot.pause()
    assert link.sent == [], link.sent


async def test_start_on_a_started_exercise_says_so_and_sends_nothing() -> None:
    messages, _ = staff_traffic()  # started, then paused at 0:50:00
    link = ScriptedLink(messages)
    app: ConsoleApp[Any] = make_facilitator_app(link=link)
    async with app.run_test(size=(120, 36)) as pilot:
        console = app.console_screen
        await until(pilot, lambda: console.model.clock.status == "paused", "the paused clock")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        said = [n.message for n in app._notifications if "start" in n.message]
        start = console.query_one("#start", Button)
    assert link.sent == [], link.sent
    assert said == ["The exercise has already started (it is paused). p resumes it."], said
    assert start.disabled, "Start is offered only before the start"


async def test_escape_leaves_a_text_field_for_the_team_list() -> None:
    messages, _ = staff_traffic(role="evaluator")
    link = ScriptedLink(messages)
    app: ConsoleApp[Any] = make_evaluator_app(link=link)
    async with app.run_test(size=(120, 36)) as pilot:
        console = app.console_screen
        teams = console.query_one("#team-list", OptionList)
        await until(pilot, lambda: teams.option_count > 0, "the teams")
        await pilot.press("w")  # write an observation: the keyboard goes to its text
        await pilot.pause()
        note = console.query_one("#note-text", Input)
        assert app.focused is note, app.focused
        await pilot.press(*"went well")
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is teams, app.focused
        await pilot.press("g")  # a tab key again, now that the field is left
        await pilot.pause()
        assert console.query_one(TabbedContent).active == "grade"
        assert console.query_one("#note-text", Input).value == "went well"
    assert not [s for s in link.sent if isinstance(s, c.Note)]


async def test_tabs_pressed_quickly_land_on_the_last_one() -> None:
    """ "3" then "4" as a terminal delivers them: the sim cell's tab, shown a moment,
    once took the keyboard back to its table after "4", and so the tab back with it."""
    messages, _ = staff_traffic()
    app = make_facilitator_app(link=ScriptedLink(messages))
    async with app.run_test(size=(120, 36)) as pilot:
        console = app.console_screen
        await until(pilot, lambda: console.model.open_questions(), "the open question")
        tabs = console.query_one(TabbedContent)
        for keys, last in (("34", "log"), ("3412", "teams"), ("5353", "simcell")):
            await type_keys(pilot, keys)
            # The race ends when a tab's table has the keyboard: then the tab shown is it.
            await until(pilot, lambda: _focus_in(tabs, tabs.active), f"a table after {keys}")
            await pilot.pause()
            assert tabs.active == last, (keys, tabs.active)


def _focus_in(tabs: TabbedContent, pane: str) -> bool:
    focused = tabs.screen.focused
    return focused is not None and tabs.get_pane(pane) in focused.ancestors
