"""A jump from the control room costs no team points (issue 12, bug 6).

The facilitator types ``+20m`` in the jump dialog: the jump counts from the moment the
dialog opened (the clock runs on while they read), the confirmation says what will
be delivered and that its deadlines count from the landing, and the engine delivers
what was due on the way at the landing, so nothing shows "missed" at once and an
answer given within the deadline after the landing keeps all its points.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from textual.widgets import Checkbox

from engine import commands as c
from engine.clock import Clock
from engine.eventlog import EventLog
from engine.exercise import Exercise
from engine.live import LiveExercise
from engine.replay import rebuild
from engine.roster import default_roster
from engine.scenario import load_file
from tests.tui.pilots import until
from tests.tui.scripted import SCENARIO_PATH, M, fake_server, send
from tui.console.base import ConsoleApp
from tui.console.screens import ConfirmScreen
from tui.facilitator.app import make_facilitator_app
from tui.facilitator.dialogs import JumpDialog
from tui.facilitator.tables import MselTable


async def test_a_jump_counts_from_the_dialog_and_delivers_at_the_landing() -> None:
    server = fake_server(1)
    control = server.link("facilitator:control")
    team = server.link("team:cert", "Jo")
    send(server, control, c.Start())
    server.advance_to(2 * M)
    send(server, control, c.Pause())
    app: ConsoleApp[Any] = make_facilitator_app(link=control)
    async with app.run_test(size=(120, 40)) as pilot:
        model = app.console_screen.model
        await until(pilot, lambda: model.clock.status == "paused", "the paused clock")
        await pilot.press("j")
        await until(pilot, lambda: isinstance(app.screen, JumpDialog), "the jump dialog")
        await pilot.press(*"+20m")
        # While the controller reads, the clock runs on for the teams: one more minute.
        await control.send(c.Resume())
        server.advance_to(3 * M)
        await control.send(c.Pause())
        await until(pilot, lambda: model.now() == 3 * M, "the clock at 0:03:00")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the confirmation")
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        question = confirm.question
        await pilot.press("enter")
        await until(pilot, lambda: server.now == 22 * M, "the jump")
        await until(
            pilot, lambda: "I-01" in model.delivered_at.get("cert", {}), "I-01 in cert's inbox"
        )
        msel = app.console_screen.query_one(MselTable)
        status = str(msel.get_cell("I-01", "status"))
        deadlines = [line.text for line in model.log if "missed" in line.text]
    assert question.startswith("Jump from 0:02:00 to 0:22:00?"), question
    assert "6 injects will be delivered (I-01, I-11, I-12, I-13, I-14, I-02)" in question
    assert "their deadlines count from 0:22:00" in question, question
    # Delivered at the landing: nothing missed at once, no escalation (I-15).
    assert server.exercise.teams["cert"].delivered_at("I-01") == 22 * M
    assert deadlines == [], deadlines
    assert "overdue" not in status, status
    assert server.exercise.teams["cert"].status_of("I-15") == "pending"
    # An answer fourteen minutes after the landing is on time: it keeps every point.
    await control.send(c.Resume())
    server.advance_to(36 * M)
    answer = c.Respond(
        team="cert", member="Jo", expectation="I-01.first-move", choice="authenticate"
    )
    await team.send(answer)
    decision = server.exercise.teams["cert"].decision("I-01.first-move")
    assert (decision.late_ms, decision.factor, decision.status) == (0, 1.0, "met"), decision


async def test_unticking_delivers_on_the_way_and_the_dialog_says_deadlines_pass() -> None:
    server = fake_server(1)
    control = server.link("facilitator:control")
    send(server, control, c.Start())
    server.advance_to(2 * M)
    send(server, control, c.Pause())
    app: ConsoleApp[Any] = make_facilitator_app(link=control)
    async with app.run_test(size=(120, 40)) as pilot:
        model = app.console_screen.model
        await until(pilot, lambda: model.clock.status == "paused", "the paused clock")
        await pilot.press("j")
        await until(pilot, lambda: isinstance(app.screen, JumpDialog), "the jump dialog")
        await pilot.press(*"+20m", "tab", "space")
        assert app.screen.query_one("#at-landing", Checkbox).value is False
        await pilot.press("tab", "enter")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the confirmation")
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        question = confirm.question
        await pilot.press("enter")
        await until(pilot, lambda: server.now == 22 * M, "the jump")
    assert "at their own times on the way" in question, question
    assert "passes during the jump and counts as missed" in question, question
    assert server.exercise.teams["cert"].delivered_at("I-01") == 5 * M
    assert "I-01.first-move" in server.exercise.teams["cert"].expired


def _log(tmp_path: Path) -> tuple[LiveExercise, EventLog]:
    loaded = load_file(SCENARIO_PATH)
    scenario = loaded.require()
    roster = default_roster(scenario)
    log = EventLog.create(
        tmp_path / "jump.db",
        scenario_text=loaded.text,
        scenario_sha256=loaded.sha256,
        scenario_name="summit-deepfake",
        seed=scenario.seed,
        roster=roster,
    )
    live = LiveExercise(Exercise(scenario, roster), log, Clock(lambda: 1000.0))
    return live, log


async def _submit(live: LiveExercise, cmd: c.Command) -> None:
    task = asyncio.ensure_future(live.submit(cmd))
    await asyncio.sleep(0)
    live.step()
    assert (await task).ok


async def test_a_jump_at_the_landing_replays_event_for_event(tmp_path: Path) -> None:
    live, log = _log(tmp_path)
    await _submit(live, c.Start())
    await _submit(live, c.Pause())
    await _submit(live, c.Jump(to=40 * M, at_landing=True))
    await _submit(live, c.Jump(to=80 * M))
    delivered = [(e.t, e.payload["inject"]) for e in log.events() if e.kind == "delivered"]
    rebuilt = rebuild(log)
    log.close()
    first = [inject for t, inject in delivered if t <= 40 * M]
    assert first and all(t == 40 * M for t, i in delivered if i in first), delivered
    assert any(40 * M < t < 80 * M for t, _ in delivered), "the plain jump delivers on the way"
    assert rebuilt.exercise.now == 80 * M
