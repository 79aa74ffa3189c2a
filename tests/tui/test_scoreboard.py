"""The facilitator's live scoreboard (tab 5) and the team grid's Members column.

The flow tests run against a real in-process server: a team's answer and an
evaluator's grade are sent by shipped clients, and the assertions read what the
facilitator console shows. The rest checks the pieces (bars, sparklines, the
member count) on the model.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from textual.coordinate import Coordinate
from textual.widgets import DataTable

from engine import commands as c
from engine.events import Event
from engine.net.protocol import Ack, EventMsg, Welcome
from tests.server.conftest import Served, serving
from tests.tui.flows import Console, M, _cell, console, grid_cell, open_teams
from tests.tui.scripted import staff_traffic
from tui.facilitator.scores import SPARK_WIDTH, bar, sparkline, summary_text
from tui.facilitator.tables import team_cells
from tui.model.staff import StaffModel


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[Served]:
    async with serving(tmp_path) as s:
        yield s


def score_cell(fac: Console[Any], team: str, column: str) -> str:
    """One cell of the scoreboard, as shown."""
    return _cell(fac, "#score-table", team, column)


def row_order(fac: Console[Any]) -> list[str]:
    """The scoreboard's team ids, top to bottom."""
    table = fac.query_one("#score-table", DataTable)
    with fac.active():
        return [
            str(table.coordinate_to_cell_key(Coordinate(i, 0))[0].value)
            for i in range(table.row_count)
        ]


async def test_the_scoreboard_follows_an_answer_and_a_manual_grade(served: Served) -> None:
    control, _ = await served.client("facilitator:control")
    await control.send(c.Start())
    await control.send(c.Jump(to=12 * M))
    async with console(served, served.code("facilitator:control"), "facilitator") as fac:
        await fac.press("5")
        await fac.until_shows("Share of points", "4 teams")
        await fac.until(lambda: score_cell(fac, "a-02", "score") == "0/10", "A1 reached a-02")
        before = score_cell(fac, "a-02", "share")
        assert before.strip().endswith("0%")
        assert row_order(fac)[0] == "a-01"  # every team at 0: roster order
        # Team a-02 answers A1 well: its bar fills, it leads, it is counted as met.
        team, _ = await served.client("team:a-02", "member-2")
        answer = c.Respond(team="a-02", member="member-2", expectation="A1.d", choice="good")
        assert isinstance(await team.send(answer), Ack)
        await fac.until(lambda: score_cell(fac, "a-02", "score") == "10/10", "10/10 for a-02")
        await fac.until(lambda: row_order(fac)[0] == "a-02", "a-02 on top")
        assert score_cell(fac, "a-02", "share").endswith("100%")
        assert score_cell(fac, "a-02", "rank") == "1"
        assert score_cell(fac, "a-02", "met") == "1"
        assert score_cell(fac, "a-02", "objectives") == "P"
        assert score_cell(fac, "a-02", "trend").strip()[-1] == "█"
        await fac.until_shows("1 met")
        # An evaluator grades a-01's manual expectation (T1.m, delivered at 60 minutes).
        await control.send(c.Jump(to=60 * M))
        await fac.until(lambda: "/31" in score_cell(fac, "a-01", "score"), "T1 reached a-01")
        evaluator, _ = await served.client("evaluator:lead")
        grade = c.Grade(evaluator="lead", team="a-01", expectation="T1.m", points=5)
        assert isinstance(await evaluator.send(grade), Ack)
        await fac.until(lambda: score_cell(fac, "a-01", "score") == "5/31", "5/31 for a-01")
        assert score_cell(fac, "a-01", "rank") == "2"
        # An evaluator's rating shows, underlined, in place of the computed one.
        rating = c.Rate(evaluator="lead", team="a-01", objective="obj", rating="S")
        assert isinstance(await evaluator.send(rating), Ack)
        await fac.until(lambda: score_cell(fac, "a-01", "objectives") == "S", "rated S")


async def test_the_scoreboard_is_filtered_by_role_and_shown_to_observers(
    served: Served,
) -> None:
    async with console(served, served.code("observer:observer"), "facilitator") as obs:
        await obs.press("5")
        await obs.until_shows("Share of points", "every role")
        assert sorted(row_order(obs)) == ["a-01", "a-02", "b-01", "b-02"]
        await obs.press("g")
        await obs.until_shows("role a (g: next)")
        assert row_order(obs) == ["a-01", "a-02"]
        await obs.press("g", "g")
        await obs.until_shows("every role")
        assert len(row_order(obs)) == 4


async def test_the_members_column_counts_members_who_joined(served: Served) -> None:
    async with console(served, served.code("facilitator:control"), "facilitator") as fac:
        await fac.press("2")
        assert grid_cell(fac, "a-01", "members") == "0"
        async with contextlib.AsyncExitStack() as stack:
            await open_teams(stack, served, "a-01")
            await fac.until(lambda: grid_cell(fac, "a-01", "members") == "1", "1 member")
            # A second member of the same team, then the first one again (a reconnect).
            await served.client("team:a-01", "member-9")
            await fac.until(lambda: grid_cell(fac, "a-01", "members") == "2", "2 members")
            await served.client("team:a-01", "member-1")
            for _ in range(20):
                await fac.pause()
            assert grid_cell(fac, "a-01", "members") == "2"
            assert grid_cell(fac, "a-02", "members") == "0"


def welcomed(roster_members: bool) -> StaffModel:
    messages, _ = staff_traffic(until=0, teams=1)
    welcome = next(m for m in messages if isinstance(m, Welcome))
    if roster_members:
        rows = list(welcome.exercise["roster"])
        rows[0] = {**rows[0], "members": ["Ann", "Bo", "Cy"]}
        exercise = {**welcome.exercise, "roster": rows}
        welcome = welcome.model_copy(update={"exercise": exercise})
    model = StaffModel()
    model.welcome(welcome)
    return model


def test_members_are_counted_from_joins_and_actions_out_of_the_roster() -> None:
    model = welcomed(roster_members=True)
    first = next(iter(model.teams.values()))
    assert (first.members, first.joined) == (["Ann", "Bo", "Cy"], [])
    model.apply(Event(c.Join(team=first.id, member="Bo"), 0, 1))
    model.apply(Event(c.Ask(team=first.id, member="Zed", actor="press", text="?"), 5, 2))
    model.apply(Event(c.Join(team=first.id, member="Bo"), 6, 3))
    assert first.joined == ["Bo", "Zed"]
    assert team_cells(first)[5] == "2/3"
    other = list(model.teams.values())[1]
    assert team_cells(other)[5] == "0"


def test_bars_and_sparklines() -> None:
    assert bar(None).plain.endswith("—")
    assert bar(0.5, 8).plain == "████···· " + " 50%"
    assert bar(1.0, 4).plain == "████ 100%"
    # Points 0 until 30 minutes, 10 (of 20) after; a 160-minute exercise at 80 minutes.
    line = sparkline([(0, 0.0), (30 * M, 10.0)], 80 * M, 160 * M, 20.0).plain
    assert len(line) == SPARK_WIDTH
    assert line[:3] == "▁▁▁" and line[3:9] == "▅▅▅▅▅▅" and line[9:] == " " * 7


def test_the_summary_gives_the_exercise_figures() -> None:
    messages, _ = staff_traffic()
    model = StaffModel()
    for message in messages:
        if isinstance(message, Welcome):
            model.welcome(message)
        elif isinstance(message, EventMsg):
            model.receive(message)
    text = summary_text(model, None).plain
    assert text.startswith("15 teams · mean score ")
    assert "met ·" in text and "median response " in text and "every role" in text
    assert "verify · communicate" in text
