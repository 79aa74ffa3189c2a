"""The hotwash: the facilitator's discussion with the room right after the end.

The screen puts the prompts on screen (the scenario's ``hotwash:`` list, else the
default set of :mod:`engine.feedback`), a field to capture what the room says
under the prompt chosen, and the notes taken so far, by prompt, whoever took them
(an evaluator's hotwash notes too). A note is the ordinary ``note`` command with
category ``hotwash`` and the prompt it answers: the after-action report's hotwash
section lists them by prompt. It also says how many participants have sent their
feedback form, so the facilitator knows when to close the room.

Opened with ``w`` from the control room (which offers it when the exercise ends);
the control room redraws it with the rest while it is open. An observer sees the
prompts and the notes but has no field.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from engine.commands import MAX_TEXT
from engine.durations import format_clock
from engine.feedback import hotwash_prompts
from engine.i18n import N_, _
from engine.i18n.phrase import said
from tui.console.keys import translated
from tui.console.safe import add, plain
from tui.model.staff import HotwashNote, StaffModel

NOTE_LIMIT = 2_000
"""Characters of one note shown (a note may hold 8,000)."""
OTHER = N_("Other notes")
"""The heading of notes that answer no prompt of this hotwash (an evaluator's)."""

Sender = Callable[[str, str], None]
"""Send a hotwash note: (prompt, text)."""


def prompts_of(model: StaffModel) -> tuple[str, ...]:
    """This exercise's hotwash prompts (the scenario's own, or the default set)."""
    return hotwash_prompts(model.scenario.hotwash if model.scenario is not None else [])


def notes_text(model: StaffModel) -> Text:
    """Every hotwash note so far, under the prompt it answers, in the hotwash's order."""
    prompts = prompts_of(model)
    groups: dict[str, list[HotwashNote]] = {p: [] for p in prompts}
    for note in model.hotwash:
        groups.setdefault(note.prompt if note.prompt in groups else OTHER, []).append(note)
    text = Text()
    if not model.hotwash:
        text.append(_("No notes yet: pick a prompt, ask the room, write down what it says."), "dim")
        return text
    for prompt, notes in groups.items():
        if not notes:
            continue
        # The group of notes under no prompt is named in the program's words.
        add(text, _(OTHER) if prompt == OTHER else said(prompt), "bold", one_line=True, limit=200)
        text.append("\n")
        for note in notes:
            text.append(f"  {format_clock(note.t)}  ", style="dim")
            add(text, note.author, "cyan", one_line=True, limit=40)
            text.append(": ")
            add(text, note.text, limit=NOTE_LIMIT)
            text.append("\n")
    return text


def feedback_line(model: StaffModel) -> str:
    """How many members have sent the participant feedback form, out of those present."""
    sent = len(model.feedback_from)
    present = sum(len(row.joined) for row in model.teams.values())
    if present:
        return _("Feedback forms received: {sent} of {present} who joined").format(
            sent=sent, present=present
        )
    return _("Feedback forms received: {sent}").format(sent=sent)


class HotwashScreen(ModalScreen[None]):
    """The prompts, the note being written, and the notes so far."""

    DEFAULT_CSS = """
    HotwashScreen { align: center middle; }
    HotwashScreen > Vertical { width: 100%; max-width: 140; height: 100%;
                               border: thick $accent; background: $surface; }
    HotwashScreen #hotwash-head { height: auto; padding: 0 1; background: $boost; }
    HotwashScreen #hotwash-prompts { height: auto; max-height: 8; }
    HotwashScreen #hotwash-note { margin: 0 1; }
    HotwashScreen #hotwash-notes { height: 1fr; padding: 0 1; }
    """
    BINDINGS = [Binding("escape", "close", N_("Close"))]

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The footer's keys in the active language (:mod:`tui.console.keys`)."""
        return translated(super().active_bindings)

    def __init__(self, model: StaffModel, send: Sender | None) -> None:
        """``send`` takes a note; None for an observer (who only reads)."""
        super().__init__()
        self.model = model
        self.send = send

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(id="hotwash-head")
            yield OptionList(
                *(
                    Option(plain(said(p), limit=200), id=str(i))
                    for i, p in enumerate(prompts_of(self.model))
                ),
                id="hotwash-prompts",
            )
            if self.send is not None:
                yield Input(
                    placeholder=_("What the room says about the prompt above (Enter records it)"),
                    max_length=MAX_TEXT,
                    id="hotwash-note",
                )
            with VerticalScroll(id="hotwash-notes"):
                yield Static(id="hotwash-notes-text")
            yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        prompts = self.query_one("#hotwash-prompts", OptionList)
        prompts.highlighted = 0
        self.show()
        if self.send is not None:
            self.query_one("#hotwash-note", Input).focus()
        else:
            prompts.focus()

    def prompt(self) -> str:
        """The prompt highlighted (the one a note is recorded under)."""
        prompts = prompts_of(self.model)
        index = self.query_one("#hotwash-prompts", OptionList).highlighted or 0
        return prompts[min(index, len(prompts) - 1)]

    def show(self) -> None:
        """Draw the heading and the notes again (the control room calls it on change)."""
        head = Text()
        head.append(_("Hotwash"), style="bold")
        head.append(f" · {feedback_line(self.model)}\n")
        head.append(
            _(
                "↑↓ (in the list) picks the prompt; a note is recorded under it. Tab moves "
                "between the prompts, the note and the notes; Esc closes."
            ),
            style="dim",
        )
        self.query_one("#hotwash-head", Static).update(head)
        self.query_one("#hotwash-notes-text", Static).update(notes_text(self.model))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text or self.send is None:
            return
        self.send(self.prompt(), text)

    def recorded(self) -> None:
        """The note was taken: clear the field for the next one."""
        for field in self.query("#hotwash-note").results(Input):
            field.value = ""

    def action_close(self) -> None:
        self.dismiss(None)
