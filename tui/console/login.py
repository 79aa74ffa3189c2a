"""The login screen: server address, join code and name, when not given on the command line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Static

from engine.i18n import N_, _
from tui.console.keys import translated
from tui.console.safe import plain

LoginField = Literal["url", "code", "name"]
"""A field of the login screen (its widget's id)."""


@dataclass(frozen=True)
class Credentials:
    url: str
    code: str
    name: str


class LoginScreen(Screen[Credentials]):
    """Asks for what ``sitroom join URL --code C --name N`` would have given."""

    DEFAULT_CSS = """
    LoginScreen { align: center middle; }
    LoginScreen > Vertical { width: 64; max-width: 100%; height: auto; border: thick $accent;
                             padding: 1 2; background: $surface; }
    LoginScreen #login-title { text-style: bold; margin-bottom: 1; }
    LoginScreen Label { margin-top: 1; }
    LoginScreen #login-error { color: $error; height: auto; }
    LoginScreen Button { margin-top: 1; width: 100%; }
    """
    BINDINGS = [Binding("ctrl+q", "app.quit", N_("Quit"))]

    def __init__(
        self,
        *,
        url: str = "",
        code: str = "",
        name: str = "",
        ask_name: bool = True,
        error: str = "",
        wrong: LoginField = "code",
    ) -> None:
        super().__init__()
        self.initial = Credentials(url, code, name)
        self.ask_name = ask_name
        self.error = error
        self.wrong: LoginField = wrong
        """The field to correct after a refusal (the server address when it could not be
        reached, the name when it was refused, else the code)."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The footer's keys in the active language (:mod:`tui.console.keys`)."""
        return translated(super().active_bindings)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(_("Join the exercise"), id="login-title")
            yield Static(_("Your facilitator gave you a server address and a join code."))
            yield Label(_("Server address"))
            yield Input(self.initial.url, placeholder="http://host:8470", id="url")
            yield Label(_("Join code"))
            # Shown, not masked: a code is copied from a printed card, and dots only hide
            # the typo that makes it fail.
            yield Input(self.initial.code, placeholder=_("the code on your card"), id="code")
            if self.ask_name:
                yield Label(_("Your name (as your team will see it)"))
                yield Input(
                    self.initial.name, placeholder=_("e.g. Amira"), id="name", max_length=80
                )
            yield Static(plain(self.error), id="login-error")
            yield Button(_("Join"), variant="primary", id="join")
        yield Footer()

    def on_mount(self) -> None:
        """After a refusal, the field that was wrong, its text selected to retype; else the
        first empty field.

        A refused code selects the code, an unreachable server the address, a refused
        name the name, rather than whichever field comes first.
        """
        if self.error:
            for box in self.query(f"#{self.wrong}").results(Input):
                box.focus()
                box.select_all()
                return
        for field in ("url", "code", "name"):
            found = self.query(f"#{field}").results(Input)
            for box in found:
                if not box.value:
                    box.focus()
                    return
        if self.wrong == "name":
            for box in self.query("#name").results(Input):
                box.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._try()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self._try()

    def _try(self) -> None:
        url = self.query_one("#url", Input).value.strip()
        code = self.query_one("#code", Input).value.strip()
        names = list(self.query("#name").results(Input))
        name = names[0].value.strip() if names else ""
        missing = [
            label
            for label, value in (
                (_("the server address"), url),
                (_("the join code"), code),
                (_("your name"), name if self.ask_name else "x"),
            )
            if not value
        ]
        if missing:
            self.query_one("#login-error", Static).update(
                _("Please give {fields}.").format(fields=_(" and ").join(missing))
            )
            return
        self.dismiss(Credentials(url, code, name))
