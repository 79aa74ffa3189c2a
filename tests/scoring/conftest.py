"""Scoring test helpers: play hand-written inputs through the engine, fold, cross-check.

Every :func:`play` also checks the fold against the engine (:func:`check_agreement`):
for every team and every expectation, the scoreboard shows the engine's decision
(automatic points, points that count, verdict, whole-team divisor, lateness,
completion), and that decision is what :func:`engine.grading.decide` makes of the
answers, grades and members the scoreboard folded, so the engine announced every
change. So each scoring test is an agreement test too.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from engine import commands as c
from engine.events import Event
from engine.exercise import Exercise
from engine.grading import decide
from engine.roster import Roster, TeamSeat, default_roster
from engine.scenario import Scenario, load_bytes, load_file
from scoring.fold import Scoreboard

FIXTURE = Path(__file__).parent / "fixture.yaml"
M = 60_000
"""One minute in exercise milliseconds."""
DELIVERED = 10 * M
"""When the fixture's main injects reach the teams."""


@pytest.fixture(scope="session")
def scenario() -> Scenario:
    return load_file(FIXTURE).require()


def scenario_with(**settings: str) -> Scenario:
    """The fixture with other settings (e.g. ``grade_rule="lead"``)."""
    text = FIXTURE.read_text(encoding="utf-8")
    lines = ", ".join(f"{k}: {v}" for k, v in settings.items())
    text = text.replace("seed: 1\n", f"seed: 1\nsettings: {{{lines}}}\n", 1)
    return load_bytes(text, "fixture.yaml").require()


def respond(team: str, ref: str, member: str | None = None, **answer: object) -> c.Respond:
    return c.Respond(team=team, member=member or f"{team}-1", expectation=ref, **answer)


def grade(team: str, ref: str, points: float, evaluator: str = "e1", reason: str = "") -> c.Grade:
    return c.Grade(evaluator=evaluator, team=team, expectation=ref, points=points, reason=reason)


def members_roster(scenario: Scenario, members: Sequence[str]) -> Roster:
    """Both teams, team ``a`` with the given members."""
    return Roster(
        tuple(
            TeamSeat(t.id, t.id, t.name, tuple(members) if t.id == "a" else ())
            for t in scenario.teams
        )
    )


class Played:
    def __init__(self, ex: Exercise, board: Scoreboard, events: list[Event]) -> None:
        self.ex, self.board, self.events = ex, board, events

    def result(self, team: str, ref: str):  # type: ignore[no-untyped-def]
        found = self.board.result(team, ref)
        assert found is not None, f"{ref} was not delivered to {team}"
        return found


def play(
    scenario: Scenario,
    inputs: Sequence[tuple[int, c.Command]],
    *,
    roster: Roster | None = None,
    until: int | None = None,
    end: bool = False,
) -> Played:
    """Start at 0, submit each input at its time, advance to ``until``; fold every event."""
    ex = Exercise(scenario, roster or default_roster(scenario))
    board = Scoreboard(scenario, ex.roster)
    events: list[Event] = []
    assert ex.submit(c.Start(), 0).ok
    for t, cmd in inputs:
        outcome = ex.submit(cmd, t)
        assert outcome.ok, outcome.reason
    last = max([t for t, _ in inputs] + [0])
    ex.advance_to(until if until is not None else last)
    if end:
        assert ex.submit(c.End(reason="test"), ex.now).ok
    for event in ex.drain():
        events.append(event)
        board.apply(event)
    check_agreement(ex, board)
    return Played(ex, board, events)


def check_agreement(ex: Exercise, board: Scoreboard) -> None:
    """The fold shows the engine's figures for every team and expectation, and they are
    what the one aggregation makes of what the fold saw (none went unannounced)."""
    rule = ex.scenario.settings.grade_rule
    for team_id, state in ex.teams.items():
        assert board.members(team_id) == state.members(), team_id
        for ref, (inject, exp) in ex.scenario.expectation_by_ref.items():
            result = board.result(team_id, ref)
            if result is None:
                assert not ex.met(state, ref), (team_id, ref)
                assert state.delivered_at(inject.id) is None, (team_id, ref)
                continue
            where = (team_id, ref)
            decision = state.decision(ref)
            assert result.counted == ex.points(state, ref) == decision.points, where
            assert (result.status == "met") == ex.met(state, ref), (*where, result.status)
            figures = (result.auto_points, result.counted, result.late_ms, result.factor)
            assert figures == (decision.auto, decision.points, decision.late_ms, decision.factor)
            assert result.members == decision.members, where
            if decision.status != "pending":
                assert result.status == decision.status, where
            elif result.status == "expired":
                assert not result.given and not result.grades, where
                assert ref in state.expired or board.ended, where
            else:
                assert result.status == "pending", where
            assert result.completed_at == state.completed.get(ref), where
            assert (result.expired_at is not None) == (ref in state.expired), where
            again = decide(
                exp,
                result.delivered_at,
                result.given,
                len(board.members(team_id)),
                {e: g.points for e, g in result.grades.items()},
                rule,
            )
            assert again == decision, (*where, again, decision)
