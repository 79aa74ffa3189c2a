"""Bugs a newcomer hit in the team console (issue 12, bugs 3 and 9)."""

from __future__ import annotations

from typing import Any

from textual.widgets import Button, TabbedContent

from engine import commands as c
from tests.tui.pilots import until
from tests.tui.scripted import M, ScriptedLink, fake_server, send, team_traffic
from tui.console.base import ConsoleApp
from tui.console.screens import ConfirmScreen
from tui.team.app import make_team_app
from tui.team.inbox import InboxList
from tui.team.inject_view import InjectView


async def _team(pilot: Any, app: ConsoleApp[Any]) -> Any:
    console = app.console_screen
    await until(pilot, lambda: console.model.inbox, "the injects")
    return console


async def test_tab_keys_work_while_the_inbox_or_the_inject_pane_has_focus() -> None:
    app: ConsoleApp[Any] = make_team_app(link=ScriptedLink(team_traffic()))
    async with app.run_test(size=(160, 48)) as pilot:
        console = await _team(pilot, app)
        tabs = console.query_one(TabbedContent)
        for focus in (InboxList, InjectView):
            for key, tab in (("2", "feed"), ("3", "messages"), ("4", "log")):
                await pilot.press("1")
                console.query_one(focus).focus()
                await pilot.pause()
                await pilot.press(key)  # waits until the key is handled: no pause needed
                assert tabs.active == tab, (focus.__name__, key, tabs.active, app.focused)


async def test_the_bell_shows_its_state_in_the_footer() -> None:
    app: ConsoleApp[Any] = make_team_app(link=ScriptedLink(team_traffic()))
    async with app.run_test(size=(160, 48)) as pilot:
        await _team(pilot, app)

        def bell_label() -> str:
            (binding,) = [
                b for b in app.active_bindings.values() if b.binding.action == "toggle_bell"
            ]
            return binding.binding.description

        assert bell_label() == "Bell off"
        await pilot.press("b")
        await pilot.pause()
        assert bell_label() == "Bell on"


def _open_item(console: Any, kind: str, min_words: bool = False) -> tuple[str, Any]:
    """A ``kind`` question in the traffic, made unanswered (the scripted team answered some)."""
    for entry in console.model.inbox.values():
        for item in entry.expectations:
            if item.kind == kind:
                item.answer = item.answered_at = item.answered_by = None
                item.expired = False
                if min_words:
                    item.min_words = 30  # as the statements later in the scenario ask
                return entry.inject, item
    kinds = [i.kind for e in console.model.inbox.values() for i in e.expectations]
    raise AssertionError(f"no {kind} question in the traffic: {kinds}")


def comms_traffic() -> list[Any]:
    """What team ``comms`` sees 20 minutes in: the wire flash asking for a holding line."""
    server = fake_server(1)
    control = server.link("facilitator:control")
    team = server.link("team:comms", "Amira")
    send(server, control, c.Start())
    server.advance_to(20 * M)
    send(server, control, c.Pause())
    return list(team.drain())


async def _confirmation(
    kind: str, fill: Any, min_words: bool = False, traffic: Any = team_traffic
) -> tuple[str, Any]:
    """Fill a ``kind`` question with ``fill(draft, item)``, press Submit, and
    return the confirmation's text."""
    app: ConsoleApp[Any] = make_team_app(link=ScriptedLink(traffic()))
    async with app.run_test(size=(160, 48)) as pilot:
        console = await _team(pilot, app)
        inject, item = _open_item(console, kind, min_words)
        inbox = console.query_one(InboxList)
        inbox.highlighted = [o.id for o in inbox.options].index(inject)
        ref = item.ref.replace(".", "--")
        await until(pilot, lambda: console.query(f"#form-{ref} #submit"), "the form")
        fill(console.drafts.of(item.ref), item)
        console.query_one(f"#form-{ref} #submit", Button).press()
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the confirmation")
        screen = app.screen
        assert isinstance(screen, ConfirmScreen)
        return screen.question, screen.confirm_label


async def test_the_confirmation_repeats_the_chosen_option() -> None:
    def choose(draft: Any, item: Any) -> None:
        draft.choice = item.options[-1][0]
        chosen.append(item.options[-1][1])

    chosen: list[str] = []
    question, _ = await _confirmation("decision", choose)
    assert chosen[0][:40] in " ".join(question.split()), question


async def test_the_confirmation_repeats_the_ticked_items() -> None:
    def tick(draft: Any, item: Any) -> None:
        draft.items = [item.items[0][0]]
        ticked.append(item.items[0][1])

    ticked: list[str] = []
    question, _ = await _confirmation("checklist", tick)
    assert ticked[0][:40] in " ".join(question.split()), question


async def test_a_short_statement_is_flagged_under_the_minimum_before_sending() -> None:
    def write(draft: Any, item: Any) -> None:
        draft.text = "We pull the post."

    question, confirm = await _confirmation("text", write, min_words=True, traffic=comms_traffic)
    assert "We pull the post." in question, question
    assert "4 words" in question and "under the minimum" in question, question
    assert confirm == "Send anyway"
