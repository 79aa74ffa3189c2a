"""``sitroom demo`` for a French reader (issue 16): the welcome names the scenario and
the team in French when the scenario is written in it, the player is called "vous",
and the demo's own refusals are French."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from engine.demo.session import DemoError, DemoOptions, DemoSession
from tests.tui.pilots import until
from tui.cli import build_parser
from tui.commands.demo import options_from
from tui.demo.app import WelcomeScreen, make_demo_app


async def test_the_welcome_reads_the_scenario_in_french(tmp_path: Path, french: None) -> None:
    args = ["demo", "--dir", str(tmp_path), "--scenario", "summit-deepfake"]
    app = make_demo_app(options_from(build_parser().parse_args(args)))
    async with app.run_test(size=(100, 30)) as pilot:
        try:
            await until(pilot, lambda: isinstance(app.screen, WelcomeScreen), "the welcome")
            shown = str(app.screen.query_one("#welcome-text", Static).render())
            assert "Vous jouez CERT national dans « Hypertrucage au sommet »" in shown, shown
            assert app.session.options.name == "vous"
        finally:
            await pilot.press("ctrl+q")


def test_the_demos_refusals_are_french(tmp_path: Path, french: None) -> None:
    with pytest.raises(DemoError, match="aucune équipe 'nobody'"):
        DemoSession(DemoOptions(team="nobody", log_dir=tmp_path), str)
    with pytest.raises(DemoError, match="--speed doit être supérieur à 0"):
        DemoSession(DemoOptions(speed=0, log_dir=tmp_path), str)
