"""Reading a CSV sheet into numbered rows: metadata, the header, the inject rows.

Spreadsheets save CSV in several dialects; :mod:`engine.sheetfile` reads them, as it
reads the roster and the answers ``sitroom rubric`` grades: UTF-8 (with or without
the byte-order mark Excel writes), UTF-16 with a byte-order mark, and commas,
semicolons (European Excel) or tabs between cells, found from the first line that
has one. Rows are numbered as the spreadsheet numbers them: one per record, however
many line breaks its cells hold. A line break inside a cell is read as one ``\n``
whichever way the spreadsheet wrote it (some write ``\r\n`` in cells as well as
between rows), so a body edited on Windows reads the same as on a Mac. A cell the
export wrote behind an apostrophe, so that a spreadsheet shows it rather than run
it as a formula, is read without it.

A sheet is bounded before anything in it is interpreted: at most :data:`MAX_BYTES`,
:data:`MAX_ROWS` rows and :data:`MAX_CELL` characters in a cell. Past a bound the
import stops with one located problem, at once, whatever else the sheet holds.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field

from engine import sheetfile
from engine.i18n import N_, _
from engine.i18n.forms import grouped
from engine.msel.cells import unescape_formula
from engine.msel.columns import column_for
from engine.msel.metadata import KEYS
from engine.msel.report import SHEET, Cell, Report
from engine.textfile import NotUtf8

MAX_BYTES = 16 * 1024 * 1024
"""Largest sheet read, as the scenario loader reads at most 16 MiB of YAML."""
MAX_ROWS = 5_000
"""Most rows read (records, as the spreadsheet numbers them): a 2,000-inject scenario
with its teams and actors is about 2,100."""
MAX_CELL = 32_767
"""Longest cell read, in characters: as much as an Excel cell holds (an inject's body is
a few thousand at most)."""


@dataclass
class Row:
    """One record of the sheet: its spreadsheet row number and its cells."""

    number: int
    cells: list[str]

    def get(self, index: int) -> str:
        """The cell at 0-based ``index``, or empty text past the row's end."""
        return self.cells[index] if index < len(self.cells) else ""

    @property
    def blank(self) -> bool:
        return not any(c.strip() for c in self.cells)

    @property
    def key(self) -> str | None:
        """``team`` for a ``#team,…`` row; None for other rows (``##`` comments included)."""
        first = self.get(0).strip()
        if first.startswith("#") and not first.startswith("##"):
            return first[1:].strip().lower()
        return None

    @property
    def comment(self) -> bool:
        return self.get(0).strip().startswith("##")


@dataclass
class Sheet:
    """The rows above the table, the header row, and the inject rows."""

    metadata: list[Row] = field(default_factory=list)
    header: Row | None = None
    rows: list[Row] = field(default_factory=list)


_BINARY = N_("not a CSV sheet (it holds binary data): save the sheet as CSV UTF-8")


def decode(raw: bytes, report: Report) -> str | None:
    """The sheet's text, or None after reporting why it is not text sitroom reads."""
    try:
        text = sheetfile.decode(raw, report.name)
    except NotUtf8 as exc:
        if exc.wide and exc.encoding == "UTF-8":  # UTF-16 without its byte-order mark
            report.error(SHEET, _(_BINARY))
            return None
        report.error(
            SHEET if exc.encoding == "UTF-16" else Cell(exc.line, 0, ""),
            _(
                "not {encoding} text (byte {byte} at offset {offset}): "
                "save the sheet as CSV UTF-8 (in Excel: Save As, CSV UTF-8)"
            ).format(encoding=exc.encoding, byte=exc.hex, offset=exc.offset),
        )
        return None
    if "\x00" in text:
        report.error(SHEET, _(_BINARY))
        return None
    return text


def too_large(size: int, report: Report) -> bool:
    """Whether a sheet of ``size`` bytes is past :data:`MAX_BYTES` (then reported)."""
    if size <= MAX_BYTES:
        return False
    mib, limit = size / 1024 / 1024, MAX_BYTES // 1024 // 1024
    report.error(
        SHEET,
        _(
            "the sheet is too large ({size} MiB; the limit is {limit} MiB): "
            "split the exercise into several scenarios"
        ).format(size=f"{mib:.1f}", limit=limit),
    )
    return True


def read_rows(text: str, report: Report) -> list[Row] | None:
    """The sheet's records, numbered; a quote left open swallows the rest, so it is reported.

    None when the sheet is past a bound (:data:`MAX_ROWS`, :data:`MAX_CELL`), after
    reporting where: reading stops at the first row too many.
    """
    rows: list[Row] = []
    sep = sheetfile.delimiter(text) or ","
    reader = sheetfile.rows(text, sep)
    limit = csv.field_size_limit()
    csv.field_size_limit(MAX_BYTES)  # any cell of a sheet within bounds: long ones are located
    bounded = True
    unclosed: sheetfile.UnclosedQuote | None = None
    try:
        for number, cells in enumerate(reader, start=1):
            if _too_many(number, report):
                return None
            bounded &= _cells_bounded(number, cells, report)
            rows.append(Row(number, [unescape_formula(cell) for cell in cells]))
    except sheetfile.UnclosedQuote as exc:
        # the record the quote opened in, the rest of the sheet in its last cell: bounded
        # like any other, then left out
        if _too_many(exc.row, report):
            return None
        bounded &= _cells_bounded(exc.row, exc.cells, report)
        unclosed = exc
    except csv.Error as exc:
        report.error(
            Cell(len(rows) + 1, 0, ""),
            _("cannot read this row as CSV ({error}); rows after it were not read").format(
                error=exc
            ),
        )
    finally:
        csv.field_size_limit(limit)
    if not bounded:
        return None
    if unclosed is not None:
        report.error(
            Cell(unclosed.row, unclosed.column, ""),
            sheetfile.unclosed_reason(),
        )
    return rows


def _too_many(number: int, report: Report) -> bool:
    """Whether row ``number`` is past :data:`MAX_ROWS` (then reported)."""
    if number <= MAX_ROWS:
        return False
    report.error(
        Cell(number, 1, ""),
        _("the sheet has more than {rows} rows: split the exercise into several scenarios").format(
            rows=grouped(MAX_ROWS)
        ),
    )
    return True


def _cells_bounded(number: int, cells: list[str], report: Report) -> bool:
    """Whether every cell is at most :data:`MAX_CELL` characters (each longer one reported)."""
    bounded = True
    for col, cell in enumerate(cells, start=1):
        if len(cell) > MAX_CELL:
            report.error(
                Cell(number, col, ""),
                _(
                    "this cell holds {n} characters; a cell holds at most {most} (as in Excel)"
                ).format(n=grouped(len(cell)), most=grouped(MAX_CELL)),
            )
            bounded = False
    return bounded


def split(rows: list[Row]) -> Sheet:
    """``#key`` rows (anywhere), the header (the first row naming two known columns), the rest.

    Rows above the header that are not ``#key`` rows (a template's title line) are
    kept with the metadata, where the import reports them as ignored.
    """
    sheet = Sheet()
    for row in rows:
        if row.blank or row.comment:
            continue
        if row.key in KEYS:
            sheet.metadata.append(row)
        elif sheet.header is None:
            if _is_header(row):
                sheet.header = row
            else:
                sheet.metadata.append(row)
        else:
            sheet.rows.append(row)
    return sheet


def _is_header(row: Row) -> bool:
    known = {column_for(cell) for cell in row.cells if cell.strip()}
    known.discard(None)
    return len(known) >= 2
