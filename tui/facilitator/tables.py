"""The MSEL and the team grid as live tables.

Both are Textual ``DataTable``s, which draw only the visible rows, so a grid of
1,000 teams scrolls smoothly. Updates touch only the cells that changed.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist, RowDoesNotExist

from engine.durations import format_clock
from engine.scenario import Scenario
from engine.scenario.trigger import describe_trigger
from tui.console.safe import line
from tui.model.staff import StaffModel, TeamRow

STATE_ORDER = ("delivered", "answered", "overdue", "held", "cancelled", "skipped", "pending")
STATE_STYLE = {
    "answered": "green",
    "overdue": "bold red",
    "held": "yellow",
    "cancelled": "dim",
    "skipped": "dim",
    "delivered": "cyan",
    "pending": "",
}


def msel_status(summary: dict[str, int], total: int) -> Text:
    text = Text(no_wrap=True)
    if not summary or summary.get("pending", 0) == total:
        return Text("pending", style="dim")
    first = True
    for state in STATE_ORDER:
        n = summary.get(state, 0)
        if n and state != "pending":
            if not first:
                text.append(" ")
            text.append(f"{n} {state}", style=STATE_STYLE[state])
            first = False
    return text


class MselTable(DataTable[Text | str]):
    """Every inject: time or trigger, title, and how it stands across teams."""

    def build(self, scenario: Scenario) -> None:
        self.clear(columns=True)
        self.cursor_type = "row"
        self.zebra_stripes = True
        self.add_column("Inject", key="id", width=8)
        self.add_column("When", key="when", width=26)
        self.add_column("Title", key="title", width=38)
        self.add_column("Status across teams", key="status", width=44)
        for inject in scenario.injects:
            when = describe_trigger(inject)
            title = ("◆ " if inject.contingency else "") + inject.title
            self.add_row(
                line(inject.id),
                line(when),
                line(title, limit=200),
                Text("pending", style="dim"),
                key=inject.id,
            )

    def refresh_rows(self, model: StaffModel) -> None:
        for inject_id, states in model.cells.items():
            try:
                self.update_cell(
                    inject_id, "status", msel_status(model.msel_summary(inject_id), len(states))
                )
            except (RowDoesNotExist, CellDoesNotExist):  # a row the table does not know yet
                continue


TEAM_COLUMNS = (
    ("Team", "id", 14),
    ("Role", "role", 12),
    ("Name", "name", 24),
    ("Score", "score", 10),
    ("Rank", "rank", 5),
    ("Members", "members", 8),
    ("Delivered", "delivered", 9),
    ("Answered", "answered", 9),
    ("Overdue", "overdue", 8),
    ("Last activity", "last", 13),
)
NUMERIC_COLUMNS = frozenset({"members", "delivered", "answered", "overdue", "score", "rank"})


def score_text(row: TeamRow) -> str:
    """Points over the maximum of what reached the team so far ("—" before anything did)."""
    if row.max_points <= 0 and row.points == 0:
        return "—"
    return f"{round(row.points, 1):g}/{row.max_points:g}"


def members_text(row: TeamRow) -> str:
    """Members who joined, out of the roster's when it names them ("2/5"), else just "2"."""
    if row.members:
        return f"{len(row.joined)}/{len(row.members)}"
    return str(len(row.joined))


def team_cells(row: TeamRow) -> tuple[str | Text, ...]:
    overdue = Text(str(row.overdue), style="bold red" if row.overdue else "")
    return (
        row.id,
        row.role,
        line(row.name, limit=200),
        score_text(row),
        str(row.rank) if row.rank else "—",
        members_text(row),
        str(row.delivered),
        str(row.answered),
        overdue,
        format_clock(row.last_activity) if row.last_activity else "—",
    )


class TeamGrid(DataTable[Text | str]):
    """Every fielded team's progress; sortable by any column (press its key in the header)."""

    sort_key: str = "id"
    sort_reverse: bool = False

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: dict[str, tuple[str | Text, ...]] = {}
        """Each row's cells as last drawn."""

    def build(self, model: StaffModel) -> None:
        self.clear(columns=True)
        self.cursor_type = "row"
        self.zebra_stripes = True
        for label, key, width in TEAM_COLUMNS:
            self.add_column(label, key=key, width=width)
        model.refresh_ranks()
        self._shown = {}
        for row in model.teams.values():
            cells = self._shown[row.id] = team_cells(row)
            self.add_row(*cells, key=row.id)

    def refresh_rows(self, model: StaffModel, teams: list[str] | None = None) -> None:
        """Update the cells that changed since they were last shown (a rank change can touch
        every row; most rows keep most of their cells)."""
        keys = [k for _l, k, _w in TEAM_COLUMNS]
        model.refresh_ranks()
        shown = self._shown
        for team_id in teams if teams is not None else list(model.teams):
            row = model.teams.get(team_id)
            if row is None:
                continue
            cells = team_cells(row)
            before = shown.get(team_id)
            if cells == before:
                continue
            try:
                for index, (key, value) in enumerate(zip(keys, cells, strict=True)):
                    if before is None or before[index] != value:
                        self.update_cell(team_id, key, value)
            except (RowDoesNotExist, CellDoesNotExist):  # row not built yet
                continue
            shown[team_id] = cells

    def sort_by(self, key: str) -> None:
        if key == self.sort_key:
            self.sort_reverse = not self.sort_reverse
        self.sort_key = key
        numeric = key in NUMERIC_COLUMNS

        def value(cell: Text | str) -> float | str:
            raw = cell.plain if isinstance(cell, Text) else cell
            if numeric:
                try:
                    return float(raw.partition("/")[0])
                except ValueError:
                    return 0.0
            return raw

        self.sort(key, key=value, reverse=self.sort_reverse)
