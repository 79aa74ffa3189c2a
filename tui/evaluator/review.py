"""What an evaluator reviews for one team: each delivered expectation with its answers.

Nothing is graded here. The answers, the automatic figure, the figure that counts
and its status come from the scoreboard the model feeds (``scoring``, reading the
engine's ``scored`` decisions), the same fold as the after-action report: what
the evaluator sees is what the report will count unless they override it.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.scenario.expectations import ManualExpectation
from scoring.results import ExpectationResult
from tui.model.staff import StaffModel


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
