"""The result of one expectation for one team: points, status, and why.

A result exists from the moment the expectation's inject reaches the team. It is
recomputed whenever something about it changes (an answer, a grade, its deadline,
a member joining a team that must answer as a whole), at a cost independent of
the exercise's size.

Points follow :meth:`engine.exercise.Exercise.points` to the bit: the raw grade of
each answer from :mod:`engine.grading` times its timeliness factor, summed in the
order the answers came, divided by the team's size for ``answer_by: all``; an
evaluators' grade (combined by the scenario's rule) replaces the automatic points.
So a branch the engine took on "met" and the scorecard never disagree.

Status:

* ``met``: points reach the expectation's pass mark (as the engine decides);
* ``partial``: some points, below the pass mark;
* ``failed``: answered (or graded) with no points;
* ``pending``: not answered yet and the deadline has not passed, or answered and
  waiting for an evaluator's grade (manual expectations);
* ``expired``: the deadline passed with no answer (or the exercise ended without
  one). A late answer or a grade turns it into met, partial or failed, and the
  result remembers that it expired.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from engine.durations import format_duration
from engine.grading import Answer, combine_grades, grade_answer, late_by, timeliness_factor
from engine.scenario.expectations import (
    AnyExpectation,
    ChecklistExpectation,
    DecisionExpectation,
    ManualExpectation,
)

Status = Literal["met", "partial", "failed", "pending", "expired"]
STATUSES: tuple[Status, ...] = ("met", "partial", "failed", "pending", "expired")
MET_TOLERANCE = 1e-9
"""The engine's tolerance when comparing points with the pass mark."""


def status_of_points(points: float, exp: AnyExpectation, max_points: float) -> Status:
    """Met, partial or failed for a number of points (the engine's pass-mark test)."""
    if points >= exp.pass_mark * max_points - MET_TOLERANCE:
        return "met"
    if points <= 0:
        return "failed"
    return "partial"


@dataclass(frozen=True, slots=True)
class AnswerResult:
    """One submitted answer, graded: its raw points, its lateness, and the reasons."""

    member: str
    t: int
    choice: str | None
    items: tuple[str, ...]
    text: str | None
    raw_points: float
    factor: float
    """Share of the raw points kept after the timeliness rule (1.0 when on time)."""
    late_ms: int
    """How long after the deadline it came (0 when on time or without a deadline)."""
    reasons: tuple[str, ...]
    matched: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()

    @property
    def points(self) -> float:
        return self.raw_points * self.factor


def grade_one(exp: AnyExpectation, delivered_at: int, answer: Answer) -> AnswerResult:
    """Grade one answer with the engine's rules (raw points × timeliness factor)."""
    raw = grade_answer(exp, answer)
    late = late_by(delivered_at, exp, answer.t)
    factor = 1.0 if isinstance(exp, ManualExpectation) else timeliness_factor(exp.timeliness, late)
    return AnswerResult(
        answer.member,
        answer.t,
        answer.choice,
        answer.items,
        answer.text,
        raw.points,
        factor,
        max(0, late),
        raw.reasons,
        raw.matched,
        raw.missing,
        raw.forbidden,
    )


@dataclass(frozen=True, slots=True)
class GradeEntry:
    """One evaluator's latest grade of one item, with the reason they gave."""

    evaluator: str
    points: float
    reason: str
    t: int


@dataclass(slots=True)
class ExpectationResult:
    """One expectation for one team. Mutable: the scoreboard keeps it up to date."""

    team: str
    ref: str
    exp: AnyExpectation
    delivered_at: int
    max_points: float
    answers: list[AnswerResult] = field(default_factory=list)
    answer_total: float = 0.0
    """Sum of the answers' points, in arrival order (as the engine sums them)."""
    grades: dict[str, GradeEntry] = field(default_factory=dict)
    """Each evaluator's latest grade, in the order of their latest grading."""
    expired_at: int | None = None
    """When the deadline passed unanswered (None if it has not)."""
    closed_unanswered: bool = False
    """The exercise ended while this was still unanswered."""
    members: int = 1
    """How many members must answer (``answer_by: all``); 1 otherwise."""
    auto_points: float | None = None
    override: float | None = None
    status: Status = "pending"

    # ------------------------------------------------------------ derived

    @property
    def inject(self) -> str:
        return self.ref.partition(".")[0]

    @property
    def due_at(self) -> int | None:
        return None if self.exp.due is None else self.delivered_at + self.exp.due

    @property
    def points(self) -> float:
        """The points that count: the evaluators' grade if any, else the automatic ones."""
        if self.override is not None:
            return self.override
        return self.auto_points or 0.0

    @property
    def counted(self) -> float | None:
        """Points as the engine sees them (None while there is nothing to score)."""
        return self.override if self.override is not None else self.auto_points

    @property
    def first_answer_at(self) -> int | None:
        return self.answers[0].t if self.answers else None

    @property
    def response_ms(self) -> int | None:
        """Delivery to the team's first answer."""
        first = self.first_answer_at
        return None if first is None else first - self.delivered_at

    @property
    def late_ms(self) -> int:
        """How late the team's first answer was (0 when on time)."""
        return self.answers[0].late_ms if self.answers else 0

    @property
    def factor(self) -> float:
        """The timeliness factor of the first answer (1.0 when on time or unanswered)."""
        return self.answers[0].factor if self.answers else 1.0

    # ------------------------------------------------------------ updates

    def add_answer(self, answer: Answer) -> AnswerResult:
        graded = grade_one(self.exp, self.delivered_at, answer)
        self.answers.append(graded)
        self.answer_total += graded.points
        return graded

    def add_grade(self, entry: GradeEntry) -> None:
        self.grades.pop(entry.evaluator, None)
        self.grades[entry.evaluator] = entry

    def refresh(self, rule: str) -> None:
        """Recompute automatic points, override and status from what the result holds."""
        self.override = (
            combine_grades({e: g.points for e, g in self.grades.items()}, rule)
            if self.grades
            else None
        )
        if self.answers and not isinstance(self.exp, ManualExpectation):
            total = self.answer_total
            if self.exp.answer_by == "all":
                total = total / max(self.members, len(self.answers))
            self.auto_points = total
        else:
            self.auto_points = None
        counted = self.counted
        if counted is not None:
            self.status = status_of_points(counted, self.exp, self.max_points)
        elif self.answers:
            self.status = "pending"
        elif self.expired_at is not None or self.closed_unanswered:
            self.status = "expired"
        else:
            self.status = "pending"

    # ------------------------------------------------------------ why

    def why(self) -> list[str]:
        """The reasons behind the result, in words, for scorecards and the report."""
        out: list[str] = []
        exp = self.exp
        if not self.answers:
            if self.expired_at is not None:
                out.append(f"no answer by the deadline ({format_duration(exp.due or 0)})")
            elif self.closed_unanswered:
                out.append("no answer before the exercise ended")
            elif self.override is None:
                out.append("awaiting an answer")
        for answer in self.answers:
            prefix = f"{answer.member}: " if exp.answer_by == "all" else ""
            if not (isinstance(exp, ManualExpectation) and self.grades):
                out.extend(prefix + reason for reason in answer.reasons)
            if answer.late_ms > 0 and isinstance(exp, ManualExpectation):
                late = format_duration(answer.late_ms // 1000 * 1000)
                out.append(f"{prefix}answered {late} after the deadline")
            elif answer.late_ms > 0:
                out.append(
                    f"{prefix}answered {format_duration(answer.late_ms // 1000 * 1000)} after the "
                    f"deadline ({_rule_words(exp)}): keeps {answer.factor:.0%} of the points"
                )
        if exp.answer_by == "all" and self.answers:
            out.append(
                f"{len(self.answers)} of {max(self.members, len(self.answers))} members answered"
            )
        if self.grades:
            for entry in self.grades.values():
                because = f": {entry.reason}" if entry.reason else ""
                out.append(f"graded {entry.points:g} by {entry.evaluator}{because}")
            if self.auto_points is not None:
                out.append(
                    f"evaluator grade {self.points:g} replaces the automatic {self.auto_points:g}"
                )
        return out

    def answer_summary(self) -> str:
        """What the team answered, in a few words (option label, items, or the text)."""
        if not self.answers:
            return ""
        parts = []
        for answer in self.answers:
            parts.append(describe_answer(self.exp, answer))
        return " | ".join(parts)


def describe_answer(exp: AnyExpectation, answer: AnswerResult) -> str:
    if isinstance(exp, DecisionExpectation):
        labels = {o.id: o.label for o in exp.options}
        return labels.get(answer.choice or "", answer.choice or "")
    if isinstance(exp, ChecklistExpectation):
        labels = {i.id: i.label for i in exp.items}
        return "; ".join(labels.get(i, i) for i in answer.items) or "(no item ticked)"
    return " ".join((answer.text or "").split())


def _rule_words(exp: AnyExpectation) -> str:
    rule = exp.timeliness
    if rule.late == "full":
        return "late answers keep full points"
    if rule.late == "fail":
        return "late answers score nothing"
    if rule.late == "decay":
        return f"decays to {rule.floor:.0%} over {format_duration(rule.over)}"
    return "stepped decay"
