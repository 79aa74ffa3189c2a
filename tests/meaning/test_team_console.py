"""After a text answer is graded, the team console says which elements were found and
which were missed (issue 14, "explain the result"), driven with Pilot."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from textual.widgets import TextArea

from engine import commands as c
from tests.server.conftest import serving
from tests.tui.flows import M, form, inbox_lines, open_inject, open_teams, submit, type_text

pytestmark = pytest.mark.meaning


async def test_the_team_sees_what_its_statement_got_and_missed(tmp_path: Path) -> None:
    # T1.s: 10 points, pass mark 0.5; required "grid" and {any: [fake, deepfake]};
    # forbidden "no comment".
    async with serving(tmp_path) as served:
        control, _ = await served.client("facilitator:control")
        async with contextlib.AsyncExitStack() as stack:
            team = (await open_teams(stack, served, "a-01"))["a-01"]
            await control.send(c.Start())
            await control.send(c.Jump(to=60 * M))
            await team.until(lambda: "T1" in inbox_lines(team), "T1 in the inbox")
            await open_inject(team, "T1")
            await team.click(form(team, "T1.s").query_one("#text", TextArea))
            await type_text(team, "The power grid runs normally. No comment.")
            await submit(team, "T1.s")
            await team.until_shows("Result: 0 / 10", "Found: grid", "Missed: fake")
            await team.until_shows("Should not say: no comment")
