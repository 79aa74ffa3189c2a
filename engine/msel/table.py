"""The header row: which column is which, and what the sheet lacks.

Columns are found by name (see :mod:`engine.msel.columns`), in any order. A
column the import does not know is reported and skipped; a column it needs and
cannot find is reported once, at the header, rather than on every row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.i18n import N_, _
from engine.msel import columns as C
from engine.msel.report import Cell, Report
from engine.msel.sheet import Row

# Said in the importer's language where reported (N_: the language may change after import).
REQUIRED = {
    C.INJECT: N_("number every inject (Inject #)"),
    C.SYNOPSIS: N_("every inject needs a one-line synopsis (its title)"),
    C.FROM: N_("every inject needs a simulated sender (From)"),
    C.TO: N_("every inject needs its recipients (To: team names, or all)"),
    C.METHOD: N_("every inject needs a delivery method (email, phone, news …)"),
}


@dataclass
class Header:
    """Where each known column is (0-based index) and its header text."""

    row: int
    width: int = 0
    """How many cells the header row has, up to its last named column."""
    index: dict[str, int] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)

    def has(self, column: str) -> bool:
        return column in self.index

    def cell(self, row: Row, column: str, structured: bool = False) -> tuple[str, Cell]:
        """The text of ``column`` in ``row`` (empty if the sheet lacks it) and its cell."""
        where = self.index.get(column)
        if where is None:
            return "", Cell(row.number, 0, column, structured)
        return row.get(where), Cell(row.number, where + 1, self.titles[column], structured)


def read_header(row: Row, report: Report) -> Header:
    named = [k for k, title in enumerate(row.cells) if title.strip()]
    header = Header(row.number, width=named[-1] + 1 if named else 0)
    for index, title in enumerate(row.cells):
        if not title.strip():
            continue
        column = C.column_for(title)
        cell = Cell(row.number, index + 1, title.strip())
        if column is None:
            report.warn(cell, _("not a column sitroom reads: ignored"))
            continue
        if column in header.index:
            first = header.index[column] + 1
            report.error(
                cell,
                _("a second {column} column (the first is column {first}): ignored").format(
                    column=column, first=first
                ),
            )
            continue
        header.index[column] = index
        header.titles[column] = title.strip()
    for column, why in REQUIRED.items():
        if column not in header.index:
            report.error(
                Cell(row.number, 0, ""),
                _("no {column} column: {why}").format(column=column, why=_(why)),
            )
    return header
