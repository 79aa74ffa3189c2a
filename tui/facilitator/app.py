"""The facilitator console: steer the clock, watch the MSEL and the teams, play the actors.

An observer gets the same console with every control disabled (the server would
refuse their commands anyway; the console does not offer them).
"""

from __future__ import annotations

from typing import Literal

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, DataTable, RichLog, Static, TabbedContent, TabPane
from textual.widgets.button import ButtonVariant

from engine import commands as c
from engine.commands import AnyCommand
from engine.durations import format_clock
from engine.i18n import N_, _, ngettext
from engine.i18n.forms import grouped
from engine.net.protocol import Ack, PresenceMsg
from engine.views import PauseView
from tui.console.base import Connector, ConsoleApp, ConsoleScreen
from tui.console.link import Link
from tui.console.login import Credentials
from tui.console.safe import plain
from tui.console.screens import ConfirmScreen
from tui.console.widgets import (
    ClockBar,
    ConnectionBanner,
    FittingFooter,
    focus_in_tab,
    show_tab,
)
from tui.facilitator.dialogs import (
    BreakDialog,
    BroadcastDialog,
    InjectDialog,
    JumpDialog,
    ReplyDialog,
    SpeedDialog,
    jump_summary,
)
from tui.facilitator.hotwash import HotwashScreen
from tui.facilitator.scores import ScoreSummary, ScoreTable
from tui.facilitator.simcell import SimCellSummary, SimCellTable
from tui.facilitator.table_view import TableScreen
from tui.facilitator.tables import BEHIND_MARK, OFFLINE_MARK, MselTable, TeamGrid
from tui.model.staff import BEHIND_AT, StaffArea, StaffModel

Role = Literal["facilitator", "observer"]
LOG_LIMIT = 2_000
"""Characters of one event-log line shown (a note may hold 8,000)."""


class ControlButton(Button, can_focus=False):
    """A toolbar button: clicked, or run by the key its label starts with.

    Never focused: the keyboard stays on the table below, so Enter acts on the row
    under the cursor (replying to a question, opening a table) rather than pressing
    whichever button last had focus.
    """


CONTROLS: tuple[tuple[str, str, ButtonVariant], ...] = (
    ("start", N_("s Start"), "success"),
    ("pause", N_("p Pause"), "warning"),
    ("break", N_("b Break"), "default"),
    ("speed", N_("x Speed"), "default"),
    ("jump", N_("j Jump"), "default"),
    ("release", N_("r Release"), "primary"),
    ("broadcast", N_("B Broadcast"), "default"),
)
"""The toolbar: id, label (its key first), variant. End stands apart, at the right."""
_DONE_WORDS = {
    "set_speed": N_("Set speed"),
    "release": N_("Release"),
    "hold": N_("Hold"),
    "cancel": N_("Cancel"),
}
"""A command sent from a dialog, as its notice names it (English: the type, capitalised)."""


class Controls(Horizontal):
    """The clock and inject buttons, each labelled with its key; fits 80 columns."""

    DEFAULT_CSS = """
    Controls { height: 1; padding: 0 1; background: $boost; }
    Controls Button { margin-right: 1; min-width: 0; }
    Controls #pause { width: 10; }  /* "p Pause" and "p Resume": the label changes */
    Controls #break { display: none; }  /* shown in Start's place once play has started */
    Controls .spacer { width: 1fr; }
    Controls .read-only { color: $warning; text-style: bold; height: 1; }
    Controls #ended-note { display: none; width: 1fr; height: 1; text-style: bold; }
    """

    def __init__(self, read_only: bool) -> None:
        super().__init__(id="controls")
        self.read_only = read_only

    def compose(self) -> ComposeResult:
        if self.read_only:
            yield Static(_("OBSERVER · read-only view"), classes="read-only")
            return
        # In the buttons' place once the exercise has ended (the engine refuses them all).
        yield Static(_("The exercise has ended: w opens the hotwash."), id="ended-note")
        for ident, label, variant in CONTROLS:
            yield ControlButton(_(label), id=ident, variant=variant, compact=True)
        yield Static(classes="spacer")
        yield ControlButton(_("E End"), id="end", variant="error", compact=True)


class FacilitatorScreen(ConsoleScreen[StaffArea]):
    model: StaffModel
    EVERY_AREA = frozenset[StaffArea](
        {"msel", "teams", "simcell", "log", "clock", "scores", "table"}
    )
    CLOCK_AREAS = frozenset[StaffArea]({"clock"})
    CSS_PATH = "facilitator.tcss"
    ASK_NAME = False
    BINDINGS = [
        # The toolbar's buttons show these keys: the footer keeps its room for the
        # keys of the tab on screen (they would not all fit in 80 columns).
        Binding("s", "start", N_("Start"), show=False),
        Binding("p", "pause_resume", N_("Pause/resume"), show=False),
        Binding("b", "break", N_("Break"), show=False),
        Binding("x", "speed", N_("Speed"), show=False),
        Binding("j", "jump", N_("Jump"), show=False),
        Binding("r", "release", N_("Release"), show=False),
        Binding("B", "broadcast", N_("Broadcast"), show=False),
        Binding("E", "end", N_("End"), show=False),
        Binding("h", "hold", N_("Hold")),
        Binding("c", "cancel_inject", N_("Cancel inject")),
        Binding("1", "tab('msel')", N_("MSEL"), show=False),
        Binding("2", "tab('teams')", N_("Teams"), show=False),
        Binding("3", "tab('simcell')", N_("Sim cell"), show=False),
        Binding("4", "tab('log')", N_("Log"), show=False),
        Binding("5", "tab('scores')", N_("Scores"), show=False),
        Binding("g", "next_role", N_("Scores by role")),
        Binding("o", "sort", N_("Sort teams")),
        Binding("w", "hotwash", N_("Hotwash")),
        Binding("question_mark", "help", N_("Help")),
    ]
    APP_TITLE = N_("sitroom · control")
    QUIT_QUESTION = N_(
        "Quit the control room?\n\nThe exercise keeps running on the server without this "
        "console: the teams play on, and while the clock runs, injects keep reaching them. "
        "To stop play for everyone, pause it (p) first. Run the same command again to come "
        "back."
    )
    OBSERVER_QUIT_QUESTION = N_(
        "Stop observing?\n\nThe exercise keeps running on the server. Run the same "
        "command again to come back."
    )
    HELP_TITLE = N_("Facilitator console: keys")
    HELP_NOTES = N_(
        "Tabs: 1 MSEL · 2 Teams · 3 Sim cell · 4 Log · 5 Scores. In the sim cell, Enter on a "
        "question replies in the actor's name, a passes it to another controller, t sets "
        "the tracks (roles, tags) whose questions come first (▶ passed to you, • your "
        "track).\nIn the team grid, Enter opens the table "
        "(inbox, answers, notes, questions; Esc closes it) and o cycles the sort column; a "
        "table marked {behind_mark} has {behind_at} or more expectations past their "
        "deadline, unanswered; one marked {offline_mark} has had no member "
        "connected since the time in its Members column. In the scores, g shows one role's "
        "teams, then the next.\n"
        "A jump counts from the moment its dialog opened and, unless you untick it, delivers "
        "what is due on the way at the landing, so deadlines count from there. End and Jump "
        "ask for confirmation.\nb plans a break (a length such as 15m, or its end such as "
        "11:15, and a message): every console shows when play resumes, and it resumes by "
        "itself then; p resumes earlier.\nw opens the hotwash: its prompts, a field to record "
        "what the room says under each, the notes so far and how many feedback forms came in."
    )

    def help_notes(self) -> str:
        """The notes name the team grid's marks and threshold, decided in ``tables``."""
        return _(self.HELP_NOTES).format(
            behind_mark=BEHIND_MARK.strip(), behind_at=BEHIND_AT, offline_mark=OFFLINE_MARK.strip()
        )

    AUTO_FOCUS = "#msel-table"
    """The keyboard starts on the MSEL, never on a toolbar button."""
    TAB_KEYS = {"msel": "1", "teams": "2", "simcell": "3", "log": "4", "scores": "5"}
    TAB_FOCUS = {
        "msel": "#msel-table",
        "teams": "#team-grid",
        "simcell": "#simcell-table",
        "log": "#event-log",
        "scores": "#score-table",
    }
    """What takes the keyboard when a tab is shown."""
    TAB_ACTIONS = {"hold": "msel", "cancel_inject": "msel", "sort": "teams", "next_role": "scores"}
    """Keys offered only on their tab (the footer shows the tab's own keys)."""

    def __init__(
        self,
        *,
        role: Role = "facilitator",
        link: Link | None = None,
        connect: Connector | None = None,
        credentials: Credentials | None = None,
    ) -> None:
        super().__init__(link=link, connect=connect, credentials=credentials)
        self.role = role
        if role == "observer":  # an observer cannot pause: no advice to
            self.QUIT_QUESTION = self.OBSERVER_QUIT_QUESTION
        self.model = StaffModel()
        self._sort_cycle = ["id", "score", "overdue", "answered", "delivered", "last"]
        self._logged_seq = 0
        self._hotwash_offered = False
        """The end was announced with where the hotwash is (once)."""

    @property
    def read_only(self) -> bool:
        return self.role == "observer" or self.model.role == "observer"

    CONTROL_ACTIONS = frozenset(
        {"start", "pause_resume", "speed", "jump", "release", "hold", "cancel_inject"}
        | {"broadcast", "end", "break"}
    )
    """What neither an observer's console nor any console after the end offers in its
    footer or runs."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.CONTROL_ACTIONS and (
            self.read_only or self.model.clock.status == "ended"
        ):
            return False  # neither offered nor run: an observer's, or after the end
        if action == "hotwash":  # offered (and in the footer) once the exercise has ended
            return self.model.clock.status == "ended"
        tab = self.TAB_ACTIONS.get(action)
        if tab is not None and self.is_mounted:
            return self.query_one(TabbedContent).active == tab
        return True

    def compose(self) -> ComposeResult:
        yield ClockBar(self.model.clock, title=_("Control room"), id="clockbar")
        yield self.pause_banner(lambda: self.model.pause, staff=True)
        yield ConnectionBanner(id="banner")
        yield Controls(self.role == "observer")
        with TabbedContent(initial="msel", id="tabs"):
            with TabPane(_("1 MSEL"), id="msel"):
                yield MselTable(id="msel-table")
            with TabPane(_("2 Teams"), id="teams"):
                yield TeamGrid(id="team-grid")
            with TabPane(_("3 Sim cell"), id="simcell"):
                yield SimCellSummary(id="simcell-summary")
                yield SimCellTable(id="simcell-table")
            with TabPane(_("4 Log"), id="log"):
                yield RichLog(id="event-log", wrap=True, markup=False, max_lines=5000)
            with TabPane(_("5 Scores"), id="scores"):
                yield ScoreSummary(id="score-summary")
                yield ScoreTable(id="score-table")
        yield FittingFooter(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(SimCellTable).build()
        self.set_interval(1.0, self._tick)
        self.start_link()

    # -------------------------------------------------------------- folding

    def presence(self, msg: PresenceMsg) -> None:
        self.mark(self.model.presence(msg))

    def welcomed(self) -> None:
        scenario = self.model.scenario
        if scenario is not None:
            self.query_one(MselTable).build(scenario)
        self.query_one(TeamGrid).build(self.model)
        self.query_one(ScoreTable).build(self.model)
        self.refresh_bindings()  # the seat's role is known now: an observer's footer shrinks
        if self.read_only:
            for button in self.query(Button):
                button.disabled = True

    async def redraw(self, areas: set[StaffArea]) -> None:
        if "msel" in areas:
            self.query_one(MselTable).refresh_rows(self.model)
        if "teams" in areas:
            self.query_one(TeamGrid).refresh_rows(self.model)
        if "simcell" in areas:
            self.query_one(SimCellTable).show(self.model)
            self.query_one(SimCellSummary).show(self.model)
            waiting = len(self.model.open_questions())
            self.query_one(TabbedContent).get_tab("simcell").label = (
                _("3 Sim cell ({n})").format(n=grouped(waiting)) if waiting else _("3 Sim cell")
            )
        if "log" in areas:
            log = self.query_one("#event-log", RichLog)
            for line in self.model.log[-200:]:
                if line.seq > self._logged_seq:
                    log.write(plain(f"{format_clock(line.t)}  {line.text}", limit=LOG_LIMIT))
                    self._logged_seq = line.seq
        if "clock" in areas:
            self.query_one(ClockBar).refresh()
            self._control_state()
        if areas & {"scores", "clock"}:
            self._redraw_scores()
        for alert in self.model.drain_alerts():
            offline = alert.kind == "offline"
            title = _("Table offline") if offline else _("Table falling behind")
            self.notify(alert.text, title=title, severity="warning", timeout=12)
        for screen in self.app.screen_stack:
            if isinstance(screen, TableScreen | HotwashScreen):
                screen.show()

    def _redraw_scores(self) -> None:
        """Draw the scoreboard if it is shown; when hidden, its rescored teams wait."""
        if self.query_one(TabbedContent).active != "scores":
            return
        self.query_one(ScoreTable).refresh_rows(self.model)
        self.query_one(ScoreSummary).show(self.model, self.query_one(ScoreTable).role)

    @on(TabbedContent.TabActivated, pane="#scores")
    def _scores_shown(self) -> None:
        self._redraw_scores()

    @on(TabbedContent.TabActivated, "#tabs")
    def _tab_shown(self, event: TabbedContent.TabActivated) -> None:
        """The tab's table takes the keyboard (while that tab is still the one shown: see
        :func:`focus_in_tab`), and the footer shows that tab's keys."""
        target = self.TAB_FOCUS.get(event.pane.id or "")
        if target is not None and event.pane.id:
            focus_in_tab(event.tabbed_content, event.pane.id, self.query_one(target))
        self.refresh_bindings()

    def _tick(self) -> None:
        self.query_one(ClockBar).refresh()
        if self.model.open_questions():
            self.query_one(SimCellTable).show(self.model)

    def _offer_hotwash(self) -> None:
        """When the exercise ends, say once where the hotwash is."""
        if self.model.clock.status != "ended" or self._hotwash_offered:
            return
        self._hotwash_offered = True
        self.refresh_bindings()
        self.notify(
            _(
                "The exercise has ended. w opens the hotwash: the prompts and a field for "
                "notes. Team consoles now show the feedback form."
            ),
            title=_("Hotwash"),
            timeout=15,
        )

    def action_hotwash(self) -> None:
        if self.model.scenario is None:
            self.notify(_("Not connected yet."), severity="warning")
            return
        send = None if self.read_only else self._hotwash_note
        self.app.push_screen(HotwashScreen(self.model, send))

    def _hotwash_note(self, prompt: str, text: str) -> None:
        author = self.model.name or self.model.seat or "facilitator"
        self._record_hotwash(c.Note(author=author, text=text, category="hotwash", prompt=prompt))

    @work(group="commands", exit_on_error=False)
    async def _record_hotwash(self, note: c.Note) -> None:
        reply = await self.send(note)
        if isinstance(reply, Ack):
            for screen in self.app.screen_stack:
                if isinstance(screen, HotwashScreen):
                    screen.recorded()
            self.notify(_("Hotwash note recorded"))

    def _control_state(self) -> None:
        """Start is shown until the exercise starts, Break from then on (one in the place of
        the other, so End stays on screen at 80 columns); Pause reads Resume while paused.
        Once ended, every button goes (the engine refuses what each does) and a line says
        where the hotwash is."""
        status = self.model.clock.status
        self._offer_hotwash()
        if status == "ended":
            for widget in self.query("#controls Button, #controls .spacer"):
                widget.display = False
            for note in self.query("#ended-note").results(Static):
                note.display = True
            return
        for button in self.query("#pause").results(Button):
            button.label = _("p Resume") if status == "paused" else _("p Pause")
        for button in self.query("#start").results(Button):
            button.disabled = self.read_only or status != "ready"
            button.display = status == "ready"
        for button in self.query("#break").results(Button):
            button.display = status != "ready"

    # -------------------------------------------------------------- actions

    def _allowed(self) -> bool:
        if self.read_only:
            self.notify(_("Observers cannot change the exercise."), severity="warning")
            return False
        if self.model.scenario is None:
            self.notify(_("Not connected yet."), severity="warning")
            return False
        return True

    @work(group="commands", exit_on_error=False)
    async def command(self, command: AnyCommand, done: str = "") -> None:
        reply = await self.send(command)
        if isinstance(reply, Ack) and done:
            self.notify(done)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        actions = {
            "start": self.action_start,
            "pause": self.action_pause_resume,
            "break": self.action_break,
            "speed": self.action_speed,
            "jump": self.action_jump,
            "release": self.action_release,
            "broadcast": self.action_broadcast,
            "end": self.action_end,
        }
        handler = actions.get(event.button.id or "")
        if handler is not None:
            handler()

    def action_start(self) -> None:
        if not self._allowed():
            return
        status = self.model.clock.status
        if status == "ready":
            self.command(c.Start(), _("Exercise started"))
        elif status == "ended":
            self.notify(_("The exercise has ended: it cannot start again."), severity="warning")
        else:
            if status == "paused":
                self.notify(_("The exercise has already started (it is paused). p resumes it."))
            else:
                self.notify(
                    _("The exercise has already started (it is {status}).").format(status=status)
                )

    def action_pause_resume(self) -> None:
        if not self._allowed():
            return
        if self.model.clock.status == "paused":
            self.command(c.Resume(), _("Resumed"))
        else:
            self.command(c.Pause(), _("Paused: every team's clock has stopped"))

    def action_break(self) -> None:
        """A break with an end and a message: every table stops, and play resumes by
        itself at the end (a ``pause`` with ``until``; the server resumes)."""
        if not self._allowed():
            return
        status = self.model.clock.status
        if status != "running":
            why = {
                "ready": _("the exercise has not started yet"),
                "paused": _("play is paused already: resume it (p), then plan the break"),
                "ended": _("the exercise has ended"),
            }.get(status) or _("the exercise is {status}").format(status=status)
            self.notify(
                _("A break starts while play runs: {why}.").format(why=why), severity="warning"
            )
            return
        self.app.push_screen(BreakDialog(self.wall_clock, self.tz), self._break)

    def _break(self, command: AnyCommand | None) -> None:
        if isinstance(command, c.Pause) and command.until is not None:
            view = PauseView(message=command.reason, until=command.until)
            self.command(
                command,
                _("{headline}: every table's clock has stopped").format(
                    headline=view.headline(self.tz)
                ),
            )

    def action_speed(self) -> None:
        if self._allowed():
            self.app.push_screen(SpeedDialog(self.model.clock.speed), self._maybe_send)

    def action_jump(self) -> None:
        if self._allowed():
            dialog = JumpDialog(self.model)
            self.app.push_screen(dialog, lambda cmd: self._confirm_jump(cmd, dialog.opened))

    def _confirm_jump(self, command: AnyCommand | None, opened: int) -> None:
        if not isinstance(command, c.Jump):
            return
        question = (
            _("Jump from {start} to {end}?").format(
                start=format_clock(opened), end=format_clock(command.to)
            )
            + " "
            + jump_summary(self.model, command.to, command.at_landing)
        )

        def confirmed(ok: bool | None) -> None:
            if ok:
                self.command(command, _("Jumped"))

        self.app.push_screen(ConfirmScreen(question, _("Jump")), confirmed)

    def _selected_inject(self) -> str | None:
        table = self.query_one(MselTable)
        if self.query_one(TabbedContent).active != "msel" or table.row_count == 0:
            return None
        row_key, _column = table.coordinate_to_cell_key(table.cursor_coordinate)
        return str(row_key.value) if row_key.value is not None else None

    def action_release(self) -> None:
        if self._allowed():
            self.app.push_screen(
                InjectDialog(self.model, "release", self._selected_inject()), self._maybe_send
            )

    def action_hold(self) -> None:
        if self._allowed():
            self.app.push_screen(
                InjectDialog(self.model, "hold", self._selected_inject()), self._maybe_send
            )

    def action_cancel_inject(self) -> None:
        if self._allowed():
            self.app.push_screen(
                InjectDialog(self.model, "cancel", self._selected_inject()), self._maybe_send
            )

    def action_broadcast(self) -> None:
        if self._allowed():
            self.app.push_screen(BroadcastDialog(self.model), self._broadcast)

    def _broadcast(self, command: AnyCommand | None) -> None:
        if isinstance(command, c.Broadcast):
            n = len(command.teams or ())
            done = (
                ngettext("Broadcast sent to {n} team", "Broadcast sent to {n} teams", n).format(
                    n=grouped(n)
                )
                if command.teams
                else _("Broadcast sent to every team")
            )
            self.command(command, done)

    def _maybe_send(self, command: AnyCommand | None) -> None:
        if command is not None:
            what = _DONE_WORDS.get(command.type)
            kind = _(what) if what else command.type.replace("_", " ").capitalize()
            self.command(command, _("{command}: done").format(command=kind))

    def action_end(self) -> None:
        if not self._allowed():
            return

        def confirmed(ok: bool | None) -> None:
            if ok:
                self.command(c.End(reason="ended by the facilitator"), _("Ended"))

        question = _(
            "End the exercise for everyone? Teams can no longer answer; evaluators can still grade."
        )
        self.app.push_screen(ConfirmScreen(question, _("End exercise")), confirmed)

    def action_tab(self, tab: str) -> None:
        tabs = self.query_one(TabbedContent)
        if tabs.active == tab:  # no TabActivated: take the keyboard back to the tab's table
            self.query_one(self.TAB_FOCUS[tab]).focus()
        show_tab(tabs, tab)

    def action_next_role(self) -> None:
        self.action_tab("scores")
        table = self.query_one(ScoreTable)
        table.next_role(self.model)
        self.query_one(ScoreSummary).show(self.model, table.role)

    def action_sort(self) -> None:
        grid = self.query_one(TeamGrid)
        key = (
            self._sort_cycle[(self._sort_cycle.index(grid.sort_key) + 1) % len(self._sort_cycle)]
            if grid.sort_key in self._sort_cycle
            else "id"
        )
        grid.sort_by(key)
        self.notify(_("Teams sorted by {column}").format(column=key))

    @on(DataTable.HeaderSelected, "#team-grid")
    def _header(self, event: DataTable.HeaderSelected) -> None:
        self.query_one(TeamGrid).sort_by(str(event.column_key.value))

    @on(DataTable.RowSelected, "#team-grid")
    def _open_table(self, event: DataTable.RowSelected) -> None:
        """Enter on a team: its inbox, answers and results, notes and questions."""
        team = event.row_key.value
        if team is not None and team in self.model.teams:
            self.app.push_screen(TableScreen(self.model, team))

    @on(SimCellTable.Send)
    def _simcell_send(self, event: SimCellTable.Send) -> None:
        """A pass or tracks from the sim cell (the table offers them to controllers only)."""
        if self._allowed():
            self.command(event.command, event.done)

    @on(DataTable.RowSelected, "#simcell-table")
    def _reply(self, event: DataTable.RowSelected) -> None:
        if self.read_only or event.row_key.value is None or event.row_key.value.startswith("done"):
            return
        seq = int(event.row_key.value)
        question = next((q for q in self.model.questions if q.seq == seq), None)
        if question is None or self.model.scenario is None:
            return
        actor = self.model.scenario.actor_by_id.get(question.actor)
        self.app.push_screen(
            ReplyDialog(
                question.team,
                question.actor,
                actor.name if actor else question.actor,
                question.text,
                seq,
            ),
            self._maybe_send,
        )


def make_facilitator_app(
    *,
    role: Role = "facilitator",
    link: Link | None = None,
    connect: Connector | None = None,
    credentials: Credentials | None = None,
) -> ConsoleApp[FacilitatorScreen]:
    app = ConsoleApp(
        FacilitatorScreen(role=role, link=link, connect=connect, credentials=credentials)
    )
    app.title = _(FacilitatorScreen.APP_TITLE)
    return app
