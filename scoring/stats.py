"""Small statistics the scoreboard and the report share: percentiles and ranks.

Nearest-rank percentiles rather than interpolated ones: the value reported is a
response time some team actually had (whole seconds stay whole seconds), and the
result is an exact integer, so a report never changes by a rounding error.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

K = TypeVar("K", bound=Hashable)

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


def competition_ranks(scores: Iterable[tuple[K, int]]) -> dict[K, int]:
    """Rank by score, highest first; ties share a rank and the next rank skips ("1, 2, 2, 4").

    ``scores`` come in a stable order (roster order); equal scores keep it, so the
    result is deterministic.
    """
    ordered = sorted(scores, key=lambda kv: -kv[1])
    ranks: dict[K, int] = {}
    previous: int | None = None
    rank = 0
    for position, (key, score) in enumerate(ordered, start=1):
        if score != previous:
            rank, previous = position, score
        ranks[key] = rank
    return ranks


def population_stdev(values: Sequence[float]) -> float:
    if not values:
        return 0.0
    mean = math.fsum(values) / len(values)
    return math.sqrt(math.fsum((v - mean) ** 2 for v in values) / len(values))
