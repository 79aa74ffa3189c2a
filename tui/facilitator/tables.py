"""The MSEL and the team grid as live tables.

Both are Textual ``DataTable``s, which draw only the visible rows, so a grid of
1,000 teams scrolls smoothly. Updates touch only the cells that changed.

Columns take the width there is (:func:`fit`): each starts at what it needs, the
wide column (an inject's title, a team's name) then grows to a comfortable width,
the others to theirs, and the wide one takes whatever is left, so titles are not
cut at 160 columns while space is free. The key columns come first, so at 80
columns what a controller needs most is on screen and the rest scrolls sideways.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist, RowDoesNotExist

from engine.durations import format_clock
from engine.i18n import N_, _, word_for
from engine.i18n.phrase import said
from engine.scenario import Scenario
from engine.scenario.trigger import describe_trigger
from tui.console.safe import line
from tui.model.staff import StaffModel, TeamRow

STATE_WORDS = {
    "delivered": N_("delivered"),
    "answered": N_("answered"),
    "overdue": N_("overdue"),
    "held": N_("held"),
    "cancelled": N_("cancelled"),
    "skipped": N_("skipped"),
    "pending": N_("pending"),
}
"""An inject's state at a table as the control room reads it (the state is data)."""


def state_text(state: str) -> str:
    """``state`` in the active language (an unknown one as it came)."""
    return word_for(STATE_WORDS, state)


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


@dataclass(frozen=True, slots=True)
class Col:
    """A column: its least width, the width it grows to, and its share of what is left
    (``wide``: 0 for a column that stops at ``most``; a wide one grows on, by its share)."""

    label: str
    key: str
    least: int
    most: int
    wide: int = 0


def fit(columns: tuple[Col, ...], width: int) -> list[int]:
    """Each column's width for ``width`` cells of content (padding already taken off).

    Every column gets its least; the wide ones grow to their ``most`` (the widest share
    first), then the others to theirs, in order; the wide ones share the rest by their
    ``wide`` weight. When even the least widths do not fit, the table scrolls sideways
    (the key columns come first).
    """
    widths = [c.least for c in columns]
    spare = max(0, width - sum(widths))
    order = sorted(range(len(columns)), key=lambda i: (-columns[i].wide, i))
    for i in order:
        grow = max(0, min(spare, columns[i].most - widths[i]))
        widths[i] += grow
        spare -= grow
    weights = sum(c.wide for c in columns)
    if weights:
        shares = [spare * c.wide // weights for c in columns]
        first_wide = next(i for i, c in enumerate(columns) if c.wide)
        shares[first_wide] += spare - sum(shares)
        widths = [w + s for w, s in zip(widths, shares, strict=True)]
    return widths


class FittedTable(DataTable[Text | str]):
    """A table whose columns share its width (:func:`fit`), laid out again on resize."""

    COLUMNS: tuple[Col, ...] = ()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._widths: list[int] = []

    def widths(self) -> list[int]:
        """Column widths for the table's present width; before it has one (built in a tab
        not shown yet), the screen's, which a table filling its tab comes close to."""
        width = self.size.width or (self.app.size.width if self.is_attached else 0)
        content = (
            width - self.styles.scrollbar_size_vertical - 2 * self.cell_padding * len(self.COLUMNS)
        )
        return fit(self.COLUMNS, content)

    def add_fitted_columns(self) -> None:
        self._widths = self.widths()
        for col, width in zip(self.COLUMNS, self._widths, strict=True):
            self.add_column(_(col.label), key=col.key, width=width)

    def on_resize(self, event: events.Resize) -> None:
        if self.columns and self.widths() != self._widths:
            self.relayout()

    def relayout(self) -> None:
        """Build again at the new widths (a resize is rare; a rebuild is simple)."""


def msel_status(summary: dict[str, int], total: int) -> Text:
    text = Text(no_wrap=True)
    if not summary or summary.get("pending", 0) == total:
        return Text(_("pending"), style="dim")
    first = True
    for state in STATE_ORDER:
        n = summary.get(state, 0)
        if n and state != "pending":
            if not first:
                text.append(" ")
            text.append(f"{n} {state_text(state)}", style=STATE_STYLE[state])
            first = False
    return text


def opened_text(model: StaffModel, inject_id: str) -> Text | str:
    """How many of the teams it reached have opened it (the ledger's count): "3/4"."""
    if model.ledger is None:
        return ""
    opened, delivered = model.ledger.opened(inject_id)
    if not delivered:
        return ""
    style = "green" if opened == delivered else "yellow" if opened else "dim"
    return Text(f"{opened}/{delivered}", style=style)


class MselTable(FittedTable):
    """Every inject: time or trigger, title, and how it stands across teams."""

    COLUMNS = (
        Col(N_("Inject"), "id", 6, 8),
        Col(N_("When"), "when", 12, 20, wide=1),
        Col(N_("Title"), "title", 20, 40, wide=2),
        Col(N_("Status across teams"), "status", 22, 32),
        Col(N_("Opened"), "opened", 6, 8),
    )

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._scenario: Scenario | None = None
        self._model: StaffModel | None = None

    def build(self, scenario: Scenario) -> None:
        self._scenario = scenario
        self.clear(columns=True)
        self.add_fitted_columns()
        for inject in scenario.injects:
            when = said(describe_trigger(inject))
            title = ("◆ " if inject.contingency else "") + inject.title
            self.add_row(
                line(inject.id),
                line(when),
                line(title, limit=200),
                Text("pending", style="dim"),
                "",
                key=inject.id,
            )

    def refresh_rows(self, model: StaffModel) -> None:
        self._model = model
        for inject_id, states in model.cells.items():
            try:
                self.update_cell(
                    inject_id, "status", msel_status(model.msel_summary(inject_id), len(states))
                )
                self.update_cell(inject_id, "opened", opened_text(model, inject_id))
            except (RowDoesNotExist, CellDoesNotExist):  # a row the table does not know yet
                continue

    def relayout(self) -> None:
        if self._scenario is None:
            return
        row = self.cursor_row
        self.build(self._scenario)
        if self._model is not None:
            self.refresh_rows(self._model)
        self.move_cursor(row=row, animate=False)


TEAM_COLUMNS = (
    Col(N_("Team"), "id", 8, 16),  # widened to the longest id and its mark when built
    Col(N_("Score"), "score", 7, 10),
    Col(N_("Overdue"), "overdue", 7, 7),
    Col(N_("Answered"), "answered", 8, 8),
    Col(N_("Delivered"), "delivered", 9, 9),
    Col(N_("Members"), "members", 7, 8),
    Col(N_("Rank"), "rank", 4, 5),
    Col(N_("Last"), "last", 7, 8),
    Col(N_("Role"), "role", 6, 14),
    Col(N_("Name"), "name", 12, 24, wide=1),
)
NUMERIC_COLUMNS = frozenset({"members", "delivered", "answered", "overdue", "score", "rank"})
BEHIND_MARK = "! "
"""Before the id of a table that fell behind (:data:`tui.model.staff.BEHIND_AT`)."""
OFFLINE_MARK = "⊘ "
"""Before the id of a table with no member connected (both marks: ``!⊘``)."""
MARKS = (BEHIND_MARK, OFFLINE_MARK, "!⊘")


def score_text(row: TeamRow) -> str:
    """Points over the maximum of what reached the team so far ("—" before anything did)."""
    if row.max_points <= 0 and row.points == 0:
        return "—"
    return f"{round(row.points, 1):g}/{row.max_points:g}"


def offline_text(row: TeamRow) -> str:
    """When an offline table's last member left (``0:31``, hours and minutes)."""
    since = row.offline_since or 0
    return f"{since // 3_600_000}:{since // 60_000 % 60:02d}"


def members_text(row: TeamRow) -> str:
    """Members who joined, out of the roster's when it names them ("2/5"), else just "2"."""
    if row.members:
        return f"{len(row.joined)}/{len(row.members)}"
    return str(len(row.joined))


def team_cell(row: TeamRow) -> str | Text:
    """The team's id, marked when it fell behind or nobody is connected to it."""
    behind, offline = row.behind, row.offline
    if not behind and not offline:
        return row.id
    mark = "!⊘" if behind and offline else BEHIND_MARK if behind else OFFLINE_MARK
    text = Text(mark, style="bold reverse red", no_wrap=True)
    text.append(row.id, style="bold red")
    return text


def members_cell(row: TeamRow) -> str | Text:
    """Members who joined; for an offline table, ``⊘ 0:31``: when its last one left."""
    if row.offline:
        return Text(f"⊘ {offline_text(row)}", style="bold red", no_wrap=True)
    return members_text(row)


def team_cells(row: TeamRow) -> tuple[str | Text, ...]:
    overdue = Text(str(row.overdue), style="bold red" if row.overdue else "")
    return (
        team_cell(row),
        score_text(row),
        overdue,
        str(row.answered),
        str(row.delivered),
        members_cell(row),
        row.rank_text or "—",
        format_clock(row.last_activity) if row.last_activity else "—",
        row.role,
        line(row.name, limit=200),
    )


class TeamGrid(FittedTable):
    """Every fielded team's progress; sortable by any column (press its key in the header).
    Enter opens the table under the cursor."""

    BINDINGS = [Binding("enter", "select_cursor", N_("Open table"))]
    COLUMNS = TEAM_COLUMNS
    sort_key: str = "id"
    sort_reverse: bool = False

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: dict[str, tuple[str | Text, ...]] = {}
        """Each row's cells as last drawn."""
        self._model: StaffModel | None = None
        self._sorted = False

    def build(self, model: StaffModel) -> None:
        self._model = model
        longest = max((len(team) for team in model.teams), default=0) + len(BEHIND_MARK)
        first = TEAM_COLUMNS[0]
        self.COLUMNS = (
            replace(first, least=max(first.least, longest), most=max(first.most, longest)),
            *TEAM_COLUMNS[1:],
        )
        self.clear(columns=True)
        self.add_fitted_columns()
        model.refresh_ranks()
        self._shown = {}
        for row in model.teams.values():
            cells = self._shown[row.id] = team_cells(row)
            self.add_row(*cells, key=row.id)
        if self._sorted:
            self._sort()

    def selected_team(self) -> str | None:
        """The team under the cursor."""
        if self.row_count == 0:
            return None
        row_key, _column = self.coordinate_to_cell_key(self.cursor_coordinate)
        return str(row_key.value) if row_key.value is not None else None

    def relayout(self) -> None:
        if self._model is None:
            return
        team = self.selected_team()
        self.build(self._model)
        if team is not None:
            self.move_cursor(row=self.get_row_index(team), animate=False)

    def refresh_rows(self, model: StaffModel, teams: list[str] | None = None) -> None:
        """Update the cells that changed since they were last shown (a rank change can touch
        every row; most rows keep most of their cells)."""
        keys = [col.key for col in TEAM_COLUMNS]
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
        self._sorted = True
        self._sort()

    def _sort(self) -> None:
        numeric = self.sort_key in NUMERIC_COLUMNS

        def value(cell: Text | str) -> float | str:
            raw = cell.plain if isinstance(cell, Text) else cell
            if numeric:
                try:
                    return float(raw.partition("/")[0])
                except ValueError:
                    return 0.0
            for mark in MARKS:
                if raw.startswith(mark):
                    return raw.removeprefix(mark)
            return raw

        self.sort(self.sort_key, key=value, reverse=self.sort_reverse)
