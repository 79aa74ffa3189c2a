"""What an evaluator reviews for one team: each delivered expectation with its answers.

Nothing is graded here. The answers, the automatic figure, the figure that counts
and its status come from the scoreboard the model feeds (``scoring``, reading the
engine's ``scored`` decisions), the same fold as the after-action report: what
the evaluator sees is what the report will count unless they override it.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text

from engine.durations import format_clock
from engine.grading import status_text
from engine.i18n import _
from engine.i18n.forms import listed
from engine.i18n.phrase import said
from engine.scenario.expectations import ManualExpectation
from scoring.results import ExpectationResult
from tui.console.safe import add
from tui.model.staff import StaffModel

STATUS_STYLE = {"met": "green", "partial": "yellow", "failed": "red", "expired": "red"}


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """One expectation delivered to the team, and the scoreboard's result for it."""

    result: ExpectationResult
    inject_title: str

    @property
    def ref(self) -> str:
        return self.result.ref

    @property
    def manual(self) -> bool:
        return isinstance(self.result.exp, ManualExpectation)

    @property
    def grades(self) -> dict[str, float]:
        """Each evaluator's latest grade."""
        return {who: entry.points for who, entry in self.result.grades.items()}

    @property
    def needs_grade(self) -> bool:
        return self.manual and bool(self.result.answers) and not self.result.grades


def review_items(model: StaffModel, team: str) -> list[ReviewItem]:
    """Every expectation delivered to ``team``, in delivery order."""
    scenario, board = model.scenario, model.board
    if scenario is None or board is None or team not in model.teams:
        return []
    return [
        ReviewItem(result, scenario.inject_by_id[result.inject].title)
        for result in board.results(team)
    ]


def points_text(points: float) -> str:
    return f"{round(points, 2):g}"


def head_text(item: ReviewItem) -> Text:
    """The expectation's reference, its inject's title and when it was delivered."""
    head = Text(f"{item.ref} · ")
    add(head, item.inject_title, one_line=True, limit=300)
    head.append(" · " + _("delivered {clock}").format(clock=format_clock(item.result.delivered_at)))
    return head


def body_text(item: ReviewItem) -> Text:
    """The prompt, each answer, the automatic and counted figures, why, and the grades:
    what the evaluator grades from and the control room's view of a table shows."""
    result = item.result
    exp, maximum = result.exp, result.max_points
    body = Text()
    add(body, exp.prompt or exp.kind, "italic")
    body.append("\n")
    if not result.answers:
        body.append(_("No answer yet.") + "\n", style="dim")
    for answer in result.answers:
        given = answer.choice or ", ".join(answer.items) or answer.text or _("(no text)")
        add(body, f"{answer.member}: ", "bold", one_line=True)
        add(body, given)
        body.append("\n")
    if result.auto_points is not None:
        body.append(
            _("Automatic: {points} / {maximum}").format(
                points=points_text(result.auto_points), maximum=f"{maximum:g}"
            )
            + "\n",
            style="cyan",
        )
    elif item.manual:
        body.append(
            _("Graded by an evaluator, out of {maximum}.").format(maximum=f"{maximum:g}") + " ",
            style="yellow",
        )
        if exp.rubric:
            add(body, _("Rubric: {rubric}").format(rubric=exp.rubric.strip()), "dim")
        body.append("\n")
    if result.status != "pending":  # pending: nothing to count yet
        body.append(
            _("Counts: {points} / {maximum} · {status}").format(
                points=points_text(result.points),
                maximum=f"{maximum:g}",
                status=status_text(result.status),
            )
            + "\n",
            style=STATUS_STYLE.get(result.status, ""),
        )
    why = [said(reason) for reason in result.why()]
    if why:
        add(body, listed(why), "dim")
        body.append("\n")
    if item.grades:
        graded = ", ".join(f"{who} {pts:g}" for who, pts in item.grades.items())
        add(body, _("Grades: {grades}").format(grades=graded), "green", one_line=True)
        body.append("\n")
    return body
