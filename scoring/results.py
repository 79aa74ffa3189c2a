"""The result of one expectation for one team: points, status, and why.

A result exists from the moment the expectation's inject reaches the team. Its
figures are the engine's: the automatic points, the points that count, the
verdict (met, partial, failed or pending) and the whole-team divisor are those of
the latest ``scored`` event for the team and expectation
(:func:`engine.grading.decide` made them), so a branch the engine took on "met",
every console and the scorecard show one figure. Scoring keeps what it needs to
explain them (each answer graded on its own, each evaluator's grade) and decides
only what is its own: whether an unanswered expectation expired.

Status:

* ``met``: points reach the expectation's pass mark (the engine's verdict);
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

from engine.durations import format_duration, format_seconds
from engine.events import Scored
from engine.grading import Answer, grade_answer, late_by, timeliness_factor
from engine.i18n import N_
from engine.i18n.phrase import Phrase
from engine.scenario.expectations import (
    AnyExpectation,
    ChecklistExpectation,
    DecisionExpectation,
    ManualExpectation,
)

Status = Literal["met", "partial", "failed", "pending", "expired"]


STATUSES: tuple[Status, ...] = ("met", "partial", "failed", "pending", "expired")


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
    order: int = 0
    """Where the grade came in the event stream (the fold's count of events): exercise
    time cannot order a grade and an answer given in the same instant (a paused clock)."""


@dataclass(slots=True)
class ExpectationResult:
    """One expectation for one team. Mutable: the scoreboard keeps it up to date."""

    team: str
    ref: str
    exp: AnyExpectation
    delivered_at: int
    max_points: float
    given: list[Answer] = field(default_factory=list)
    """The team's answers as given, in arrival order."""
    grades: dict[str, GradeEntry] = field(default_factory=dict)
    """Each evaluator's latest grade, in the order of their latest grading."""
    answered_order: int = 0
    """Where the latest answer came in the event stream (see :attr:`GradeEntry.order`)."""
    expired_at: int | None = None
    """When the deadline passed unanswered (None if it has not)."""
    closed_unanswered: bool = False
    """The exercise ended while this was still unanswered."""
    completed_at: int | None = None
    """When the engine announced the team completed it (whole-team rule applied)."""
    scored: Scored | None = None
    """The engine's latest figures for it (None until an answer or a grade)."""
    _graded: list[AnswerResult] = field(default_factory=list, init=False, repr=False, compare=False)

    # ------------------------------------------------------------ the engine's figures

    @property
    def auto_points(self) -> float | None:
        """The engine's automatic points (None: unanswered, or a manual expectation)."""
        return None if self.scored is None else self.scored.auto

    @property
    def counted(self) -> float | None:
        """The points that count, as the engine decided them (None: nothing to score yet)."""
        return None if self.scored is None else self.scored.points

    @property
    def points(self) -> float:
        """The points that count: the evaluators' grade if any, else the automatic ones."""
        counted = self.counted
        return 0.0 if counted is None else counted

    @property
    def override(self) -> float | None:
        """The evaluators' combined grade, replacing the automatic points (None: ungraded)."""
        return self.counted if self.grades else None

    @property
    def members(self) -> int:
        """How many members the engine divided by (``answer_by: all``); 1 otherwise."""
        return 1 if self.scored is None else self.scored.members

    @property
    def late_ms(self) -> int:
        """How late the team's latest answer was, as the engine counts it (0 when on time)."""
        return 0 if self.scored is None else self.scored.late_ms

    @property
    def factor(self) -> float:
        """The timeliness factor of the latest answer (1.0 when on time or unanswered)."""
        return 1.0 if self.scored is None else self.scored.factor

    @property
    def status(self) -> Status:
        """The engine's verdict once it has one; else expired (scoring's call) or pending."""
        scored = self.scored
        if scored is not None and scored.status != "pending":
            return scored.status
        if self.given or scored is not None:
            return "pending"
        if self.expired_at is not None or self.closed_unanswered:
            return "expired"
        return "pending"

    # ------------------------------------------------------------ derived

    @property
    def inject(self) -> str:
        return self.ref.partition(".")[0]

    @property
    def due_at(self) -> int | None:
        return None if self.exp.due is None else self.delivered_at + self.exp.due

    @property
    def first_answer_at(self) -> int | None:
        return self.given[0].t if self.given else None

    @property
    def response_ms(self) -> int | None:
        """Delivery to the team's first answer."""
        first = self.first_answer_at
        return None if first is None else first - self.delivered_at

    # ------------------------------------------------------------ updates

    @property
    def answers(self) -> list[AnswerResult]:
        """Each answer graded on its own, in arrival order: what explains the figures.

        Graded when first read (the report reads them all, a live scoreboard only
        the ones a screen shows), with :mod:`engine.grading`'s per-answer rules.
        """
        graded, given = self._graded, self.given
        if len(graded) < len(given):
            graded.extend(grade_one(self.exp, self.delivered_at, a) for a in given[len(graded) :])
        return graded

    def add_answer(self, answer: Answer, order: int = 0) -> None:
        self.given.append(answer)
        self.answered_order = order

    def add_grade(self, entry: GradeEntry) -> None:
        self.grades.pop(entry.evaluator, None)
        self.grades[entry.evaluator] = entry

    # ------------------------------------------------------------ why

    def why(self) -> list[str]:
        """The reasons behind the result, in words, for scorecards and the report.

        English data (the report's JSON and CSV, tests); each of scoring's own reasons
        is a :class:`~engine.i18n.phrase.Phrase`, said in the reader's language where it
        is shown (``said``). The per-answer reasons are the engine's (:mod:`engine.grading`).
        """
        out: list[str] = []
        exp = self.exp
        if not self.answers:
            if self.expired_at is not None:
                out.append(
                    Phrase(
                        N_("no answer by the deadline ({due})"),
                        due=format_duration(exp.due or 0),
                    )
                )
            elif self.closed_unanswered:
                out.append(Phrase(N_("no answer before the exercise ended")))
            elif self.override is None:
                out.append(Phrase(N_("awaiting an answer")))
        for answer in self.answers:
            whole = exp.answer_by == "all"
            if not (isinstance(exp, ManualExpectation) and self.grades):
                out.extend(_by(answer.member, reason, whole) for reason in answer.reasons)
            if answer.late_ms > 0 and isinstance(exp, ManualExpectation):
                late = Phrase(
                    N_("answered {late} after the deadline"), late=format_seconds(answer.late_ms)
                )
                out.append(_by(answer.member, late, whole))
            elif answer.late_ms > 0:
                late = Phrase(
                    N_("answered {late} after the deadline ({rule}): keeps {share} of the points"),
                    late=format_seconds(answer.late_ms),
                    rule=_rule_words(exp),
                    share=f"{answer.factor:.0%}",
                )
                out.append(_by(answer.member, late, whole))
        if exp.answer_by == "all" and self.answers:
            out.append(
                Phrase.ngettext(
                    "{n} of {total} members answered",
                    "{n} of {total} members answered",
                    len(self.answers),
                    total=self.members,
                )
            )
        if self.grades:
            for entry in self.grades.values():
                graded = {"points": f"{entry.points:g}", "evaluator": entry.evaluator}
                if entry.reason:
                    out.append(
                        Phrase(
                            N_("graded {points} by {evaluator}: {reason}"),
                            reason=entry.reason,
                            **graded,
                        )
                    )
                else:
                    out.append(Phrase(N_("graded {points} by {evaluator}"), **graded))
            if self.auto_points is not None:
                out.append(
                    Phrase(
                        N_("evaluator grade {points} replaces the automatic {auto}"),
                        points=f"{self.points:g}",
                        auto=f"{self.auto_points:g}",
                    )
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


def _by(member: str, reason: str, whole_team: bool) -> str:
    """A reason of one member's answer; named after the member when the whole team answers."""
    return Phrase(N_("{member}: {reason}"), member=member, reason=reason) if whole_team else reason


def _rule_words(exp: AnyExpectation) -> Phrase:
    rule = exp.timeliness
    if rule.late == "full":
        return Phrase(N_("late answers keep full points"))
    if rule.late == "fail":
        return Phrase(N_("late answers score nothing"))
    if rule.late == "decay":
        return Phrase(
            N_("decays to {floor} over {span}"),
            floor=f"{rule.floor:.0%}",
            span=format_duration(rule.over),
        )
    return Phrase(N_("stepped decay"))
