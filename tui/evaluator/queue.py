"""The evaluator's queue: text answers the meaning grader graded, most unsure first.

Sixty communications tables cannot all wait for an evaluator, so the grader grades
them and the evaluator checks where it was least sure. Nothing is graded or scored
here: how unsure the grader was is the recorded verdict's own figure
(:attr:`engine.meaning.verdict.TextVerdict.unsure`), the suggested points are the
engine's automatic points (``scored.auto``, with timeliness and the whole-team rule
applied) as the scoreboard holds them, and whether an evaluator has graded the answer
is the scoreboard's record of ``grade`` events. So the queue is a fold of the event
stream: two evaluators see the same queue, and a grade either of them gives takes
the answer out of both.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text

from engine.durations import format_clock
from engine.grading import status_text
from engine.i18n import N_, _
from engine.meaning.verdict import ElementVerdict, TextVerdict
from engine.scenario.expectations import TextExpectation
from scoring.results import ExpectationResult
from tui.console.safe import add
from tui.evaluator.review import STATUS_STYLE, points_text
from tui.model.staff import StaffModel

ACCEPT_REASON = "accepted the meaning grader's suggestion"
"""The reason logged with a one-key accept: the report says whose figure it was."""


@dataclass(frozen=True, slots=True)
class MemberVerdict:
    """One member's text answer and the verdict the engine recorded when it took it."""

    member: str
    t: int
    text: str
    verdict: TextVerdict


@dataclass(frozen=True, slots=True)
class QueueItem:
    """One team's text expectation waiting for an evaluator's look."""

    result: ExpectationResult
    inject_title: str
    answers: tuple[MemberVerdict, ...]
    rule: str = "mean"
    """The scoreboard's ``grade_rule``: how the engine combines several evaluators' grades."""

    @property
    def team(self) -> str:
        return self.result.team

    @property
    def ref(self) -> str:
        return self.result.ref

    @property
    def key(self) -> tuple[str, str]:
        return (self.result.team, self.result.ref)

    @property
    def unsure(self) -> float:
        """The least sure of its answers' verdicts (several when every member answers)."""
        return max(a.verdict.unsure for a in self.answers)

    @property
    def suggested(self) -> float:
        """The engine's automatic points: what counts unless an evaluator grades."""
        auto = self.result.auto_points
        return 0.0 if auto is None else auto

    @property
    def graded_by(self) -> tuple[str, ...]:
        """The evaluators who graded it before its latest answer (an answer after a grade
        brings it back). Then the figure that counts is theirs, not :attr:`suggested`,
        and a grade given now is combined with theirs by the rule (``grade_rule``), which
        the engine applies: the console shows the engine's figure and never works out
        what a new grade would make of it."""
        return tuple(self.result.grades)

    @property
    def answered_at(self) -> int:
        return self.answers[-1].t


def _waiting(result: ExpectationResult) -> tuple[MemberVerdict, ...]:
    """The answers graded by meaning, unless an evaluator has graded the expectation
    since the latest answer (an answer after a grade, from another member, asks again).

    "Since" is the order of the event stream, as the scoreboard folded it
    (``GradeEntry.order``, ``ExpectationResult.answered_order``), not exercise time:
    while the clock is paused every event has the same time, yet an accept must take
    the answer out and an answer given after it must bring it back.
    """
    if not isinstance(result.exp, TextExpectation):
        return ()
    found = tuple(
        MemberVerdict(a.member, a.t, a.text or "", a.verdict)
        for a in result.given
        if a.verdict is not None
    )
    if not found:
        return ()
    if result.grades and max(g.order for g in result.grades.values()) > result.answered_order:
        return ()
    return found


def queue_items(model: StaffModel) -> list[QueueItem]:
    """Every text answer graded by meaning and not yet graded by an evaluator, the most
    unsure first; then the longest waiting, then in roster and delivery order."""
    scenario, board = model.scenario, model.board
    if scenario is None or board is None:
        return []
    found: list[tuple[float, int, int, int, QueueItem]] = []
    for rank, team in enumerate(model.teams):
        for index, result in enumerate(board.results(team)):
            answers = _waiting(result)
            if answers:
                title = scenario.inject_by_id[result.inject].title
                item = QueueItem(result, title, answers, board.rule)
                found.append((-item.unsure, item.answered_at, rank, index, item))
    found.sort(key=lambda entry: entry[:4])
    return [entry[4] for entry in found]


# ------------------------------------------------------------------ what the evaluator reads

_HOW = {
    "keyword": N_("by its words"),
    "meaning": N_("by meaning"),
    "contradicted": N_("contradicted"),
    "missing": N_("nothing close"),
    "said": N_("said"),
}


def unsure_text(unsure: float) -> str:
    return f"{round(unsure * 100):d}%"


def _element(out: Text, v: ElementVerdict, mark: str, style: str) -> None:
    out.append(f"  {mark} ", style=style)
    add(out, v.name, "bold", one_line=True, limit=200)
    detail = f" · {_(_HOW[v.how])}"
    if v.how == "meaning":
        detail += ", " + _("credit {share}").format(share=f"{v.credit:.0%}")
    if v.cosine and v.how != "keyword":
        detail += " " + _("(closeness {cosine})").format(cosine=f"{v.cosine:.2f}")
    out.append(detail, style="dim")
    if v.evidence:
        out.append("\n      “", style="dim")
        add(out, v.evidence, "italic", one_line=True)
        out.append("”", style="dim")
    out.append("\n")


def evidence_text(item: QueueItem) -> Text:
    """What the grader decided and from which words: the suggested grade, then per answer
    its text and each element found, missed or contradicted, and what it should not
    have said (people's words as text, never markup)."""
    result = item.result
    out = Text()
    add(out, item.team, "bold", one_line=True)
    out.append(f" · {item.ref} · ")
    add(out, item.inject_title, one_line=True, limit=300)
    out.append("\n")
    style = STATUS_STYLE.get(result.status, "")
    if item.graded_by:
        out.append(
            _("Counts {points} / {maximum} ({status}) · graded: ").format(
                points=points_text(result.points),
                maximum=f"{result.max_points:g}",
                status=status_text(result.status),
            ),
            style=style,
        )
        given = ", ".join(f"{g.evaluator} {points_text(g.points)}" for g in result.grades.values())
        add(out, given, style, one_line=True, limit=300)
        out.append("\n")
        out.append(
            _(
                "An answer came after the grade. The grader suggests {points} / {maximum} "
                "(unsure {unsure}); a grade you give is combined with the grades above "
                "(grade rule: {rule}), so a and e both open the grade form."
            ).format(
                points=points_text(item.suggested),
                maximum=f"{result.max_points:g}",
                unsure=unsure_text(item.unsure),
                rule=item.rule,
            )
            + "\n",
            style="bold yellow",
        )
    else:
        out.append(
            _("Suggested {points} / {maximum} ({status}) · unsure {unsure}").format(
                points=points_text(item.suggested),
                maximum=f"{result.max_points:g}",
                status=status_text(result.status),
                unsure=unsure_text(item.unsure),
            )
            + "\n",
            style=style,
        )
    if result.factor < 1:
        out.append(
            _("Answered late: keeps {share} of the points").format(share=f"{result.factor:.0%}")
            + "\n",
            style="dim",
        )
    if result.exp.prompt:
        add(out, result.exp.prompt, "italic")
        out.append("\n")
    for answer in item.answers:
        v = answer.verdict
        out.append(f"\n{format_clock(answer.t)} ")
        add(out, answer.member, "bold", one_line=True, limit=100)
        out.append(": ")
        add(out, answer.text)
        out.append("\n")
        found = set(v.found())
        if found:
            out.append(_("Found") + "\n", style="bold green")
            for e in v.required:
                if e.name in found:
                    _element(out, e, "✓", "green")
        if v.missed():
            out.append(_("Missed") + "\n", style="bold yellow")
            for e in v.required:
                if e.name not in found:
                    _element(out, e, "✗", "red" if e.how == "contradicted" else "yellow")
        if v.forbidden:
            out.append(_("Should not say") + "\n", style="bold red")
            for e in v.forbidden:
                _element(out, e, "!", "red")
        if v.length < 1:
            out.append(
                _("Length: {words} words, keeps {share}").format(
                    words=v.words, share=f"{v.length:.0%}"
                )
                + "\n",
                style="dim",
            )
        if v.relevance < 1:
            out.append(
                _("Far from the model answer: credit by meaning ×{factor}").format(
                    factor=f"{v.relevance:.2f}"
                )
                + "\n",
                style="dim",
            )
        out.append(
            _("Grader {grader}: {points} / {maximum}").format(
                grader=v.grader, points=points_text(v.points), maximum=f"{v.max_points:g}"
            )
            + "\n",
            "dim",
        )
    return out
