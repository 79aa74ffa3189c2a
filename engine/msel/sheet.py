"""Reading a CSV sheet into numbered rows: metadata, the header, the inject rows.

Spreadsheets save CSV in several dialects; the reader accepts UTF-8 (with or
without the byte-order mark Excel writes), UTF-16 with a byte-order mark, and
commas, semicolons (European Excel) or tabs between cells, found from the first
line. Rows are numbered as the spreadsheet numbers them: one per record, however
many line breaks its cells hold.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from engine.msel.columns import column_for
from engine.msel.metadata import KEYS
from engine.msel.report import SHEET, Cell, Report

MAX_CELL = 1_000_000
"""Longest cell read (characters); an inject's body is a few thousand at most."""


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


def decode(raw: bytes, report: Report) -> str | None:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        report.error(
            SHEET,
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}): "
            "save the sheet as CSV UTF-8",
        )
        return None


def delimiter(text: str) -> str:
    """The separator the first line uses most, outside quotes: ``,`` ``;`` or tab."""
    counts = {",": 0, ";": 0, "\t": 0}
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif char == "\n" and not quoted:
            break
        elif char in counts and not quoted:
            counts[char] += 1
    best = max(counts, key=lambda c: counts[c])
    return best if counts[best] else ","


def read_rows(text: str, report: Report) -> list[Row]:
    rows: list[Row] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text))
    limit = csv.field_size_limit()
    csv.field_size_limit(MAX_CELL)
    try:
        for number, cells in enumerate(reader, start=1):
            rows.append(Row(number, cells))
    except csv.Error as exc:
        report.error(
            Cell(len(rows) + 1, 0, ""),
            f"cannot read this row as CSV ({exc}); rows after it were not read",
        )
    finally:
        csv.field_size_limit(limit)
    return rows


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
