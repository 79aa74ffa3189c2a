"""``answer_by: all``: the team's answer is the mean over its members, as the engine counts them."""

from __future__ import annotations

import pytest

from engine import commands as c
from engine.events import Scored
from engine.scenario import Scenario
from tests.scoring.conftest import DELIVERED, M, members_roster, play, respond


@pytest.mark.parametrize(
    ("voters", "points", "status"),
    [
        (["a1"], 10 / 3, "partial"),
        (["a1", "a2"], 20 / 3, "partial"),
        (["a1", "a2", "a3"], 10.0, "met"),
    ],
)
def test_roster_members_must_all_answer(
    scenario: Scenario, voters: list[str], points: float, status: str
) -> None:
    roster = members_roster(scenario, ["a1", "a2", "a3"])
    inputs = [
        (DELIVERED + (n + 1) * M, respond("a", "ALL.vote", member=m, choice="good"))
        for n, m in enumerate(voters)
    ]
    played = play(scenario, inputs, roster=roster)
    result = played.result("a", "ALL.vote")
    assert result.points == pytest.approx(points)
    assert result.status == status
    assert f"{len(voters)} of 3 members answered" in result.why()


def test_without_a_roster_the_members_who_joined_count(scenario: Scenario) -> None:
    first = [(DELIVERED + M, respond("b", "ALL.vote", member="b1", choice="good"))]
    assert play(scenario, first).result("b", "ALL.vote").status == "met"

    joined: list[tuple[int, c.Command]] = [
        *first,
        (DELIVERED + 2 * M, c.Join(team="b", member="b2")),
    ]
    result = play(scenario, joined).result("b", "ALL.vote")
    assert (result.points, result.status) == (5.0, "partial")

    asked: list[tuple[int, c.Command]] = [
        *first,
        (DELIVERED + 2 * M, c.Ask(team="b", member="b3", actor="x", text="Hello?")),
    ]
    assert play(scenario, asked).result("b", "ALL.vote").points == 5.0

    both = [*joined, (DELIVERED + 3 * M, respond("b", "ALL.vote", member="b2", choice="bad"))]
    result = play(scenario, both).result("b", "ALL.vote")
    assert (result.points, result.status) == (5.0, "partial")
    assert len(result.answers) == 2


def test_a_team_total_follows_a_member_joining(scenario: Scenario) -> None:
    first = [(DELIVERED + M, respond("b", "ALL.vote", member="b1", choice="good"))]
    before = play(scenario, first).board.total("b").points
    after = play(scenario, [*first, (DELIVERED + 2 * M, c.Join(team="b", member="b2"))])
    assert (before, after.board.total("b").points) == (10.0, 5.0)
    # the engine announced the new divisor when b2 joined; the scoreboard only read it
    joined = [e.body for e in after.events if e.t == DELIVERED + 2 * M]
    assert joined == [
        c.Join(team="b", member="b2"),
        Scored(
            team="b",
            expectation="ALL.vote",
            auto=5.0,
            points=5.0,
            max_points=10.0,
            status="partial",
            members=2,
        ),
    ]
    assert after.result("b", "ALL.vote").scored == joined[1]


def test_a_named_roster_does_not_change_when_someone_else_joins(scenario: Scenario) -> None:
    roster = members_roster(scenario, ["a1", "a2"])
    inputs: list[tuple[int, c.Command]] = [
        (DELIVERED + M, respond("a", "ALL.vote", member="a1", choice="good")),
        (DELIVERED + 2 * M, c.Join(team="a", member="visitor")),
    ]
    played = play(scenario, inputs, roster=roster)
    assert not [e for e in played.events if e.t == DELIVERED + 2 * M and e.kind == "scored"]
    result = played.result("a", "ALL.vote")
    assert (result.points, result.members, result.completed_at) == (5.0, 2, None)
