"""``sitroom join`` and ``sitroom facilitate`` against a real in-process server.

The apps are built by :func:`tui.commands.join.make_join_app` from parsed command
lines, as the commands build them; refusals are checked through the command
itself, in a child process, for the message and the exit status a person sees.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import jinja2
import pytest
from textual.widgets import Input, Static

from tests.server.conftest import ROOT, Served, free_port, serving
from tests.tui.pilots import until
from tui.cli import build_parser
from tui.commands.join import JoinApp, make_join_app
from tui.commands.web import make_server, tab_command
from tui.console.login import LoginScreen
from tui.console.screens import QuitScreen
from tui.evaluator.app import EvaluatorScreen
from tui.facilitator.app import FacilitatorScreen
from tui.team.app import TeamScreen
from tui.web import TEMPLATES

SIZE = (120, 40)


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[Served]:
    async with serving(tmp_path) as served:
        yield served


async def app_for(*argv: str) -> JoinApp:
    args = build_parser().parse_args(list(argv))
    return await make_join_app(args, "facilitate" if argv[0] == "facilitate" else "join")


async def sitroom(*argv: str, timeout: float = 30.0) -> tuple[int, str]:
    """Run the command line in a child process; its exit status and stderr."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tui.cli",
        *argv,
        cwd=ROOT,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        _, err = await asyncio.wait_for(proc.communicate(), timeout)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise
    assert proc.returncode is not None
    return proc.returncode, err.decode()


@pytest.mark.parametrize(
    ("seat", "name", "screen"),
    [
        ("team:a-01", "Amira", TeamScreen),
        ("evaluator:lead", None, EvaluatorScreen),
        ("observer:observer", None, FacilitatorScreen),
    ],
)
async def test_the_code_picks_the_console(
    server: Served, seat: str, name: str | None, screen: type
) -> None:
    argv = ["join", server.url, "--code", server.code(seat)]
    app = await app_for(*argv, *(["--name", name] if name else []))
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, screen), f"the {screen.__name__}")
        console = app.screen
        assert isinstance(console, TeamScreen | EvaluatorScreen | FacilitatorScreen)
        await until(pilot, lambda: console.link_state == "connected", "the connection")
        if isinstance(console, TeamScreen):
            await until(pilot, lambda: console.model.team == "a-01", "the welcome")
            assert console.model.member == "Amira"
        if isinstance(console, FacilitatorScreen):
            await until(pilot, lambda: console.model.scenario is not None, "the welcome")
            assert console.read_only
        await pilot.press("ctrl+q")
        # Every console asks first (issue 12); Ctrl+Q again quits.
        await until(pilot, lambda: isinstance(app.screen, QuitScreen), "the question")
        await pilot.press("ctrl+q")
    assert app.return_code == 0


async def test_facilitate_opens_the_control_room_and_steers_the_clock(server: Served) -> None:
    app = await app_for("facilitate", server.url, "--code", server.code("facilitator:control"))
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, FacilitatorScreen), "the control room")
        control = app.screen
        assert isinstance(control, FacilitatorScreen)
        await until(pilot, lambda: control.model.scenario is not None, "the welcome")
        assert not control.read_only
        await pilot.press("s")
        await until(pilot, lambda: server.room.exercise.status == "running", "the start")
        await pilot.press("ctrl+q")


async def test_a_team_code_without_a_name_asks_for_the_name(server: Served) -> None:
    code = server.code("team:a-02")
    app = await app_for("join", server.url, "--code", code)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LoginScreen), "the login screen")
        login = app.screen
        assert login.query_one("#url", Input).value == server.url
        assert login.query_one("#code", Input).value == code
        # Nothing is wrong yet (issue 12: the prompt was red before anything was typed).
        assert str(login.query_one("#login-error", Static).render()) == ""
        assert app.focused is login.query_one("#name", Input)
        await pilot.press(*"Bo", "enter")
        await until(pilot, lambda: isinstance(app.screen, TeamScreen), "the team console")
        team = app.screen
        assert isinstance(team, TeamScreen)
        await until(pilot, lambda: team.model.member == "Bo", "the welcome")
        await pilot.press("ctrl+q")


async def test_the_login_screen_joins_and_explains_a_bad_code(server: Served) -> None:
    app = await app_for("join")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LoginScreen), "the login screen")
        login = app.screen
        login.query_one("#url", Input).value = server.url
        login.query_one("#code", Input).value = "WRONG-CODE"
        login.query_one("#name", Input).value = "Cy"
        login.query_one("#name", Input).focus()
        await pilot.press("enter")
        await until(
            pilot,
            lambda: isinstance(app.screen, LoginScreen) and app.screen is not login,
            "the login screen again",
        )
        again = app.screen
        error = str(again.query_one("#login-error", Static).render())
        assert "unknown join code" in error
        assert again.query_one("#url", Input).value == server.url
        again.query_one("#code", Input).value = server.code("evaluator:lead")
        again.query_one("#code", Input).focus()
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, EvaluatorScreen), "the evaluator")
        await pilot.press("ctrl+q")


async def test_refusals_are_one_clear_line(server: Served) -> None:
    status, err = await sitroom("join", server.url, "--code", "NOPE-NOPE")
    assert status == 1
    assert err.startswith("sitroom: cannot join: unknown join code"), err
    assert "Traceback" not in err

    team_code = server.code("team:a-01")
    status, err = await sitroom("facilitate", server.url, "--code", team_code)
    assert status == 1
    assert "for a team" in err and f"sitroom join {server.url} --name NAME" in err, err
    evaluator = server.code("evaluator:lead")
    status, err = await sitroom("facilitate", server.url, "--code", evaluator, "--name", "Ed")
    assert status == 1
    assert "evaluator:lead" in err and f"with sitroom join {server.url}\n" in err, err
    assert team_code not in err and evaluator not in err, "a refusal repeats no code"

    nobody = f"http://127.0.0.1:{free_port()}"
    status, err = await sitroom("join", nobody, "--code", team_code, "--name", "Di")
    assert status == 1
    assert err.startswith(f"sitroom: cannot join: cannot reach the server at {nobody}"), err
    assert "Traceback" not in err


def test_each_web_tab_runs_join_on_a_page_that_needs_no_internet() -> None:
    """``sitroom web``: every tab runs ``sitroom join`` (with ``--server`` filled in), and
    the page textual-serve renders from our template loads nothing from elsewhere."""
    args = build_parser().parse_args(["web", "--port", "9999", "--server", "http://x:8470"])
    server = make_server(args)
    assert server.command == tab_command("http://x:8470")
    assert server.command.endswith("-m tui.cli join http://x:8470")
    assert server.public_url == "http://127.0.0.1:9999"
    page = (
        jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES))
        .get_template("app_index.html")
        .render(
            font_size=16,
            app_websocket_url="ws://127.0.0.1:9999/ws",
            config={"static": {"url": "http://127.0.0.1:9999/static/"}},
            application={"name": "sitroom"},
        )
    )
    urls = [part.split('"')[0] for part in page.split("//")[1:]]
    assert urls and all(url.startswith("127.0.0.1:9999/") for url in urls), urls
    assert 'data-session-websocket-url="ws://127.0.0.1:9999/ws"' in page
    assert "fonts/RobotoMono-VariableFont_wght.ttf" in page
