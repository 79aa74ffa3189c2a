"""The queue tab of the evaluator console: a table of text answers graded by meaning,
most unsure first, and the evidence of the highlighted one.

The rows and their order come from :func:`tui.evaluator.queue.queue_items` (a fold of
the event stream); this widget only shows them, keeps the highlighted answer across
redraws, and offers two keys, which the screen carries out: accept the suggested grade,
or open the grade form prefilled to override it (both open the form on an answer an
evaluator graded before it came: a grade then adds to theirs).
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Static

from engine.i18n import N_, _, ngettext
from engine.i18n.forms import grouped
from tui.console.safe import add, line
from tui.evaluator.queue import QueueItem, evidence_text, unsure_text
from tui.evaluator.review import points_text

EMPTY = N_("No answer graded by meaning is waiting.")


def points_cell(item: QueueItem) -> Text:
    """The grader's suggestion; once an evaluator graded (an answer came after), the
    figure that counts and who graded, since the suggestion is then not what counts
    (short, for 80 columns: the evidence below gives both out of the maximum)."""
    if not item.graded_by:
        return Text(_("{points} suggested").format(points=points_text(item.suggested)))
    cell = Text(_("{points} by ").format(points=points_text(item.result.points)), style="yellow")
    return add(cell, ", ".join(item.graded_by), "yellow", one_line=True, limit=120)


class QueueTable(DataTable[Text]):
    """The queue's rows; its keys act on the highlighted answer."""

    BINDINGS = [
        Binding("a", "screen.accept_suggested", N_("Accept")),
        Binding("e", "screen.override_suggested", N_("Override")),
    ]


class QueuePane(Vertical):
    """The table, a line saying what it holds, and the highlighted answer's evidence."""

    DEFAULT_CSS = """
    QueuePane { height: 1fr; }
    QueuePane #queue-head { height: 1; padding: 0 1; color: $text-muted; }
    QueuePane QueueTable {
        height: auto; max-height: 45%; border: round $primary-darken-2;
    }
    QueuePane QueueTable:focus { border: round $accent; }
    QueuePane #queue-scroll { height: 1fr; padding: 0 1; border-left: blank; }
    QueuePane #queue-scroll:focus { border-left: thick $accent; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.items: list[QueueItem] = []
        self._shown: tuple[object, ...] = ()

    def compose(self) -> ComposeResult:
        yield Static(_(EMPTY), id="queue-head")
        table = QueueTable(id="queue-table", cursor_type="row", zebra_stripes=True)
        table.add_column(_("Unsure"), key="unsure")
        table.add_column(_("Team"), key="team")
        table.add_column(_("Expectation"), key="ref")
        table.add_column(_("Points"), key="points")
        yield table
        # Focusable: at 80x24 the evidence is longer than its room, and Tab then arrows
        # read the rest without a mouse.
        with VerticalScroll(id="queue-scroll"):
            yield Static(id="queue-evidence")

    @property
    def table(self) -> QueueTable:
        return self.query_one(QueueTable)

    @property
    def current(self) -> QueueItem | None:
        """The highlighted answer (None when the queue is empty)."""
        row = self.table.cursor_row
        return self.items[row] if 0 <= row < len(self.items) else None

    def show(self, items: list[QueueItem]) -> None:
        """Show ``items``; the highlighted answer stays highlighted while it is there,
        else the cursor stays at its place (on the next one, after an accept)."""
        shown = tuple(
            (
                i.key,
                i.unsure,
                i.suggested,
                i.result.status,
                len(i.answers),
                i.result.counted,
                tuple((g.evaluator, g.points) for g in i.result.grades.values()),
            )
            for i in items
        )
        if shown == self._shown:
            return
        self._shown = shown
        table = self.table
        was = self.current
        row = table.cursor_row
        self.items = items
        table.clear()
        for item in items:
            table.add_row(
                Text(unsure_text(item.unsure), justify="right"),
                line(item.team, limit=60),
                line(item.ref, limit=120),
                points_cell(item),
            )
        keys = [i.key for i in items]
        if was is not None and was.key in keys:
            row = keys.index(was.key)
        if items:
            table.move_cursor(row=min(max(row, 0), len(items) - 1), animate=False)
        count = len(items)
        head = self.query_one("#queue-head", Static)
        if count:
            head.update(
                ngettext(
                    "{n} answer graded by meaning, most unsure first",
                    "{n} answers graded by meaning, most unsure first",
                    count,
                ).format(n=grouped(count))
            )
        else:
            head.update(_(EMPTY))
        self._evidence()

    @on(DataTable.RowHighlighted, "#queue-table")
    def _highlighted(self) -> None:
        self._evidence()

    def _evidence(self) -> None:
        item = self.current
        box = self.query_one("#queue-evidence", Static)
        box.update(evidence_text(item) if item is not None else Text())
