"""The simulation cell: teams' questions to outside actors, oldest unanswered first."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from engine.durations import format_clock, format_countdown
from tui.model.staff import StaffModel


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
            name = (
                model.scenario.actor_by_id[q.actor].name
                if (model.scenario and q.actor in model.scenario.actor_by_id)
                else q.actor
            )
            self.add_row(
                Text(format_countdown(age), style=style), q.team, name, q.text, key=str(q.seq)
            )
        answered = [q for q in model.questions if q.answered_at is not None][-20:]
        for q in reversed(answered):
            self.add_row(
                Text("✓", style="green"),
                q.team,
                q.actor,
                Text(f"{q.text}  → {q.reply} ({format_clock(q.answered_at or 0)})", style="dim"),
                key=f"done-{q.seq}",
            )
