"""What an evaluator reviews for one team: each delivered expectation with its answer.

Automatic results come from ``engine.grading`` (the same as the engine's branching
and the report), so what the evaluator sees is what will count unless they
override it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.grading import Answer, grade_answer, late_by, timeliness_factor
from engine.scenario.expectations import AnyExpectation, ManualExpectation
from tui.model.staff import StaffModel


@dataclass
class ReviewItem:
    ref: str
    inject_title: str
    exp: AnyExpectation
    delivered_at: int
    answers: list[dict[str, Any]]
    auto_points: float | None
    reasons: list[str]
    grades: dict[str, float]

    @property
    def manual(self) -> bool:
        return isinstance(self.exp, ManualExpectation)

    @property
    def needs_grade(self) -> bool:
        return self.manual and bool(self.answers) and not self.grades


def review_items(model: StaffModel, team: str) -> list[ReviewItem]:
    """Every expectation delivered to ``team``, in delivery order."""
    scenario = model.scenario
    if scenario is None:
        return []
    items = []
    delivered = sorted(
        (at, inject_id) for (t, inject_id), at in model.delivered_at.items() if t == team
    )
    for at, inject_id in delivered:
        inject = scenario.inject_by_id[inject_id]
        for exp in inject.expects:
            ref = f"{inject_id}.{exp.id}"
            answers = model.answers.get((team, ref), [])
            points: float | None = None
            reasons: list[str] = []
            if answers and not isinstance(exp, ManualExpectation):
                total = 0.0
                for raw_answer in answers:
                    answer = Answer(
                        str(raw_answer.get("member", "")),
                        int(raw_answer.get("t", at)),
                        raw_answer.get("choice"),
                        tuple(raw_answer.get("items") or ()),
                        raw_answer.get("text"),
                    )
                    raw = grade_answer(exp, answer)
                    factor = timeliness_factor(exp.timeliness, late_by(at, exp, answer.t))
                    total += raw.points * factor
                    reasons.extend(raw.reasons)
                    if factor < 1:
                        reasons.append(f"late: keeps {factor:.0%} of the points")
                points = total / len(answers) if exp.answer_by == "all" else total
            items.append(
                ReviewItem(
                    ref,
                    inject.title,
                    exp,
                    at,
                    answers,
                    points,
                    reasons,
                    dict(model.grades.get((team, ref), {})),
                )
            )
    return items
