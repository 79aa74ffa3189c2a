"""``sitroom demo`` driven with Pilot: the app built as the command builds it, a real
server in the same loop, bots over real sockets.

Nothing sleeps for a fixed time: :func:`until` lets the app run until a condition
holds (or fails after a deadline, saying what it waited for).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Button, RadioButton, Static

from engine.demo.session import DemoError, DemoOptions
from tests.tui.pilots import until
from tui.cli import build_parser
from tui.commands.demo import options_from
from tui.console.screens import ConfirmScreen
from tui.demo.app import DemoApp, ReportScreen, WelcomeScreen, make_demo_app
from tui.team.answer import AnswerForm
from tui.team.inject_view import InjectView

SIZE = (160, 48)


def demo(tmp_path: Path, *args: str) -> DemoApp:
    """The app exactly as ``sitroom demo ARGS`` builds it."""
    parsed = build_parser().parse_args(["demo", "--dir", str(tmp_path), *args])
    return make_demo_app(options_from(parsed))


async def close_welcome(pilot: Pilot[None], app: DemoApp) -> None:
    """Read the welcome and close it (Enter): the clock starts then."""
    await until(pilot, lambda: isinstance(app.screen, WelcomeScreen), "the welcome")
    await pilot.press("enter")
    await until(pilot, lambda: not isinstance(app.screen, WelcomeScreen), "the welcome to close")


async def test_the_clock_waits_for_the_welcome_and_runs_at_a_readable_pace(
    tmp_path: Path,
) -> None:
    """Bug 11: the demo started at ×30 and its first decision expired while the welcome was
    still on screen. The clock now waits for the welcome to close, and at the default
    speed the shortest deadline of the demo's scenario leaves a minute of real time."""
    app = demo(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        try:
            await until(pilot, lambda: isinstance(app.screen, WelcomeScreen), "the welcome")
            session = app.session
            await until(
                pilot,
                lambda: len(session.bots) == 5 and all(b.welcome for b in session.bots),
                "every bot joined",
            )
            team, control = app.team_screen, app.control_screen
            assert team is not None and control is not None
            await until(pilot, lambda: control.model.scenario is not None, "the control room")
            for _ in range(20):  # everyone is in: only the welcome holds the clock now
                await pilot.pause(0.02)
            assert session.room.exercise.status == "ready"
            assert team.model.clock.status == "ready"
            shown = str(app.screen.query_one("#welcome-text", Static).render())
            assert "You play National CERT" in shown and "×10" in shown
            assert "2h30m of exercise in 15m, and a 15-minute deadline gives you 1m30s" in shown

            await pilot.press("enter")
            await until(
                pilot, lambda: session.room.exercise.status == "running", "the clock to start"
            )
            await until(pilot, lambda: "I-01" in team.model.inbox, "the first inject")
        finally:
            await app.stop()
    speed = app.session.options.speed
    deadlines = [e.due for i in app.session.scenario.injects for e in i.expects if e.due]
    assert min(deadlines) / speed >= 60_000, "the shortest deadline leaves a minute to answer"


def on_top(app: DemoApp) -> Screen[object]:
    """The screen shown now, read through a call: mypy carries what ``app.screen is x``
    told it across a key press, so a second ``is`` on the attribute would read as dead code."""
    return app.screen


async def test_an_inject_arrives_the_view_switches_and_an_answer_is_acknowledged(
    tmp_path: Path,
) -> None:
    app = demo(tmp_path, "--speed", "60")
    async with app.run_test(size=SIZE) as pilot:
        try:
            await until(pilot, lambda: app.team_screen is not None, "the consoles")
            await close_welcome(pilot, app)
            team, control = app.team_screen, app.control_screen
            assert team is not None and control is not None
            assert on_top(app) is team
            # The clock starts by itself, a minute before the first inject: it arrives.
            await until(pilot, lambda: "I-01" in team.model.inbox, "the first inject")
            assert team.model.clock.status == "running"
            assert app.session.bot_teams == ["comms", "grid", "energy", "summit"]

            await pilot.press("f2")
            assert on_top(app) is control and app.view == "control"
            await until(pilot, lambda: control.model.scenario is not None, "the control room")
            await pilot.press("f2")
            assert on_top(app) is team and app.view == "team"

            # Answer I-01 in the team console; the server acknowledges it.
            await until(
                pilot,
                lambda: team.query_one(InjectView).form("I-01.first-move") is not None,
                "the I-01 form",
            )
            form = team.query_one(InjectView).form("I-01.first-move")
            assert isinstance(form, AnswerForm)
            await pilot.click(form.query_one("#opt-authenticate", RadioButton))
            await pilot.click(form.query_one("#submit", Button))
            await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the confirmation")
            await pilot.press("enter")
            await until(
                pilot,
                lambda: "I-01.first-move" in app.session.room.exercise.teams["cert"].completed,
                "the answer in the engine",
            )
            # The bots play too: the other teams answer over their own connections.
            await until(
                pilot, lambda: any(bot.sent for bot in app.session.bots), "a bot's answer", 30
            )
        finally:
            await app.stop()


async def test_the_exercise_ends_and_the_report_opens(tmp_path: Path) -> None:
    app = demo(tmp_path, "--speed", "3600")
    async with app.run_test(size=SIZE) as pilot:
        try:
            await until(pilot, lambda: app.team_screen is not None, "the consoles")
            await close_welcome(pilot, app)
            team = app.team_screen
            assert team is not None
            await until(pilot, app.session.ended.is_set, "the end of the exercise", 30)
            await until(pilot, lambda: app.session.report is not None, "the report", 30)
            report = app.session.report
            assert report is not None
            assert report.markdown.is_file() and report.html.is_file()
            assert report.markdown.parent == tmp_path
            assert "Deepfake at the summit" in report.text
            await until(pilot, lambda: team.model.clock.status == "ended", "ENDED in the team bar")

            await pilot.press("f3")
            await until(pilot, lambda: isinstance(app.screen, ReportScreen), "the report screen")
            shown = app.screen
            assert isinstance(shown, ReportScreen) and shown.written.text == report.text
            await until(
                pilot,
                lambda: shown.query_one("#report-text", Static).size.height > 100,
                "the report drawn",
            )
            await pilot.press("escape")
            await until(pilot, lambda: app.screen is team, "back to the team console")
            await pilot.press("f2")
            assert app.screen is app.control_screen
        finally:
            await app.stop()


async def test_paused_demo_waits_for_the_control_room_to_start(tmp_path: Path) -> None:
    app = demo(tmp_path, "--paused", "--team", "grid")
    async with app.run_test(size=SIZE) as pilot:
        try:
            await until(pilot, lambda: app.control_screen is not None, "the consoles")
            await close_welcome(pilot, app)
            control = app.control_screen
            assert control is not None and app.session.team == "grid"
            await pilot.press("f2")
            await until(pilot, lambda: control.model.scenario is not None, "the control room")
            assert app.session.room.exercise.status == "ready"
            await pilot.press("s")
            await until(
                pilot, lambda: app.session.room.exercise.status == "running", "the clock to start"
            )
        finally:
            await app.stop()


def test_bad_options_say_what_is_wrong(tmp_path: Path) -> None:
    with pytest.raises(DemoError, match="no team 'nobody'"):
        demo(tmp_path, "--team", "nobody")
    with pytest.raises(DemoError, match="no such scenario"):
        make_demo_app(DemoOptions(scenario=tmp_path / "missing.yaml", log_dir=tmp_path))
    with pytest.raises(DemoError, match="speed"):
        demo(tmp_path, "--speed", "0")


async def test_a_player_who_speaks_french_reads_the_bilingual_demo_in_french(
    tmp_path: Path,
) -> None:
    """With sitroom in French, the demo's team console reads summit-deepfake (written in
    English and French) in French, not French words around English injects."""
    from engine import i18n

    i18n.activate("fr")
    try:
        app = demo(tmp_path, "--speed", "60")
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: app.team_screen is not None, "the consoles")
            team = app.team_screen
            assert team is not None
            await until(pilot, lambda: team.model.title != "", "the welcome")
            assert team.model.title == "Hypertrucage au sommet"
            assert team.model.team_name == "CERT national"
    finally:
        i18n.activate("en")
