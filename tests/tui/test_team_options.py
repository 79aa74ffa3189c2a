"""A decision's options wrap instead of being cut with "…" (issue 12, bug 5).

The hidden end of an option is often what makes it right ("…before saying or
changing anything"): at 160, 120 and 80 columns, and in the browser (the same
console), every word of every option is on screen.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.widget import Widget
from textual.widgets import RadioButton, RadioSet

from tests.tui.pilots import until
from tests.tui.scripted import ScriptedLink, team_traffic
from tui.console.base import ConsoleApp
from tui.team.app import TeamScreen, make_team_app
from tui.team.inbox import InboxList

LONG = (
    "Hold the public line until the platform confirms where the upload came from, then say "
    "what was checked and by whom, before saying or changing anything"
)
SHORT = "Call the ministry"


def on_screen(widget: Widget) -> str:
    """The widget's lines as drawn (after wrapping, cropping and ellipses)."""
    return "\n".join(widget.render_line(y).text for y in range(widget.size.height))


def _long_decision(console: Any) -> tuple[str, str]:
    """The first decision of the traffic, unanswered, its first options made long and
    short; returns its inject and its form's id."""
    for entry in console.model.inbox.values():
        for item in entry.expectations:
            if item.kind == "decision":
                item.answer = item.answered_at = item.answered_by = None
                item.expired = False
                item.options = [("long", LONG), ("short", SHORT), *item.options[2:]]
                return entry.inject, f"form-{item.ref.replace('.', '--')}"
    raise AssertionError("no decision in the traffic")


async def _decision(pilot: Any, app: ConsoleApp[TeamScreen]) -> RadioSet:
    """The decision's form, drawn afresh from the changed model."""
    console: TeamScreen = app.console_screen
    await until(pilot, lambda: len(console.model.inbox) > 1, "the injects")
    inject, form = _long_decision(console)
    inbox = console.query_one(InboxList)
    ids = [o.id for o in inbox.options]
    inbox.highlighted = (ids.index(inject) + 1) % len(ids)  # away, then back: a new form
    await pilot.pause()
    inbox.highlighted = ids.index(inject)
    await until(pilot, lambda: console.query(f"#{form} RadioSet"), "the form")
    await pilot.pause()
    return console.query_one(f"#{form} RadioSet", RadioSet)


@pytest.mark.parametrize("width", [160, 120, 80])
async def test_every_word_of_an_option_is_on_screen(width: int) -> None:
    app: ConsoleApp[Any] = make_team_app(link=ScriptedLink(team_traffic()))
    async with app.run_test(size=(width, 48)) as pilot:
        options = list((await _decision(pilot, app)).query(RadioButton))
        long, short = options[0], options[1]
        shown = " ".join(on_screen(long).split())
        assert "…" not in shown, shown
        assert LONG in shown, shown
        assert long.size.height > 1, "the long option takes the lines it needs"
        assert " ".join(on_screen(short).split()).endswith(SHORT)
        assert short.size.height == 1, "a short option stays one line"


async def test_a_wrapped_option_is_chosen_with_the_keys_as_before() -> None:
    app: ConsoleApp[Any] = make_team_app(link=ScriptedLink(team_traffic()))
    async with app.run_test(size=(80, 40)) as pilot:
        choice = await _decision(pilot, app)
        choice.focus()
        await pilot.press("enter")
        await pilot.pause()
        pressed = choice.pressed_button
        assert pressed is not None and pressed.id == "opt-long"
        console = app.console_screen
        assert any(d.choice == "long" for d in console.drafts.values())
