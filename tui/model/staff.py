"""What facilitators, evaluators and observers see, folded from every event.

Staff receive the scenario and the roster on joining, so this model knows each
inject's trigger and each expectation's deadline: it keeps the MSEL grid (status
of every inject for every team), the team grid (delivered, answered, overdue),
the simulation cell's open questions and the evaluators' ratings. Events are
typed (:class:`engine.events.Event`) and matched on their body's class.

Nothing here is decided again: an inject is answered for a team when the engine
has said so (a ``scored`` marked ``completed``) for each of its expectations (a
whole-team question only once every member has answered), overdue when the engine
said ``deadline``.
Scores come from ``scoring`` (the same fold as the report), fed event by event;
the model keeps each team's points over exercise time for the scoreboard's
sparklines, and the set of teams rescored since the scoreboard last drew.

Members: the server logs a ``join`` event the first time a member takes a team's
seat (staff get it live, in catch-ups and in snapshots); it reports no departures.
A roster may list members who never come, so the grid counts the members who
joined (or acted: an answer, a question, a team-log line also name their
member), out of the roster's members when the roster names them. Who is connected
now comes apart from the log, in the server's ``presence`` messages: a table whose
members have all left is *offline* (the row says since when) and raises an alert.

A table falls behind when the scoreboard counts :data:`BEHIND_AT` of its
expectations past their deadline and still unanswered; the model flags the row
and queues an :class:`Alert` the control room shows once, when the count first
reaches it (again only after the team has caught up).

Every update is O(teams touched by the event), so 1,000 teams stay cheap.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, assert_never

from engine import commands as c
from engine.durations import format_clock
from engine.events import (
    AnyBody,
    Deadline,
    Delivered,
    Discussion,
    Ended,
    Event,
    Scored,
    Skipped,
)
from engine.grading import status_text
from engine.i18n import N_, _, ngettext, pgettext, word_for
from engine.i18n.forms import grouped
from engine.net.protocol import EventMsg, PresenceMsg, Welcome, staff_event
from engine.roster import Roster
from engine.scenario import Scenario, load_bytes
from engine.scenario.modules import discussion_line
from engine.scenario.reach import Graph, Reach, analyse
from engine.storyclock import from_wire
from engine.views import PauseView, StaffExerciseInfo, pause_after
from scoring.chronicle import end_reason
from scoring.fold import Scoreboard
from scoring.ledger import Ledger
from scoring.questions import Question, Questions
from scoring.results import ExpectationResult
from tui.model.clock import ConsoleClock

_DELIVERED = {
    "pending": 0,
    "held": 0,
    "cancelled": 0,
    "skipped": 0,
    "released": 0,
    "delivered": 1,
    "answered": 1,
    "overdue": 1,
}
StaffArea = Literal["clock", "msel", "teams", "simcell", "log", "grades", "scores", "table"]
"""``table``: what the control room's view of one table shows (its notes, its broadcasts)."""
BEHIND_AT = 3
"""Expectations past their deadline and still unanswered at which a table is *behind*.

Three, not one: one missed deadline is a choice a table may make (it answered something
more urgent); three in a row means it has stopped keeping up, and a controller should
walk over. The scoreboard decides what is expired; this only sets the threshold."""
CellState = Literal[
    "pending", "held", "cancelled", "skipped", "delivered", "answered", "overdue", "released"
]


@dataclass
class TeamRow:
    """One line of the facilitator's team grid."""

    id: str
    role: str
    name: str
    members: list[str] = field(default_factory=list)
    """The roster's members (often none: teams are then whoever joins)."""
    joined: list[str] = field(default_factory=list)
    """Members who joined the team's seat or acted in it, in order of arrival."""
    delivered: int = 0
    answered: int = 0
    overdue: int = 0
    last_activity: int = 0
    points: float = 0.0
    """Points so far, from the scoreboard (``scoring``), out of ``max_points``."""
    max_points: float = 0.0
    rank: int = 0
    """Rank by points among every team (ties share a rank); 0 before any score."""
    rank_text: str = ""
    """The rank as scoring labels it (``3``, or ``3=`` when tied); empty before any score."""
    steps: list[tuple[int, float]] = field(default_factory=list)
    """(exercise ms, points) each time the points changed: the score over time."""
    expired: int = 0
    """Expectations past their deadline and unanswered, as the scoreboard counts them."""
    online: int | None = None
    """Members with a console connected, as the server last said (None: not said yet)."""
    offline_since: int | None = None
    """While nobody is connected: when the last member left (exercise ms)."""

    @property
    def offline(self) -> bool:
        """Whether every member who had been connected has left (the server waits a
        grace period before saying so: a reconnect is not a departure)."""
        return self.online == 0 and self.offline_since is not None

    @property
    def behind(self) -> bool:
        """Whether the table has fallen behind (:data:`BEHIND_AT` expectations expired)."""
        return self.expired >= BEHIND_AT


@dataclass(frozen=True, slots=True)
class Alert:
    """A table fell behind (or went offline) at exercise time ``t``; ``text`` says how it
    stands now."""

    team: str
    t: int
    text: str = ""
    kind: Literal["behind", "offline"] = "behind"


@dataclass(frozen=True, slots=True)
class TableNote:
    """A line of one table's record other than its answers: its own log (``team``), an
    evaluator's observation (``staff``) or a broadcast it received (``broadcast``)."""

    seq: int
    t: int
    kind: Literal["team", "staff", "broadcast"]
    who: str
    text: str


@dataclass(frozen=True, slots=True)
class HotwashNote:
    """A note taken in the hotwash (``note`` with category ``hotwash``), by whoever wrote it."""

    seq: int
    t: int
    author: str
    text: str
    prompt: str | None = None


@dataclass
class LogLine:
    seq: int
    t: int
    text: str


@dataclass
class StaffModel:
    role: str = "facilitator"
    name: str = ""
    seat: str = ""
    """The seat joined (``evaluator:lead``), from the welcome."""
    scenario: Scenario | None = None
    roster: Roster | None = None
    clock: ConsoleClock = field(default_factory=ConsoleClock)
    pause: PauseView | None = None
    """The pause in force: its message and planned end (a break)."""
    teams: dict[str, TeamRow] = field(default_factory=dict)
    cells: dict[str, dict[str, CellState]] = field(default_factory=dict)
    """inject id → team id → state."""
    completed: set[tuple[str, str]] = field(default_factory=set)
    """(team, expectation ref) the engine said the team completed."""
    simcell: Questions = field(default_factory=Questions)
    """Teams' questions, who holds each, controllers' tracks (scoring.questions decides)."""
    controllers: tuple[str, ...] = ()
    """The control room's seats (``control-1``, …), from the welcome: whom to pass to."""
    log: list[LogLine] = field(default_factory=list)
    ratings: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    """(team, objective) → evaluator → the rating they gave."""
    last_seq: int = 0
    board: Scoreboard | None = None
    ledger: Ledger | None = None
    """Where each inject stands for each team, opened or not (scoring.ledger decides)."""
    """Scores, fed each event as it arrives: the same fold as the after-action report."""
    ranked: bool = True
    """Whether the rows' ranks are up to date (see :meth:`refresh_ranks`)."""
    rescored: set[str] = field(default_factory=set)
    """Teams whose score, counts or ratings changed since the scoreboard last drew them
    (the scoreboard drains it; it only grows while the scoreboard is hidden)."""
    delivered_at: dict[str, dict[str, int]] = field(default_factory=dict)
    """team id → inject id → when the inject reached the team (its inbox, in order)."""
    notes: dict[str, list[TableNote]] = field(default_factory=dict)
    """team id → its log lines, observations about it and broadcasts it received."""
    alerts: list[Alert] = field(default_factory=list)
    """Alerts not yet shown (the control room drains them)."""
    _everyone: list[TableNote] = field(default_factory=list)
    """Broadcasts to every team (kept once, not once per team)."""
    started_at: int | None = None
    """Exercise time of the start (the MSEL's times count from it)."""
    _reach: dict[str, Reach] | None = None
    hotwash: list[HotwashNote] = field(default_factory=list)
    """The hotwash notes so far, in order (the facilitator's hotwash screen lists them)."""
    feedback_from: set[tuple[str, str]] = field(default_factory=set)
    """(team, member) of every member who sent a feedback form (a second one replaces
    the first, so this counts forms as the report does)."""
    MAX_LOG = 5000

    # ---------------------------------------------------------------- set-up

    def welcome(self, msg: Welcome) -> None:
        info = StaffExerciseInfo.model_validate(msg.exercise)
        self.role = msg.role
        self.name = msg.name
        self.seat = msg.seat or ""
        if info.scenario_text:
            self.scenario = load_bytes(info.scenario_text, "<exercise>").require()
        if info.roster:
            self.roster = Roster.from_list(info.roster)
        self.controllers = tuple(info.controllers)
        self.clock.duration = info.duration
        self.clock.story = from_wire(info.start, info.story_jumps)
        self._build()

    def _build(self) -> None:
        if self.scenario is None or self.roster is None:
            return
        for seat in self.roster.teams:
            self.teams.setdefault(
                seat.id, TeamRow(seat.id, seat.role, seat.name, list(seat.members))
            )
        for inject in self.scenario.injects:
            row = self.cells.setdefault(inject.id, {})
            for team in self.roster.audience(self.scenario, inject):
                row.setdefault(team, "pending")
        if self.board is None:
            self.board = Scoreboard(self.scenario, self.roster)
        if self.ledger is None:
            self.ledger = Ledger(self.scenario, self.roster)
        if not self.simcell.questions and not self.simcell.tracks:
            self.simcell = Questions(self.scenario, self.roster)

    # --------------------------------------------------------------- reading

    @property
    def title(self) -> str:
        return self.scenario.title if self.scenario is not None else ""

    def actor_name(self, actor: str) -> str:
        """The scenario's name for actor ``actor`` (the id when the scenario has none)."""
        found = self.scenario.actor_by_id.get(actor) if self.scenario is not None else None
        return found.name if found is not None else actor

    @property
    def seat_name(self) -> str:
        """The name of the staff seat joined (``lead`` of ``evaluator:lead``): what the
        server records grades, ratings and notes under, whatever name was typed."""
        return self.seat.partition(":")[2] or self.name

    @property
    def who(self) -> str:
        """Who is at this console, for the clock bar (the seat's role in the console's
        language; ``role`` itself stays the protocol's English word)."""
        return f"{word_for(_ROLE_WORDS, self.role)} · {self.name}"

    def msel_summary(self, inject_id: str) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for state in self.cells.get(inject_id, {}).values():
            counts[state] += 1
        return dict(counts)

    @property
    def questions(self) -> list[Question]:
        """Every question asked, in order (answered or not)."""
        return self.simcell.questions

    def open_questions(self) -> list[Question]:
        return self.simcell.open()

    def now(self) -> int:
        return self.clock.now()

    # ----------------------------------------------------------- a jump ahead

    @property
    def end_at(self) -> int | None:
        """Exercise time at which the exercise ends by itself (None: not known yet)."""
        duration = self.clock.duration
        return (self.started_at or 0) + duration if duration else None

    def due_by(self, when: int) -> list[str]:
        """Injects still pending for some team that the MSEL times at or before ``when``.

        The times are the scenario's latest fixed times (jitter included) from
        :mod:`engine.scenario.reach`, the analysis the lint and the preview use; an
        inject that waits on an answer or a controller has none and is not listed, nor
        is an escalation (it comes only if a deadline passes unanswered).
        """
        if self.scenario is None:
            return []
        if self._reach is None:
            self._reach = analyse(self.scenario, Graph(self.scenario))
        start = self.started_at or 0
        due: list[tuple[float, int, str]] = []
        for index, inject in enumerate(self.scenario.injects):
            reach = self._reach.get(inject.id)
            if reach is None or inject.if_no_response is not None or start + reach.latest > when:
                continue
            if "pending" in self.cells.get(inject.id, {}).values():
                due.append((reach.latest, index, inject.id))
        return [ident for _, _, ident in sorted(due)]

    def deadlines_by(self, when: int) -> list[ExpectationResult]:
        """Expectations delivered, unanswered, whose deadline (as the scoreboard has it)
        falls at or before ``when``: a jump there lets them pass."""
        if self.board is None:
            return []
        out = []
        for team in self.teams:
            for result in self.board.results(team):
                due = result.due_at
                if (
                    due is not None
                    and due <= when
                    and result.expired_at is None
                    and not result.given
                    and result.scored is None
                ):
                    out.append(result)
        return out

    # --------------------------------------------------------------- folding

    def presence(self, msg: PresenceMsg) -> set[StaffArea]:
        """Fold a ``presence`` message: which tables have members connected. A table that
        the server says went offline while this console watched raises an alert (not one
        already offline when the console joined: nothing new to walk over for)."""
        for seen in msg.teams:
            row = self.teams.get(seen.team)
            if row is None:
                continue
            was_online = bool(row.online)
            row.online, row.offline_since = seen.online, seen.offline_since
            if was_online and row.offline and seen.offline_since is not None:
                self.alerts.append(Alert(row.id, seen.offline_since, kind="offline"))
        return {"teams", "table"}

    def receive(self, msg: EventMsg) -> set[StaffArea]:
        """Fold an ``event`` message as the server sent it to staff."""
        return self.apply(staff_event(msg))

    def apply(self, event: Event) -> set[StaffArea]:
        """Fold one event; returns the parts of the console it changed."""
        seq, t, body = event.seq, event.t, event.body
        if seq and seq <= self.last_seq:
            return set()
        self.last_seq = max(self.last_seq, seq)
        areas: set[StaffArea] = {"log"}
        self._log(seq, t, body)
        match body:
            case (
                c.Start()
                | c.Pause()
                | c.Resume()
                | c.SetSpeed()
                | c.Jump()
                | c.End()
                | Ended()
                | Discussion()
            ):
                self.clock.apply(body, t)
                self.pause = pause_after(body, self.pause, event.wall)
                if isinstance(body, c.Start):
                    self.started_at = t
                areas.add("clock")
            case Delivered():
                for team in body.teams:
                    self._cell(body.inject, team, "delivered")
                    self._touch(team, t)
                    self.delivered_at.setdefault(team, {})[body.inject] = t
                areas |= {"msel", "teams", "table"}
            case Skipped():
                for team in body.teams:
                    self._cell(body.inject, team, "skipped")
                areas.add("msel")
            case c.Hold() | c.Cancel():
                state: CellState = "held" if isinstance(body, c.Hold) else "cancelled"
                row = self.cells.get(body.inject, {})
                for team in body.teams or list(row):
                    if row.get(team) in ("pending", "held"):
                        self._cell(body.inject, team, state)
                areas.add("msel")
            case c.Release():
                pass  # the delivery that follows says who got it
            case Deadline():
                inject_id = body.expectation.partition(".")[0]
                for team in body.teams:
                    if self.cells.get(inject_id, {}).get(team) == "delivered":
                        self._cell(inject_id, team, "overdue")
                areas |= {"msel", "teams"}
            case Scored():
                areas.add("grades")
                if body.completed:
                    self.completed.add((body.team, body.expectation))
                    inject_id = body.expectation.partition(".")[0]
                    if self._all_completed(body.team, inject_id):
                        self._cell(inject_id, body.team, "answered")
                    areas |= {"msel", "teams"}
            case c.Respond():
                self._touch(body.team, t)
                self._joined(body.team, body.member)
                areas |= {"teams", "grades"}
            case c.Ask():
                self._touch(body.team, t)
                areas.add("simcell")
                if self._joined(body.team, body.member):
                    areas.add("teams")
            case c.Reply() | c.Tracks() | c.PassQuestion():
                areas.add("simcell")
            case c.TeamNote():
                self._note(body.team, TableNote(seq, t, "team", body.member, body.text))
                areas.add("table")
                if self._joined(body.team, body.member):
                    areas.add("teams")
            case c.Join():
                if self._joined(body.team, body.member):
                    areas.add("teams")
            case c.Open():
                areas = {"msel", "table"}  # not logged (see _log)
                if self._joined(body.team, body.member):
                    areas.add("teams")
            case c.Grade():
                areas |= {"grades", "teams"}
            case c.Rate():
                key = (body.team, body.objective)
                self.ratings.setdefault(key, {})[body.evaluator] = body.rating
                areas.add("grades")
            case c.Note():
                if body.category == "hotwash":
                    self.hotwash.append(HotwashNote(seq, t, body.author, body.text, body.prompt))
                if body.team is not None:
                    who = f"{body.author} ({word_for(_CATEGORY_WORDS, body.category)})"
                    self._note(body.team, TableNote(seq, t, "staff", who, body.text))
                    areas.add("table")
            case c.Broadcast():
                who = self.actor_name(body.actor) if body.actor else _("Exercise control")
                text = f"{body.title}: {body.text}" if body.title else body.text
                note = TableNote(seq, t, "broadcast", who, text)
                if body.teams is None:
                    self._everyone.append(note)
                for team in body.teams or ():
                    self._note(team, note)
                areas.add("table")
            case c.Feedback():
                self.feedback_from.add((body.team, body.member))
            case _:
                assert_never(body)
        if self._score(event):
            areas |= {"teams", "scores"}
        if self.ledger is not None:
            self.ledger.apply(event)
        self.simcell.apply(event)
        return areas

    def _joined(self, team: str, member: str) -> bool:
        """Count a member who joined or acted; True if the team's count changed."""
        row = self.teams.get(team)
        if row is None or member in row.joined:
            return False
        row.joined.append(member)
        return True

    def _score(self, event: Event) -> bool:
        """Feed the scoreboard; copy changed totals and the ranks into the team rows."""
        if self.board is None:
            return False
        touched = self.board.apply(event)
        if not touched:
            return False
        for team in touched:
            row = self.teams.get(team)
            if row is not None:
                total = self.board.total(team)
                if total.points != row.points or not row.steps:
                    row.steps.append((event.t, total.points))
                row.points, row.max_points = total.points, total.max_points
                was_behind, row.expired = row.behind, total.counts["expired"]
                if row.behind and not was_behind and not self.board.ended:
                    self.alerts.append(Alert(row.id, event.t))
        self.rescored.update(touched)
        self.ranked = False
        return True

    def refresh_ranks(self) -> None:
        """Copy the ranks into the team rows: once per redraw, not once per event (a score
        change can move every team's rank, and a burst of a thousand events sorts once)."""
        if self.ranked or self.board is None:
            return
        board = self.board
        ranks = board.ranks()
        for row in self.teams.values():
            row.rank = ranks.get(row.id, 0)
            row.rank_text = board.rank_label(row.id) if row.rank else ""
        self.ranked = True

    def _cell(self, inject_id: str, team: str, state: CellState) -> None:
        """Set a cell and adjust that team's counters by the difference (O(1))."""
        row = self.cells.setdefault(inject_id, {})
        old = row.get(team, "pending")
        if old == state:
            return
        row[team] = state
        counts = self.teams.get(team)
        if counts is not None:
            counts.delivered += _DELIVERED[state] - _DELIVERED[old]
            counts.answered += (state == "answered") - (old == "answered")
            counts.overdue += (state == "overdue") - (old == "overdue")

    def _note(self, team: str, note: TableNote) -> None:
        if team in self.teams:
            self.notes.setdefault(team, []).append(note)

    def table_notes(self, team: str) -> list[TableNote]:
        """The team's own log, observations about it and every broadcast it received, in
        the order they happened."""
        own = self.notes.get(team, [])
        if not self._everyone:
            return list(own)
        return sorted([*own, *self._everyone], key=lambda n: n.seq)

    def drain_alerts(self) -> list[Alert]:
        """Alerts not shown yet, but only those still true (a burst of catch-up events may
        show a table falling behind and catching up again: nothing to walk over for)."""
        out, self.alerts = self.alerts, []
        shown = []
        for alert in out:
            row = self.teams.get(alert.team)
            if row is not None and alert.kind == "offline":
                if row.offline and row.offline_since is not None:
                    since = format_clock(row.offline_since)
                    text = _("{team} is offline: no member connected since {since}").format(
                        team=row.id, since=since
                    )
                    shown.append(Alert(alert.team, alert.t, text, "offline"))
            elif row is not None and row.behind:
                text = ngettext(
                    "{team} is falling behind: {n} expectation past its deadline, unanswered",
                    "{team} is falling behind: {n} expectations past their deadline, unanswered",
                    row.expired,
                ).format(team=row.id, n=grouped(row.expired))
                shown.append(Alert(alert.team, alert.t, text))
        return shown

    def _touch(self, team: str, t: int) -> None:
        row = self.teams.get(team)
        if row is not None:
            row.last_activity = max(row.last_activity, t)

    def _all_completed(self, team: str, inject_id: str) -> bool:
        """Whether the engine said the team completed every expectation of the inject."""
        if self.scenario is None:
            return False
        inject = self.scenario.inject_by_id.get(inject_id)
        if inject is None:
            return False
        return all((team, f"{inject_id}.{e.id}") in self.completed for e in inject.expects)

    def _log(self, seq: int, t: int, body: AnyBody) -> None:
        if isinstance(body, c.Open):
            return  # one line per table per inject would bury the log: the MSEL counts them
        self.log.append(LogLine(seq, t, describe(body, self.actor_name)))
        if len(self.log) > self.MAX_LOG:
            del self.log[: len(self.log) - self.MAX_LOG]


def _teams_text(teams: list[str] | None) -> str:
    if not teams:
        return ""
    return ", ".join(teams[:4]) + (f" +{len(teams) - 4}" if len(teams) > 4 else "")


def _points(value: float | None) -> str:
    return "—" if value is None else f"{round(value, 2):g}"


_ROLE_WORDS = {
    "facilitator": N_("facilitator"),
    "evaluator": N_("evaluator"),
    "observer": N_("observer"),
}
# The engine's verdicts and delivery causes are English data; the log says them in the
# console's language through these words (N_: translated when a line is written).

_CATEGORY_WORDS = {
    "observation": N_("observation"),
    "strength": N_("strength"),
    "improvement": N_("improvement"),
    "hotwash": N_("hotwash"),
}


_CAUSE_WORDS: dict[str, Callable[[], str]] = {
    "at": lambda: pgettext("delivery cause", "at"),
    "after": lambda: pgettext("delivery cause", "after"),
    "escalation": lambda: pgettext("delivery cause", "escalation"),
    "release": lambda: pgettext("delivery cause", "release"),
}
# Words with a context: the project marks none for later (N_ takes no context), so each
# is its pgettext call, made when a line is written (Babel extracts it with its context).


def _cause(cause: str) -> str:
    """Why an inject was delivered (``at``, ``after``, ``escalation``, ``release``), in
    the console's language; a cause the table lacks is said as it came."""
    word = _CAUSE_WORDS.get(cause)
    return word() if word is not None else cause


def _to_teams(teams: list[str] | None, nobody: str) -> str:
    return _teams_text(teams) or nobody


def describe(body: AnyBody, actor_name: Callable[[str], str] = str) -> str:
    """One line for the facilitator's event log (``actor_name``: an actor id's name), in
    the console's language: the log is shown, never stored or compared."""
    match body:
        case Delivered():
            return _("{inject} delivered to {teams} ({cause})").format(
                inject=body.inject, teams=_teams_text(body.teams), cause=_cause(body.cause)
            )
        case Skipped():
            return _("{inject} skipped for {teams} (condition false)").format(
                inject=body.inject, teams=_teams_text(body.teams)
            )
        case Deadline():
            return _("{expectation} missed by {teams}").format(
                expectation=body.expectation, teams=_teams_text(body.teams)
            )
        case Scored():
            message = (
                _("{team} completed {expectation}: {points}/{max} ({status})")
                if body.completed
                else _("{team} {expectation}: {points}/{max} ({status})")
            )
            return message.format(
                team=body.team,
                expectation=body.expectation,
                points=_points(body.points),
                max=f"{body.max_points:g}",
                status=status_text(body.status),
            )
        case Ended():
            return _("exercise ended: {reason}").format(reason=end_reason(body.reason))
        case Discussion():
            return discussion_line(body)
        case c.Respond():
            return _("{team} answered {expectation} ({member})").format(
                team=body.team, expectation=body.expectation, member=body.member
            )
        case c.Ask():
            return f"{body.team} → {actor_name(body.actor)}: {body.text}"
        case c.Reply():
            return f"{actor_name(body.actor)} → {body.team}: {body.text}"
        case c.Release():
            return _("released {inject} to {teams}").format(
                inject=body.inject, teams=_to_teams(body.teams, _("its teams"))
            )
        case c.Hold():
            return _("held {inject} for {teams}").format(
                inject=body.inject, teams=_to_teams(body.teams, _("its teams"))
            )
        case c.Cancel():
            return _("cancelled {inject} for {teams}").format(
                inject=body.inject, teams=_to_teams(body.teams, _("its teams"))
            )
        case c.Broadcast():
            return _("broadcast to {teams}: {text}").format(
                teams=_to_teams(body.teams, _("all teams")), text=body.text
            )
        case c.Grade():
            return _("{evaluator} graded {team} {expectation}: {points}").format(
                evaluator=body.evaluator,
                team=body.team,
                expectation=body.expectation,
                points=f"{body.points:g}",
            )
        case c.Rate():
            return _("{evaluator} rated {team} {objective}: {rating}").format(
                evaluator=body.evaluator,
                team=body.team,
                objective=body.objective,
                rating=body.rating,
            )
        case c.Note():
            return _("note by {author}: {text}").format(author=body.author, text=body.text)
        case c.TeamNote():
            return _("{team} log ({member}): {text}").format(
                team=body.team, member=body.member, text=body.text
            )
        case c.Feedback():
            who = _("anonymous") if body.anonymous else body.member
            return _("feedback form from {team} ({who})").format(team=body.team, who=who)
        case c.Join():
            return _("{member} joined {team}").format(member=body.member, team=body.team)
        case c.Open():
            return _("{member} ({team}) opened {inject}").format(
                member=body.member, team=body.team, inject=body.inject
            )
        case c.Tracks():
            tracks = ", ".join(body.tracks) or _("none")
            return _("{by} set {controller}'s tracks: {tracks}").format(
                by=body.by, controller=body.controller, tracks=tracks
            )
        case c.PassQuestion():
            if body.note:
                return _("{by} passed question #{question} to {to}: {note}").format(
                    by=body.by, question=body.question, to=body.to, note=body.note
                )
            return _("{by} passed question #{question} to {to}").format(
                by=body.by, question=body.question, to=body.to
            )
        case c.SetSpeed():
            return _("speed ×{speed}").format(speed=f"{body.speed:g}")
        case c.Jump():
            return _("jumped to {time}").format(time=format_clock(body.to))
        case c.Pause() if body.until is not None:
            return _("break: {headline}").format(
                headline=PauseView(message=body.reason, until=body.until).headline()
            )
        case c.Pause() if body.reason:
            return _("paused {reason}").format(reason=body.reason).strip()
        case c.Pause():
            return _("paused")
        case c.Start():
            return pgettext("log", "start")
        case c.Resume():
            return pgettext("log", "resume")
        case c.End():
            return pgettext("log", "end")
        case _:
            assert_never(body)
