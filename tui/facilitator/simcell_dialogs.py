"""The sim cell's dialogs: pass a question to another controller; set a controller's tracks.

Like the console's other dialogs (:mod:`tui.facilitator.dialogs`) they return a
command (or None when cancelled) and leave what only the engine knows (a track no
team has) to it; the console shows its reason.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Label, Select, SelectionList, Static

from engine import commands as c
from engine.commands import AnyCommand
from engine.i18n import _
from scoring.questions import Question
from tui.console.safe import choices, line, plain
from tui.facilitator.dialogs import DIALOG_CSS, QUOTE_LIMIT, _Dialog
from tui.model.staff import StaffModel


def controllers(model: StaffModel) -> list[str]:
    """Every controller this console knows: the server's facilitator seats (welcome),
    and any that took tracks (an older server sends no seats)."""
    known = list(model.controllers)
    for name in (model.seat_name, *model.simcell.tracks):
        if name and name not in known:
            known.append(name)
    return known


def controller_label(model: StaffModel, name: str) -> str:
    tracks = model.simcell.tracks.get(name, ())
    covers = " · " + (", ".join(tracks) if tracks else _("no tracks"))
    you = " " + _("(you: take it)") if name == model.seat_name else ""
    return f"{name}{you}{covers}"


def track_choices(model: StaffModel) -> list[tuple[str, str]]:
    """What a track may name: each role (with its name), then each tag teams carry."""
    scenario, roster = model.scenario, model.roster
    if scenario is None or roster is None:
        return []
    fielded = set(roster.by_role)
    role_tags = scenario.role_tags
    out = [
        (f"{t.id} · {t.name}" + "".join(f" #{tag}" for tag in role_tags.get(t.id, ())), t.id)
        for t in scenario.teams
        if t.id in fielded
    ]
    tags = sorted({tag for seat in roster.seats(scenario) for tag in seat.tags} - fielded)
    out.extend((_("tag {tag}").format(tag=tag), tag) for tag in tags)
    return out


class PassDialog(_Dialog):
    """Hand an open question to another controller (or take it yourself)."""

    DEFAULT_CSS = DIALOG_CSS.format(name="PassDialog")

    def __init__(self, model: StaffModel, question: Question) -> None:
        super().__init__()
        self.model = model
        self.question = question

    def compose(self) -> ComposeResult:
        q = self.question
        names = controllers(self.model)
        others = [n for n in names if n != self.model.seat_name and n != q.holder]
        with VerticalScroll():
            yield Static(_("Pass a question to another controller"), classes="title")
            asked = _("{team} to {actor}: “{text}”").format(
                team=q.team, actor=self.model.actor_name(q.actor), text=q.text
            )
            yield Static(plain(asked, limit=QUOTE_LIMIT))
            with Horizontal(classes="field"):
                yield Label(_("To"), classes="label")
                yield Select(
                    choices((controller_label(self.model, n), n) for n in names),
                    value=others[0] if others else (names[0] if names else Select.NULL),
                    allow_blank=not names,
                    id="to",
                )
            with Horizontal(classes="field"):
                yield Label(_("Note"), classes="label")
                yield Input(id="note", max_length=c.MAX_SHORT, placeholder=_("optional: why"))
            yield Static("", classes="error")
            yield from self.buttons(_("Pass"))

    def on_mount(self) -> None:
        self.query_one("#to", Select).focus()

    def result(self) -> AnyCommand | str:
        to = self.query_one("#to", Select).value
        if not isinstance(to, str):
            return _("choose a controller")
        return c.PassQuestion(
            question=self.question.seq,
            to=to,
            by=self.model.seat_name,
            note=self.query_one("#note", Input).value.strip(),
        )


class TracksDialog(_Dialog):
    """Choose the roles and tags a controller covers (yours, or another's when you lead
    the sim cell and reassign them)."""

    DEFAULT_CSS = DIALOG_CSS.format(name="TracksDialog")

    def __init__(self, model: StaffModel) -> None:
        super().__init__()
        self.model = model

    def compose(self) -> ComposeResult:
        names = controllers(self.model)
        with VerticalScroll():
            yield Static(_("Sim cell tracks: whose questions come first"), classes="title")
            with Horizontal(classes="field"):
                yield Label(_("For"), classes="label")
                yield Select(
                    choices((n, n) for n in names),
                    value=self.model.seat_name if self.model.seat_name in names else Select.NULL,
                    allow_blank=not names,
                    id="controller",
                )
            yield Label(_("Tracks (roles, tags); none ticked: no track"))
            yield SelectionList[str](id="tracks")
            yield Static("", classes="error")
            yield from self.buttons(_("Set tracks"))

    def on_mount(self) -> None:
        self._fill()
        self.query_one("#tracks", SelectionList).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "controller":
            self._fill()

    def _fill(self) -> None:
        who = self.query_one("#controller", Select).value
        current = set(self.model.simcell.tracks.get(who, ())) if isinstance(who, str) else set()
        tracks = self.query_one("#tracks", SelectionList)
        tracks.clear_options()
        for label, value in track_choices(self.model):
            tracks.add_option((line(label, limit=200), value, value in current))

    def result(self) -> AnyCommand | str:
        who = self.query_one("#controller", Select).value
        if not isinstance(who, str):
            return _("choose a controller")
        chosen = list(self.query_one("#tracks", SelectionList).selected)
        return c.Tracks(controller=who, tracks=chosen, by=self.model.seat_name)
