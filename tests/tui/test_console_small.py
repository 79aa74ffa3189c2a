"""Small console bugs of issue 12, each through the surface a person uses.

* The demo's Ctrl+Q asks before it stops the exercise, as the team console does.
* At 80 columns the clock bar keeps the exercise's title whole (the story's date and
  time give way); at 160 both show.
* A refused login puts the cursor in the field that was wrong: the address of a
  server that cannot be reached, the code the server refused.
* A card's code without a name (a browser tab opened from a card) asks for the name
  without an error in red: the player has typed nothing yet.
* ``sitroom join``'s app shows a reason holding ``[/]`` as text; as a plain ``App``
  it read it as markup and the console died.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Static

from engine.demo.session import DemoOptions
from tests.server.conftest import free_port, serving
from tests.tui.pilots import until
from tests.tui.test_snapshots import facilitator_app, settle, team_app
from tui.cli import build_parser
from tui.commands.demo import options_from
from tui.commands.join import JoinApp, make_join_app
from tui.console.base import ConsoleApp
from tui.console.login import Credentials, LoginScreen
from tui.console.screens import QuitScreen
from tui.console.widgets import ClockBar
from tui.demo.app import DemoApp, WelcomeScreen, make_demo_app

TITLE = "Deepfake at the summit"


def demo(tmp_path: Path) -> DemoApp:
    """The app exactly as ``sitroom demo --dir TMP`` builds it."""
    options: DemoOptions = options_from(build_parser().parse_args(["demo", "--dir", str(tmp_path)]))
    return make_demo_app(options)


async def test_the_demo_asks_before_ctrl_q_stops_it(tmp_path: Path) -> None:
    app = demo(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        try:
            await until(pilot, lambda: isinstance(app.screen, WelcomeScreen), "the welcome")
            await pilot.press("enter")
            await until(pilot, lambda: not isinstance(app.screen, WelcomeScreen), "play")
            await pilot.press("ctrl+q")
            await until(pilot, lambda: isinstance(app.screen, QuitScreen), "the question")
            question = str(app.screen.query_one("#confirm-text", Static).render())
            assert question.startswith("Quit the demo?"), question
            assert str(app.session.db) in question, question
            await pilot.press("escape")
            await until(pilot, lambda: not isinstance(app.screen, QuitScreen), "Cancel")
            assert not app._stopped, "the demo stopped although the player said Cancel"
            await pilot.press("ctrl+q", "ctrl+q")  # again while asked: quits
            await until(pilot, lambda: app._stopped, "the demo to stop")
        finally:
            await app.stop()


@pytest.mark.parametrize("make", [facilitator_app, team_app], ids=["control", "team"])
async def test_the_clock_bar_keeps_the_title_whole_at_80_columns(make: Any) -> None:
    for width in (80, 160):
        app: ConsoleApp[Any] = make()
        async with app.run_test(size=(width, 24)) as pilot:
            await settle(pilot)
            bar = app.console_screen.query_one(ClockBar)
            shown = bar.render().plain
            assert shown.endswith(f"│ {TITLE}"), (width, shown)
            assert len(shown) <= bar.content_size.width, (width, shown)
            if width == 160:
                assert "Tue 09:" in shown, shown


async def _refused(app: JoinApp, pilot: Any) -> LoginScreen:
    """Press Join on the login screen as filled in; the login screen that comes back."""
    await until(pilot, lambda: isinstance(app.screen, LoginScreen), "the login screen")
    first = app.screen
    first.query_one("#name", Input).focus()
    await pilot.press("enter")
    await until(
        pilot,
        lambda: isinstance(app.screen, LoginScreen) and app.screen is not first,
        "the login screen again",
        timeout=30,
    )
    again = app.screen
    assert isinstance(again, LoginScreen)
    await pilot.pause()
    return again


async def test_a_refused_login_focuses_the_field_that_was_wrong(tmp_path: Path) -> None:
    async with serving(tmp_path) as served:
        nowhere = f"http://127.0.0.1:{free_port()}"
        app = JoinApp("join", given=Credentials(nowhere, served.code("team:a-01"), "Cy"))
        async with app.run_test(size=(80, 24)) as pilot:
            again = await _refused(app, pilot)
            assert "cannot reach the server" in str(again.query_one("#login-error").render())
            box = again.query_one("#url", Input)
            assert app.focused is box and box.selected_text == nowhere, app.focused
            # The address corrected, the code is wrong: the code is selected to retype.
            box.value = served.url
            again.query_one("#code", Input).value = "WRON-GCOD-EXXX"
            again = await _refused(app, pilot)
            assert "unknown join code" in str(again.query_one("#login-error").render())
            box = again.query_one("#code", Input)
            assert app.focused is box and box.selected_text == "WRON-GCOD-EXXX", app.focused


async def test_a_cards_code_asks_for_the_name_without_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with serving(tmp_path) as served:
        monkeypatch.setenv("SITROOM_CODE", served.code("team:b-01"))
        monkeypatch.setenv("TEXTUAL_DRIVER", "textual_serve")  # as a browser tab runs it
        app = await make_join_app(build_parser().parse_args(["join", served.url]), "join")
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, LoginScreen), "the login screen")
            await pilot.pause()
            login = app.screen
            assert str(login.query_one("#login-error", Static).render()) == ""
            assert app.focused is login.query_one("#name", Input)


async def test_the_join_app_shows_a_reason_with_brackets_as_text() -> None:
    app = JoinApp("join")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LoginScreen), "the login screen")
        app.notify("seat [/b] is full [bold]now", title="Not accepted [/]")
        await pilot.pause()
        await pilot.pause()
        assert app.is_running
        toasts = [(n.title, n.message) for n in app._notifications]
        assert toasts == [("Not accepted [/]", "seat [/b] is full [bold]now")], toasts
