"""Evaluators' work on top of the automatic results: grades, their spread, ratings.

A grade replaces the automatic points of an item (both stay visible). When several
evaluators grade the same item the scenario's ``grade_rule`` decides
(:func:`engine.grading.combine_grades`), and the spread between them is reported:
range, standard deviation, and whether they agree on the outcome (met, partial,
failed). Large spreads point at a rubric that evaluators read differently.

Ratings (P/S/M/U) of an objective combine by the same rule. The mean of ratings
is taken on the scale U=0, M=1, S=2, P=3 and rounded to the nearest rating, a tie
going to the lower one: an after-action report should not overstate.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.grading import LEAD_EVALUATOR, status_of_points
from engine.scenario.model import Rating
from scoring.results import ExpectationResult, Status
from scoring.stats import population_stdev

RATING_SCALE: dict[str, int] = {"U": 0, "M": 1, "S": 2, "P": 3}
SCALE_RATING: dict[int, Rating] = {0: "U", 1: "M", 2: "S", 3: "P"}


@dataclass(frozen=True, slots=True)
class GradeSpread:
    """How far apart several evaluators' grades of one item are."""

    evaluators: int
    low: float
    high: float
    stdev: float
    statuses: tuple[Status, ...]
    """The outcome each evaluator's grade alone would give, in grading order."""

    @property
    def range(self) -> float:
        return self.high - self.low

    @property
    def agree(self) -> bool:
        """Whether every evaluator's grade leads to the same outcome."""
        return len(set(self.statuses)) == 1


def grade_spread(result: ExpectationResult) -> GradeSpread | None:
    """The spread of an item's grades, when two or more evaluators graded it."""
    if len(result.grades) < 2:
        return None
    points = [g.points for g in result.grades.values()]
    return GradeSpread(
        len(points),
        min(points),
        max(points),
        population_stdev(points),
        tuple(status_of_points(p, result.exp) for p in points),
    )


@dataclass(frozen=True, slots=True)
class Agreement:
    """Inter-rater agreement over every item graded by two or more evaluators."""

    items: int
    agreed: int
    mean_range: float
    """Mean range of points, as a share of each item's maximum."""
    max_range: float
    """Largest range of points, as a share of the item's maximum."""
    mean_stdev: float
    """Mean standard deviation of points, as a share of each item's maximum."""

    @property
    def share(self) -> float | None:
        return self.agreed / self.items if self.items else None


def agreement(results: list[ExpectationResult]) -> Agreement:
    ranges: list[float] = []
    stdevs: list[float] = []
    agreed = 0
    for result in results:
        spread = grade_spread(result)
        if spread is None:
            continue
        top = result.max_points or 1.0
        ranges.append(spread.range / top)
        stdevs.append(spread.stdev / top)
        agreed += spread.agree
    n = len(ranges)
    return Agreement(
        n,
        agreed,
        sum(ranges) / n if n else 0.0,
        max(ranges, default=0.0),
        sum(stdevs) / n if n else 0.0,
    )


@dataclass(frozen=True, slots=True)
class RatingEntry:
    """One evaluator's latest P/S/M/U rating of one objective for one team."""

    evaluator: str
    rating: Rating
    reason: str
    t: int


def combine_ratings(ratings: dict[str, RatingEntry], rule: str) -> Rating | None:
    """One rating from several evaluators' latest ones (in the order they rated)."""
    if not ratings:
        return None
    if rule == "latest":
        return next(reversed(ratings.values())).rating
    if rule == "lead" and LEAD_EVALUATOR in ratings:
        return ratings[LEAD_EVALUATOR].rating
    values = [RATING_SCALE[r.rating] for r in ratings.values()]
    doubled = 2 * sum(values)
    n = len(values)
    # nearest integer to sum/n, ties down: floor((2*sum + n - 1) / (2n)) rounds half down
    nearest = (doubled + n - 1) // (2 * n)
    return SCALE_RATING[nearest]
