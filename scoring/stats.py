"""Small statistics the scoreboard and the report share: percentiles and ranks.

Nearest-rank percentiles rather than interpolated ones: the value reported is a
response time some team actually had (whole seconds stay whole seconds), and the
result is an exact integer, so a report never changes by a rounding error.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from _typeshed import SupportsRichComparison

K = TypeVar("K", bound=Hashable)
S = TypeVar("S", bound="SupportsRichComparison")

Standing = tuple[Fraction, int]
"""What ranks compare: the share of the points available to the team (exact), then its
points (in millionths). 10 of 10 ranks above 10 of 20; 20 of 20 above 10 of 10."""

MICRO = 1_000_000
"""Aggregates hold points as integers of millionths: sums and differences are exact,
so an incremental total equals one computed from scratch, whatever the order."""


def to_micro(points: float) -> int:
    return round(points * MICRO)


def from_micro(micro: int) -> float:
    return micro / MICRO


def sum_points(points: Iterable[float]) -> float:
    """Points added up as every total is (the scoreboard's, the report's, a team's own
    console's): in whole millionths, so the order of adding never changes the sum."""
    return from_micro(sum(to_micro(p) for p in points))


def nearest_rank(sorted_values: Sequence[int], q: float) -> int:
    """The ``q``-quantile (0 < q ≤ 1) of already sorted values, by the nearest-rank method."""
    if not sorted_values:
        raise ValueError("no values")
    rank = max(1, math.ceil(q * len(sorted_values) - 1e-12))
    return sorted_values[rank - 1]


@dataclass(frozen=True, slots=True)
class TimeStats:
    """Delivery-to-response times (ms): how many, the median and the 90th percentile."""

    n: int
    median: int
    p90: int
    fastest: int
    slowest: int


def time_stats(values: Iterable[int]) -> TimeStats | None:
    ordered = sorted(values)
    if not ordered:
        return None
    return TimeStats(
        len(ordered),
        nearest_rank(ordered, 0.5),
        nearest_rank(ordered, 0.9),
        ordered[0],
        ordered[-1],
    )


def standing(points_micro: int, max_micro: int) -> Standing:
    """A team's :data:`Standing` from its points and the maximum of what reached it (both in
    millionths). A team that nothing has reached yet stands at a share of 0."""
    share = Fraction(points_micro, max_micro) if max_micro > 0 else Fraction(0)
    return share, points_micro


def competition_ranks(scores: Iterable[tuple[K, S]]) -> dict[K, int]:
    """Rank by standing, highest first; ties share a rank and the next rank skips
    ("1, 2, 2, 4").

    ``scores`` come in a stable order (roster order); equal standings keep it, so the
    result is deterministic.
    """
    ordered = sorted(scores, key=lambda kv: kv[1], reverse=True)  # stable: ties keep order
    ranks: dict[K, int] = {}
    previous: S | None = None
    rank = 0
    for position, (key, score) in enumerate(ordered, start=1):
        if score != previous:
            rank, previous = position, score
        ranks[key] = rank
    return ranks


def rank_label(rank: int, tied: bool) -> str:
    """A rank as tables show it: ``2=`` when another team shares it, ``—`` for none (0)."""
    if rank <= 0:
        return "—"
    return f"{rank}=" if tied else str(rank)


def population_stdev(values: Sequence[float]) -> float:
    if not values:
        return 0.0
    mean = math.fsum(values) / len(values)
    return math.sqrt(math.fsum((v - mean) ** 2 for v in values) / len(values))
