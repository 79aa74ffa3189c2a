"""The facilitator's dialogs: release/hold/cancel an inject, broadcast, jump, speed, break,
reply.

Each returns an :mod:`engine.commands` model (or None when cancelled); the app
sends it. They check what can be checked locally (a time that parses, a team
chosen, the command's own field limits) and leave the rest to the engine, whose
rejection reason the app shows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo

from pydantic import ValidationError
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import (
    Button,
    Checkbox,
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
from engine.durations import (
    HOUR,
    MINUTE,
    SECOND,
    TimeError,
    format_clock,
    parse_duration,
    parse_time_of_day,
    parse_when,
)
from engine.i18n import N_, _, ngettext
from engine.i18n.forms import grouped
from engine.views import PauseView
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
{name} .field {{ height: auto; }}
{name} .field > .label {{ width: 9; padding-top: 1; }}
{name} .field > Select, {name} .field > Input {{ width: 1fr; }}
"""
"""Dialogs fit 80x24: labels sit beside their fields (``.field``), a list scrolls."""


_ACTION_TITLES = {
    "release": N_("Release an inject"),
    "hold": N_("Hold an inject"),
    "cancel": N_("Cancel an inject"),
}
_ACTION_BUTTONS = {"release": N_("Release"), "hold": N_("Hold"), "cancel": N_("Cancel")}
"""The inject dialog's title and button for each action (the action is the command's type)."""


class _Dialog(ModalScreen[AnyCommand | None]):
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"))]
    AUTO_FOCUS = "Input, TextArea, RadioSet, SelectionList, Checkbox, Button"
    """The first field, not the scroll container around it: a controller types at once."""

    def buttons(self, label: str) -> ComposeResult:
        """The main button first: Tab from the fields reaches it before Cancel."""
        with Horizontal(classes="buttons"):
            yield Button(label, id="ok", variant="primary")
            yield Button(_("Cancel"), id="cancel")

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
            yield Static(_(_ACTION_TITLES[self.action]), classes="title")
            yield Label(_("Inject (◆ contingency)"))
            yield Select(
                choices(
                    (("◆ " if i.contingency else "") + f"{i.id} · {i.title}", i.id) for i in injects
                ),
                value=self.inject or Select.NULL,
                id="inject",
            )
            yield Label(_("Teams (none ticked: all its teams)"))
            yield SelectionList[str](id="teams")
            if self.action == "release":
                with Horizontal(classes="field"):
                    yield Label(_("When"), classes="label")
                    yield Input(placeholder=_("now; or +10m, 1:30:00"), id="when")
            yield Static("", classes="error")
            yield from self.buttons(_(_ACTION_BUTTONS[self.action]))

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
            return _("choose an inject")
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


EVERYONE = "*"
"""The broadcast audience "every team" (``Broadcast.teams`` left empty)."""


def audiences(model: StaffModel) -> list[tuple[str, str]]:
    """Who a broadcast can go to: every team, each role, each track (a tag shared by
    roles) and each team, as (label, key); :func:`audience_teams` reads the key."""
    out = [(_("Every team"), EVERYONE)]
    scenario, roster = model.scenario, model.roster
    if scenario is None or roster is None:
        return out
    by_role = roster.by_role
    for role in scenario.teams:
        n = len(by_role.get(role.id, ()))
        if n:
            label = ngettext("Role {role} ({n} team)", "Role {role} ({n} teams)", n)
            out.append((label.format(role=role.name, n=grouped(n)), f"role:{role.id}"))
    tracks = dict.fromkeys(tag for role in scenario.teams for tag in role.tags)
    for track in tracks:
        n = len(roster.teams_of(r.id for r in scenario.teams if track in r.tags))
        if n:
            label = ngettext("Track {track} ({n} team)", "Track {track} ({n} teams)", n)
            out.append((label.format(track=track, n=grouped(n)), f"track:{track}"))
    out.extend(
        (_("Team {id} · {name}").format(id=t.id, name=t.name), f"team:{t.id}") for t in roster.teams
    )
    return out


def audience_teams(model: StaffModel, key: str) -> list[str] | None:
    """The teams an audience key names, by the roster (None: every team)."""
    kind, _sep, value = key.partition(":")
    roster, scenario = model.roster, model.scenario
    if kind == "team":
        return [value]
    if roster is None or scenario is None or kind not in ("role", "track"):
        return None
    if kind == "role":
        return roster.teams_of([value])
    return roster.teams_of(r.id for r in scenario.teams if value in r.tags)


class BroadcastDialog(_Dialog):
    """A message from exercise control (or an actor) to every team, a role, a track or a team."""

    DEFAULT_CSS = DIALOG_CSS.format(name="BroadcastDialog")

    def __init__(self, model: StaffModel) -> None:
        super().__init__()
        self.model = model

    def compose(self) -> ComposeResult:
        scenario = self.model.scenario
        actors = scenario.actors if scenario is not None else []
        with VerticalScroll():
            yield Static(_("Broadcast a message"), classes="title")
            with Horizontal(classes="field"):
                yield Label(_("To"), classes="label")
                yield Select(
                    choices(audiences(self.model)),
                    value=EVERYONE,
                    allow_blank=False,
                    id="to",
                )
            with Horizontal(classes="field"):
                yield Label(_("From"), classes="label")
                yield Select(
                    choices([(_("Exercise control"), ""), *((a.name, a.id) for a in actors)]),
                    value="",
                    allow_blank=False,
                    id="actor",
                )
            with Horizontal(classes="field"):
                yield Label(_("Title"), classes="label")
                yield Input(id="title", max_length=200, placeholder=_("optional"))
            with Horizontal(classes="field"):
                yield Label(_("Message"), classes="label")
                yield Input(id="text", max_length=4000)
            yield Static("", classes="error")
            yield from self.buttons(_("Broadcast"))

    def on_mount(self) -> None:
        """The message is what a controller writes first; "To" defaults to every team."""
        self.query_one("#text", Input).focus()

    def result(self) -> AnyCommand | str:
        text = self.query_one("#text", Input).value.strip()
        if not text:
            return _("write the message")
        actor = self.query_one("#actor", Select).value
        to = self.query_one("#to", Select).value
        teams = audience_teams(self.model, to) if isinstance(to, str) else None
        if teams is not None and not teams:
            return _("nobody plays that role")
        return c.Broadcast(
            text=text,
            title=self.query_one("#title", Input).value.strip(),
            actor=actor if isinstance(actor, str) and actor else None,
            teams=teams,
        )


LIST_LIMIT = 6
"""Inject ids or team ids named in a jump's summary before "+N more"."""


def _names(ids: list[str]) -> str:
    shown = ", ".join(ids[:LIST_LIMIT])
    if len(ids) <= LIST_LIMIT:
        return shown
    return shown + " " + _("+{n} more").format(n=grouped(len(ids) - LIST_LIMIT))


def jump_summary(model: StaffModel, to: int, at_landing: bool) -> str:
    """What a jump to ``to`` does, in the control room's words: which injects the MSEL
    has due on the way, when they arrive and when their deadlines count from, and which
    deadlines already running pass during it."""
    landing = format_clock(to)
    end = model.end_at
    if end is not None and to >= end:
        return (
            _(
                "{landing} is the end of the exercise: it ends there, and nothing still due "
                "is delivered."
            )
            if at_landing
            else _(
                "{landing} is the end of the exercise: what is due on the way is "
                "delivered at its own time, then it ends."
            )
        ).format(landing=landing)
    due = model.due_by(to)
    parts = []
    if not due:
        parts.append(_("No inject is timed on the way (by the MSEL)."))
    elif at_landing:
        parts.append(
            ngettext(
                "{n} inject will be delivered ({names}) at {landing}, in order; their "
                "deadlines count from {landing}, so no team loses points for the time skipped.",
                "{n} injects will be delivered ({names}) at {landing}, in order; their "
                "deadlines count from {landing}, so no team loses points for the time skipped.",
                len(due),
            ).format(n=grouped(len(due)), names=_names(due), landing=landing)
        )
    else:
        parts.append(
            ngettext(
                "{n} inject will be delivered ({names}) at their own times on the way; a "
                "deadline that falls before {landing} passes during the jump and counts as "
                "missed.",
                "{n} injects will be delivered ({names}) at their own times on the way; a "
                "deadline that falls before {landing} passes during the jump and counts as "
                "missed.",
                len(due),
            ).format(n=grouped(len(due)), names=_names(due), landing=landing)
        )
    running = model.deadlines_by(to)
    if running:
        teams = list(dict.fromkeys(r.team for r in running))
        parts.append(
            ngettext(
                "{n} question already with the teams ({teams}) is due by {landing}: its "
                "deadline passes during the jump.",
                "{n} questions already with the teams ({teams}) are due by {landing}: their "
                "deadlines pass during the jump.",
                len(running),
            ).format(n=grouped(len(running)), teams=_names(teams), landing=landing)
        )
    return " ".join(parts)


class JumpDialog(_Dialog):
    """Where to jump, counted from the moment the dialog opened, and what it delivers.

    The clock keeps running for the teams while the controller decides: rather than
    pause every table for a dialog, the jump counts from the moment it opened, so
    ``+10m`` typed at 0:17:16 lands at 0:27:16 however long the controller reads.
    """

    DEFAULT_CSS = (
        DIALOG_CSS.format(name="JumpDialog")
        + """
    JumpDialog #lands { color: $text-muted; height: auto; }
    JumpDialog .field { margin-top: 1; }
    """
    )

    def __init__(self, model: StaffModel) -> None:
        super().__init__()
        self.model = model
        self.opened = model.now()
        """Exercise time when the dialog opened: what a relative time counts from."""

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(_("Jump ahead"), classes="title")
            yield Static(
                _(
                    "Now {now}. The clock runs on while you decide: +15m counts from {now}, "
                    "when you opened this."
                ).format(now=format_clock(self.opened))
            )
            with Horizontal(classes="field"):
                yield Label(_("To"), classes="label")
                yield Input(id="to", placeholder=_("+15m, or a time such as 1:30:00"))
            yield Static("", id="lands")
            yield Checkbox(
                _("Deliver them at the landing (deadlines count from then)"),
                value=True,
                id="at-landing",
            )
            yield Static("", classes="error")
            yield from self.buttons(_("Jump"))

    def on_input_changed(self, event: Input.Changed) -> None:
        self._preview()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self._preview()

    def _preview(self) -> None:
        result = self.result()
        lands = self.query_one("#lands", Static)
        if isinstance(result, c.Jump):
            summary = jump_summary(self.model, result.to, result.at_landing)
            lands.update(
                plain(
                    _("Lands at {landing}.").format(landing=format_clock(result.to)) + " " + summary
                )
            )
        else:
            lands.update("")

    def result(self) -> AnyCommand | str:
        try:
            when = parse_when(self.query_one("#to", Input).value, self.opened)
        except TimeError as exc:
            return str(exc)
        if when is None:
            return _("give a time to jump to")
        if when <= self.opened:
            return _("a jump goes forward: give a later time")
        end = self.model.end_at
        if end is not None and when > end:
            return _("the exercise ends at {end}: jump there at most").format(end=format_clock(end))
        return c.Jump(to=when, at_landing=self.query_one("#at-landing", Checkbox).value)


SPEEDS = (0.5, 1, 2, 5, 10, 30, 60)


class SpeedDialog(_Dialog):
    DEFAULT_CSS = DIALOG_CSS.format(name="SpeedDialog")

    def __init__(self, current: float) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(_("Exercise speed"), classes="title")
            with RadioSet(id="speed"):
                for speed in SPEEDS:
                    yield RadioButton(
                        f"×{speed:g}" + ("  " + _("(real time)") if speed == 1 else ""),
                        value=speed == self.current,
                        id=f"s{str(speed).replace('.', '_')}",
                    )
            yield Static("", classes="error")
            yield from self.buttons(_("Set speed"))

    def on_mount(self) -> None:
        """Start the RadioSet's cursor on the current speed, not on the first one."""
        radio = self.query_one("#speed", RadioSet)
        if radio.pressed_index >= 0:
            radio._selected = radio.pressed_index

    def result(self) -> AnyCommand | str:
        radio = self.query_one("#speed", RadioSet)
        if radio.pressed_index < 0:
            return _("choose a speed")
        return c.SetSpeed(speed=SPEEDS[radio.pressed_index])


LONGEST_BREAK = 12 * HOUR
"""A break planned longer than this is a typing slip (a lunch is an hour or two; an
overnight stop is ended with p, not planned)."""
_MINUTES = re.compile(r"^\+?\s*(\d+)\s*(?:min|mins|minutes?)$", re.IGNORECASE)


def break_end(text: str, wall_now: float, tz: tzinfo | None = None) -> float:
    """When a break typed as a length (``15m``, ``+15m``, ``15 min``) or as its end (a time
    of day, ``11:15``, today in ``tz``) ends, in seconds since the epoch; raises
    :class:`~engine.durations.TimeError` saying how to write it."""
    value = text.strip()
    if not value:
        raise TimeError(_("give the break's length (15m) or the time it ends (11:15)"))
    if ":" in value:
        now = datetime.fromtimestamp(wall_now, tz)
        midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
        end = midnight + timedelta(milliseconds=parse_time_of_day(value).ms)
        if end.timestamp() <= wall_now:
            raise TimeError(
                _(
                    "{value} has passed (it is {now} here): give a later time, or a length "
                    "such as 15m"
                ).format(value=value, now=f"{now:%H:%M}")
            )
        until = end.timestamp()  # exactly the time given, not now plus a rounded length
    elif m := _MINUTES.match(value):
        until = wall_now + int(m[1]) * MINUTE / SECOND
    else:
        until = wall_now + parse_duration(value.removeprefix("+").strip()) / SECOND
    if until <= wall_now:
        raise TimeError(_("a break lasts some time: give a length such as 15m"))
    if until - wall_now > LONGEST_BREAK / SECOND:
        raise TimeError(
            _(
                "{value} is more than {hours} hours away: give a shorter break, or pause (p) "
                "and resume by hand"
            ).format(value=value, hours=LONGEST_BREAK // HOUR)
        )
    return until


class BreakDialog(_Dialog):
    """A break for every table: its length or end, and an optional message.

    Sent as a ``pause`` with ``until``: every console shows the message and when play
    resumes, and the server resumes by itself at the end (``p`` resumes earlier). The
    preview is the very line the teams will read (:meth:`PauseView.status_line`).
    """

    DEFAULT_CSS = (
        DIALOG_CSS.format(name="BreakDialog")
        + """
    BreakDialog #preview { color: $text-muted; height: auto; margin-top: 1; }
    """
    )

    def __init__(self, wall: Callable[[], float], tz: tzinfo | None = None) -> None:
        super().__init__()
        self.wall = wall
        self.tz = tz

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(_("Schedule a break"), classes="title")
            yield Static(
                _(
                    "Play stops for every table now and resumes by itself at the end; p "
                    "resumes earlier. Every console shows the message and when play resumes."
                )
            )
            with Horizontal(classes="field"):
                yield Label(_("Until"), classes="label")
                yield Input(id="until", placeholder=_("a length (15m) or its end (11:15)"))
            with Horizontal(classes="field"):
                yield Label(_("Message"), classes="label")
                yield Input(id="message", max_length=200, placeholder=_("optional: Coffee break"))
            yield Static("", id="preview")
            yield Static("", classes="error")
            yield from self.buttons(_("Start break"))

    def on_input_changed(self, event: Input.Changed) -> None:
        result = self.result()
        preview = self.query_one("#preview", Static)
        if isinstance(result, c.Pause) and result.until is not None:
            shown = PauseView(message=result.reason, until=result.until)
            preview.update(plain(_("Teams will see: ") + shown.status_line(self.wall(), self.tz)))
        else:
            preview.update("")

    def result(self) -> AnyCommand | str:
        try:
            until = break_end(self.query_one("#until", Input).value, self.wall(), self.tz)
        except TimeError as exc:
            return str(exc)
        return c.Pause(reason=self.query_one("#message", Input).value.strip(), until=until)


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
                plain(
                    _("Reply to {team} as {actor}").format(team=self.team, actor=self.actor_name),
                    one_line=True,
                    limit=300,
                ),
                classes="title",
            )
            yield Static(plain(f"“{self.question}”", limit=QUOTE_LIMIT))
            yield Input(id="text", placeholder=_("Your answer, in character"), max_length=4000)
            yield Static("", classes="error")
            yield from self.buttons(_("Send reply"))

    def on_mount(self) -> None:
        self.query_one("#text", Input).focus()

    def result(self) -> AnyCommand | str:
        text = self.query_one("#text", Input).value.strip()
        if not text:
            return _("write the reply")
        return c.Reply(actor=self.actor, team=self.team, text=text, to_seq=self.seq)
