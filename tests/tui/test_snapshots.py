"""Every console screen at 80×24 and 160×48, compared with stored SVG snapshots.

Update after an intended visual change with ``pytest tests/tui/test_snapshots.py
--snapshot-update`` and look at the new snapshots before committing them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from engine.net.protocol import LinkChange
from tests.tui.scripted import ScriptedLink, staff_traffic, team_traffic
from tui.console.base import ConsoleApp
from tui.console.login import Credentials, LoginScreen
from tui.evaluator.app import make_evaluator_app
from tui.facilitator.app import make_facilitator_app
from tui.team.app import make_team_app

SIZES = [(80, 24), (160, 48)]


async def settle(pilot: Pilot[Any]) -> None:
    app = pilot.app
    assert isinstance(app, ConsoleApp)
    console = app.console_screen
    for _ in range(200):
        await pilot.pause()
        if isinstance(app.screen, LoginScreen) and app.screen.is_mounted:
            break  # the login waits for the player, not for the link: nothing to settle
        if not console.is_mounted or (app.screen is not console and not app.screen.is_modal):
            continue
        link = console.link
        empty = link is None or getattr(link, "queue").empty()  # noqa: B009
        if empty and not console._redraw_pending:
            break
    await pilot.pause()
    app.clear_notifications()
    for screen in app.screen_stack:
        # A blinking cursor would make the capture depend on timing.
        for box in screen.query("Input, TextArea"):
            box.cursor_blink = False  # type: ignore[attr-defined]
    await pilot.pause()


def steps(
    *keys: str, extra: Callable[[Pilot[Any]], Awaitable[None]] | None = None
) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        if extra is not None:
            await extra(pilot)
        await settle(pilot)

    return run


def team_app() -> ConsoleApp[Any]:
    return make_team_app(link=ScriptedLink(team_traffic()))


def facilitator_app(role: str = "facilitator") -> ConsoleApp[Any]:
    messages, _ = staff_traffic(role=role)
    if role == "observer":
        return make_facilitator_app(role="observer", link=ScriptedLink(messages))
    return make_facilitator_app(link=ScriptedLink(messages))


def evaluator_app() -> ConsoleApp[Any]:
    messages, _ = staff_traffic(role="evaluator")
    return make_evaluator_app(link=ScriptedLink(messages))


def console(pilot: Pilot[Any]) -> Any:
    assert isinstance(pilot.app, ConsoleApp)
    return pilot.app.console_screen


async def _focus_inbox_second(pilot: Pilot[Any]) -> None:
    console(pilot).query_one("#inbox-list").focus()
    await pilot.press("down")


async def _reconnecting(pilot: Pilot[Any]) -> None:
    assert isinstance(pilot.app, ConsoleApp)
    link = pilot.app.console_screen.link
    assert isinstance(link, ScriptedLink)
    link.push(LinkChange(state="reconnecting", reason="server restarting"))


async def _evaluator_team(pilot: Pilot[Any]) -> None:
    console(pilot).query_one("#team-list").focus()
    await pilot.press("down")


SCREENS: dict[
    str, tuple[Callable[[], ConsoleApp[Any]], Callable[[Pilot[Any]], Awaitable[None]]]
] = {
    "team-inbox": (team_app, steps(extra=_focus_inbox_second)),
    "team-feed": (team_app, steps("2")),
    "team-messages": (team_app, steps("3")),
    "team-log": (team_app, steps("4")),
    "team-help": (team_app, steps("question_mark")),
    "team-reconnecting": (team_app, steps(extra=_reconnecting)),
    "team-login": (lambda: make_team_app(connect=lambda c: ScriptedLink()), steps()),
    "facilitator-msel": (facilitator_app, steps("1")),
    "facilitator-teams": (facilitator_app, steps("2")),
    "facilitator-simcell": (facilitator_app, steps("3")),
    "facilitator-log": (facilitator_app, steps("4")),
    "facilitator-release": (facilitator_app, steps("r")),
    "facilitator-broadcast": (facilitator_app, steps("B")),
    "facilitator-jump": (facilitator_app, steps("j")),
    "facilitator-speed": (facilitator_app, steps("x")),
    "facilitator-end": (facilitator_app, steps("E")),
    "facilitator-scores": (facilitator_app, steps("5")),
    "facilitator-scores-role": (facilitator_app, steps("5", "g")),
    "observer": (lambda: facilitator_app("observer"), steps("2")),
    "observer-scores": (lambda: facilitator_app("observer"), steps("5")),
    "evaluator-grade": (evaluator_app, steps(extra=_evaluator_team)),
    "evaluator-objectives": (evaluator_app, steps("o", extra=_evaluator_team)),
    "evaluator-observation": (evaluator_app, steps("w", extra=_evaluator_team)),
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_screen(snap_compare: Any, screen: str, size: tuple[int, int]) -> None:
    make, run_before = SCREENS[screen]
    assert snap_compare(make(), terminal_size=size, run_before=run_before)


def test_login_screen_uses_the_credentials_given() -> None:
    assert Credentials("http://x", "c", "n").url == "http://x"
