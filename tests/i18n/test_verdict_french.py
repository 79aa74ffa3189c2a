"""What a text answer got and missed, named in the member's language (issue 16).

The verdict is recorded with the rubric's elements named as played (English); a term
whose ``label`` the author gave per language reaches a French member's console named
in French, with the answer (the shaper sends the other languages' names beside the
verdict). Played on the fake server with the meaning grader, shown through Pilot, on
the bilingual scenario of ``tests/meaning/test_bilingual_rubric.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine import commands as c
from engine.net.protocol import Incoming
from tests.meaning.test_bilingual_rubric import BOTH, SCENARIO
from tests.tui.flows import widget_text
from tests.tui.pilots import until
from tests.tui.scripted import ScriptedLink, played
from tests.tui.test_snapshots import settle
from tui.console.base import ConsoleApp
from tui.team.app import TeamScreen

pytestmark = pytest.mark.meaning


def _traffic(tmp_path: Path) -> tuple[Incoming, ...]:
    path = tmp_path / "voice.yaml"
    path.write_text(SCENARIO.replace("MODEL", BOTH), encoding="utf-8")
    answer = "Nous enquêtons. C'est une erreur d'un employé."
    respond = c.Respond(team="comms", member="Ana", expectation="I-04.statement", text=answer)
    return played(path, "team:comms", "Ana", respond)


async def _graded(traffic: tuple[Incoming, ...], lang: str | None) -> str:
    app = ConsoleApp(TeamScreen(link=ScriptedLink(traffic), lang=lang))
    async with app.run_test(size=(100, 40)) as pilot:
        model = app.console_screen.model
        await until(
            pilot,
            lambda: "I-04" in model.inbox and model.inbox["I-04"].expectations[0].answer,
            "the answer",
        )
        await pilot.press("enter")
        await settle(pilot)
        return widget_text(app)


async def test_found_missed_and_forbidden_are_named_in_the_members_language(
    tmp_path: Path,
) -> None:
    traffic = _traffic(tmp_path)
    french = await _graded(traffic, "fr")
    assert "nous enquêtons" in french and "la police est prévenue" in french
    assert "accuse un employé" in french
    for english in ("we are investigating", "the police are informed", "blames an employee"):
        assert english not in french
    english = await _graded(traffic, None)
    assert "we are investigating" in english and "blames an employee" in english
    assert "nous enquêtons" not in english
