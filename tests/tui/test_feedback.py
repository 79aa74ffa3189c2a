"""The participant feedback form on the team console (issue 12): hidden until the end,
then shown, filled and sent with the keyboard alone at 80x24, and shown as sent; and
its snapshots at 80x24 and 160x48.

The console talks to a fake server (the engine, the server's admission and shaper in
memory), so the form's command is checked by the same rules as in a real room.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, RadioSet, Static, TabbedContent

from engine import commands as c
from engine.net.fake import FakeLink, FakeServer
from tests.tui.flows import screen_text
from tests.tui.pilots import until
from tests.tui.scripted import M, ScriptedLink, fake_server, send
from tests.tui.test_snapshots import settle
from tui.console.base import ConsoleApp
from tui.team.app import TeamScreen, make_team_app
from tui.team.feedback import FeedbackPane


def _running() -> tuple[FakeServer, FakeLink, FakeLink]:
    server = fake_server(1)
    control = server.link("facilitator:control")
    team = server.link("team:cert", "Amira")
    send(server, control, c.Start())
    server.advance_to(10 * M)
    return server, control, team


def _tabs(app: ConsoleApp[TeamScreen]) -> TabbedContent:
    return app.console_screen.query_one(TabbedContent)


def _status(app: ConsoleApp[TeamScreen]) -> str:
    return str(app.console_screen.query_one("#fb-status", Static).render())


async def _send(pilot: Pilot[Any], app: ConsoleApp[TeamScreen]) -> None:
    """Send feedback: Enter on the button (off screen at 80x24 until focused), once its
    "pressed" effect from the last press is over (Textual ignores a press during it)."""
    button = app.console_screen.query_one("#fb-send")
    button.focus()
    await until(pilot, lambda: not button.has_class("-active"), "the button released")
    await pilot.press("enter")


def _forms(server: FakeServer) -> list[c.Feedback]:
    return [e.body for e in server.events if isinstance(e.body, c.Feedback)]


async def test_the_form_waits_for_the_end_then_is_filled_and_sent_by_keyboard() -> None:
    server, control, team = _running()
    app: ConsoleApp[TeamScreen] = make_team_app(link=team)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = app.console_screen
        await until(pilot, lambda: screen.model.clock.status == "running", "the running clock")
        await pilot.pause()
        assert not screen.query(FeedbackPane), "no feedback tab while play runs"
        assert "Feedback" not in screen_text(app), "nor is 5 in the footer"
        await pilot.press("5")
        assert _tabs(app).active != "feedback"

        send(server, control, c.End(reason="time"))
        await until(pilot, lambda: _tabs(app).active == "feedback", "the form, after the end")
        assert "Feedback" in screen_text(app)
        first = screen.query_one("#fb-strength-1", Input)
        # Focus follows the switch a message later (Widget.focus is call_later).
        await until(pilot, lambda: screen.focused is first, "the first field focused")

        # Keyboard only: a strength, Enter moves on; an area; three ratings; anonymity; Send.
        await pilot.press(*"Roles", "enter", "tab", "tab")
        await pilot.press(*"Verify", "tab", "tab", "tab")
        assert screen.focused is screen.query_one("#fb-rate-structured", RadioSet)
        await pilot.press("right", "right", "right", "enter")  # 4
        await pilot.press("tab", "enter")  # realistic: 1 (the first is highlighted)
        await pilot.press("tab", "tab")  # "role" left unrated
        await pilot.press("right", "right", "right", "right", "enter", "tab")  # again: 5
        await pilot.press("space", "tab")  # anonymously
        await pilot.press("enter")  # Send feedback
        await until(pilot, lambda: "Feedback sent" in _status(app), "the form shown as sent")
        assert "anonymously" in _status(app)
    assert _forms(server) == [
        c.Feedback(
            team="cert",
            member="Amira",
            strengths=["Roles"],
            improvements=["Verify"],
            ratings={"structured": 4, "realistic": 1, "again": 5},
            anonymous=True,
        )
    ]


async def test_an_empty_form_is_not_sent_and_a_second_send_replaces() -> None:
    server, control, team = _running()
    send(server, control, c.End())
    app: ConsoleApp[TeamScreen] = make_team_app(link=team)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await until(pilot, lambda: _tabs(app).active == "feedback", "the form")
        pane = app.console_screen.query_one(FeedbackPane)
        await _send(pilot, app)
        assert "Nothing to send yet" in _status(app)
        assert _forms(server) == []
        # Typed by keyboard in the test above; filled directly here (a keypress costs a redraw).
        app.console_screen.query_one("#fb-strength-1", Input).value = "Good injects"
        await _send(pilot, app)
        await until(pilot, lambda: "Feedback sent" in _status(app), "sent")
        assert "with your name" in _status(app)
        app.console_screen.query_one("#fb-improvement-1", Input).value = "Longer breaks"
        await _send(pilot, app)
        await until(pilot, lambda: len(_forms(server)) == 2, "sent again")
        assert not pane.sending
    assert [(f.strengths, f.improvements) for f in _forms(server)] == [
        (["Good injects"], []),
        (["Good injects"], ["Longer breaks"]),
    ]


def _ended() -> tuple[ConsoleApp[Any], Any]:
    server, control, team = _running()
    send(server, control, c.End(reason="time"))
    app = make_team_app(link=ScriptedLink(team.drain()))

    async def filled(pilot: Pilot[Any]) -> None:
        """A strength written, the first statement rated 4, the keyboard on the second."""
        await settle(pilot)
        await pilot.press(*"Roles", "enter", "tab", "tab", "tab", "tab", "tab")
        await pilot.press("right", "right", "right", "enter", "tab")
        await settle(pilot)

    return app, filled


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_feedback_form_snapshot(snap_compare: Any, size: tuple[int, int]) -> None:
    app, run_before = _ended()
    assert snap_compare(app, terminal_size=size, run_before=run_before)
