"""The control room's dialogs are keyboard-first: type at once, Enter to go on.

A controller opening the jump or broadcast dialog types straight into its field
(the field has focus, not the scroll container around it), and Enter in a
one-line field does what the main button does.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Input, Select

from engine import commands as c
from tests.tui.pilots import until
from tests.tui.scripted import M, ScriptedLink, staff_traffic
from tui.console.base import ConsoleApp
from tui.console.screens import ConfirmScreen
from tui.facilitator.app import make_facilitator_app
from tui.facilitator.dialogs import InjectDialog, JumpDialog


async def test_jump_is_typed_at_once_and_confirmed_with_enter() -> None:
    messages, _ = staff_traffic()
    link = ScriptedLink(messages)
    app: ConsoleApp[Any] = make_facilitator_app(link=link)
    async with app.run_test(size=(120, 36)) as pilot:
        console = app.console_screen
        await until(pilot, lambda: console.model.scenario is not None, "the welcome")
        now = console.model.now()  # the scripted clock is paused
        await pilot.press("j")
        await until(pilot, lambda: isinstance(app.screen, JumpDialog), "the jump dialog")
        assert isinstance(app.focused, Input), app.focused
        await pilot.press("+", "1", "0", "m", "enter")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the confirmation")
        await pilot.press("enter")
        await until(pilot, lambda: any(isinstance(s, c.Jump) for s in link.sent), "the jump sent")
    (jump,) = [s for s in link.sent if isinstance(s, c.Jump)]
    assert jump.to == now + 10 * M


async def test_an_observer_is_offered_no_controls_and_sends_none() -> None:
    messages, _ = staff_traffic(role="observer")
    link = ScriptedLink(messages)
    app: ConsoleApp[Any] = make_facilitator_app(role="observer", link=link)
    async with app.run_test(size=(120, 36)) as pilot:
        console = app.console_screen
        await until(pilot, lambda: console.model.scenario is not None, "the welcome")
        await pilot.pause()
        shown = {
            b.binding.action for b in app.active_bindings.values() if b.binding.show and b.enabled
        }
        assert not shown & {"start", "pause_resume", "jump", "release", "broadcast"}, shown
        assert "help" in shown
        await pilot.press("s", "j", "B", "E")
        await pilot.pause()
        assert not isinstance(app.screen, JumpDialog)
    assert link.sent == []


async def test_release_away_from_the_msel_opens_with_no_inject_chosen() -> None:
    """Found looking at the console in tmux: ``r`` on another tab, where no MSEL row is
    selected, crashed the console (``Select.BLANK`` is no longer the empty value)."""
    messages, _ = staff_traffic()
    link = ScriptedLink(messages)
    app: ConsoleApp[Any] = make_facilitator_app(link=link)
    async with app.run_test(size=(120, 36)) as pilot:
        console = app.console_screen
        await until(pilot, lambda: console.model.scenario is not None, "the welcome")
        await pilot.press("3", "r")
        await until(pilot, lambda: isinstance(app.screen, InjectDialog), "the release dialog")
        assert app.screen.query_one("#inject", Select).is_blank()
        await pilot.press("escape")
        assert app.is_running
