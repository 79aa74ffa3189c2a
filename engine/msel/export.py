"""A scenario as an MSEL spreadsheet (CSV): metadata rows, then one row per inject.

The HSEEP columns come first and read on their own; the extension columns to
their right carry everything else sitroom needs, so importing the sheet gives
back the very same scenario. ``Expected action`` and ``Objective`` summarise the
``Expectations`` column for people; the import reads ``Expectations``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from engine.durations import format_offset
from engine.msel import columns as C
from engine.msel.cells import escape_formula, format_references, format_yaml, join_list
from engine.msel.metadata import (
    COMMENT,
    FORMAT_VERSION,
    HOTWASH,
    INCLUDED,
    LAYOUT,
    MARKER,
    SCALARS,
    SECTION,
    SETTING,
    STRUCTURED_PHASE_CELLS,
)
from engine.msel.summary import expected_action, objectives_of
from engine.scenario.attachfiles import as_written
from engine.scenario.include import Included
from engine.scenario.model import Scenario
from engine.scenario.modules import Talk, discussion_line
from engine.scenario.modules import talks as talks_of
from engine.storyclock import StoryClock, story_clock

CONTROLLER_TAG = "controller:"
"""The scenario model has no controller field: the ``Controller`` column travels as the
inject's first tag, ``controller:NAME``."""

Row = list[str]


def with_role(anchor: str, role: str | None) -> str:
    """An After or If-no-response cell: ``legal: L-01.decide`` when the anchor is the
    team of another role in the cell (read back by :mod:`engine.msel.rows`)."""
    return f"{role}: {anchor}" if role else anchor


def export_rows(
    scenario: Scenario, comments: Sequence[str] = (), included: Sequence[Included] = ()
) -> list[Row]:
    """Every row of the sheet, metadata first, as text cells.

    ``comments`` is the scenario file's leading comment block
    (:func:`leading_comments`), carried in ``#comment`` rows: the model does not
    hold comments, so the caller that read the file passes them.

    A cell a spreadsheet would run as a formula (a title ``=HYPERLINK(…)``, a
    YAML list ``- id: …``, a time ``+5m0s250ms``) is written behind an apostrophe,
    which the import takes off again: see :func:`~engine.msel.cells.escape_formula`.

    ``included`` (the loader's :attr:`~engine.scenario.load.LoadResult.included`) says
    which ids came from which included file, in ``#included`` rows.
    """
    rows = [
        *metadata_rows(scenario, comments),
        *included_rows(included),
        [],
        list(C.EXPORT_COLUMNS),
        *inject_rows(scenario),
    ]
    return [[escape_formula(cell) for cell in row] for row in rows]


def export_csv(
    scenario: Scenario,
    line_end: str = "\n",
    comments: Sequence[str] = (),
    included: Sequence[Included] = (),
) -> str:
    """The sheet as CSV text (comma-separated, cells quoted as needed).

    ``line_end`` ends each row (``"\\r\\n"`` for Excel); line breaks inside a cell
    stay ``\\n``, as spreadsheets write them, so a body's text is not changed.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=line_end)
    quoted = csv.writer(buffer, lineterminator=line_end, quoting=csv.QUOTE_ALL)
    for row in export_rows(scenario, comments, included):
        # csv quotes a cell holding the row's line end, but not a lone carriage return,
        # which a reader takes for the end of the row: such a row is quoted throughout.
        (quoted if any("\r" in cell for cell in row) else writer).writerow(row)
    return buffer.getvalue()


def leading_comments(text: str) -> list[str]:
    """The comment block at the top of a scenario file, without its ``# `` marks.

    The editor's schema line (``# yaml-language-server: …``) and the empty comment
    line after it are left out: the import writes them itself. The block ends at
    the first line that is not a comment (a blank line too).
    """
    lines = text.lstrip("\ufeff").splitlines()
    out: list[str] = []
    for line in lines:
        if not line.startswith("#"):
            break
        out.append(line[2:] if line.startswith("# ") else line[1:])
    if out and out[0].startswith("yaml-language-server:"):
        out = out[2:] if len(out) > 1 and not out[1].strip() else out[1:]
    return out


def included_rows(included: Sequence[Included]) -> list[Row]:
    """``#included,FILE,SECTION,ID…``: one row per file and section it added to."""
    rows = [
        [f"#{INCLUDED}", part.file, section, *ids]
        for part in included
        for section, ids in part.ids.items()
    ]
    return [[f"##{INCLUDED}", "file", "section", "ids…"], *rows] if rows else []


def metadata_rows(scenario: Scenario, comments: Sequence[str] = ()) -> list[Row]:
    data = scenario.model_dump(mode="json", by_alias=True)
    rows: list[Row] = [
        [MARKER, FORMAT_VERSION],
        ["## Scenario data for sitroom: keep these rows above the table when editing."],
    ]
    rows.extend([f"#{COMMENT}", line] for line in comments)
    rows.extend([f"#{key}", _text(data[key])] for key in SCALARS)
    refs = data["references"]
    if refs["atlas"]:
        rows.append(["#atlas", *refs["atlas"]])
    if refs["owasp_llm"]:
        rows.append(["#owasp_llm", *refs["owasp_llm"]])
    rows.extend(["#incident", text] for text in refs["incidents"])
    rows.extend([f"#{SETTING}", name, _text(value)] for name, value in data["settings"].items())
    rows.extend([f"#{HOTWASH}", _text(prompt)] for prompt in data["hotwash"])
    for kind, cells in LAYOUT.items():
        items = data[SECTION[kind]]
        if not items:
            continue
        rows.append([f"##{kind}", *cells])
        rows.extend([f"#{kind}", *(_entity_cell(kind, item, c) for c in cells)] for item in items)
    return rows


def _entity_cell(kind: str, item: dict[str, Any], cell: str) -> str:
    if kind == "phase" and cell in STRUCTURED_PHASE_CELLS:
        return _phase_cell(item[cell])
    if kind == "objective" and cell in ("P", "S", "M"):
        return repr(float(item["thresholds"][cell]))
    if cell == "tags":
        return join_list(item["tags"])
    return _text(item[cell])


def _phase_cell(value: dict[str, Any] | None) -> str:
    """A module's ``after`` (``module-1``, or YAML with a delay) or ``discussion`` (its
    questions as YAML), the fields at their defaults left out."""
    if value is None:
        return ""
    lean = {k: v for k, v in value.items() if not (k == "delay" and v == "0")}
    if list(lean) == ["phase"]:
        return str(lean["phase"])
    return format_yaml(lean)


def inject_rows(scenario: Scenario) -> list[Row]:
    """One row per inject, and a ``##`` row for each module's discussion before the
    first inject timed after it: the sheet shows where play pauses, and the import
    skips it as a comment (the discussion travels in its phase's row).

    A row with a Time gets the story's time then in Story time when the scenario has
    a ``start`` (:func:`~engine.storyclock.story_clock`, as every console shows it)."""
    rows = []
    talks = talks_of(scenario)
    clock = story_clock(scenario)
    for inject in scenario.injects:
        while talks and inject.at is not None and inject.at > talks[0].at:
            rows.append(_talk_row(talks.pop(0), clock))
        full = inject.model_dump(mode="json", by_alias=True)
        lean = inject.model_dump(mode="json", by_alias=True, exclude_defaults=True)
        cells = _inject_cells(full, lean)
        if inject.at is not None:
            cells[C.TIME] = format_offset(inject.at)
            cells[C.STORY] = clock.text(inject.at) if clock is not None else ""
        rows.append([cells.get(column, "") for column in C.EXPORT_COLUMNS])
    rows.extend(_talk_row(talk, clock) for talk in talks)
    return rows


def _talk_row(talk: Talk, clock: StoryClock | None) -> Row:
    cells = {
        C.INJECT: "## discussion",
        C.PHASE: talk.phase.id,
        C.TIME: format_offset(talk.at),
        C.STORY: clock.text(talk.at) if clock is not None else "",
        C.SYNOPSIS: discussion_line(talk),
    }
    return [cells.get(column, "") for column in C.EXPORT_COLUMNS]


def _inject_cells(full: dict[str, Any], lean: dict[str, Any]) -> dict[str, str]:
    tags = list(full["tags"])
    controller = ""
    if tags and tags[0].startswith(CONTROLLER_TAG):
        controller = tags.pop(0)[len(CONTROLLER_TAG) :]
    expects = [_lead_with_kind(e) for e in lean.get("expects", [])]
    cells = {
        C.INJECT: full["id"],
        C.PHASE: _text(full["phase"]),
        C.SYNOPSIS: full["title"],
        C.FROM: full["from"],
        C.TO: full["to"] if full["to"] == "all" else ", ".join(full["to"]),
        C.METHOD: full["channel"],
        C.CONTROLLER: controller,
        C.EXPECTED: expected_action(expects),
        C.OBJECTIVE: ", ".join(objectives_of(expects)),
        C.NOTES: full["notes"],
        C.JITTER: full["jitter"] if full["jitter"] != "0" else "",
        C.CONTINGENCY: "yes" if full["contingency"] else "",
        C.PRIORITY: full["priority"],
        C.TAGS: join_list(tags) if tags else "",
        C.REFERENCES: format_references(full["references"]),
        C.BODY: full["body"],
        C.ATTACHMENTS: (
            format_yaml([as_written(a) for a in lean["attachments"]])
            if "attachments" in lean
            else ""
        ),
        C.EXPECTATIONS: format_yaml(expects) if expects else "",
        C.WHEN: format_yaml(lean["when"]) if "when" in lean else "",
    }
    after, no_response = full["after"], full["if_no_response"]
    if after is not None:
        cells[C.AFTER] = with_role(after["inject"] or after["response"], after.get("role"))
        cells[C.DELAY] = after["delay"]
    elif no_response is not None:
        cells[C.IF_NO_RESPONSE] = with_role(no_response["expectation"], no_response.get("role"))
        cells[C.DELAY] = no_response["delay"]
    if cells.get(C.DELAY) == "0":
        cells[C.DELAY] = ""
    return cells


def _lead_with_kind(expectation: dict[str, Any]) -> dict[str, Any]:
    """``id`` and ``kind`` first: the order a planner reads an expectation in."""
    head = {k: expectation[k] for k in ("id", "kind") if k in expectation}
    return head | {k: v for k, v in expectation.items() if k not in head}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
