"""Evaluating an inject's ``when`` for one team, at the moment it would fire."""

from __future__ import annotations

from collections.abc import Callable

from engine.scenario.injects import AllOf, AnyOf, Condition, Not, Test
from engine.teamstate import TeamState

MetFn = Callable[[TeamState, str], bool]


def holds(cond: Condition, team: TeamState, met: MetFn) -> bool:
    """Whether ``cond`` holds for ``team`` now; ``met`` tells if an answer reached its pass mark."""
    if isinstance(cond, Test):
        return _test(cond, team, met)
    if isinstance(cond, AllOf):
        return all(holds(c, team, met) for c in cond.all)
    if isinstance(cond, AnyOf):
        return any(holds(c, team, met) for c in cond.any)
    assert isinstance(cond, Not)
    return not holds(cond.not_, team, met)


def _test(test: Test, team: TeamState, met: MetFn) -> bool:
    ref = test.expectation
    if test.chose is not None:
        answers = team.answers.get(ref)
        if not answers:
            return False
        return answers[0].choice is not None and answers[0].choice in test.options
    if test.answered is not None:
        return (ref in team.completed) == test.answered
    if test.missed is not None:
        return (ref in team.expired) == test.missed
    if test.met is not None:
        return met(team, ref) == test.met
    if test.done is not None:
        return test.done in team.items_done(ref)
    assert test.not_done is not None
    return test.not_done not in team.items_done(ref)
