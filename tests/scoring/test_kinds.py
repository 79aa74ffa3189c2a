"""Exact scores for every expectation kind and every timeliness rule.

Inputs are hand-written commands played through the engine; every play also
checks the fold against ``Exercise.points`` and ``Exercise.met`` (see conftest).
"""

from __future__ import annotations

import pytest

from engine.scenario import Scenario
from tests.scoring.conftest import DELIVERED, M, grade, play, respond

DUE = DELIVERED + 10 * M
"""The deadline of the fixture's decisions and checklist."""


@pytest.mark.parametrize(
    ("ref", "late", "points", "status"),
    [
        ("D.full", 0, 10.0, "met"),
        ("D.full", 45 * M, 10.0, "met"),
        ("D.decay", -M, 10.0, "met"),
        ("D.decay", 5 * M, 8.75, "met"),
        ("D.decay", 10 * M, 7.5, "met"),
        ("D.decay", 40 * M, 5.0, "partial"),
        ("D.steps", 2 * M, 10.0, "met"),
        ("D.steps", 5 * M, 8.0, "met"),
        ("D.steps", 20 * M, 4.0, "partial"),
        ("D.steps", 35 * M, 2.0, "partial"),
        ("D.fail", 0, 10.0, "met"),
        ("D.fail", 1000, 0.0, "failed"),
    ],
)
def test_timeliness_rules(
    scenario: Scenario, ref: str, late: int, points: float, status: str
) -> None:
    played = play(scenario, [(DUE + late, respond("a", ref, choice="good"))])
    result = played.result("a", ref)
    assert result.points == pytest.approx(points, abs=1e-12)
    assert result.status == status
    assert result.late_ms == max(0, late)
    if late > 0:
        assert result.expired_at == DUE
        assert any("after the deadline" in why for why in result.why())


def test_decision_option_points_and_why(scenario: Scenario) -> None:
    played = play(scenario, [(DELIVERED + M, respond("a", "D.full", choice="ok"))])
    result = played.result("a", "D.full")
    assert (result.points, result.max_points, result.status) == (6.0, 10.0, "partial")
    assert result.why() == ["chose ok: Acceptable"]
    assert result.answer_summary() == "Acceptable"
    assert result.response_ms == M


@pytest.mark.parametrize(
    ("items", "points", "status"),
    [
        (["x", "y"], 5.0, "met"),
        (["x", "y", "z", "pen"], 4.0, "partial"),
        (["pen"], 0.0, "failed"),
        ([], 0.0, "failed"),
        (["x", "y", "z"], 6.0, "met"),
    ],
)
def test_checklist_sums_items_and_penalties(
    scenario: Scenario, items: list[str], points: float, status: str
) -> None:
    played = play(scenario, [(DELIVERED + 2 * M, respond("a", "C.list", items=items))])
    result = played.result("a", "C.list")
    assert (result.points, result.max_points, result.status) == (points, 6.0, status)
    if "pen" in items:
        assert "penalty: Blunder (-2)" in result.why()


@pytest.mark.parametrize(
    ("text", "points", "missing", "forbidden"),
    [
        ("The GRID is fine: it was a Deepfake, and there is no shutdown.", 10.0, (), ()),
        ("FAKE video!!! The Grïd runs, no shutdown planned.", 10.0, (), ()),
        (
            "The grid is fine, it was a fake, no shutdown. No-comment on the rest.",
            5.0,
            (),
            ("no comment",),
        ),
        ("grid fake", 3.333333, ("says no shutdown",), ()),
        (
            "It is all fine and under control, trust us now.",
            0.0,
            ("grid", "names the fake", "says no shutdown"),
            (),
        ),
        (" ".join(["grid fake no shutdown"] + ["word"] * 40), 5.0, (), ()),
    ],
)
def test_text_terms_are_matched_normalised(
    scenario: Scenario,
    text: str,
    points: float,
    missing: tuple[str, ...],
    forbidden: tuple[str, ...],
) -> None:
    played = play(scenario, [(DELIVERED + 3 * M, respond("a", "T.say", text=text))])
    result = played.result("a", "T.say")
    answer = result.answers[0]
    assert result.points == pytest.approx(points, abs=1e-9)
    assert answer.missing == missing
    assert answer.forbidden == forbidden


def test_manual_waits_for_an_evaluator(scenario: Scenario) -> None:
    answered = [(DELIVERED + M, respond("a", "M.brief", text="Our three messages."))]
    played = play(scenario, answered)
    result = played.result("a", "M.brief")
    assert (result.status, result.counted) == ("pending", None)
    assert "awaiting an evaluator's grade" in result.why()

    played = play(
        scenario, [*answered, (DELIVERED + 2 * M, grade("a", "M.brief", 6, reason="solid"))]
    )
    result = played.result("a", "M.brief")
    assert (result.status, result.points, result.auto_points) == ("met", 6.0, None)
    assert result.why() == ["graded 6 by e1: solid"]


def test_manual_graded_after_its_deadline_keeps_the_grade(scenario: Scenario) -> None:
    played = play(scenario, [(DELIVERED + 25 * M, grade("a", "M.brief", 2))])
    result = played.result("a", "M.brief")
    assert (result.status, result.points, result.expired_at) == ("partial", 2.0, DELIVERED + 20 * M)
