"""One table, opened from the control room: its inbox, answers and results, notes, questions.

A controller walking to a table wants to know, before they get there, what it was
sent, what it answered and how that counted, what it wrote down and what it asked.
Everything is read from what the control room already folds: the inbox and the notes
from the staff model, the answers and figures from the scoreboard the evaluators and
the report read (:func:`tui.evaluator.review.review_items`), never worked out again.

The screen follows the exercise while open: the control room redraws it with the rest.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static, TabbedContent, TabPane

from engine.durations import format_clock, format_countdown, format_duration
from engine.grading import status_text
from engine.i18n import N_, _
from engine.i18n.forms import grouped
from scoring.results import STATUSES
from tui.console.keys import translated
from tui.console.safe import add
from tui.evaluator.review import body_text, head_text, review_items
from tui.facilitator.tables import (
    STATE_STYLE,
    members_text,
    offline_text,
    score_text,
    state_text,
)
from tui.model.staff import BEHIND_AT, StaffModel

QUESTION_LIMIT = 2_000
"""Characters of one question or reply shown."""
NOTE_LIMIT = 2_000
"""Characters of one note shown (a note may hold 8,000)."""


def heading(model: StaffModel, team: str) -> Text:
    """Who the table is and how it stands, in one or two lines."""
    row = model.teams[team]
    text = Text()
    add(text, f"{row.id} · {row.name}", "bold", one_line=True, limit=200)
    add(text, " · " + _("role {role}").format(role=row.role), one_line=True, limit=100)
    text.append(" · " + _("members {members}").format(members=members_text(row)))
    if row.joined:
        add(text, f" ({', '.join(row.joined)})", "dim", one_line=True, limit=200)
    text.append(" · " + _("score {score}").format(score=score_text(row)))
    if row.rank:
        text.append(
            " · " + _("rank {rank} of {teams}").format(rank=row.rank_text, teams=len(model.teams))
        )
    if row.offline:
        text.append(
            "\n"
            + _("Offline since {since}: no member connected (they rejoin with their code)").format(
                since=offline_text(row)
            ),
            style="bold red",
        )
    if row.behind:
        text.append(
            "\n"
            + _(
                "Falling behind: {n} expectations past their deadline, unanswered "
                "({threshold} or more)"
            ).format(n=grouped(row.expired), threshold=BEHIND_AT),
            style="bold red",
        )
    return text


def _took(ms: int) -> str:
    """A time taken, to the second ("2m", "1m30s", "0s")."""
    return format_duration(round(ms / 1000) * 1000) if ms >= 500 else "0s"


def opened_line(model: StaffModel, inject_id: str, team: str) -> Text:
    """Under a delivered inject: who of the table opened it, how long after delivery
    (the ledger's figures), or that nobody has yet."""
    entry = model.ledger.entry(inject_id, team) if model.ledger is not None else None
    text = Text("          ")
    if entry is None or entry.to_open is None:
        text.append(_("not opened yet") + "\n", style="yellow")
        return text
    text.append(
        _("opened {took} after delivery by").format(took=_took(entry.to_open)) + " ", style="dim"
    )
    add(text, entry.opened_by, "dim", one_line=True, limit=40)
    if entry.to_answer is not None:
        text.append(
            ", " + _("first answer after {took}").format(took=_took(entry.to_answer)), style="dim"
        )
    text.append("\n")
    return text


def inbox_text(model: StaffModel, team: str) -> Text:
    """Each inject delivered to the team, in order, with where it stands; then what is
    still to come."""
    scenario = model.scenario
    text = Text()
    delivered = sorted(model.delivered_at.get(team, {}).items(), key=lambda kv: kv[1])
    if scenario is None or not delivered:
        text.append(_("Nothing delivered to this table yet.") + "\n", style="dim")
    for inject_id, t in delivered:
        inject = scenario.inject_by_id.get(inject_id) if scenario is not None else None
        state = model.cells.get(inject_id, {}).get(team, "delivered")
        text.append(f"{format_clock(t)}  ")
        add(text, f"{inject_id:<6} ", "bold", one_line=True, limit=40)
        text.append(f"{state_text(state):<9} ", style=STATE_STYLE.get(state, ""))
        add(text, inject.title if inject else inject_id, one_line=True, limit=200)
        text.append("\n")
        text.append(opened_line(model, inject_id, team))
    waiting: dict[str, int] = {}
    for states in model.cells.values():
        later = states.get(team)
        if later in ("pending", "held", "cancelled", "skipped"):
            waiting[later] = waiting.get(later, 0) + 1
    if waiting:
        text.append("\n" + _("Not delivered:") + " ", style="dim")
        later_text = ", ".join(f"{n} {state_text(state)}" for state, n in waiting.items())
        text.append(later_text, style="dim")
    return text


def results_text(model: StaffModel, team: str) -> Text:
    """The scoreboard's figures for the team, then each expectation with its answers."""
    text = Text()
    board = model.board
    if board is None:
        return text
    total = board.total(team)
    share = total.share
    text.append(_("Score {score}").format(score=score_text(model.teams[team])), style="bold")
    if share is not None:
        text.append(f" ({round(100 * share)}%)")
    text.append(
        " · " + " · ".join(f"{total.counts[s]} {status_text(s)}" for s in STATUSES) + "\n\n"
    )
    items = review_items(model, team)
    if not items:
        text.append(_("No question delivered to this table yet."), style="dim")
    for item in items:
        text.append_text(head_text(item))
        due = item.result.due_at
        if due is not None and not item.result.given:
            text.append(f" · due {format_clock(due)}", style="yellow")
        text.append("\n")
        text.append_text(body_text(item))
        text.append("\n")
    return text


def notes_text(model: StaffModel, team: str) -> Text:
    """The table's own log, evaluators' observations about it and broadcasts it received."""
    text = Text()
    notes = model.table_notes(team)
    if not notes:
        text.append(_("No notes, observations or broadcasts yet."), style="dim")
    label = {"team": _("log"), "staff": _("observed by"), "broadcast": _("broadcast from")}
    for note in notes:
        text.append(f"{format_clock(note.t)}  ")
        add(text, f"{label[note.kind]} {note.who}: ", "bold", one_line=True, limit=200)
        add(text, note.text, limit=NOTE_LIMIT)
        text.append("\n")
    return text


def questions_text(model: StaffModel, team: str) -> Text:
    """What the table asked outside actors, and the answers (or how long it has waited)."""
    text = Text()
    asked = [q for q in model.questions if q.team == team]
    if not asked:
        text.append(_("No questions to outside actors yet."), style="dim")
    now = model.now()
    for q in asked:
        text.append(f"{format_clock(q.t)}  ")
        add(text, f"{q.member} → {model.actor_name(q.actor)}: ", "bold", one_line=True, limit=200)
        add(text, q.text, limit=QUESTION_LIMIT)
        text.append("\n")
        if q.answered_at is None:
            text.append(
                "    " + _("waiting {time}").format(time=format_countdown(now - q.t)) + "\n",
                style="yellow",
            )
        else:
            text.append(f"    ↳ {format_clock(q.answered_at)}  ", style="green")
            add(text, q.reply, "green", limit=QUESTION_LIMIT)
            text.append("\n")
    return text


SECTIONS = (
    ("inbox", N_("1 Inbox"), inbox_text),
    ("answers", N_("2 Answers"), results_text),
    ("notes", N_("3 Notes"), notes_text),
    ("questions", N_("4 Questions"), questions_text),
)


class TableScreen(ModalScreen[None]):
    """The control room's view of one table, closed with Esc.

    Opaque: the control room behind it is not drawn in the margins. Its footer, seen
    there at 160 columns, showed the grid's keys or not depending on when it last
    recomposed, keys that do nothing while the table is open.
    """

    DEFAULT_CSS = """
    TableScreen { align: center middle; background: $background; }
    TableScreen > Vertical { width: 100%; max-width: 140; height: 100%;
                             border: thick $accent; background: $surface; }
    TableScreen #table-head { height: auto; padding: 0 1; background: $boost; }
    TableScreen TabbedContent { height: 1fr; }
    TableScreen TabPane { padding: 0; }
    TableScreen VerticalScroll { height: 1fr; padding: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "close", N_("Close")),
        Binding("1", "section('inbox')", N_("Inbox"), show=False),
        Binding("2", "section('answers')", N_("Answers"), show=False),
        Binding("3", "section('notes')", N_("Notes"), show=False),
        Binding("4", "section('questions')", N_("Questions"), show=False),
    ]

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The footer's keys in the active language (:mod:`tui.console.keys`)."""
        return translated(super().active_bindings)

    def __init__(self, model: StaffModel, team: str) -> None:
        super().__init__()
        self.model = model
        self.team = team

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(id="table-head")
            with TabbedContent(initial="inbox"):
                for key, label, _draw in SECTIONS:
                    with TabPane(_(label), id=key), VerticalScroll(id=f"{key}-scroll"):
                        yield Static(id=f"{key}-text")
            yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.show()
        self.query_one("#inbox-scroll", VerticalScroll).focus()

    def show(self) -> None:
        """Draw every section again from the model (the control room calls it on change)."""
        if self.team not in self.model.teams:
            return
        self.query_one("#table-head", Static).update(heading(self.model, self.team))
        for key, _label, text_of in SECTIONS:
            self.query_one(f"#{key}-text", Static).update(text_of(self.model, self.team))

    def action_section(self, section: str) -> None:
        self.query_one(TabbedContent).active = section
        self.query_one(f"#{section}-scroll", VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)
