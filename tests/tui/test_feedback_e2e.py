"""End to end through a real server: a player's feedback form, filled in the team
console after the end, and a hotwash note reach the log and the report."""

from __future__ import annotations

import contextlib
from pathlib import Path

from textual.widgets import Input, Static

from engine import commands as c
from engine.feedback import DEFAULT_HOTWASH
from engine.net.protocol import Ack
from scoring.report.build import report_of_log
from scoring.report.render import RENDERERS
from scoring.source import read_log
from tests.server.conftest import serving
from tests.tui.flows import console


async def test_feedback_and_hotwash_reach_the_report(tmp_path: Path) -> None:
    async with serving(tmp_path) as served, contextlib.AsyncExitStack() as stack:
        fac, _ = await served.client("facilitator:control", "Fay")
        assert isinstance(await fac.send(c.Start()), Ack)
        team = await stack.enter_async_context(
            console(served, served.code("team:a-01"), "team", "Ana")
        )
        assert isinstance(await fac.send(c.End(reason="time")), Ack)

        await team.until(
            lambda: team.app.console_screen.query_one("#tabs").active == "feedback",
            "the feedback form",
        )
        # Typed by keyboard in tests/tui/test_feedback.py; here the fields are filled directly
        # (a keypress costs a redraw) and the form is sent with its button.
        team.query_one("#fb-strength-1", Input).value = "Quick decisions"
        team.query_one("#fb-improvement-1", Input).value = "Slow sign-off"
        await team.click("#fb-send")
        status = team.query_one("#fb-status", Static)
        await team.until(lambda: "Feedback sent" in str(status.render()), "sent")

        # The hotwash screen sends this very command (tests/tui/test_hotwash.py drives it).
        note = c.Note(
            author="Fay",
            text="Tables verified early",
            category="hotwash",
            prompt=DEFAULT_HOTWASH[0],
        )
        assert isinstance(await fac.send(note), Ack)

    report = report_of_log(read_log(served.db))
    assert report.feedback.forms == 1
    assert [(r.member, r.text) for r in report.feedback.strengths] == [("Ana", "Quick decisions")]
    assert [r.text for r in report.feedback.improvements] == ["Slow sign-off"]
    assert [(n.author, n.prompt, n.text) for n in report.hotwash] == [
        ("Fay", DEFAULT_HOTWASH[0], "Tables verified early")
    ]
    assert "Quick decisions" in RENDERERS["md"](report)
