"""Scoring agrees with the engine on every bundled scenario, and the fold is exact.

For a dry-run of each scenario in ``scenarios/`` (mixed bots, two teams per role,
two seeds), the scoreboard's "met" and points equal the engine's ``Exercise.met``
and ``Exercise.points`` for every team and every expectation at the end. And a
scoreboard fed event by event holds, after every event, exactly the totals of a
scoreboard built from scratch on the events so far.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.bots import profile_for
from engine.dryrun import dry_run
from engine.exercise import Exercise
from engine.roster import roster_from_counts
from engine.scenario import Scenario, load_file
from scoring.fold import Scoreboard, score_events
from tests.scoring.conftest import FIXTURE, check_agreement

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))


def loadable(paths: list[Path]) -> list[Path]:
    return [p for p in paths if load_file(p).ok]


def replayed(scenario: Scenario, teams: int, seed: int) -> tuple[Exercise, list]:  # type: ignore[type-arg]
    roster = roster_from_counts(scenario, teams)
    profiles = {s.id: profile_for(i, "mix") for i, s in enumerate(roster.teams)}
    result = dry_run(scenario, roster, profiles, seed=seed)
    ex = Exercise(scenario, roster, seed)
    for event in result.events:
        if event.is_input:
            assert ex.submit(event.command(), event.t).ok
    ex.advance_to(max(ex.now, result.events[-1].t))
    return ex, result.events


def test_there_are_scenarios_to_check() -> None:
    assert loadable(SCENARIOS), "no bundled scenario loads"


@pytest.mark.parametrize("path", [*loadable(SCENARIOS), FIXTURE], ids=lambda p: p.stem)
@pytest.mark.parametrize("seed", [0, 11])
def test_met_and_points_equal_the_engines(path: Path, seed: int) -> None:
    scenario = load_file(path).require()
    ex, events = replayed(scenario, 2, seed)
    board = score_events(scenario, ex.roster, events)
    check_agreement(ex, board)
    statuses = {r.status for r in board.all_results()}
    assert "met" in statuses


@pytest.mark.parametrize("path", [*loadable(SCENARIOS)[:1], FIXTURE], ids=lambda p: p.stem)
def test_the_fold_equals_a_fresh_fold_after_every_event(path: Path) -> None:
    scenario = load_file(path).require()
    ex, events = replayed(scenario, 1, 3)
    live = Scoreboard(scenario, ex.roster)
    step = max(1, len(events) // 60)
    for n, event in enumerate(events, start=1):
        live.apply(event)
        if n % step and n != len(events):
            continue
        fresh = score_events(scenario, ex.roster, events[:n])
        for team in live.team_ids():
            assert live.points_micro(team) == fresh.points_micro(team)
            assert live.total(team) == fresh.total(team)
            assert live.objectives(team) == fresh.objectives(team)
        assert live.ranks() == fresh.ranks()
