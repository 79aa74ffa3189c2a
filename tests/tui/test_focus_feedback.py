"""A decision's feedback reaches the team that decided, in the language it reads.

The planner's bilingual scenario showed no option's ``feedback`` after a decision,
though ``show_results`` is on by default: the team's view of an option carried only
its label, and no team event carried the feedback at all. The server's shaper now
sends it with the team's own answer (never with the inject: it would tell which
option is right before deciding), and the answer form shows it under the result.
Played on the fake server (engine, shaper, hub), shown through Pilot.
"""

from __future__ import annotations

from pathlib import Path

from engine import commands as c
from engine.net.fake import FakeServer
from engine.net.protocol import Incoming
from tests.tui.flows import widget_text
from tests.tui.pilots import until
from tests.tui.scripted import M, ScriptedLink, played, send
from tests.tui.test_snapshots import settle
from tui.console.base import ConsoleApp
from tui.team.app import TeamScreen

SCENARIO = """\
id: pay
title: {en: The transfer, fr: Le virement}
languages: [en, fr]
duration: 1h
settings: {show_results: SHOW}
teams:
  - {id: soc, name: {en: Security, fr: Sécurité}}
actors:
  - {id: finance, name: {en: Finance, fr: Finances}}
injects:
  - id: I-01
    at: 5m
    to: [soc]
    channel: email
    from: finance
    title: {en: An urgent transfer, fr: Un virement urgent}
    expects:
      - id: pay
        kind: decision
        prompt: {en: What do you tell finance?, fr: Que répondez-vous ?}
        options:
          - id: hold
            label: {en: Hold it, fr: Le bloquer}
            points: 10
            feedback: {en: The CEO made no such call., fr: Le PDG n'a passé aucun appel.}
          - id: pay
            label: {en: Let it go, fr: Le laisser passer}
            feedback: {en: The money leaves., fr: L'argent part.}
"""


def _traffic(tmp_path: Path, *, show: bool = True) -> tuple[Incoming, ...]:
    """Team soc's messages after it chose to hold the payment."""
    path = tmp_path / "pay.yaml"
    path.write_text(SCENARIO.replace("SHOW", "true" if show else "false"), encoding="utf-8")
    hold = c.Respond(team="soc", member="Amira", expectation="I-01.pay", choice="hold")
    return played(path, "team:soc", "Amira", hold)


async def _decided(traffic: tuple[Incoming, ...], lang: str | None) -> str:
    app = ConsoleApp(TeamScreen(link=ScriptedLink(traffic), lang=lang))
    async with app.run_test(size=(80, 24)) as pilot:
        model = app.console_screen.model
        await until(
            pilot,
            lambda: "I-01" in model.inbox and model.inbox["I-01"].expectations[0].result,
            "the decision's result",
        )
        await pilot.press("enter")  # open the inject
        await settle(pilot)
        return widget_text(app)


async def test_the_chosen_options_feedback_is_shown_in_each_language(tmp_path: Path) -> None:
    traffic = _traffic(tmp_path)
    english = await _decided(traffic, None)
    assert "The CEO made no such call." in english
    assert "The money leaves." not in english  # only the option chosen
    french = await _decided(traffic, "fr")
    assert "Le PDG n'a passé aucun appel." in french
    assert "The CEO made no such call." not in french


async def test_no_feedback_where_the_scenario_hides_results(tmp_path: Path) -> None:
    traffic = _traffic(tmp_path, show=False)
    assert "made no such call" not in repr(traffic)  # not even on the wire
    shown = await _decided_hidden(traffic)
    assert "Hold it" in shown and "made no such call" not in shown


async def _decided_hidden(traffic: tuple[Incoming, ...]) -> str:
    app = ConsoleApp(TeamScreen(link=ScriptedLink(traffic)))
    async with app.run_test(size=(80, 24)) as pilot:
        model = app.console_screen.model
        await until(
            pilot,
            lambda: "I-01" in model.inbox and model.inbox["I-01"].expectations[0].answer,
            "the answer",
        )
        await pilot.press("enter")
        await settle(pilot)
        return widget_text(app)


def test_the_inject_never_carries_the_feedback_before_the_decision(tmp_path: Path) -> None:
    path = tmp_path / "pay.yaml"
    path.write_text(SCENARIO.replace("SHOW", "true"), encoding="utf-8")
    server = FakeServer.from_file(path, 1, wall=lambda: 0.0)
    control = server.link("facilitator:control")
    amira = server.link("team:soc", "Amira")
    send(server, control, c.Start())
    server.advance_to(6 * M)
    delivered = repr(amira.drain())
    assert "Un virement urgent" in delivered
    assert "no such call" not in delivered and "aucun appel" not in delivered
