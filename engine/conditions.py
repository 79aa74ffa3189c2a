"""Evaluating an inject's ``when`` for one team, at the moment it would fire."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from engine.scenario.injects import AllOf, AnyOf, Condition, Not, Test
from engine.teamstate import TeamState

MetFn = Callable[[TeamState, str], bool]


class World(Protocol):
    """What a condition may look at beyond the team itself (the exercise)."""

    def met(self, team: TeamState, ref: str) -> bool:
        """Whether the team's answer to ``ref`` reached its pass mark."""

    def peer(self, team: TeamState, role: str) -> TeamState | None:
        """The team playing ``role`` in ``team``'s cell (itself for its own role)."""

    def tally(self, test: Test) -> tuple[int, int]:
        """For a ``world`` test: of the teams its inject reached (of its ``role`` only,
        if given), how many pass it, and how many there are."""


def holds(cond: Condition, team: TeamState, world: World) -> bool:
    """Whether ``cond`` holds for ``team`` now.

    A test reads the team's own answers; with ``role``, those of that role's team in
    its cell; with ``world``, every team the expectation's inject reached."""
    if isinstance(cond, Test):
        if cond.world is not None:
            held, total = world.tally(cond)
            if cond.world == "any":
                return held >= 1
            if cond.world == "all":
                return total > 0 and held == total
            return held >= cond.world
        if cond.role is None:
            return passes(cond, team, world.met)
        other = world.peer(team, cond.role)
        # A cell with no team of that role: nobody there gave the answer tested.
        return other is not None and passes(cond, other, world.met)
    if isinstance(cond, AllOf):
        return all(holds(c, team, world) for c in cond.all)
    if isinstance(cond, AnyOf):
        return any(holds(c, team, world) for c in cond.any)
    assert isinstance(cond, Not)
    return not holds(cond.not_, team, world)


def passes(test: Test, team: TeamState, met: MetFn) -> bool:
    """Whether ``team``'s own answer passes ``test`` (its role and world aside)."""
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
