"""A player reads a scenario written in two languages in the one they chose (issue 16).

The exercise is played in the scenario's first language; the server's shaper sends each
delivery with its translations and the welcome with the scenario's other languages, and
the team console (``sitroom join --lang fr``) shows inject text, options, prompts,
the briefing, the actors' names and a module's discussion in French. Driven on the fake
server (the engine, the server's shaper, hub and welcome builder) through Pilot; a
snapshot at 80x24 in French (update with ``--snapshot-update`` and look at the SVG).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any, cast

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList

from engine import commands as c
from engine import i18n
from engine.net.client import Client
from engine.net.fake import FakeServer
from engine.net.protocol import EventMsg, Incoming, Welcome
from tests.server.conftest import FIXTURE
from tests.tui.flows import widget_text
from tests.tui.pilots import until
from tests.tui.scripted import M, ScriptedLink, fake_server, send
from tests.tui.test_snapshots import settle
from tui.commands.join import JoinApp, Joined
from tui.console.base import ConsoleApp
from tui.console.language import LanguageScreen
from tui.model.team import TeamModel
from tui.team.app import TeamScreen

DRILL = """\
id: drill
title: {en: The council chatbot, fr: Le chatbot de la mairie}
languages: [en, fr]
duration: 1h
teams:
  - {id: it, name: {en: Council IT, fr: Informatique de la mairie}}
actors:
  - {id: press, name: {en: Local reporter, fr: Journaliste local}}
phases:
  - id: one
    title: {en: First hour, fr: Première heure}
    discussion:
      questions:
        - {en: "Who decides?", fr: "Qui décide ?"}
injects:
  - id: I-01
    at: 5m
    to: [it]
    channel: news
    from: press
    phase: one
    title: {en: A leak, fr: Une fuite}
"""


@pytest.fixture(autouse=True)
def _same_language_after() -> Iterator[None]:
    before = i18n.current()
    yield
    i18n.activate(before)


@cache
def _deepfake_traffic() -> tuple[Incoming, ...]:
    """Twelve minutes of summit-deepfake for team cert: I-01 has arrived."""
    server = fake_server(1)
    control = server.link("facilitator:control")
    amira = server.link("team:cert", "Amira")
    send(server, control, c.Start())
    server.advance_to(12 * M)
    send(server, control, c.Pause())
    return tuple(amira.drain())


def _app(lang: str | None) -> ConsoleApp[TeamScreen]:
    return ConsoleApp(TeamScreen(link=ScriptedLink(_deepfake_traffic()), lang=lang))


async def _arrived(pilot: Pilot[Any]) -> None:
    app = pilot.app
    assert isinstance(app, ConsoleApp)
    await until(pilot, lambda: "I-01" in app.console_screen.model.inbox, "I-01")
    await pilot.press("enter")  # open the newest inject
    await settle(pilot)


async def test_a_member_who_chose_french_reads_the_inject_in_french() -> None:
    app = _app("fr")
    async with app.run_test(size=(160, 48)) as pilot:
        await _arrived(pilot)
        model = app.console_screen.model
        assert model.languages == ["en", "fr"]
        assert model.title == "Hypertrucage au sommet"
        assert model.briefing.role == "CERT national"
        # The roster took the team's name from the scenario (one team per role): it is
        # read in French too, in the clock bar.
        assert model.team_name == "CERT national"
        assert model.briefing.text.startswith("Nous sommes le mardi 11 février")
        entry = model.inbox["I-01"]
        assert entry.title.startswith("Une vidéo de la ministre de l'énergie")
        [exp] = entry.expectations
        assert exp.prompt == "Que faites-vous en premier ?"
        assert [label for _id, label in exp.options] == [
            "Appeler le ministère et vérifier la provenance de la vidéo",
            "Démentir publiquement tout de suite",
            "Attendre d'en savoir plus",
        ]
        assert model.actor_name("public") == "Citoyens sur les réseaux sociaux"
        shown = widget_text(app)
        assert "Que faites-vous en premier ?" in shown
        assert "What do you do first?" not in shown


async def test_the_same_messages_read_in_the_language_played_without_a_choice() -> None:
    app = _app(None)
    async with app.run_test(size=(160, 48)) as pilot:
        await _arrived(pilot)
        model = app.console_screen.model
        assert model.title == "Deepfake at the summit"
        assert model.team_name == "National CERT"
        [exp] = model.inbox["I-01"].expectations
        assert exp.prompt == "What do you do first?"
        assert "What do you do first?" in widget_text(app)


def test_a_modules_discussion_reaches_a_french_reader_in_french(tmp_path: Path) -> None:
    path = tmp_path / "drill.yaml"
    path.write_text(DRILL, encoding="utf-8")
    server = FakeServer.from_file(path, 1, wall=lambda: 0.0)
    control = server.link("facilitator:control")
    reader = server.link("team:it", "Inès")
    send(server, control, c.Start())
    server.advance_to(10 * M)  # past I-01 (5m): the module's discussion pauses play
    model = TeamModel(lang="fr")
    for msg in reader.drain():
        if isinstance(msg, Welcome):
            model.welcome(msg)
        elif isinstance(msg, EventMsg):
            model.receive(msg)
    assert model.title == "Le chatbot de la mairie"
    assert model.inbox["I-01"].title == "Une fuite"
    assert model.actor_name("press") == "Journaliste local"
    assert model.pause is not None and model.pause.discussion is not None
    assert model.pause.discussion.title == "Première heure"
    assert model.pause.discussion.questions == ["Qui décide ?"]


def _french_app() -> ConsoleApp[TeamScreen]:
    i18n.activate("fr")  # as sitroom join --lang fr does: the console's own words too
    return _app("fr")


def test_team_console_in_french_snapshot(snap_compare: Any) -> None:
    assert snap_compare(_french_app(), terminal_size=(80, 24), run_before=_arrived)


def _joined(messages: tuple[Incoming, ...]) -> Joined:
    """A team seat welcomed by the fake server, as ``open_seat`` returns it."""
    welcome = next(m for m in messages if isinstance(m, Welcome))
    rest = [m for m in messages if m is not welcome]
    return Joined(cast(Client, ScriptedLink(rest)), welcome)


async def test_a_player_picks_the_language_once_after_logging_in() -> None:
    app = JoinApp("join", joined=_joined(_deepfake_traffic()))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LanguageScreen), "the question")
        assert "Read the exercise in\nLire l'exercice en" in widget_text(app)
        options = app.screen.query_one(OptionList)
        assert [str(options.get_option_at_index(i).prompt) for i in range(2)] == [
            "English",
            "Français",
        ]
        assert options.highlighted == 0  # the language it is played in, first
        await pilot.press("down", "enter")
        await until(pilot, lambda: isinstance(app.screen, TeamScreen), "the team console")
        console = app.screen
        assert isinstance(console, TeamScreen)
        await until(pilot, lambda: "I-01" in console.model.inbox, "I-01")
        assert console.model.lang == "fr"
        assert console.model.inbox["I-01"].title.startswith("Une vidéo de la ministre")
        assert i18n.current() == "fr"


async def test_no_question_for_a_scenario_in_one_language_or_a_language_given() -> None:
    server = fake_server(1, FIXTURE)
    one = JoinApp("join", joined=_joined(tuple(server.link("team:a", "Jo").drain())))
    async with one.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(one.screen, TeamScreen), "the team console")
    given = JoinApp("join", joined=_joined(_deepfake_traffic()), lang="fr")
    async with given.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(given.screen, TeamScreen), "the team console")
        screen = given.screen
        assert isinstance(screen, TeamScreen) and screen.model.lang == "fr"


async def test_a_language_the_scenario_is_not_written_in_is_said_not_ignored() -> None:
    app = JoinApp("join", joined=_joined(_deepfake_traffic()), lang="de")
    async with app.run_test(size=(120, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, TeamScreen), "the team console")
        await until(pilot, lambda: bool(app._notifications), "the warning")
        expected = "The scenario is not written in de (en, fr): you read it as played."
        await until(
            pilot,
            lambda: expected in [n.message for n in app._notifications],
            "the warning about German",
        )
