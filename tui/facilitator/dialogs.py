"""The facilitator's dialogs: release/hold/cancel an inject, broadcast, jump, speed, reply.

Each returns an :mod:`engine.commands` model (or None when cancelled); the app
sends it. They check what can be checked locally (a time that parses, a team
chosen, the command's own field limits) and leave the rest to the engine, whose
rejection reason the app shows.
"""

from __future__ import annotations

from pydantic import ValidationError
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import (
    Button,
    Input,
    Label,
    RadioButton,
    RadioSet,
    Select,
    SelectionList,
    Static,
)

from engine import commands as c
from engine.commands import AnyCommand
from engine.durations import TimeError, format_clock, parse_when
from tui.console.safe import choices, line, plain
from tui.model.staff import StaffModel

DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > VerticalScroll {{ width: 80; max-width: 98%; height: auto; max-height: 100%;
                           border: thick $accent; background: $surface; padding: 0 2; }}
{name} .title {{ text-style: bold; margin-bottom: 1; }}
{name} .error {{ color: $error; height: auto; }}
{name} SelectionList {{ height: auto; max-height: 10; }}
{name} .buttons {{ height: auto; align-horizontal: right; margin-top: 1; }}
{name} .buttons Button {{ margin-left: 2; }}
"""


class _Dialog(ModalScreen[AnyCommand | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    AUTO_FOCUS = "Input, TextArea, RadioSet, SelectionList, Checkbox, Button"
    """The first field, not the scroll container around it: a controller types at once."""

    def buttons(self, label: str) -> ComposeResult:
        """The main button first: Tab from the fields reaches it before Cancel."""
        with Horizontal(classes="buttons"):
            yield Button(label, id="ok", variant="primary")
            yield Button("Cancel", id="cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel":
            self.dismiss(None)
        elif event.button.id == "ok":
            try:
                result = self.result()
            except ValidationError as exc:
                result = "; ".join(str(e["msg"]) for e in exc.errors())
            if isinstance(result, str):
                self.query_one(".error", Static).update(plain(result))
            else:
                self.dismiss(result)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in a one-line field does what the dialog's main button does."""
        event.stop()
        self.query_one("#ok", Button).press()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def result(self) -> AnyCommand | str:
        """The command to send, or what is wrong (raises ``ValidationError`` on a field
        the command refuses)."""
        raise NotImplementedError


class InjectDialog(_Dialog):
    """Release, hold or cancel one inject for all its teams or chosen ones."""

    DEFAULT_CSS = DIALOG_CSS.format(name="InjectDialog")

    def __init__(self, model: StaffModel, action: str, inject: str | None = None) -> None:
        super().__init__()
        self.model = model
        self.action = action
        self.inject = inject

    def compose(self) -> ComposeResult:
        scenario = self.model.scenario
        assert scenario is not None
        injects = sorted(scenario.injects, key=lambda i: (not i.contingency, i.id))
        with VerticalScroll():
            yield Static(f"{self.action.capitalize()} an inject", classes="title")
            yield Label("Inject (◆ contingency)")
            yield Select(
                choices(
                    (("◆ " if i.contingency else "") + f"{i.id} · {i.title}", i.id) for i in injects
                ),
                value=self.inject or Select.NULL,
                id="inject",
            )
            yield Label("Teams (none ticked: all its teams)")
            yield SelectionList[str](id="teams")
            if self.action == "release":
                yield Label("When (blank: now; +10m; 1:30:00)")
                yield Input(placeholder="now", id="when")
            yield Static("", classes="error")
            yield from self.buttons(self.action.capitalize())

    def on_mount(self) -> None:
        self._fill_teams()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "inject":
            self._fill_teams()

    def _fill_teams(self) -> None:
        inject = self.query_one("#inject", Select).value
        teams = self.query_one("#teams", SelectionList)
        teams.clear_options()
        if not isinstance(inject, str):
            return
        for team, state in self.model.cells.get(inject, {}).items():
            teams.add_option((line(f"{team} ({state})"), team))

    def result(self) -> AnyCommand | str:
        inject = self.query_one("#inject", Select).value
        if not isinstance(inject, str):
            return "choose an inject"
        teams = list(self.query_one("#teams", SelectionList).selected) or None
        if self.action == "hold":
            return c.Hold(inject=inject, teams=teams)
        if self.action == "cancel":
            return c.Cancel(inject=inject, teams=teams)
        try:
            when = parse_when(self.query_one("#when", Input).value, self.model.now())
        except TimeError as exc:
            return str(exc)
        return c.Release(inject=inject, teams=teams, at=when)


class BroadcastDialog(_Dialog):
    DEFAULT_CSS = DIALOG_CSS.format(name="BroadcastDialog")

    def __init__(self, model: StaffModel) -> None:
        super().__init__()
        self.model = model

    def compose(self) -> ComposeResult:
        scenario = self.model.scenario
        actors = scenario.actors if scenario is not None else []
        with VerticalScroll():
            yield Static("Broadcast a message", classes="title")
            yield Label("From")
            yield Select(
                choices([("Exercise control", ""), *((a.name, a.id) for a in actors)]),
                value="",
                allow_blank=False,
                id="actor",
            )
            yield Label("Title")
            yield Input(id="title", max_length=200)
            yield Label("Message")
            yield Input(id="text", max_length=4000)
            yield Label("Teams (none ticked: every team)")
            yield SelectionList[str](
                *choices((f"{t.id} · {t.name}", t.id) for t in self.model.teams.values()),
                id="teams",
            )
            yield Static("", classes="error")
            yield from self.buttons("Broadcast")

    def result(self) -> AnyCommand | str:
        text = self.query_one("#text", Input).value.strip()
        if not text:
            return "write the message"
        actor = self.query_one("#actor", Select).value
        return c.Broadcast(
            text=text,
            title=self.query_one("#title", Input).value.strip(),
            actor=actor if isinstance(actor, str) and actor else None,
            teams=list(self.query_one("#teams", SelectionList).selected) or None,
        )


class JumpDialog(_Dialog):
    DEFAULT_CSS = DIALOG_CSS.format(name="JumpDialog")

    def __init__(self, model: StaffModel) -> None:
        super().__init__()
        self.model = model

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("Jump ahead", classes="title")
            yield Static(
                f"Now {format_clock(self.model.now())}. Everything due on the way is "
                "delivered, in order, to every team."
            )
            yield Label("To (+15m, or a time such as 1:30:00)")
            yield Input(id="to")
            yield Static("", classes="error")
            yield from self.buttons("Jump")

    def result(self) -> AnyCommand | str:
        try:
            when = parse_when(self.query_one("#to", Input).value, self.model.now())
        except TimeError as exc:
            return str(exc)
        if when is None:
            return "give a time to jump to"
        if when <= self.model.now():
            return "a jump goes forward: give a later time"
        return c.Jump(to=when)


SPEEDS = (0.5, 1, 2, 5, 10, 30, 60)


class SpeedDialog(_Dialog):
    DEFAULT_CSS = DIALOG_CSS.format(name="SpeedDialog")

    def __init__(self, current: float) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("Exercise speed", classes="title")
            with RadioSet(id="speed"):
                for speed in SPEEDS:
                    yield RadioButton(
                        f"×{speed:g}" + ("  (real time)" if speed == 1 else ""),
                        value=speed == self.current,
                        id=f"s{str(speed).replace('.', '_')}",
                    )
            yield Static("", classes="error")
            yield from self.buttons("Set speed")

    def on_mount(self) -> None:
        """Start the RadioSet's cursor on the current speed, not on the first one."""
        radio = self.query_one("#speed", RadioSet)
        if radio.pressed_index >= 0:
            radio._selected = radio.pressed_index

    def result(self) -> AnyCommand | str:
        radio = self.query_one("#speed", RadioSet)
        if radio.pressed_index < 0:
            return "choose a speed"
        return c.SetSpeed(speed=SPEEDS[radio.pressed_index])


QUOTE_LIMIT = 2_000
"""Characters of a team's question quoted in the reply dialog."""


class ReplyDialog(_Dialog):
    """Answer a team's question in the actor's name."""

    DEFAULT_CSS = DIALOG_CSS.format(name="ReplyDialog")

    def __init__(self, team: str, actor: str, actor_name: str, question: str, seq: int) -> None:
        super().__init__()
        self.team, self.actor, self.actor_name = team, actor, actor_name
        self.question, self.seq = question, seq

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(
                plain(f"Reply to {self.team} as {self.actor_name}", one_line=True, limit=300),
                classes="title",
            )
            yield Static(plain(f"“{self.question}”", limit=QUOTE_LIMIT))
            yield Input(id="text", placeholder="Your answer, in character", max_length=4000)
            yield Static("", classes="error")
            yield from self.buttons("Send reply")

    def on_mount(self) -> None:
        self.query_one("#text", Input).focus()

    def result(self) -> AnyCommand | str:
        text = self.query_one("#text", Input).value.strip()
        if not text:
            return "write the reply"
        return c.Reply(actor=self.actor, team=self.team, text=text, to_seq=self.seq)
