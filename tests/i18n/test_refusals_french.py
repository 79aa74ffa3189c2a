"""A refusal in the reader's language (issue 16): the engine's reason is a Phrase, the
server sends its template and values beside the English ``reason``, and a console says
it in the language its player chose; English consoles, logs and old readers see the
English text, unchanged.

Through the public surface: the fake server (the engine and the server's own wire text)
and a team console driven by Pilot.
"""

from __future__ import annotations

import pytest

from engine import commands as c
from engine import i18n
from engine.net.fake import FakeLink, FakeServer
from engine.net.protocol import Error
from tests.tui.flows import screen_text
from tests.tui.pilots import until
from tests.tui.scripted import M, fake_server, scenario, send
from tui.console.base import ConsoleApp
from tui.team.app import TeamScreen, make_team_app

ENDED_EN = "the exercise has ended: answering is no longer possible"
ENDED_FR = "l'exercice est terminé : répondre n'est plus possible"


def _ended() -> tuple[FakeServer, FakeLink, FakeLink]:
    server = fake_server(1)
    control = server.link("facilitator:control")
    team = server.link("team:cert", "Amira")
    send(server, control, c.Start())
    server.advance_to(10 * M)
    send(server, control, c.End(reason="time"))
    return server, control, team


def _late_answer() -> c.Respond:
    ref = next(iter(scenario()[0].expectation_by_ref))
    return c.Respond(team="cert", member="Amira", expectation=ref, text="too late")


async def test_the_wire_keeps_the_english_reason_and_adds_its_template() -> None:
    _server, _control, team = _ended()
    with i18n.using("fr"):  # the server's language is not the reader's: still English
        reply = await team.send(_late_answer())
    assert isinstance(reply, Error) and reply.code == "rejected"
    assert reply.reason == ENDED_EN
    assert reply.template == "the exercise has ended: {what} is no longer possible"
    assert reply.values == {"what": "answering"} and reply.said == ["what"]


async def test_a_refusal_with_values_is_said_in_french_with_them() -> None:
    server = fake_server(1)
    control = server.link("facilitator:control")
    team = server.link("team:cert", "Amira")
    send(server, control, c.Start())
    reply = await team.send(c.Open(team="cert", member="Amira", inject="nope"))
    assert isinstance(reply, Error)
    assert reply.reason == "unknown inject 'nope'"
    with i18n.using("fr"):
        assert reply.shown() == "inject 'nope' inconnu"
    assert reply.shown() == "unknown inject 'nope'"


def test_an_error_without_a_known_template_shows_its_reason() -> None:
    """A newer server's message this catalog lacks, or a plain reason, stays as sent."""
    newer = Error(code="rejected", reason="in English", template="not {x} here", values={})
    plain = Error(code="rejected", reason="the exercise has ended: jump")
    with i18n.using("fr"):
        assert newer.shown() == "in English"
        assert plain.shown() == "the exercise has ended: jump"


@pytest.mark.parametrize(
    ("lang", "shown", "not_shown"),
    [("fr", ENDED_FR, ENDED_EN), ("en", ENDED_EN, ENDED_FR)],
    ids=["fr", "en"],
)
async def test_a_team_console_shows_the_refusal_in_its_language(
    lang: str, shown: str, not_shown: str
) -> None:
    i18n.activate(lang)  # as `sitroom join` does; the suite speaks English again after
    _server, _control, team = _ended()
    app: ConsoleApp[TeamScreen] = make_team_app(link=team)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        screen = app.console_screen
        await until(pilot, lambda: screen.model.clock.status == "ended", "the end")
        reply = await screen.send(_late_answer())
        assert isinstance(reply, Error) and reply.reason == ENDED_EN
        await until(pilot, lambda: shown in screen_text(app), "the refusal shown")
        assert not_shown not in screen_text(app)
