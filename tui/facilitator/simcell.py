"""The simulation cell: teams' questions to outside actors, the controller's own first.

Each controller (a facilitator seat: ``control-1``) may cover tracks, roles or tags
(``scoring.questions`` folds who covers what and who holds each question). The
table lists the open questions in the order the fold gives for this seat: passed
to this controller, then its tracks', then the rest, oldest first in each; the
"For" column marks each (``▶ you``: passed to you, ``• you``: your track,
``→ control-2``: passed to another, a controller's name: their track). Answered
questions follow, dimmed. Enter replies, ``a`` passes the question under the
cursor to another controller, ``t`` sets tracks; the table posts the command in a
:class:`SimCellTable.Send` message and the console sends it.
"""

from __future__ import annotations

import contextlib

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static
from textual.widgets.data_table import CellDoesNotExist, RowDoesNotExist

from engine import commands as c
from engine.commands import AnyCommand
from engine.durations import format_clock, format_countdown
from engine.i18n import N_, _
from engine.i18n.forms import grouped
from scoring.questions import Question, Standing
from tui.console.safe import add, line
from tui.facilitator.simcell_dialogs import PassDialog, TracksDialog
from tui.facilitator.tables import Col, FittedTable
from tui.model.staff import StaffModel

QUESTION_LIMIT = 300
"""Characters of a question shown in its row (the reply dialog shows more)."""
ANSWERED_SHOWN = 20
"""Answered questions listed under the open ones."""


def holder_text(model: StaffModel, question: Question, standing: Standing) -> Text:
    """The "For" cell: whose question this is, as this controller reads it."""
    if standing == "held":
        return Text(_("▶ you"), style="bold reverse yellow")
    if standing == "track":
        return Text(_("• you"), style="bold yellow")
    if question.holder is not None:
        return line(f"→ {question.holder}", limit=40)
    covering = model.simcell.covering(question.team)
    if covering:
        return line(", ".join(covering), "dim", limit=60)
    return Text("—", style="dim")


class SimCellSummary(Static):
    """Who this controller is, the tracks they cover, how many questions are theirs; and
    the other controllers' tracks, so a controller knows whom to pass a question to."""

    DEFAULT_CSS = """
    SimCellSummary { height: auto; max-height: 2; padding: 0 1; }
    """

    def show(self, model: StaffModel) -> None:
        me = model.seat_name
        book = model.simcell
        queue = book.queue(me)
        mine = sum(1 for _question, standing in queue if standing != "other")
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(_("You:") + " ", style="dim")
        text.append(me or "—", style="bold")
        tracks = book.tracks.get(me, ())
        text.append(" · " + _("tracks") + " ", style="dim")
        add(text, ", ".join(tracks) or _("none (t to take some)"), one_line=True, limit=200)
        text.append(
            " · " + _("{n} yours").format(n=grouped(mine)), style="bold yellow" if mine else "dim"
        )
        text.append(" " + _("of {n} waiting").format(n=grouped(len(queue))), style="dim")
        others = [(who, t) for who, t in book.tracks.items() if who != me]
        if others:
            text.append("\n")
            add(
                text,
                " · ".join(f"{who}: {', '.join(t)}" for who, t in others),
                "dim",
                one_line=True,
                limit=400,
            )
        self.update(text)


class SimCellTable(FittedTable):
    """Questions waiting for the control room, this controller's first, with how long
    each has waited."""

    BINDINGS = [
        Binding("enter", "select_cursor", N_("Reply")),
        Binding("a", "pass_question", N_("Pass to…")),
        Binding("t", "tracks", N_("Tracks")),
    ]
    COLUMNS = (
        Col(N_("Waiting"), "age", 7, 8),
        Col(N_("For"), "for", 11, 12),
        Col(N_("Team"), "team", 9, 14),
        Col(N_("To"), "actor", 10, 22),
        Col(N_("Question"), "text", 24, 60, wide=1),
    )

    class Send(Message):
        """A command from the sim cell (a pass, tracks) for the console to send."""

        def __init__(self, command: AnyCommand, done: str) -> None:
            super().__init__()
            self.command = command
            self.done = done

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.zebra_stripes = False
        self._model: StaffModel | None = None
        self._held: set[int] | None = None
        """Open questions passed to this controller, as last drawn (None: not drawn yet)."""

    def build(self) -> None:
        self.clear(columns=True)
        self.add_fitted_columns()

    def relayout(self) -> None:
        self.build()
        if self._model is not None:
            self.show(self._model)

    def show(self, model: StaffModel) -> None:
        """Draw the questions again. A cursor the controller moved stays on its question
        (rows move as questions arrive, are passed and answered); one on the first row
        stays there, on whatever now heads the controller's queue."""
        self._model = model
        kept = self.selected_key() if self.cursor_row > 0 else None
        scroll = self.scroll_y
        now = model.now()
        queue = model.simcell.queue(model.seat_name)
        self._announce(model, [q for q, standing in queue if standing == "held"])
        self.clear()
        for q, standing in queue:
            age = now - q.t
            style = "bold red" if age > 10 * 60_000 else ("yellow" if age > 5 * 60_000 else "")
            text = Text()
            if q.holder is not None and q.passed_by and q.passed_by != q.holder:
                add(
                    text,
                    _("(from {who}").format(who=q.passed_by),
                    "italic",
                    one_line=True,
                    limit=40,
                )
                if q.note:
                    text.append(": ", style="italic")
                    add(text, q.note, "italic", one_line=True, limit=100)
                text.append(") ", style="italic")
            mine = "bold" if standing != "other" else ""
            add(text, q.text, mine, one_line=True, limit=QUESTION_LIMIT)
            self.add_row(
                Text(format_countdown(age), style=style),
                holder_text(model, q, standing),
                line(q.team),
                line(model.actor_name(q.actor), limit=200),
                text,
                key=str(q.seq),
            )
        for q in model.simcell.answered(ANSWERED_SHOWN):
            done = line(q.text, "dim", limit=QUESTION_LIMIT // 2)
            done.append("  → ", style="dim")
            add(done, q.reply, "dim", one_line=True, limit=QUESTION_LIMIT // 2)
            done.append(f" ({format_clock(q.answered_at or 0)})", style="dim")
            self.add_row(
                Text("✓", style="green"),
                line(q.holder or "", "dim", limit=40),
                line(q.team),
                line(model.actor_name(q.actor), limit=200),
                done,
                key=f"done-{q.seq}",
            )
        if kept is not None:
            with contextlib.suppress(RowDoesNotExist):
                self.move_cursor(row=self.get_row_index(kept), animate=False)
        self.scroll_to(y=scroll, animate=False, immediate=True)

    def _announce(self, model: StaffModel, held: list[Question]) -> None:
        """Pop up each question a colleague passed to this controller since the last
        drawing, whichever tab is shown (not those already held when the console came)."""
        me = model.seat_name
        if self._held is not None:
            for q in held:
                if q.seq not in self._held and q.passed_by != me:
                    why = f": {q.note}" if q.note else ""
                    passed = _("{who} passed you {team}'s question to {actor}").format(
                        who=q.passed_by, team=q.team, actor=model.actor_name(q.actor)
                    )
                    self.notify(
                        passed + why,
                        title=_("Sim cell"),
                        timeout=10,
                    )
        self._held = {q.seq for q in held}

    def selected_key(self) -> str | None:
        """The row key under the cursor (a question's number, ``done-N`` when answered)."""
        if not self.row_count:
            return None
        with contextlib.suppress(CellDoesNotExist):
            return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        return None

    def selected_question(self) -> Question | None:
        key = self.selected_key()
        if self._model is None or key is None or not key.isdigit():
            return None
        return self._model.simcell.get(int(key))

    # -------------------------------------------------------------- actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """An observer watches the sim cell: no passing, no tracks."""
        if action in ("pass_question", "tracks"):
            return self._model is not None and self._model.role == "facilitator"
        return True

    def action_pass_question(self) -> None:
        question = self.selected_question()
        if self._model is None or question is None or question.answered_at is not None:
            self.notify(_("Choose an open question to pass."), severity="warning")
            return
        self.app.push_screen(PassDialog(self._model, question), self._send)

    def action_tracks(self) -> None:
        if self._model is None or self._model.scenario is None:
            return
        self.app.push_screen(TracksDialog(self._model), self._send)

    def _send(self, command: AnyCommand | None) -> None:
        if isinstance(command, c.PassQuestion):
            done = (
                _("Question passed to yourself")
                if command.to == command.by
                else _("Question passed to {whom}").format(whom=command.to)
            )
            self.post_message(self.Send(command, done))
        elif isinstance(command, c.Tracks):
            tracks = ", ".join(command.tracks) or _("none")
            done = _("{controller} covers {tracks}").format(
                controller=command.controller, tracks=tracks
            )
            self.post_message(self.Send(command, done))
