"""An MSEL sheet → scenario YAML, with every problem located in the sheet.

The import reads the sheet into plain scenario data, writes it as YAML, then
checks that YAML with the very loader ``sitroom validate`` uses. Whatever the
loader finds (schema errors, unknown references, unreachable injects) is moved
back onto the cell it came from, so a planner fixing the sheet sees
``msel.csv:14:3: Time: …`` and never a YAML line number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path as FsPath
from pathlib import PurePath
from typing import Any

from engine.durations import (
    ClockTime,
    DurationError,
    TimeError,
    format_duration,
    parse_duration,
    parse_time_of_day,
)
from engine.i18n import N_, _
from engine.msel.meta_read import Entity, Metadata, read_metadata
from engine.msel.metadata import SCALARS, SECTION
from engine.msel.names import Names
from engine.msel.report import SHEET, Cell, Report
from engine.msel.rows import Context, Inject, read_injects
from engine.msel.sheet import Row, decode, read_rows, split, too_large
from engine.msel.table import read_header
from engine.msel.yamlout import Block, document
from engine.problems import Problem, errors
from engine.scenario.load import load_bytes
from engine.scenario.model import Scenario, Settings
from engine.scenario.yamlsrc import Path, format_path

SCHEMA_LINE = "yaml-language-server: $schema=./schema.json"

DERIVED_NOTES = {
    "phase": "Phases named in the sheet's Phase column, with ids derived from their names.",
    "objective": (
        "Objectives named in the sheet's Objective column, with ids derived from their "
        "names: add each one's capability and, if needed, its P/S/M thresholds."
    ),
    "team": (
        "Teams named in the sheet's To column, with ids derived from their names: "
        "add each one's role and size."
    ),
    "actor": (
        "Senders named in the sheet's From column, with ids derived from their names: "
        "each one's kind is 'other' until you set press, regulator, vendor …"
    ),
}

# Said in the importer's language where reported (N_: the language may change after import).
MISSING = {
    "id": N_("no scenario id: add a row #id,your-scenario-id above the table"),
    "title": N_("no scenario title: add a row #title,… above the table"),
    "duration": N_("no scenario duration: add a row #duration,3h above the table"),
}


@dataclass
class ImportResult:
    """The scenario YAML (written even when it has errors, to be fixed) and the problems."""

    yaml: str
    problems: list[Problem]
    scenario: Scenario | None
    injects: int

    @property
    def ok(self) -> bool:
        return not errors(self.problems)


def import_csv(
    raw: bytes | str,
    name: str = "msel.csv",
    start: str | None = None,
    folder: FsPath | None = None,
) -> ImportResult:
    """Read an MSEL sheet (CSV) into a scenario; ``start`` is ``--start`` (HH:MM or ISO);
    ``folder`` is where the scenario goes, whose attachment files it names."""
    report = Report(name)
    if too_large(len(raw), report):
        return ImportResult("", report.sorted_problems(), None, 0)
    text = decode(raw, report) if isinstance(raw, bytes) else raw
    if text is None:
        return ImportResult("", report.sorted_problems(), None, 0)
    rows = read_rows(text, report)
    if rows is None:
        return ImportResult("", report.sorted_problems(), None, 0)
    sheet = split(rows)
    if sheet.header is None:
        report.error(SHEET, _no_table(text, rows))
        return ImportResult("", report.sorted_problems(), None, 0)
    meta = read_metadata(sheet.metadata, report)
    header = read_header(sheet.header, report)
    names = {
        kind: Names(kind, "name" if kind in ("team", "actor") else "title", [e.data for e in items])
        for kind, items in meta.entities.items()
    }
    ctx = Context(
        header,
        report,
        names["team"],
        names["actor"],
        names["phase"],
        names["objective"],
        _start_clock(meta, start, report),
    )
    injects = read_injects(sheet.rows, ctx)
    data = _assemble(meta, names, injects, start, report)
    yaml_text = document(
        _header_comments(name, meta.comments), _blocks(data, names, injects, report)
    )
    loaded = load_bytes(yaml_text, name, path=None if folder is None else folder / "imported.yaml")
    _relocate(loaded.problems, report, data)
    problems = report.sorted_problems()
    scenario = loaded.scenario if loaded.ok and not errors(problems) else None
    return ImportResult(yaml_text, problems, scenario, len(injects))


def _no_table(text: str, rows: list[Row]) -> str:
    """Why there is nothing to import: an empty sheet, a scenario file, or no header row."""
    if all(row.blank for row in rows):
        return _("the sheet is empty: nothing to import")
    if _YAML_HINT.search(text):
        return _(
            "no MSEL table: this looks like a scenario (YAML), not a sheet; "
            "`sitroom msel export` turns a scenario into a sheet"
        )
    return _(
        "no MSEL table: no row names the columns (Inject #, Time, Synopsis, From, To, "
        "Method …); write them in one row above the injects"
    )


_YAML_HINT = re.compile(r"^(?:---\s*$|# yaml-language-server|(?:id|injects|teams):\s)", re.M)


def _start_clock(meta: Metadata, option: str | None, report: Report) -> ClockTime | None:
    if option is not None:
        try:
            return parse_time_of_day(option)
        except TimeError as exc:
            report.error(SHEET, f"--start: {exc}")
            return None
    written = meta.scalars.get("start")
    if written is None:
        return None
    try:
        return parse_time_of_day(written)
    except TimeError:
        return None  # the scenario check reports the #start cell


def _assemble(
    meta: Metadata,
    names: dict[str, Names],
    injects: list[Inject],
    start: str | None,
    report: Report,
) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key in SCALARS:
        value: Any = meta.scalars.get(key)
        if key == "start" and value is None and start and re.match(r"^\d{4}-", start.strip()):
            value = start.strip()
        if value is None or (key == "version" and value.strip() == "1"):
            continue
        if key == "seed" and re.fullmatch(r"\s*-?\d+\s*", value):
            value = int(value)
        data[key] = value
        if key in meta.scalar_cells:
            report.place((key,), meta.scalar_cells[key])
    for key, message in MISSING.items():
        if key not in data:
            last = _last_time(injects) if key == "duration" else None
            if last is not None:
                said = _(
                    "no scenario duration: add a row #duration,3h above the table "
                    "(the last timed inject is at {time})"
                ).format(time=last)
            else:
                said = _(message)
            report.error(SHEET, said, concerns=(key,))
    refs = {k: v for k, v in meta.references.items() if v}
    if refs:
        data["references"] = refs
        for (field, index), cell in meta.reference_cells.items():
            report.place(("references", field, index), cell)
            report.place(("references", field), cell)
    settings = {k: v for k, v in meta.settings.items() if not _is_default_setting(k, v)}
    if settings:
        data["settings"] = settings
    for setting, cell in meta.setting_cells.items():
        report.place(("settings", setting), cell)
    for kind, section in SECTION.items():
        items = names[kind].all
        if items:
            data[section] = items
        _place_entities(section, meta.entities[kind], names[kind], report)
    if not names["team"].all:
        report.error(
            SHEET,
            _("no teams: add #team rows above the table, or name teams in the To column"),
            concerns=("teams",),
        )
    data["injects"] = [inject.data for inject in injects]
    if meta.hotwash:
        data["hotwash"] = meta.hotwash
    return data


def _is_default_setting(name: str, value: Any) -> bool:
    field = Settings.model_fields.get(name)
    return field is not None and field.default == value and type(field.default) is type(value)


def _place_entities(section: str, defined: list[Entity], names: Names, report: Report) -> None:
    for k, entity in enumerate(defined):
        report.place((section, k), entity.cells[""])
        for field, cell in entity.cells.items():
            if field in ("P", "S", "M"):
                report.place((section, k, "thresholds", field), cell)
                if field == "P":
                    report.place((section, k, "thresholds"), cell)
            elif field:
                report.place((section, k, field), cell)
    for k, cell in enumerate(names.derived_cells, start=len(defined)):
        report.place((section, k), cell)


def _last_time(injects: list[Inject]) -> str | None:
    """When the last inject with a time of its own fires (None: none has one)."""
    times = []
    for inject in injects:
        try:
            times.append(parse_duration(inject.data.get("at", "")))
        except DurationError:
            continue
    return format_duration(max(times)) if times else None


_LINE_BREAKS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")
"""What YAML (or a terminal) could read as the end of a comment line: a cell's text
must stay inside its comment."""


def _header_comments(name: str, written: list[str]) -> list[str]:
    """The schema line, then the sheet's ``#comment`` rows (the scenario's own leading
    comments, kept on a round trip) or, for a sheet without any, where it came from."""
    if written:
        return [SCHEMA_LINE, "", *(_LINE_BREAKS.sub(" ", line) for line in written)]
    return [
        SCHEMA_LINE,
        "",
        f"Imported from {PurePath(name).name} by `sitroom msel import`.",
        "Check it with `sitroom validate FILE`; watch it with `sitroom preview FILE`.",
    ]


def _blocks(
    data: dict[str, Any], names: dict[str, Names], injects: list[Inject], report: Report
) -> list[Block]:
    blocks: list[Block] = []
    for key in SCALARS:
        if key in data:
            blocks.append(Block(key, data[key]))
        elif key in MISSING:
            blocks.append(Block(key, None, trailing=f"MISSING: {MISSING[key].split(': ', 1)[1]}"))
    for key in ("references", "settings"):
        if key in data:
            blocks.append(Block(key, data[key]))
    for kind, section in SECTION.items():
        if section not in data:
            if section == "teams":
                blocks.append(Block("teams", [], trailing="MISSING: at least one team"))
            continue
        notes = [DERIVED_NOTES[kind]] if names[kind].derived else []
        blocks.append(Block(section, data[section], comments=notes))
    comments = {k: inject.comments for k, inject in enumerate(injects) if inject.comments}
    blocks.append(Block("injects", data["injects"], item_comments=comments, spaced=True))
    if "hotwash" in data:
        blocks.append(Block("hotwash", data["hotwash"]))
    return blocks


_SEGMENT = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def parse_path(text: str) -> Path:
    """``injects[3].expects[0].due`` → ``("injects", 3, "expects", 0, "due")``."""
    out: list[str | int] = []
    for key, index in _SEGMENT.findall(text):
        out.append(int(index) if index else key)
    return tuple(out)


def _relocate(found: list[Problem], report: Report, data: dict[str, Any]) -> None:
    """The loader's problems, moved from YAML lines to the sheet's cells."""
    own = {(p.line, p.column) for p in report.problems if p.severity == "error" and p.column}
    rows_in_error = {line for line, _ in own}
    seen = {(p.line, p.column, p.message) for p in report.problems}
    for problem in found:
        path = parse_path(problem.path)
        if report.is_claimed(path):
            continue
        cell, base = report.cell_of(path)
        if (cell.row, cell.col) in own:
            continue
        if len(path) == 2 and path[0] == "injects" and cell.row in rows_in_error:
            continue  # a whole-inject finding caused by the cell already reported
        message = _first_in_sheet(problem.message, path, cell, data, report)
        if cell.structured and len(path) > len(base):
            message = f"{format_path(path[len(base) - 1 :])}: {message}"
        if (cell.row, cell.col, message) in seen:
            continue
        seen.add((cell.row, cell.col, message))
        report.add(cell, message, problem.severity)


_FIRST_AT = re.compile(r" \(first at line \d+\)$")


def _first_in_sheet(
    message: str, path: Path, cell: Cell, data: dict[str, Any], report: Report
) -> str:
    """A duplicate's ``(first at line N)``, a YAML line, as the sheet's row (or cell path)."""
    found = _FIRST_AT.search(message)
    if found is None:
        return message
    head = message[: found.start()]
    if len(path) < 2 or not isinstance(path[-2], int):
        return head
    items: Any = data
    for key in path[:-2]:
        try:
            items = items[key]
        except (KeyError, IndexError, TypeError):
            return head
    ident = items[path[-2]].get(path[-1]) if isinstance(items[path[-2]], dict) else None
    first = next(
        (
            j
            for j, item in enumerate(items)
            if isinstance(item, dict) and item.get(path[-1]) == ident
        ),
        None,
    )
    if first is None or first == path[-2]:
        return head
    first_path = (*path[:-2], first, path[-1])
    first_cell, base = report.cell_of(first_path)
    if first_cell.row and first_cell.row != cell.row:
        return f"{head} (first at row {first_cell.row})"
    if first_cell == cell and cell.structured and len(first_path) > len(base):
        return f"{head} (first at {format_path(first_path[len(base) - 1 :])})"
    return head
