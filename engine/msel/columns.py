"""The MSEL table's columns: the HSEEP ones planners know, then sitroom's extensions.

The export writes exactly :data:`EXPORT_COLUMNS`, in that order. The import finds
columns by name, in any order, and knows the names other MSEL templates use for
the HSEEP columns (``Inject #``, ``Event synopsis``, ``Recipient player``…), so a
sheet written from a HSEEP template imports without renaming its headers.
"""

from __future__ import annotations

import re
from typing import Final

INJECT: Final = "Inject #"
PHASE: Final = "Phase"
TIME: Final = "Time"
SYNOPSIS: Final = "Synopsis"
FROM: Final = "From"
TO: Final = "To"
METHOD: Final = "Method"
CONTROLLER: Final = "Controller"
EXPECTED: Final = "Expected action"
OBJECTIVE: Final = "Objective"
NOTES: Final = "Notes"

AFTER: Final = "After"
IF_NO_RESPONSE: Final = "If no response"
DELAY: Final = "Delay"
JITTER: Final = "Jitter"
WHEN: Final = "When"
CONTINGENCY: Final = "Contingency"
PRIORITY: Final = "Priority"
TAGS: Final = "Tags"
REFERENCES: Final = "References"
BODY: Final = "Body"
ATTACHMENTS: Final = "Attachments"
EXPECTATIONS: Final = "Expectations"

STORY: Final = "Story time"
"""Derived: the story clock's time at the row's Time (``Tue 09:05``,
:mod:`engine.storyclock`), empty without a ``start`` or a Time. Written beside Time
for people reading the sheet; the import skips it without a word (Time and the
``#start`` and phase rows decide it): after a planner moves an inject by its Time,
the cell is stale until the next export, which is no mistake to report."""

ACTUAL: Final = "Actual time"
"""Recorded during play in paper MSELs; read and ignored (sitroom logs delivery itself)."""

HSEEP_COLUMNS: Final = (
    INJECT,
    PHASE,
    TIME,
    SYNOPSIS,
    FROM,
    TO,
    METHOD,
    CONTROLLER,
    EXPECTED,
    OBJECTIVE,
    NOTES,
)
EXTENSION_COLUMNS: Final = (
    AFTER,
    IF_NO_RESPONSE,
    DELAY,
    JITTER,
    WHEN,
    CONTINGENCY,
    PRIORITY,
    TAGS,
    REFERENCES,
    BODY,
    ATTACHMENTS,
    EXPECTATIONS,
)
DERIVED_COLUMNS: Final = (STORY,)
"""Written for people, skipped on import: the scenario decides them."""
EXPORT_COLUMNS: Final = HSEEP_COLUMNS[:3] + DERIVED_COLUMNS + HSEEP_COLUMNS[3:] + EXTENSION_COLUMNS

_SYNONYMS: dict[str, tuple[str, ...]] = {
    INJECT: (
        "inject #",
        "inject no",
        "inject number",
        "inject id",
        "inject num",
        "no",
        "number",
        "id",
        "#",
        "serial",
        "msel #",
        "event #",
    ),
    PHASE: ("phase", "move", "module", "move phase", "phase move", "stage"),
    TIME: (
        "time",
        "scheduled time",
        "scheduled delivery time",
        "delivery time",
        "scheduled",
        "planned time",
        "inject time",
        "designated scenario time",
    ),
    SYNOPSIS: (
        "synopsis",
        "event synopsis",
        "inject synopsis",
        "synopsis inject text",
        "inject text",
        "event",
        "event description",
        "title",
        "summary",
        "description",
    ),
    FROM: ("from", "sender", "simulated sender", "originator", "source", "inject from"),
    TO: (
        "to",
        "recipient",
        "recipients",
        "player",
        "players",
        "recipient player",
        "inject to",
        "team",
        "teams",
        "audience",
    ),
    METHOD: ("method", "delivery method", "channel", "mode", "means", "medium"),
    CONTROLLER: ("controller", "responsible controller", "controller responsible"),
    EXPECTED: (
        "expected action",
        "expected player action",
        "expected player actions",
        "expected actions",
        "expected outcome",
        "expected response",
    ),
    OBJECTIVE: (
        "objective",
        "objectives",
        "objective capability",
        "objective capability critical task",
        "capability",
        "core capability",
    ),
    NOTES: ("notes", "evaluator notes", "notes for evaluators", "remarks", "comments"),
    ACTUAL: ("actual time", "actual delivery time", "actual", "time delivered"),
}

_BY_NAME: dict[str, str] = {}
for _column, _names in _SYNONYMS.items():
    for _name in _names:
        _BY_NAME[_name] = _column
for _column in EXTENSION_COLUMNS + DERIVED_COLUMNS:
    _BY_NAME[_column.lower()] = _column


def normalise(header: str) -> str:
    """``"Objective / Capability:"`` → ``objective capability``: case and punctuation dropped."""
    text = re.sub(r"[^a-z0-9#]+", " ", header.lower())
    return " ".join(text.split())


def column_for(header: str) -> str | None:
    """The column a header names, or None when sitroom does not know it."""
    return _BY_NAME.get(normalise(header))
