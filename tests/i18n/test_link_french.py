"""The connection's own words in the reader's language (issue 16): why a join was
refused (a mistyped code, a revoked one, a full seat), why the link went down (the
server cannot be reached, it said goodbye) and what the server says before it closes.

The server's reasons stay English on the wire, with their template and values beside
them; the client decides why its link changed (a typed ``cause``, never a reason's
words) and says it in its reader's language. Through the public surface: the login
screen of ``sitroom join`` against a real in-process server, the shipped client, the
fake server's goodbye to a team console driven by Pilot.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from engine import i18n
from engine.net.client import Client, FileUnavailable
from engine.net.protocol import SERVER_ADAPTER, SHUTTING_DOWN, Bye, LinkChange
from engine.net.server import connection
from engine.net.server.connection import bye_text
from tests.server.conftest import Served, free_port, serving
from tests.tui.flows import screen_text
from tests.tui.pilots import until
from tests.tui.scripted import fake_server
from tui.cli import build_parser
from tui.commands.join import JoinApp, make_join_app
from tui.console.base import ConsoleApp
from tui.console.login import LoginScreen
from tui.team.app import TeamScreen, make_team_app

SIZE = (120, 40)


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[Served]:
    async with serving(tmp_path) as served:
        yield served


async def _login_error(app: JoinApp, fill: dict[str, str]) -> str:
    """Fill the login screen, press Enter, and read the error the next login shows."""
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LoginScreen), "the login screen")
        login = app.screen
        for field, value in fill.items():
            login.query_one(f"#{field}", Input).value = value
        login.query_one("#name", Input).focus()
        await pilot.press("enter")
        await until(
            pilot,
            lambda: isinstance(app.screen, LoginScreen) and app.screen is not login,
            "the login screen again",
        )
        return str(app.screen.query_one("#login-error", Static).render())


@pytest.mark.parametrize(
    ("lang", "said", "not_said"),
    [
        ("fr", "code d'accès inconnu : vérifiez le code sur votre carte", "unknown"),
        ("en", "unknown join code: check the code on your card", "inconnu"),
    ],
    ids=["fr", "en"],
)
async def test_a_mistyped_code_is_explained_in_the_players_language(
    server: Served, lang: str, said: str, not_said: str
) -> None:
    i18n.activate(lang)  # as `sitroom join` does from SITROOM_LANG
    app = await make_join_app(build_parser().parse_args(["join"]), "join")
    error = await _login_error(app, {"url": server.url, "code": "ABCD-EFGH-JKLM", "name": "Cy"})
    assert said in error and not_said not in error, error


async def test_a_malformed_code_says_the_shape_of_a_code_in_french(server: Served) -> None:
    i18n.activate("fr")
    app = await make_join_app(build_parser().parse_args(["join"]), "join")
    error = await _login_error(app, {"url": server.url, "code": "x", "name": "Cy"})
    assert "un code a" in error and "lettres et chiffres" in error, error


async def test_an_unreachable_server_is_said_in_french() -> None:
    i18n.activate("fr")
    nobody = f"http://127.0.0.1:{free_port()}"
    app = await make_join_app(build_parser().parse_args(["join"]), "join")
    error = await _login_error(app, {"url": nobody, "code": "ABCD-EFGH-JKLM", "name": "Cy"})
    assert error.startswith(f"impossible de joindre le serveur à {nobody}"), error


async def test_a_team_code_without_a_name_asks_for_it_in_french(server: Served) -> None:
    """The client knows the server's refusal by its message, not its words: in French
    too the login asks for the name (it once looked for "name" in the reason)."""
    i18n.activate("fr")
    code = server.code("team:a-02")
    args = build_parser().parse_args(["join", server.url, "--code", code])
    app = await make_join_app(args, "join")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LoginScreen), "the login screen")
        login = app.screen
        assert login.query_one("#code", Input).value == code
        name = login.query_one("#name", Input)
        await until(pilot, lambda: app.focused is name, "the name focused")
        await pilot.press(*"Bo", "enter")
        await until(pilot, lambda: isinstance(app.screen, TeamScreen), "the team console")


async def test_the_client_decides_why_its_link_went_down() -> None:
    """An address nobody answers: the cause is "unreachable", the reason English, and
    its words are said in the reader's language."""
    client = Client(f"http://127.0.0.1:{free_port()}", "ABCD-EFGH-JKLM", "Cy")
    changes: list[LinkChange] = []
    async for msg in client.messages():
        if isinstance(msg, LinkChange):
            changes.append(msg)
            if msg.state == "reconnecting":
                break
    await client.close()
    down = changes[-1]
    assert down.cause == "unreachable" and down.reason.startswith("cannot connect: ")
    with i18n.using("fr"):
        assert down.shown().startswith("connexion impossible : ")


def test_a_goodbye_goes_in_english_with_its_template() -> None:
    bye = SERVER_ADAPTER.validate_python(json.loads(bye_text(SHUTTING_DOWN)))
    assert isinstance(bye, Bye)
    assert bye.reason == "the server is shutting down"
    assert bye.template == "the server is shutting down"
    with i18n.using("fr"):
        assert bye.shown() == "le serveur s'arrête"


@pytest.mark.parametrize(
    ("lang", "said", "not_said"),
    [("fr", "le serveur s'arrête", "shutting down"), ("en", "shutting down", "s'arrête")],
    ids=["fr", "en"],
)
async def test_a_team_console_says_the_servers_goodbye_in_its_language(
    lang: str, said: str, not_said: str
) -> None:
    i18n.activate(lang)
    server = fake_server(1)
    team = server.link("team:cert", "Amira")
    app: ConsoleApp[TeamScreen] = make_team_app(link=team)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        screen = app.console_screen
        await until(pilot, lambda: screen.model.team == "cert", "the welcome")
        server.shutdown()
        await until(pilot, lambda: said in screen_text(app), "the goodbye shown")
        assert not_said not in screen_text(app)
        assert team.why.cause == "goodbye" and team.reason == "the server is shutting down"


async def test_a_file_that_cannot_be_fetched_is_said_in_french() -> None:
    server = fake_server(1)
    team = server.link("team:cert", "Amira")
    with i18n.using("fr"), pytest.raises(FileUnavailable) as caught:
        await team.fetch_file("0" * 64)
    assert str(caught.value) == "le serveur n'a pas ce fichier (HTTP 404)"
    with pytest.raises(FileUnavailable, match=r"^the server has no such file \(HTTP 404\)$"):
        await team.fetch_file("0" * 64)


async def test_a_refused_join_keeps_the_servers_words_over_its_close(server: Served) -> None:
    """The refusal comes before the close: the client's why is the refusal (its cause
    and its French), not the close frame's shorter English."""
    client = Client(server.url, "ABCD-EFGH-JKLM", "Cy")
    async for _msg in client.messages():
        pass
    assert client.why.cause == "refused" and client.reason == "unknown join code"
    with i18n.using("fr"):
        assert client.why.shown() == "code d'accès inconnu"


def test_a_client_reads_a_server_message_with_a_field_it_does_not_know() -> None:
    """Fields a newer server adds (as bye's template was) cost an older client nothing."""
    newer = {"type": "bye", "reason": "the server is shutting down", "mood": "calm"}
    assert SERVER_ADAPTER.validate_python(newer) == Bye(reason="the server is shutting down")


async def test_a_server_without_templates_still_gets_a_name_asked_for(
    server: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An older server sends the name refusal as English text only: the login still
    asks for the name."""
    monkeypatch.setattr(connection, "reason_fields", lambda reason: {})
    code = server.code("team:a-02")
    args = build_parser().parse_args(["join", server.url, "--code", code])
    app = await make_join_app(args, "join")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LoginScreen), "the login screen")
        await until(
            pilot, lambda: app.focused is app.screen.query_one("#name", Input), "the name focused"
        )
