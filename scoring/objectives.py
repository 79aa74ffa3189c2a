"""Objective roll-up: a team's expectations for an objective, weighted, to P/S/M/U.

The share is Σ weight·points / Σ weight·max over the objective's expectations that
reached the team and are decided (met, partial, failed or expired). Pending ones
are left out until they are decided, so a live roll-up rates what has been
played; skipped branches never count. The scenario's thresholds map the share to
a rating. An evaluator's direct rating wins over the computed one; both are kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.scenario.model import Objective, Rating
from scoring.evaluators import RatingEntry, combine_ratings


@dataclass(slots=True)
class ObjectiveTally:
    """Running sums for one objective of one team (integers of millionths: exact)."""

    weighted_points: int = 0
    weighted_max: int = 0
    decided: int = 0
    pending: int = 0
    met: int = 0


@dataclass(frozen=True, slots=True)
class ObjectiveResult:
    """One objective for one team: the computed rating, the evaluators', the one that counts."""

    objective: str
    share: float | None
    """Weighted share of the maximum points (None: nothing decided yet)."""
    computed: Rating | None
    rated: Rating | None
    """The evaluators' rating, combined by the scenario's rule."""
    ratings: tuple[RatingEntry, ...]
    decided: int
    pending: int
    met: int

    @property
    def rating(self) -> Rating | None:
        """The rating that counts: the evaluators' if any, else the computed one."""
        return self.rated if self.rated is not None else self.computed

    @property
    def source(self) -> str:
        if self.rated is not None:
            return "evaluator"
        return "computed" if self.computed is not None else "none"


def objective_result(
    objective: Objective,
    tally: ObjectiveTally | None,
    ratings: dict[str, RatingEntry] | None,
    rule: str,
) -> ObjectiveResult:
    share: float | None = None
    computed: Rating | None = None
    if tally is not None and tally.weighted_max > 0 and tally.decided:
        share = tally.weighted_points / tally.weighted_max
        computed = objective.thresholds.rate(share)
    entries = ratings or {}
    return ObjectiveResult(
        objective.id,
        share,
        computed,
        combine_ratings(entries, rule),
        tuple(entries.values()),
        tally.decided if tally else 0,
        tally.pending if tally else 0,
        tally.met if tally else 0,
    )
