"""An evaluator's objective rating form keeps what is being chosen and typed while the
exercise's events arrive (issue 12: the console must never lose a person's input).

The Objectives tab was rebuilt on every event, so a reason half typed, or a rating
chosen and not yet sent, vanished when another evaluator rated or a team answered. It is
now built once per team; the headings alone follow the ratings given.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Input, RadioButton, RadioSet

from engine import commands as c
from engine.net.protocol import Ack
from tests.tui.pilots import until
from tests.tui.queue_traffic import holding_server
from tui.console.base import ConsoleApp
from tui.evaluator.app import EvaluatorScreen, make_evaluator_app

SIZE = (160, 48)


def screen_of(app: ConsoleApp[Any]) -> EvaluatorScreen:
    screen = app.console_screen
    assert isinstance(screen, EvaluatorScreen)
    return screen


async def test_a_reason_being_typed_survives_another_evaluators_rating() -> None:
    server = holding_server()
    app = make_evaluator_app(link=server.link("evaluator:lead"))
    other = server.link("evaluator:eval-2")
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        await until(pilot, lambda: screen.model.board is not None, "the welcome")
        scenario = screen.model.scenario
        assert scenario is not None and scenario.objectives
        objective = scenario.objectives[0].id
        team = "comms-01"
        screen.query_one("#team-list").focus()
        for _ in range(20):
            if screen.team == team:
                break
            await pilot.press("down")
            await pilot.pause()
        assert screen.team == team
        await pilot.press("o")
        why = f"#why-{objective}"
        await until(pilot, lambda: bool(screen.query(why)), "the objectives' forms")
        box = screen.query_one(why, Input)
        box.focus()
        await pilot.press(*"clear holding line")
        radio = screen.query_one(f"#rate-{objective}", RadioSet)
        radio.query(RadioButton)[1].value = True  # S, chosen and not yet sent
        reply = await other.send(
            c.Rate(evaluator="eval-2", team=team, objective=objective, rating="P", reason="ok")
        )
        assert isinstance(reply, Ack), reply
        await until(
            pilot,
            lambda: any(
                "eval-2: P" in str(s.render()) for s in screen.query("#objective-list Static")
            ),
            "the other rating shown",
        )
        assert screen.query_one(why, Input) is box and box.value == "clear holding line"
        assert screen.query_one(f"#rate-{objective}", RadioSet).pressed_index == 1
        assert app.focused is box
