"""Invalid inputs are rejected with a reason, and a rejection changes nothing."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from engine import commands as c
from engine.exercise import Exercise
from engine.roster import default_roster
from engine.scenario import Scenario
from tests.engine.conftest import M, answer, started


def fingerprint(ex: Exercise) -> Any:
    """Everything a command could change."""
    teams = {
        tid: (
            copy.deepcopy(t.cells),
            copy.deepcopy(t.answers),
            dict(t.completed),
            set(t.expired),
            copy.deepcopy(t.grades),
            list(t.joined),
        )
        for tid, t in ex.teams.items()
    }
    return (ex.status, ex.speed, ex.now, len(ex.env._queue), len(ex.outbox), teams)


def mid_game(scenario: Scenario) -> Exercise:
    ex = started(scenario)
    ex.advance_to(11 * M)
    answer(ex, "a", "A1.d", 11 * M, choice="good")
    ex.advance_to(41 * M)
    return ex


R = "A1.d"
CASES: list[tuple[str, c.Command, str]] = [
    (
        "unknown team",
        c.Respond(team="zz", member="m", expectation=R, choice="good"),
        "unknown team 'zz'",
    ),
    (
        "unknown expectation",
        c.Respond(team="b", member="m", expectation="A1.nope", choice="good"),
        "unknown expectation 'A1.nope'",
    ),
    (
        "not delivered",
        c.Respond(team="b", member="m", expectation="T1.s", text="grid"),
        "T1 has not been delivered to team b",
    ),
    (
        "no such option",
        c.Respond(team="b", member="m", expectation=R, choice="maybe"),
        "A1.d has no option 'maybe'; options are good, bad",
    ),
    (
        "wrong shape",
        c.Respond(team="b", member="m", expectation=R, text="good"),
        "A1.d is a decision: answer with one choice",
    ),
    (
        "unknown item",
        c.Respond(team="b", member="m", expectation="C1.list", items=["zz"]),
        "C1.list has no item 'zz'",
    ),
    (
        "already answered",
        c.Respond(team="a", member="m2", expectation=R, choice="bad"),
        "A1.d was already answered by a-1",
    ),
    ("unknown inject", c.Release(inject="NOPE"), "unknown inject 'NOPE'"),
    (
        "release to a team not addressed",
        c.Release(inject="ANS", teams=["a"]),
        "ANS is not addressed to team 'a'",
    ),
    (
        "release already delivered",
        c.Release(inject="A1", teams=["a"]),
        "A1 was already delivered to a",
    ),
    ("release in the past", c.Release(inject="K1", at=M), "release time 0:01:00 is in the past"),
    ("hold delivered", c.Hold(inject="A1"), "A1 is no longer pending for a, b"),
    (
        "grade above maximum",
        c.Grade(evaluator="e", team="a", expectation=R, points=11),
        "11 points is more than A1.d's maximum (10)",
    ),
    (
        "grade undelivered",
        c.Grade(evaluator="e", team="a", expectation="T1.m", points=1),
        "T1 has not been delivered to team a",
    ),
    (
        "rate unknown objective",
        c.Rate(evaluator="e", team="a", objective="nope", rating="P"),
        "unknown objective 'nope'",
    ),
    ("note unknown team", c.Note(author="e", text="x", team="zz"), "unknown team 'zz'"),
    (
        "ask unknown actor",
        c.Ask(team="a", member="m", actor="ghost", text="hi"),
        "unknown actor 'ghost'",
    ),
    ("broadcast unknown team", c.Broadcast(text="hi", teams=["zz"]), "unknown team 'zz'"),
    ("jump backwards", c.Jump(to=M), "can only jump ahead"),
    ("start twice", c.Start(), "the exercise is already running"),
    ("resume while running", c.Resume(), "only a paused exercise can be resumed"),
]


@pytest.mark.parametrize(("name", "cmd", "reason"), CASES, ids=[n for n, _, _ in CASES])
def test_rejected_with_reason_and_nothing_changes(
    scenario: Scenario, name: str, cmd: c.Command, reason: str
) -> None:
    ex = mid_game(scenario)
    before = fingerprint(ex)
    outcome = ex.submit(cmd, ex.now)
    assert not outcome.ok
    assert reason in outcome.reason
    assert fingerprint(ex) == before


def test_nothing_but_joining_before_the_start(scenario: Scenario) -> None:
    ex = Exercise(scenario, default_roster(scenario))
    for cmd in (
        c.Pause(),
        c.Jump(to=M),
        c.Release(inject="K1"),
        c.Respond(team="a", member="m", expectation=R, choice="good"),
        c.Ask(team="a", member="m", actor="x", text="hello"),
    ):
        outcome = ex.submit(cmd, 0)
        assert not outcome.ok, cmd
    assert ex.submit(c.Join(team="a", member="ann"), 0).ok
    assert ex.teams["a"].joined == ["ann"]


def test_after_the_end_only_evaluation_goes_on(scenario: Scenario) -> None:
    ex = mid_game(scenario)
    assert ex.submit(c.End(reason="hotwash"), 50 * M).ok
    late = ex.submit(c.Respond(team="b", member="m", expectation=R, choice="good"), 51 * M)
    assert late.reason == "the exercise has ended: answering is no longer possible"
    for cmd in (
        c.Pause(),
        c.Resume(),
        c.SetSpeed(speed=2),
        c.End(),
        c.Release(inject="K1"),
        c.Broadcast(text="x"),
    ):
        assert not ex.submit(cmd, 52 * M).ok, cmd
    assert ex.submit(c.Grade(evaluator="e", team="a", expectation=R, points=9), 53 * M).ok
    assert ex.submit(c.Rate(evaluator="e", team="a", objective="obj", rating="S"), 53 * M).ok
    assert ex.submit(c.Note(author="e", text="good call", category="strength"), 53 * M).ok


def test_pause_resume_and_speed_are_recorded(scenario: Scenario) -> None:
    ex = started(scenario)
    assert ex.submit(c.Pause(reason="coffee"), 5 * M).ok
    assert ex.status == "paused"
    assert not ex.submit(c.Pause(), 5 * M).ok
    assert ex.submit(c.SetSpeed(speed=30), 5 * M).ok and ex.speed == 30
    assert ex.submit(c.Resume(), 5 * M).ok
    assert (ex.status, ex.speed) == ("running", 30)
