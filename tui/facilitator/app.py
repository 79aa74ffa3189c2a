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
from textual.widgets import Button, DataTable, Footer, RichLog, Static, TabbedContent, TabPane

from engine import commands as c
from engine.commands import AnyCommand
from engine.durations import format_clock
from engine.net.protocol import Ack
from tui.console.base import Connector, ConsoleApp, ConsoleScreen
from tui.console.link import Link
from tui.console.login import Credentials
from tui.console.safe import plain
from tui.console.screens import ConfirmScreen
from tui.console.widgets import ClockBar, ConnectionBanner
from tui.facilitator.dialogs import (
    BroadcastDialog,
    InjectDialog,
    JumpDialog,
    ReplyDialog,
    SpeedDialog,
)
from tui.facilitator.scores import ScoreSummary, ScoreTable
from tui.facilitator.simcell import SimCellTable
from tui.facilitator.tables import MselTable, TeamGrid
from tui.model.staff import StaffArea, StaffModel

Role = Literal["facilitator", "observer"]
LOG_LIMIT = 2_000
"""Characters of one event-log line shown (a note may hold 8,000)."""


class Controls(Horizontal):
    """The clock buttons; labels show their keys."""

    DEFAULT_CSS = """
    Controls { height: 1; padding: 0 1; background: $boost; }
    Controls Button { margin-right: 1; }
    Controls .spacer { width: 1fr; }
    Controls .read-only { color: $warning; text-style: bold; height: 1; }
    """

    def __init__(self, read_only: bool) -> None:
        super().__init__(id="controls")
        self.read_only = read_only

    def compose(self) -> ComposeResult:
        if self.read_only:
            yield Static("OBSERVER · read-only view", classes="read-only")
            return
        yield Button("Start", id="start", variant="success", compact=True)
        yield Button("Pause", id="pause", variant="warning", compact=True)
        yield Button("Speed", id="speed", compact=True)
        yield Button("Jump", id="jump", compact=True)
        yield Button("Release", id="release", variant="primary", compact=True)
        yield Button("Broadcast", id="broadcast", compact=True)
        yield Static(classes="spacer")
        yield Button("End", id="end", variant="error", compact=True)


class FacilitatorScreen(ConsoleScreen[StaffArea]):
    model: StaffModel
    EVERY_AREA = frozenset[StaffArea]({"msel", "teams", "simcell", "log", "clock", "scores"})
    CLOCK_AREAS = frozenset[StaffArea]({"clock"})
    CSS_PATH = "facilitator.tcss"
    ASK_NAME = False
    BINDINGS = [
        Binding("s", "start", "Start"),
        Binding("p", "pause_resume", "Pause/resume"),
        Binding("x", "speed", "Speed"),
        Binding("j", "jump", "Jump"),
        Binding("r", "release", "Release"),
        Binding("h", "hold", "Hold", show=False),
        Binding("c", "cancel_inject", "Cancel inject", show=False),
        Binding("B", "broadcast", "Broadcast"),
        Binding("E", "end", "End", show=False),
        Binding("1", "tab('msel')", "MSEL", show=False),
        Binding("2", "tab('teams')", "Teams", show=False),
        Binding("3", "tab('simcell')", "Sim cell", show=False),
        Binding("4", "tab('log')", "Log", show=False),
        Binding("5", "tab('scores')", "Scores", show=False),
        Binding("g", "next_role", "Scores by role", show=False),
        Binding("o", "sort", "Sort teams", show=False),
        Binding("question_mark", "help", "Help"),
    ]
    APP_TITLE = "sitroom · control"
    HELP_TITLE = "Facilitator console: keys"
    HELP_NOTES = (
        "Tabs: 1 MSEL · 2 Teams · 3 Sim cell · 4 Log · 5 Scores. In the sim cell, Enter on a "
        "question replies in the actor's name.\nIn the team grid, o cycles the sort column. "
        "In the scores, g shows one role's teams, then the next. End and Jump ask for "
        "confirmation."
    )

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
        self.model = StaffModel()
        self._sort_cycle = ["id", "score", "overdue", "answered", "delivered", "last"]
        self._logged_seq = 0

    @property
    def read_only(self) -> bool:
        return self.role == "observer" or self.model.role == "observer"

    CONTROL_ACTIONS = frozenset(
        {"start", "pause_resume", "speed", "jump", "release", "hold", "cancel_inject"}
        | {"broadcast", "end"}
    )
    """What an observer's console neither offers in its footer nor runs."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (self.read_only and action in self.CONTROL_ACTIONS)

    def compose(self) -> ComposeResult:
        yield ClockBar(self.model.clock, title="Control room", id="clockbar")
        yield ConnectionBanner(id="banner")
        yield Controls(self.role == "observer")
        with TabbedContent(initial="msel", id="tabs"):
            with TabPane("MSEL", id="msel"):
                yield MselTable(id="msel-table")
            with TabPane("Teams", id="teams"):
                yield TeamGrid(id="team-grid")
            with TabPane("Sim cell", id="simcell"):
                yield SimCellTable(id="simcell-table")
            with TabPane("Log", id="log"):
                yield RichLog(id="event-log", wrap=True, markup=False, max_lines=5000)
            with TabPane("Scores", id="scores"):
                yield ScoreSummary(id="score-summary")
                yield ScoreTable(id="score-table")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(SimCellTable).build()
        self.set_interval(1.0, self._tick)
        self.start_link()

    # -------------------------------------------------------------- folding

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
            waiting = len(self.model.open_questions())
            self.query_one(TabbedContent).get_tab("simcell").label = (
                f"Sim cell ({waiting})" if waiting else "Sim cell"
            )
        if "log" in areas:
            log = self.query_one("#event-log", RichLog)
            for line in self.model.log[-200:]:
                if line.seq > self._logged_seq:
                    log.write(plain(f"{format_clock(line.t)}  {line.text}", limit=LOG_LIMIT))
                    self._logged_seq = line.seq
        if "clock" in areas:
            self.query_one(ClockBar).refresh()
            self._pause_label()
        if areas & {"scores", "clock"}:
            self._redraw_scores()

    def _redraw_scores(self) -> None:
        """Draw the scoreboard if it is shown; when hidden, its rescored teams wait."""
        if self.query_one(TabbedContent).active != "scores":
            return
        self.query_one(ScoreTable).refresh_rows(self.model)
        self.query_one(ScoreSummary).show(self.model, self.query_one(ScoreTable).role)

    @on(TabbedContent.TabActivated, pane="#scores")
    def _scores_shown(self) -> None:
        self._redraw_scores()

    def _tick(self) -> None:
        self.query_one(ClockBar).refresh()
        if self.model.open_questions():
            self.query_one(SimCellTable).show(self.model)

    def _pause_label(self) -> None:
        for button in self.query("#pause").results(Button):
            button.label = "Resume" if self.model.clock.status == "paused" else "Pause"

    # -------------------------------------------------------------- actions

    def _allowed(self) -> bool:
        if self.read_only:
            self.notify("Observers cannot change the exercise.", severity="warning")
            return False
        if self.model.scenario is None:
            self.notify("Not connected yet.", severity="warning")
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
        if self._allowed():
            self.command(c.Start(), "Exercise started")

    def action_pause_resume(self) -> None:
        if not self._allowed():
            return
        if self.model.clock.status == "paused":
            self.command(c.Resume(), "Resumed")
        else:
            self.command(c.Pause(), "Paused: every team's clock has stopped")

    def action_speed(self) -> None:
        if self._allowed():
            self.app.push_screen(SpeedDialog(self.model.clock.speed), self._maybe_send)

    def action_jump(self) -> None:
        if self._allowed():
            self.app.push_screen(JumpDialog(self.model), self._confirm_jump)

    def _confirm_jump(self, command: AnyCommand | None) -> None:
        if not isinstance(command, c.Jump):
            return
        question = (
            f"Jump to {format_clock(command.to)}? Everything due before then is "
            "delivered to every team at once."
        )

        def confirmed(ok: bool | None) -> None:
            if ok:
                self.command(command, "Jumped")

        self.app.push_screen(ConfirmScreen(question, "Jump"), confirmed)

    def _selected_inject(self) -> str | None:
        table = self.query_one(MselTable)
        if self.query_one(TabbedContent).active != "msel" or table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
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
            self.app.push_screen(BroadcastDialog(self.model), self._maybe_send)

    def _maybe_send(self, command: AnyCommand | None) -> None:
        if command is not None:
            self.command(command, f"{command.type.replace('_', ' ').capitalize()}: done")

    def action_end(self) -> None:
        if not self._allowed():
            return

        def confirmed(ok: bool | None) -> None:
            if ok:
                self.command(c.End(reason="ended by the facilitator"), "Ended")

        question = (
            "End the exercise for everyone? Teams can no longer answer; evaluators can still grade."
        )
        self.app.push_screen(ConfirmScreen(question, "End exercise"), confirmed)

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

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
        self.notify(f"Teams sorted by {key}")

    @on(DataTable.HeaderSelected, "#team-grid")
    def _header(self, event: DataTable.HeaderSelected) -> None:
        self.query_one(TeamGrid).sort_by(str(event.column_key.value))

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
    app.title = FacilitatorScreen.APP_TITLE
    return app
