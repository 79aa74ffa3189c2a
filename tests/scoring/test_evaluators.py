"""Evaluator overrides, several evaluators under each grade rule, spreads, and ratings."""

from __future__ import annotations

import pytest

from engine import commands as c
from engine.scenario import Scenario
from scoring.evaluators import RatingEntry, combine_ratings, grade_spread
from tests.scoring.conftest import DELIVERED, M, grade, play, respond, scenario_with


def test_override_is_kept_beside_the_automatic_result(scenario: Scenario) -> None:
    played = play(
        scenario,
        [
            (DELIVERED + M, respond("a", "D.full", choice="bad")),
            (DELIVERED + 2 * M, grade("a", "D.full", 8, reason="good call in context")),
        ],
    )
    result = played.result("a", "D.full")
    assert (result.auto_points, result.override, result.points) == (0.0, 8.0, 8.0)
    assert result.status == "met"
    assert result.why() == [
        "chose bad: Bad",
        "graded 8 by e1: good call in context",
        "evaluator grade 8 replaces the automatic 0",
    ]
    assert played.board.total("a").points == 8.0


THREE = [
    (DELIVERED + M, grade("a", "M.brief", 4, "e1")),
    (DELIVERED + 2 * M, grade("a", "M.brief", 8, "lead")),
    (DELIVERED + 3 * M, grade("a", "M.brief", 6, "e2")),
]


@pytest.mark.parametrize(
    ("rule", "points", "status"),
    [("mean", 6.0, "met"), ("latest", 6.0, "met"), ("lead", 8.0, "met")],
)
def test_grade_rules(rule: str, points: float, status: str) -> None:
    played = play(scenario_with(grade_rule=rule), THREE)
    result = played.result("a", "M.brief")
    assert (result.points, result.status) == (points, status)


@pytest.mark.parametrize(
    ("rule", "points", "status"),
    [("mean", 16 / 3, "partial"), ("latest", 2.0, "partial"), ("lead", 8.0, "met")],
)
def test_a_regrade_replaces_the_evaluators_grade_and_moves_it_last(
    rule: str, points: float, status: str
) -> None:
    played = play(
        scenario_with(grade_rule=rule),
        [*THREE, (DELIVERED + 4 * M, grade("a", "M.brief", 2, "e1"))],
    )
    result = played.result("a", "M.brief")
    assert list(result.grades) == ["lead", "e2", "e1"]
    assert result.points == pytest.approx(points)
    assert result.status == status


def test_spread_and_agreement(scenario: Scenario) -> None:
    played = play(
        scenario,
        [
            *THREE,
            (DELIVERED + M, grade("b", "M.brief", 7, "e1")),
            (DELIVERED + 2 * M, grade("b", "M.brief", 8, "e2")),
            (DELIVERED + 2 * M, grade("b", "D.full", 3, "e2")),
        ],
    )
    spread = grade_spread(played.result("a", "M.brief"))
    assert spread is not None
    assert (spread.low, spread.high, spread.range) == (4.0, 8.0, 4.0)
    assert spread.stdev == pytest.approx((8 / 3) ** 0.5)
    assert spread.statuses == ("partial", "met", "met")
    assert not spread.agree
    assert grade_spread(played.result("b", "D.full")) is None
    agreement = played.board.agreement()
    assert (agreement.items, agreement.agreed, agreement.share) == (2, 1, 0.5)
    assert agreement.max_range == pytest.approx(0.5)
    assert agreement.mean_range == pytest.approx((4 / 8 + 1 / 8) / 2)


def entries(*ratings: tuple[str, str]) -> dict[str, RatingEntry]:
    return {e: RatingEntry(e, r, "", 0) for e, r in ratings}  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("ratings", "rule", "combined"),
    [
        ((("e1", "P"), ("e2", "S")), "mean", "S"),
        ((("e1", "P"), ("e2", "P"), ("e3", "S")), "mean", "P"),
        ((("e1", "U"), ("e2", "P")), "mean", "M"),
        ((("e1", "M"), ("e2", "U")), "latest", "U"),
        ((("lead", "M"), ("e2", "P")), "lead", "M"),
        ((("e1", "M"), ("e2", "P")), "lead", "S"),
        ((), "mean", None),
    ],
)
def test_combined_ratings(
    ratings: tuple[tuple[str, str], ...], rule: str, combined: str | None
) -> None:
    assert combine_ratings(entries(*ratings), rule) == combined


def test_objective_roll_up_is_weighted_and_rated_by_thresholds(scenario: Scenario) -> None:
    inputs = [
        (DELIVERED + M, respond("a", "D.full", choice="good")),
        (DELIVERED + 50 * M, respond("a", "D.decay", choice="good")),
        (DELIVERED + 50 * M, respond("a", "C.list", items=["x", "z"])),
    ]
    played = play(scenario, inputs)
    obj = played.board.objective("a", "obj")
    # full 10/10 + decay 5/10 + checklist (weight 2) 4/6; the whole-team vote expired:
    assert obj.share == pytest.approx((10 + 5 + 2 * 4.0 * 0.5 + 0) / (10 + 10 + 2 * 6 + 10))
    assert (obj.computed, obj.rated, obj.rating, obj.source) == ("M", None, "M", "computed")
    assert (obj.decided, obj.pending) == (4, 0)


def test_pending_expectations_wait_outside_the_roll_up(scenario: Scenario) -> None:
    played = play(scenario, [(DELIVERED + M, respond("a", "D.full", choice="good"))])
    obj = played.board.objective("a", "obj")
    assert (obj.share, obj.computed, obj.decided, obj.pending) == (1.0, "P", 1, 3)
    untouched = played.board.objective("b", "obj")
    assert (untouched.share, untouched.computed, untouched.rating) == (None, None, None)


def test_an_evaluators_rating_wins_and_both_are_kept(scenario: Scenario) -> None:
    played = play(
        scenario,
        [
            (DELIVERED + M, respond("a", "D.full", choice="good")),
            (
                DELIVERED + 2 * M,
                c.Rate(evaluator="e1", team="a", objective="obj", rating="S", reason="slow"),
            ),
        ],
    )
    obj = played.board.objective("a", "obj")
    assert (obj.computed, obj.rated, obj.rating, obj.source) == ("P", "S", "S", "evaluator")
    assert [(r.evaluator, r.rating, r.reason) for r in obj.ratings] == [("e1", "S", "slow")]
