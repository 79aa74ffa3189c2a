"""Modal screens shared by the consoles: help (every binding), confirmation, and the
question before quitting."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from engine.i18n import N_, _
from tui.console.safe import plain


class HelpScreen(ModalScreen[None]):
    """Every key binding of the console, grouped as the footer shows them."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical { width: 72; max-width: 95%; height: auto; max-height: 90%;
                            border: thick $accent; background: $surface; padding: 1 2; }
    HelpScreen #help-title { text-style: bold; margin-bottom: 1; }
    HelpScreen VerticalScroll { height: auto; max-height: 24; }
    """
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", N_("Close"))]

    def __init__(self, title: str, rows: list[tuple[str, str]], notes: str = "") -> None:
        super().__init__()
        self.help_title = title
        self.rows = rows
        self.notes = notes

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.help_title, id="help-title")
            with VerticalScroll():
                width = max((len(k) for k, _ in self.rows), default=4) + 2
                lines = [f"[b]{key:<{width}}[/b]{text}" for key, text in self.rows]
                yield Static("\n".join(lines))
                if self.notes:
                    yield Static(f"\n{self.notes}", classes="notes")
            yield Static(Text.assemble("\n", (_("Press Esc to close"), "dim")))

    def action_dismiss(self, result: None = None) -> None:  # type: ignore[override]
        self.dismiss(None)


def binding_rows(bindings: Sequence[BindingType]) -> list[tuple[str, str]]:
    """(keys, description) for the help screen, from an app's bindings."""
    rows = []
    for spec in bindings:
        b = spec if isinstance(spec, Binding) else Binding(*spec)
        keys = ", ".join(
            k.replace("question_mark", "?").replace("ctrl+", "Ctrl+") for k in b.key.split(",")
        )
        rows.append((keys, _(b.description)))
    return rows


class ConfirmScreen(ModalScreen[bool]):
    """Ask before something that cannot be undone (submitting, ending, jumping).

    The question is shown as text, never markup: it may quote a scenario's prompt.
    """

    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical { width: 64; max-width: 95%; height: auto; border: thick $warning;
                               background: $surface; padding: 1 2; }
    ConfirmScreen #confirm-text { margin-bottom: 1; }
    ConfirmScreen Horizontal { height: auto; align-horizontal: right; }
    ConfirmScreen Button { margin-left: 2; }
    """
    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel")),
        Binding("enter", "confirm", N_("Confirm")),
    ]

    def __init__(self, question: str, confirm: str = "") -> None:
        super().__init__()
        self.question = question
        self.confirm_label = confirm or _("Confirm")

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(plain(self.question, limit=1_000), id="confirm-text")
            with Horizontal():
                yield Button(_("Cancel"), id="cancel")
                yield Button(self.confirm_label, id="confirm", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#confirm", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm")

    def action_cancel(self) -> None:
        self.dismiss(False)

    def action_confirm(self) -> None:
        self.dismiss(True)


class QuitScreen(ConfirmScreen):
    """The question asked before a console quits (its own class: Ctrl+Q again confirms)."""


def confirm_quit(app: App[Any], question: str, quit: Callable[[], Awaitable[None]]) -> None:
    """Quit by ``quit`` after asking ``question``, or at once when there is none.

    Ctrl+Q is one keystroke away from Ctrl+W or Ctrl+A: a team member who quits by
    mistake loses their place in a live exercise. Pressing it again while the
    question is on screen quits, as most programs that ask do.
    """
    if not question or isinstance(app.screen, QuitScreen):
        app.call_next(quit)
        return

    def answered(ok: bool | None) -> None:
        if ok:
            app.call_next(quit)

    app.push_screen(QuitScreen(question, _("Quit")), answered)
