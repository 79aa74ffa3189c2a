"""Rosters (CSV and counts), and inject triggers in words."""

from __future__ import annotations

import pytest

from engine.roster import RosterError, parse_roster, roster_from_counts
from engine.scenario import Scenario
from engine.scenario.trigger import describe_trigger


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


def test_triggers_in_words(scenario: Scenario) -> None:
    injects = scenario.inject_by_id
    assert describe_trigger(injects["K1"]) == "on release"
    assert describe_trigger(injects["A2"]) == "5m after A1 (+ up to 2m)"
    assert describe_trigger(injects["B-good"]) == (
        "1m after answer to A1.d, if its condition holds"
    )
