"""Rosters (CSV and counts) and the query API the consoles read."""

from __future__ import annotations

import pytest

from engine import commands as c
from engine.queries import clock, inbox, msel, team_progress
from engine.roster import RosterError, parse_roster, roster_from_counts
from engine.scenario import Scenario
from tests.engine.conftest import M, answer, started


def test_counts_per_role(scenario: Scenario) -> None:
    roster = roster_from_counts(scenario, "a=3")
    assert [t.id for t in roster.teams] == ["a-01", "a-02", "a-03", "b"]
    assert roster.by_role == {"a": ["a-01", "a-02", "a-03"], "b": ["b"]}
    assert len(roster_from_counts(scenario, 12)) == 24


def test_roster_csv_with_members(scenario: Scenario) -> None:
    text = "team,role,name,members\nred,a,Red cell,ann; bob\nblue,b,,cy\n"
    roster = parse_roster(text, scenario, "r.csv")
    assert roster.get("red") is not None and roster.get("red").members == ("ann", "bob")  # type: ignore[union-attr]
    assert roster.get("blue").name == "Team B (blue)"  # type: ignore[union-attr]


def test_roster_errors_are_located(scenario: Scenario) -> None:
    text = "team,role,name\nred,a,Red\nred,b,Again\ngreen,zz,Green\n"
    with pytest.raises(RosterError) as exc:
        parse_roster(text, scenario, "r.csv")
    assert [p.format() for p in exc.value.problems] == [
        "r.csv:3:1: team: duplicate team 'red' (first on row 2)",
        "r.csv:4:2: role: unknown role 'zz'; the scenario's roles are a, b",
    ]
    with pytest.raises(RosterError, match="missing column role"):
        parse_roster("team,name\nx,y\n", scenario, "r.csv")


def test_inbox_shows_deadlines_and_status(scenario: Scenario) -> None:
    ex = started(scenario)
    ex.advance_to(41 * M)
    answer(ex, "a", "C1.list", 41 * M, items=["x"])
    items = inbox(ex, "a")
    assert [i.inject for i in items][:2] == ["C1", "ESC"]
    c1 = items[0]
    assert c1.expectations[0].status == "answered" and c1.expectations[0].answered_at == 41 * M
    a1 = next(i for i in items if i.inject == "A1")
    assert a1.expectations[0].status == "overdue" and a1.expectations[0].due_at == 20 * M
    assert next(i.inject for i in inbox(ex, "a", order="urgency")) == "A1"
    assert team_progress(ex, "a") == {"delivered": 4, "answered": 1, "overdue": 1, "open": 0}


def test_msel_has_every_inject_with_status_per_team(scenario: Scenario) -> None:
    ex = started(scenario)
    assert ex.submit(c.Hold(inject="C1", teams=["b"]), 30 * M).ok
    ex.advance_to(31 * M)
    rows = {r.inject: r for r in msel(ex)}
    assert len(rows) == len(scenario.injects)
    assert rows["A1"].teams == {"a": "overdue", "b": "overdue"}
    assert rows["C1"].teams == {"a": "scheduled", "b": "held"} and rows["C1"].next_at == 40 * M
    assert rows["K1"].contingency and rows["K1"].trigger == "on release"
    assert rows["A2"].trigger == "5m after A1 (+ up to 2m)"
    assert rows["B-good"].trigger == "1m after answer to A1.d, if its condition holds"
    assert clock(ex) == {
        "now": 31 * M,
        "status": "running",
        "speed": 1.0,
        "duration": 120 * M,
        "in_world": None,
    }
