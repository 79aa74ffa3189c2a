"""What a text answer got and missed, named in the member's language (issue 16).

The verdict is recorded with the rubric's elements named as played (English); a term
whose ``label`` the author gave per language reaches a French member's console named
in French, with the answer (the shaper sends the other languages' names beside the
verdict). Played on the fake server with the meaning grader, shown through Pilot.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.app import App

from engine import commands as c
from engine.net.fake import FakeServer
from engine.net.protocol import Incoming
from tests.tui.pilots import until
from tests.tui.scripted import M, ScriptedLink, send
from tests.tui.test_snapshots import settle
from tui.console.base import ConsoleApp
from tui.team.app import TeamScreen

pytestmark = pytest.mark.meaning

SCENARIO = """\
id: voice
title: {en: The cloned voice, fr: La voix clonée}
languages: [en, fr]
duration: 1h
teams:
  - {id: comms, name: {en: Communications, fr: Communication}}
actors:
  - {id: press, name: {en: Business press, fr: Presse économique}}
injects:
  - id: I-04
    at: 5m
    to: [comms]
    channel: news
    from: press
    title: {en: A reporter calls, fr: Un journaliste appelle}
    expects:
      - id: statement
        kind: text
        prompt: {en: Your holding statement., fr: Votre déclaration d'attente.}
        model_answer:
          en: We are investigating an attempted fraud. We have informed the police.
          fr: Nous enquêtons sur une tentative de fraude. Nous avons prévenu la police.
        required:
          - any: [investigating, enquêtons]
            label: {en: we are investigating, fr: nous enquêtons}
          - any: [police, gendarmerie]
            label: {en: the police are informed, fr: la police est prévenue}
        forbidden:
          - any: [employee error, erreur d'un employé]
            label: {en: blames an employee, fr: accuse un employé}
"""


def _traffic(tmp_path: Path) -> tuple[Incoming, ...]:
    path = tmp_path / "voice.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    server = FakeServer.from_file(path, 1, wall=lambda: 0.0)
    control = server.link("facilitator:control")
    ana = server.link("team:comms", "Ana")
    send(server, control, c.Start())
    server.advance_to(6 * M)
    answer = "Nous enquêtons. C'est une erreur d'un employé."
    send(
        server,
        ana,
        c.Respond(team="comms", member="Ana", expectation="I-04.statement", text=answer),
    )
    send(server, control, c.Pause())
    return tuple(ana.drain())


def _rendered(app: App[Any]) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query("*") if w.display)


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
        return _rendered(app)


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
