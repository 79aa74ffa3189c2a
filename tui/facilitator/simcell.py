"""The simulation cell: teams' questions to outside actors, oldest unanswered first."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding

from engine.durations import format_clock, format_countdown
from tui.console.safe import add, line
from tui.facilitator.tables import Col, FittedTable
from tui.model.staff import StaffModel

QUESTION_LIMIT = 300
"""Characters of a question shown in its row (the reply dialog shows more)."""


class SimCellTable(FittedTable):
    """Questions waiting for the control room, with how long each has waited."""

    BINDINGS = [Binding("enter", "select_cursor", "Reply")]
    COLUMNS = (
        Col("Waiting", "age", 7, 8),
        Col("Team", "team", 8, 14),
        Col("To", "actor", 10, 22),
        Col("Question", "text", 24, 60, wide=1),
    )

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.zebra_stripes = False
        self._model: StaffModel | None = None

    def build(self) -> None:
        self.clear(columns=True)
        self.add_fitted_columns()

    def relayout(self) -> None:
        row = self.cursor_row
        self.build()
        if self._model is not None:
            self.show(self._model)
        self.move_cursor(row=row, animate=False)

    def show(self, model: StaffModel) -> None:
        self._model = model
        now = model.now()
        self.clear()
        waiting = model.open_questions()
        for q in waiting:
            age = now - q.t
            style = "bold red" if age > 10 * 60_000 else ("yellow" if age > 5 * 60_000 else "")
            name = model.actor_name(q.actor)
            self.add_row(
                Text(format_countdown(age), style=style),
                line(q.team),
                line(name, limit=200),
                line(q.text, limit=QUESTION_LIMIT),
                key=str(q.seq),
            )
        answered = [q for q in model.questions if q.answered_at is not None][-20:]
        for q in reversed(answered):
            done = line(q.text, "dim", limit=QUESTION_LIMIT // 2)
            done.append("  → ", style="dim")
            add(done, q.reply, "dim", one_line=True, limit=QUESTION_LIMIT // 2)
            done.append(f" ({format_clock(q.answered_at or 0)})", style="dim")
            self.add_row(
                Text("✓", style="green"),
                line(q.team),
                line(model.actor_name(q.actor), limit=200),
                done,
                key=f"done-{q.seq}",
            )
