"""How numbers, times and statuses are written in every human-readable format.

One place, so Markdown and HTML say the same thing the same way.
"""

from __future__ import annotations

from engine.durations import format_clock, format_span
from engine.i18n import N_
from engine.scenario.model import RATING_NAMES

# The words are English source text marked for translation (N_), translated where shown
# (``_(STATUS_WORDS[status])``): the language may change after this module is imported.
STATUS_WORDS = {
    "met": N_("Met"),
    "partial": N_("Partial"),
    "failed": N_("Failed"),
    "pending": N_("Pending"),
    "expired": N_("Expired"),
}
RATING_WORDS = {**RATING_NAMES, "-": N_("Not rated")}
KIND_WORDS = {
    "decision": N_("Decision"),
    "checklist": N_("Checklist"),
    "text": N_("Statement"),
    "manual": N_("Evaluator-graded"),
}
CATEGORY_WORDS = {
    "observation": N_("Observation"),
    "strength": N_("Strength"),
    "improvement": N_("Area for improvement"),
    "hotwash": N_("Hotwash"),
}


def points(value: float | None) -> str:
    """Points with at most two decimals, trailing zeros dropped (``7``, ``6.5``, ``8.33``)."""
    if value is None:
        return "–"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def share(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def clock(ms: int | None) -> str:
    """Exercise time as ``H:MM:SS`` (``–`` when unknown)."""
    return "–" if ms is None else format_clock(ms)


def minutes(ms: int | None) -> str:
    """A span as ``12m05s``, ``1h02m`` or ``45s``: short enough for table cells."""
    return "–" if ms is None else format_span(ms)
