"""The scenario-level rows above the MSEL table: ``#key,value`` rows.

An MSEL lists injects; a scenario also has an id, a duration, teams, actors,
objectives and phases. They travel in rows whose first cell starts with ``#``,
so the table below stays the plain HSEEP table a spreadsheet sorts and filters:

``#id,summit-deepfake`` · ``#duration,2h30m`` · ``#team,cert,National CERT,…``

Rows whose first cell starts with ``##`` are comments (the export writes one as
a legend above each kind of row). :data:`LAYOUT` is the single description of
each row's cells, used by both the export and the import.
"""

from __future__ import annotations

from typing import Final

MARKER: Final = "#sitroom-msel"
FORMAT_VERSION: Final = "1"

SCALARS: Final = (
    "id",
    "title",
    "description",
    "briefing",
    "version",
    "duration",
    "seed",
    "start",
)
"""Scenario fields written one per row: ``#duration,2h30m``."""

LAYOUT: Final[dict[str, tuple[str, ...]]] = {
    "phase": ("id", "title", "description", "at", "story", "after", "discussion"),
    "objective": ("id", "title", "capability", "P", "S", "M", "description"),
    "team": ("id", "name", "role", "size", "tags", "description", "briefing"),
    "actor": ("id", "name", "kind", "description"),
}
"""The cells after the key of each entity row, in order."""

STRUCTURED_PHASE_CELLS: Final = ("after", "discussion")
"""A phase's cells that hold YAML (a module's start after another, its discussion):
``{phase: module-1, delay: 5m}``, ``{questions: [...], minutes: 15}``."""

SECTION: Final = {"phase": "phases", "objective": "objectives", "team": "teams", "actor": "actors"}

REFERENCE_ROWS: Final = {"atlas": "atlas", "owasp_llm": "owasp_llm", "incident": "incidents"}
"""``#atlas,AML.T0088,AML.T0051`` (ids across the row) and ``#incident,TEXT`` (one per row)."""

SETTING: Final = "setting"
"""``#setting,NAME,VALUE``: one of the scenario's settings."""

COMMENT: Final = "comment"
"""``#comment,TEXT``: one line of the scenario file's leading comment block (the
control-room brief a planner writes above ``id:``), in order, so that an import
writes the block back and a round trip keeps it."""

INCLUDED: Final = "included"
"""``#included,FILE,SECTION,ID,ID…``: the ids a section got from a file the scenario
includes (``#included,lib/press.yaml,actors,press,dpa``). The sheet holds the merged
scenario, so the import reads these rows as information only: a round trip gives the
same scenario, in one file."""

HOTWASH: Final = "hotwash"
"""``#hotwash,PROMPT``: one of the facilitator's hotwash prompts, in order (one per row)."""

KEYS: Final = frozenset(
    {MARKER.lstrip("#"), *SCALARS, *LAYOUT, *REFERENCE_ROWS, SETTING, COMMENT, INCLUDED, HOTWASH}
)
