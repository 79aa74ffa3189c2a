"""Bugs a newcomer hit in the control room and the evaluator console (issue 12).

Each test drives a console with Pilot over traffic the fake server made.
"""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.widgets import Button, Input, OptionList, RadioSet, TabbedContent

from engine import commands as c
from engine.net.fake import FakeServer
from tests.tui.pilots import until
from tests.tui.scripted import M, ScriptedLink, fake_server, send
from tui.evaluator.app import GradeCard, make_evaluator_app
from tui.facilitator.app import make_facilitator_app
from tui.facilitator.dialogs import SpeedDialog
from tui.facilitator.simcell import SimCellTable


def _room() -> tuple[FakeServer, ScriptedLink]:
    """A facilitator's traffic: started, a question answered by the press, a jump, x5."""
    server = fake_server(1)
    control = server.link("facilitator:control")
    team = server.roster.teams[0].id
    member = server.link(f"team:{team}", "Jo")
    send(server, control, c.Start())
    server.advance_to(2 * M)
    send(server, member, c.Ask(team=team, member="Jo", actor="press", text="Is the clip fake?"))
    send(server, control, c.Reply(team=team, actor="press", text="We are checking."))
    send(server, control, c.Jump(to=40 * M + 22_998))
    send(server, control, c.SetSpeed(speed=5))
    send(server, control, c.Pause())
    return server, ScriptedLink(control.drain())


async def test_the_log_shows_a_jump_as_clock_text() -> None:
    _, link = _room()
    app = make_facilitator_app(link=link)
    async with app.run_test(size=(120, 36)) as pilot:
        model = app.console_screen.model
        await until(pilot, lambda: any("jumped" in x.text for x in model.log), "the jump")
        (jump,) = [x.text for x in model.log if "jumped" in x.text]
    assert jump == "jumped to 0:40:22", jump


async def test_the_sim_cell_names_the_actor_of_an_answered_question() -> None:
    server, link = _room()
    name = server.scenario.actor_by_id["press"].name
    assert name != "press"
    app = make_facilitator_app(link=link)
    async with app.run_test(size=(160, 40)) as pilot:
        model = app.console_screen.model
        await until(pilot, lambda: model.questions and model.questions[0].answered_at, "reply")
        await pilot.press("3")
        table = app.screen.query_one(SimCellTable)
        await until(pilot, lambda: table.row_count > 0, "the answered question")
        cells = [str(cell) for cell in table.get_row_at(0)]
        log = [x.text for x in model.log if "→" in x.text]
    assert name in cells, cells
    assert "press" not in cells, cells
    assert log and all(name in x for x in log), log


async def test_the_speed_dialog_starts_on_the_current_speed_and_tabs_to_set() -> None:
    _, link = _room()
    app = make_facilitator_app(link=link)
    async with app.run_test(size=(120, 36)) as pilot:
        model = app.console_screen.model
        await until(pilot, lambda: model.clock.speed == 5, "the speed")
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, SpeedDialog), "the speed dialog")
        await pilot.pause()
        radio = app.screen.query_one(RadioSet)
        await until(pilot, lambda: app.focused is radio, "the speeds focused")
        assert radio._selected == radio.pressed_index == 3, (radio._selected, radio.pressed_index)
        await pilot.press("tab")
        assert isinstance(app.focused, Button) and app.focused.id == "ok", app.focused
        await pilot.press("enter")
        await until(pilot, lambda: any(isinstance(s, c.SetSpeed) for s in link.sent), "sent")
    (speed,) = [s for s in link.sent if isinstance(s, c.SetSpeed)]
    assert speed.speed == 5


def _graded_room() -> tuple[FakeServer, str]:
    server = fake_server(1)
    control = server.link("facilitator:control")
    send(server, control, c.Start())
    server.advance_to(10 * M)
    send(server, control, c.Pause())
    return server, server.roster.teams[0].id


async def test_an_evaluator_named_eve_grades_as_her_seat() -> None:
    server, team = _graded_room()
    eve = server.link("evaluator:lead", "Eve")
    app = make_evaluator_app(link=eve)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = app.console_screen
        teams = screen.query_one("#team-list", OptionList)
        await until(pilot, lambda: teams.option_count > 0, "the teams")
        teams.highlighted = 0
        await until(pilot, lambda: screen.query(GradeCard), "the grade cards")
        card = screen.query(GradeCard).first()
        card.query_one("Input.points", Input).value = "1"
        card.query_one("Input.reason", Input).value = "Fine."
        card.query_one("Button.grade", Button).press()
        await until(pilot, lambda: any("graded" in x.text for x in screen.model.log), "a grade")
        graded = [x.text for x in screen.model.log if "graded" in x.text]
    assert graded == [f"lead graded {team} I-01.first-move: 1"], graded


async def test_typing_a_reason_in_the_grade_form_fires_no_tab_shortcut() -> None:
    """Enter on a team takes the keyboard to its first grade form, whose fields show focus;
    typing there (``g``, ``o``, ``w``, ``t`` are tab keys elsewhere) only writes."""
    server, _ = _graded_room()
    lead = server.link("evaluator:lead")
    app = make_evaluator_app(link=lead)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = app.console_screen
        teams = screen.query_one("#team-list", OptionList)
        await until(pilot, lambda: teams.option_count > 0, "the teams")
        teams.focus()
        await pilot.press("down", "enter")
        await until(pilot, lambda: screen.query(GradeCard), "the grade cards")
        await until(pilot, lambda: isinstance(app.focused, Input), "the grade form focused")
        card = screen.query(GradeCard).first()
        points = card.query_one("Input.points", Input)
        reason = card.query_one("Input.reason", Input)
        assert app.focused is points, app.focused
        await pilot.press("1", "tab", *"got two wrong")
        await pilot.pause()
        assert screen.query_one(TabbedContent).active == "grade"
        assert app.focused is reason, app.focused
        assert (points.value, reason.value) == ("1", "got two wrong")
        tab_to = []
        teams.focus()
        for _ in range(3):
            await pilot.press("tab")
            tab_to.append(app.focused)
        assert not any(isinstance(w, VerticalScroll) for w in tab_to), tab_to
