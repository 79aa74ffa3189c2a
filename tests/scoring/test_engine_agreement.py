"""Scoring shows the engine's decisions on every bundled scenario, at every moment.

For each scenario in ``scenarios/`` and the fixture (mixed bots, two teams per
role, two seeds), the dry-run's inputs are played again through an exercise while
a scoreboard folds what it produces; every few inputs and at the end, for every
team and expectation, the scoreboard's figures are the engine's decision and that
decision is what :func:`engine.grading.decide` makes of what the scoreboard folded
(:func:`tests.scoring.conftest.check_agreement`). Whole-team answers are played
with members who join and answer, with and without a roster naming them. And a
scoreboard fed event by event holds, after every event, exactly the totals of a
scoreboard built from scratch on the events so far.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from engine import commands as c
from engine.bots import profile_for
from engine.dryrun import dry_run
from engine.events import Event, Scored
from engine.exercise import Exercise
from engine.roster import Roster, TeamSeat, roster_from_counts
from engine.scenario import Scenario, load_file
from scoring.fold import Scoreboard, score_events
from tests.scoring.conftest import DELIVERED, FIXTURE, M, check_agreement, respond

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
CHECKS = 12
"""How many times during play the scoreboard is compared with the engine."""


def loadable(paths: list[Path]) -> list[Path]:
    return [p for p in paths if load_file(p).ok]


def played(
    scenario: Scenario,
    roster: Roster,
    seed: int,
    extra: Sequence[tuple[int, c.Command]] = (),
) -> tuple[Exercise, Scoreboard, list[Event]]:
    """The bots' inputs (and ``extra`` ones) played live, folded, checked along the way."""
    profiles = {s.id: profile_for(i, "mix") for i, s in enumerate(roster.teams)}
    run = dry_run(scenario, roster, profiles, seed=seed)
    inputs = [(e.t, e.command()) for e in run.events if e.is_input]
    inputs = sorted([*inputs, *extra], key=lambda x: x[0])
    ex = Exercise(scenario, roster, seed)
    board = Scoreboard(scenario, roster)
    events: list[Event] = []
    step = max(1, len(inputs) // CHECKS)
    for n, (t, cmd) in enumerate(inputs):
        outcome = ex.submit(cmd, t)
        assert outcome.ok, (cmd, outcome.reason)
        for event in ex.drain():
            board.apply(event)
            events.append(event)
        if n % step == 0:
            check_agreement(ex, board)
    ex.advance_to(max(ex.now, run.events[-1].t))
    for event in ex.drain():
        board.apply(event)
        events.append(event)
    check_agreement(ex, board)
    return ex, board, events


def test_there_are_scenarios_to_check() -> None:
    assert loadable(SCENARIOS), "no bundled scenario loads"


@pytest.mark.parametrize("path", [*loadable(SCENARIOS), FIXTURE], ids=lambda p: p.stem)
@pytest.mark.parametrize("seed", [0, 11])
def test_the_scoreboard_shows_the_engines_decisions(path: Path, seed: int) -> None:
    scenario = load_file(path).require()
    _, board, events = played(scenario, roster_from_counts(scenario, 2), seed)
    statuses = {r.status for r in board.all_results()}
    assert "met" in statuses
    latest = {(e.body.team, e.body.expectation): e.body for e in events if type(e.body) is Scored}
    assert latest, "the engine announced no decision"
    for (team, ref), scored in latest.items():
        result = board.result(team, ref)
        assert result is not None and result.scored == scored


def joining_members(teams: Sequence[str]) -> list[tuple[int, c.Command]]:
    """Members of every team join and vote on ``ALL.vote``, one of them after its deadline."""
    out: list[tuple[int, c.Command]] = []
    for team in teams:
        out += [
            (DELIVERED + M, respond(team, "ALL.vote", member=f"{team}-x1", choice="good")),
            (DELIVERED + 2 * M, c.Join(team=team, member=f"{team}-x2")),
            (DELIVERED + 3 * M, respond(team, "ALL.vote", member=f"{team}-x2", choice="bad")),
            (DELIVERED + 4 * M, c.Join(team=team, member=f"{team}-x3")),
            (DELIVERED + 45 * M, respond(team, "ALL.vote", member=f"{team}-x3", choice="good")),
        ]
    return out


def visitors(teams: Sequence[str]) -> list[tuple[int, c.Command]]:
    """Someone the roster does not name joins every team, twice over."""
    out: list[tuple[int, c.Command]] = []
    for team in teams:
        out += [
            (DELIVERED + 2 * M, c.Join(team=team, member=f"{team}-visitor")),
            (DELIVERED + 4 * M, c.Join(team=team, member=f"{team}-guest")),
        ]
    return out


@pytest.mark.parametrize("named", [True, False], ids=["roster", "joined"])
def test_whole_team_answers_agree_as_members_join(named: bool) -> None:
    """Named members each answer as bots (the roster fixes the divisor); or members join
    and answer one by one (each join changes the divisor, and the engine says so)."""
    scenario = load_file(FIXTURE).require()
    seats = roster_from_counts(scenario, 2).teams
    names = {s.id: tuple(f"{s.id}-x{k}" for k in (1, 2, 3)) if named else () for s in seats}
    roster = Roster(tuple(TeamSeat(s.id, s.role, s.name, names[s.id]) for s in seats))
    teams = [s.id for s in seats]
    extra = visitors(teams) if named else joining_members(teams)
    ex, board, events = played(scenario, roster, 5, extra)
    for team in teams:
        result = board.result(team, "ALL.vote")
        assert result is not None
        assert len(result.given) >= (1 if named else 3)
        assert result.members == max(len(board.members(team)), len(result.given))
        assert result.members == (3 if named else len(ex.teams[team].joined))
        assert result.completed_at == ex.teams[team].completed.get("ALL.vote")
    joins = {DELIVERED + 2 * M, DELIVERED + 4 * M}
    on_join = [
        e.body
        for e in events
        if type(e.body) is Scored and e.body.expectation == "ALL.vote" and e.t in joins
    ]
    # A member joining changes the divisor only when the roster does not name the members:
    assert len(on_join) == (0 if named else len(teams) * len(joins)), on_join


@pytest.mark.parametrize("path", [*loadable(SCENARIOS)[:1], FIXTURE], ids=lambda p: p.stem)
def test_the_fold_equals_a_fresh_fold_after_every_event(path: Path) -> None:
    scenario = load_file(path).require()
    _, _, events = played(scenario, roster_from_counts(scenario, 1), 3)
    roster = roster_from_counts(scenario, 1)
    live = Scoreboard(scenario, roster)
    step = max(1, len(events) // 60)
    for n, event in enumerate(events, start=1):
        live.apply(event)
        if n % step and n != len(events):
            continue
        fresh = score_events(scenario, roster, events[:n])
        for team in live.team_ids():
            assert live.points_micro(team) == fresh.points_micro(team)
            assert live.total(team) == fresh.total(team)
            assert live.objectives(team) == fresh.objectives(team)
        assert live.ranks() == fresh.ranks()
