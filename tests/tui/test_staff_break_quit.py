"""The staff consoles' follow-ups to issue 12: the evaluator sees a break as the team
console and the control room do, and both staff consoles ask before Ctrl+Q quits.

Driven against the fake server (the engine, the server's shaper and hub) with the
consoles' wall clock fixed at 11:00 UTC, as in ``test_room_break``.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Static

from engine import commands as c
from tests.tui.pilots import until
from tests.tui.scripted import send
from tests.tui.test_room_break import EPOCH, SHOWN, _fixed, _running, banner
from tui.console.base import ConsoleApp
from tui.console.screens import QuitScreen
from tui.evaluator.app import make_evaluator_app
from tui.facilitator.app import make_facilitator_app


async def test_the_evaluator_sees_a_break_and_its_countdown() -> None:
    server, control, _team = _running()
    lead = server.link("evaluator:lead")
    app: Any = _fixed(make_evaluator_app(link=lead))
    async with app.run_test(size=(80, 24)) as pilot:
        model = app.console_screen.model
        await until(pilot, lambda: model.clock.status == "running", "the running clock")
        assert banner(app) is None, "a break line while play runs"
        send(server, control, c.Pause(reason="Coffee break", until=EPOCH + 15 * 60))
        await until(pilot, lambda: banner(app) is not None, "the evaluator's break line")
        assert banner(app) == SHOWN
        app.console_screen.wall_clock = lambda: EPOCH + 5 * 60 + 30
        await until(pilot, lambda: banner(app) != SHOWN, "the countdown")
        assert banner(app) == "Coffee break · Break until 11:15 — resumes in 10 min"
        send(server, control, c.Resume())
        await until(pilot, lambda: banner(app) is None, "the line gone on resuming")


STAFF_QUESTIONS = {
    "control": "Quit the control room?",
    "observer": "Stop observing?",
    "evaluator": "Quit the evaluator console?",
}


def _staff_app(seat: str) -> ConsoleApp[Any]:
    server, _control, _team = _running()
    if seat == "evaluator":
        return make_evaluator_app(link=server.link("evaluator:lead"))
    if seat == "observer":
        return make_facilitator_app(role="observer", link=server.link("observer:observer"))
    return make_facilitator_app(link=server.link("facilitator:control"))


@pytest.mark.parametrize("seat", sorted(STAFF_QUESTIONS))
async def test_a_staff_console_asks_before_ctrl_q_and_says_play_goes_on(seat: str) -> None:
    """A control room quitting by accident in front of 300 people: Ctrl+Q asks, says the
    exercise keeps running on the server and how to come back; Esc stays, Ctrl+Q again
    quits."""
    app = _staff_app(seat)
    async with app.run_test(size=(80, 24)) as pilot:
        console = app.console_screen
        await until(pilot, lambda: console.model.clock.status == "running", "the welcome")
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, QuitScreen), "the question")
        question = str(app.screen.query_one("#confirm-text", Static).render())
        assert question.startswith(STAFF_QUESTIONS[seat]), question
        assert "keeps running on the server" in question, question
        assert "Run the same command again to come back." in question, question
        assert ("pause it (p) first" in question) == (seat == "control"), question
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is console, "back to the console")
        assert app.return_code is None, "Esc quit the console"
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, QuitScreen), "the question again")
        await pilot.press("ctrl+q")
        await until(pilot, lambda: app.return_code is not None, "the console to quit")
    assert app.return_code == 0
