"""The simulation cell: teams' questions to outside actors, oldest unanswered first."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from engine.durations import format_clock, format_countdown
from tui.console.safe import add, line
from tui.model.staff import StaffModel

QUESTION_LIMIT = 300
"""Characters of a question shown in its row (the reply dialog shows more)."""


class SimCellTable(DataTable[Text | str]):
    """Questions waiting for the control room, with how long each has waited."""

    def build(self) -> None:
        self.clear(columns=True)
        self.cursor_type = "row"
        self.add_column("Waiting", key="age", width=8)
        self.add_column("Team", key="team", width=14)
        self.add_column("To", key="actor", width=22)
        self.add_column("Question", key="text")

    def show(self, model: StaffModel) -> None:
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
