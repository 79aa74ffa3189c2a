"""Reading the ``#key,value`` rows above the table into scenario fields.

Values are passed on as written (text), except where the cell's meaning is
certain: whole numbers for ``seed`` and ``size``, numbers for thresholds, YAML
scalars for settings. Anything the scenario model then refuses is reported at
the cell it came from.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from engine.i18n import _
from engine.msel.cells import CellError, load_yaml, split_list
from engine.msel.metadata import (
    COMMENT,
    FORMAT_VERSION,
    HOTWASH,
    INCLUDED,
    KEYS,
    LAYOUT,
    MARKER,
    REFERENCE_ROWS,
    SCALARS,
    SECTION,
    SETTING,
    STRUCTURED_PHASE_CELLS,
)
from engine.msel.report import Cell, Report
from engine.msel.sheet import Row
from engine.scenario.model import Thresholds

DEFAULT_THRESHOLDS = {name: Thresholds.model_fields[name].default for name in ("P", "S", "M")}


@dataclass
class Entity:
    """A phase, objective, team or actor row: its fields and the cell of each."""

    data: dict[str, Any]
    cells: dict[str, Cell]
    """By field name; ``""`` is the row's key cell."""


@dataclass
class Metadata:
    """What the rows above the table said, and where."""

    scalars: dict[str, str] = field(default_factory=dict)
    scalar_cells: dict[str, Cell] = field(default_factory=dict)
    references: dict[str, list[str]] = field(default_factory=dict)
    reference_cells: dict[tuple[str, int], Cell] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    setting_cells: dict[str, Cell] = field(default_factory=dict)
    entities: dict[str, list[Entity]] = field(default_factory=lambda: {kind: [] for kind in LAYOUT})
    comments: list[str] = field(default_factory=list)
    """The ``#comment`` rows' text: the scenario file's leading comment block."""
    hotwash: list[str] = field(default_factory=list)
    """The ``#hotwash`` rows' prompts, in order."""


def read_metadata(rows: list[Row], report: Report) -> Metadata:
    meta = Metadata()
    seen: dict[str, int] = {}
    for row in rows:
        key = row.key
        if key is None:
            report.warn(
                Cell(row.number, 1, ""),
                _(
                    "ignored: rows above the table are #key rows (#id, #title, #team …) "
                    "or ## comments"
                ),
            )
            continue
        if key not in KEYS:
            close = difflib.get_close_matches(key, sorted(KEYS), n=1, cutoff=0.6)
            if close:
                said = _("unknown row #{key} (did you mean #{close}?)").format(
                    key=key, close=close[0]
                )
            else:
                said = _("unknown row #{key}").format(key=key)
            report.error(Cell(row.number, 1, f"#{key}"), said)
            continue
        if key == MARKER.lstrip("#"):
            _check_version(row, report)
        elif key in SCALARS:
            _scalar(meta, row, key, seen, report)
        elif key in REFERENCE_ROWS:
            _reference(meta, row, key, report)
        elif key == SETTING:
            _setting(meta, row, report)
        elif key == COMMENT:
            meta.comments.append(row.get(1))
            _extra_cells(row, 2, f"#{COMMENT}", report)
        elif key == INCLUDED:
            continue  # where items came from: the sheet itself holds them
        elif key == HOTWASH:
            _extra_cells(row, 2, f"#{HOTWASH}", report)
            if row.get(1).strip():
                meta.hotwash.append(row.get(1))
        else:
            _entity(meta, row, key, report)
    return meta


def _check_version(row: Row, report: Report) -> None:
    version = row.get(1).strip()
    if version and version != FORMAT_VERSION:
        report.warn(
            Cell(row.number, 2, MARKER),
            _("written in MSEL format {version}; this sitroom reads format {format}").format(
                version=version, format=FORMAT_VERSION
            ),
        )


def _extra_cells(row: Row, used: int, label: str, report: Report) -> None:
    for index in range(used, len(row.cells)):
        if row.cells[index].strip():
            report.error(
                Cell(row.number, index + 1, label),
                _("unexpected cell: the value spans several cells (put it in quotes in the CSV)"),
            )
            return


def _scalar(meta: Metadata, row: Row, key: str, seen: dict[str, int], report: Report) -> None:
    cell = Cell(row.number, 2, f"#{key}")
    if key in seen:
        report.error(
            cell,
            _("{row_key} is given twice (also row {row})").format(row_key=f"#{key}", row=seen[key]),
        )
        return
    seen[key] = row.number
    _extra_cells(row, 2, f"#{key}", report)
    value = row.get(1)
    if value:
        meta.scalars[key] = value
        meta.scalar_cells[key] = cell


def _reference(meta: Metadata, row: Row, key: str, report: Report) -> None:
    field_name = REFERENCE_ROWS[key]
    found = meta.references.setdefault(field_name, [])
    if key == "incident":
        _extra_cells(row, 2, "#incident", report)
        if row.get(1):
            meta.reference_cells[(field_name, len(found))] = Cell(row.number, 2, "#incident")
            found.append(row.get(1))
        return
    for index, text in enumerate(row.cells[1:], start=2):
        if text.strip():
            meta.reference_cells[(field_name, len(found))] = Cell(row.number, index, f"#{key}")
            found.append(text.strip())


def _setting(meta: Metadata, row: Row, report: Report) -> None:
    name = row.get(1).strip()
    cell = Cell(row.number, 3, f"#setting {name}")
    _extra_cells(row, 3, "#setting", report)
    if not name:
        report.error(Cell(row.number, 2, "#setting"), _("name the setting: #setting,NAME,VALUE"))
        return
    meta.settings[name] = _scalar_value(row.get(2))
    meta.setting_cells[name] = cell


def _entity(meta: Metadata, row: Row, kind: str, report: Report) -> None:
    layout = LAYOUT[kind]
    _extra_cells(row, len(layout) + 1, f"#{kind}", report)
    item: dict[str, Any] = {}
    cells: dict[str, Cell] = {"": Cell(row.number, 1, f"#{kind}")}
    thresholds: dict[str, Any] = {}
    for index, name in enumerate(layout, start=1):
        text = row.get(index)
        cell = Cell(row.number, index + 1, f"#{kind} {name}")
        cells[name] = cell
        if not text or (not text.strip() and name in ("id", "kind", "size", "tags", *"PSM")):
            continue
        if kind == "phase" and name in STRUCTURED_PHASE_CELLS:
            try:
                item[name] = load_yaml(text)
            except CellError as exc:
                where = (SECTION[kind], len(meta.entities[kind]), name)
                report.error(cell, str(exc), concerns=where)
        elif name in ("P", "S", "M"):
            thresholds[name] = _number(text)
        elif name == "size":
            item[name] = int(text) if re.fullmatch(r"\s*\d+\s*", text) else text
        elif name == "tags":
            try:
                item[name] = split_list(text)
            except CellError as exc:
                path = (SECTION[kind], len(meta.entities[kind]), "tags")
                report.error(cell, str(exc), concerns=path)
        else:
            item[name] = text.strip() if name in ("id", "kind") else text
    if thresholds and {**DEFAULT_THRESHOLDS, **thresholds} != DEFAULT_THRESHOLDS:
        item["thresholds"] = thresholds
    meta.entities[kind].append(Entity(item, cells))


def _number(text: str) -> float | str:
    try:
        return float(text)
    except ValueError:
        return text


def _scalar_value(text: str) -> Any:
    """A setting's value as YAML reads it (``6`` → 6, ``false`` → False), else the text."""
    try:
        value = load_yaml(text)
    except CellError:
        return text
    return value if isinstance(value, (str, int, float, bool)) else text
