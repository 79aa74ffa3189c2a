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
    LoginScreen Label { margin-top: 1; width: 100%; }
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
        self.first: LoginField | None = self._first_field()
        """The field the cursor starts in."""
        if self.first is not None:
            # Textual focuses the screen's first input as it is built, before ``on_mount``:
            # in a browser tab, a blur and focus of the page between the two put the cursor
            # back in the server address, and a code typed at once went there.
            # Textual reads it from the screen (``self.AUTO_FOCUS``): one per login.
            self.AUTO_FOCUS = f"#{self.first}"  # type: ignore[misc]

    def _first_field(self) -> LoginField | None:
        """After a refusal, the field that was wrong; else the first empty field."""
        if self.error:
            return self.wrong if self.ask_name or self.wrong != "name" else "code"
        fields: list[LoginField] = ["url", "code", "name"] if self.ask_name else ["url", "code"]
        initial = {"url": self.initial.url, "code": self.initial.code, "name": self.initial.name}
        empty = [f for f in fields if not initial[f]]
        if empty:
            return empty[0]
        return "name" if self.wrong == "name" and self.ask_name else None

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
        """The cursor in :attr:`first`: after a refusal, the field that was wrong, its text
        selected to retype; else the first empty field.

        A refused code selects the code, an unreachable server the address, a refused
        name the name, rather than whichever field comes first.
        """
        for box in self.query(f"#{self.first}").results(Input) if self.first else ():
            box.focus()
            if self.error:
                box.select_all()

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
