"""Messages with the outside world, and the team's own log.

A team asks an actor (a reporter, the regulator, a vendor); the control room
answers in that actor's name. Broadcasts from the control room appear here too.
The team log is a shared notebook for the team's members.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message as TMessage
from textual.widgets import Button, Input, RichLog, Select

from engine.durations import format_clock
from engine.i18n import _
from tui.console.safe import add, choices
from tui.model.team import Message


def message_line(msg: Message, own_team: str, names: dict[str, str] | None = None) -> Text:
    """One message; ``names`` gives actors' names for their ids (a question names whom
    it went to as the team chose them, not by the scenario's id)."""
    line = Text()
    line.append(f"{format_clock(msg.t)} ", style="dim")
    if msg.kind == "ask":
        to = (names or {}).get(msg.actor or "", msg.actor)
        add(line, f"{msg.author} → {to}: ", "bold cyan", one_line=True)
    elif msg.kind == "reply":
        add(line, f"{msg.author}: ", "bold magenta", one_line=True)
    elif msg.kind == "broadcast":
        add(line, f"[{msg.author}] ", "bold yellow", one_line=True)
        if msg.title:
            add(line, f"{msg.title} — ", "bold", one_line=True)
    else:
        add(line, f"{msg.author}: ", "bold", one_line=True)
    add(line, msg.text)
    return line


class MessagesPane(Vertical):
    """The conversation with actors, and a box to write to one."""

    DEFAULT_CSS = """
    MessagesPane { height: 1fr; }
    MessagesPane RichLog { height: 1fr; border: round $primary-darken-1; }
    MessagesPane .compose { height: auto; }
    MessagesPane Select { width: 35%; min-width: 24; max-width: 48; }
    MessagesPane Input { width: 1fr; }
    MessagesPane SelectCurrent #label, MessagesPane SelectOverlay {
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    MessagesPane Select > SelectOverlay { width: 56; max-width: 90vw; }
    """
    # One line per actor, open or closed, in every app (``sitroom join`` is not a SafeApp):
    # a long name ("Video platform trust and safety") wrapped the list into a jumble.

    class Send(TMessage):
        def __init__(self, actor: str, text: str) -> None:
            super().__init__()
            self.actor = actor
            self.text = text

    def __init__(self, actors: list[tuple[str, str]], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.actors = actors
        self.shown = 0

    def compose(self) -> ComposeResult:
        yield RichLog(wrap=True, markup=False, id="conversation")
        with Horizontal(classes="compose"):
            yield Select(
                choices((name, actor_id) for actor_id, name in self.actors),
                prompt=_("Write to…"),
                id="actor",
            )
            yield Input(placeholder=_("Your question"), id="question", max_length=2000)
            yield Button(_("Send"), id="send")

    def set_actors(self, actors: list[tuple[str, str]]) -> None:
        self.actors = actors
        self.query_one("#actor", Select).set_options(
            choices((name, actor_id) for actor_id, name in actors)
        )

    def show(self, messages: list[Message], own_team: str) -> None:
        log = self.query_one(RichLog)
        names = dict(self.actors)
        for msg in messages[self.shown :]:
            log.write(message_line(msg, own_team, names))
        self.shown = len(messages)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._send()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "send":
            event.stop()
            self._send()

    def _send(self) -> None:
        actor = self.query_one("#actor", Select).value
        box = self.query_one("#question", Input)
        if not isinstance(actor, str):
            self.notify(_("Choose who to write to first."), severity="warning")
            return
        if not box.value.strip():
            return
        self.post_message(self.Send(actor, box.value.strip()))

    def clear_draft(self) -> None:
        self.query_one("#question", Input).value = ""


class TeamLogPane(Vertical):
    """The team's shared notebook."""

    DEFAULT_CSS = """
    TeamLogPane { height: 1fr; }
    TeamLogPane RichLog { height: 1fr; border: round $primary-darken-1; }
    TeamLogPane Input { width: 1fr; }
    """

    class Add(TMessage):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.shown = 0

    def compose(self) -> ComposeResult:
        yield RichLog(wrap=True, markup=False)
        yield Input(
            placeholder=_("Add a note for your team (Enter to save)"), id="note", max_length=2000
        )

    def show(self, notes: list[Message]) -> None:
        log = self.query_one(RichLog)
        for msg in notes[self.shown :]:
            log.write(message_line(msg, ""))
        self.shown = len(notes)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.post_message(self.Add(event.value.strip()))

    def clear_draft(self) -> None:
        self.query_one("#note", Input).value = ""
