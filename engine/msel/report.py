"""Where each value of an imported scenario came from in the sheet, and what went wrong.

Problems are located at a cell, ``msel.csv:ROW:COLUMN: LABEL: message``: ROW is
the spreadsheet's row number (a record, whatever line breaks its cells hold),
COLUMN the 1-based column number and LABEL the column's header (or the metadata
row's field, ``#team size``). Row and column 0 mean the sheet as a whole.

The import records the cell of every value it puts in the scenario, so the
scenario loader's own findings (an unknown team, an unreachable inject) can be
moved back onto the cell a planner has to fix.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.problems import Problem, Severity
from engine.scenario.yamlsrc import Path


@dataclass(frozen=True, slots=True)
class Cell:
    """A place in the sheet. ``structured`` cells hold YAML, whose inner paths are shown."""

    row: int
    col: int
    label: str
    structured: bool = False


SHEET = Cell(0, 0, "")
"""The sheet as a whole (a missing row or column)."""


@dataclass
class Report:
    """The problems found so far and the cell each scenario value came from."""

    name: str
    problems: list[Problem] = field(default_factory=list)
    cells: dict[Path, Cell] = field(default_factory=dict)
    claimed: set[Path] = field(default_factory=set)
    """Paths already reported on: the loader's findings there would only repeat them."""

    def place(self, path: Path, cell: Cell) -> None:
        self.cells[path] = cell

    def add(
        self,
        cell: Cell,
        message: str,
        severity: Severity = "error",
        concerns: Path | None = None,
    ) -> None:
        self.problems.append(Problem(self.name, cell.row, cell.col, cell.label, message, severity))
        if concerns is not None and severity == "error":
            self.claimed.add(concerns)

    def error(self, cell: Cell, message: str, concerns: Path | None = None) -> None:
        self.add(cell, message, "error", concerns)

    def warn(self, cell: Cell, message: str) -> None:
        self.add(cell, message, "warning")

    def is_claimed(self, path: Path) -> bool:
        return any(path[: len(c)] == c for c in self.claimed)

    def cell_of(self, path: Path) -> tuple[Cell, Path]:
        """The cell that holds ``path`` (or its nearest recorded ancestor), and that ancestor."""
        probe = path
        while probe:
            cell = self.cells.get(probe)
            if cell is not None:
                return cell, probe
            probe = probe[:-1]
        return SHEET, ()

    def sorted_problems(self) -> list[Problem]:
        return sorted(self.problems, key=lambda p: (p.line, p.column, p.severity != "error"))
