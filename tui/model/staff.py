"""What facilitators, evaluators and observers see, folded from every event.

Staff receive the scenario and the roster on joining, so this model knows each
inject's trigger and each expectation's deadline: it keeps the MSEL grid (status
of every inject for every team), the team grid (delivered, answered, overdue),
the simulation cell's open questions and the evaluators' work. Scores come from
``scoring`` (the same fold as the report), fed event by event; the model keeps
each team's points over exercise time for the scoreboard's sparklines, and the
set of teams rescored since the scoreboard last drew.

Members: the server logs a ``join`` event the first time a member takes a team's
seat (staff get it live, in catch-ups and in snapshots); it reports no departures.
A roster may list members who never come, so the grid counts the members who
joined (or acted: an answer, a question, a team-log line also name their
member), out of the roster's members when the roster names them.

Every update is O(teams touched by the event), so 1,000 teams stay cheap.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from engine.events import Event
from engine.roster import Roster
from engine.scenario import Scenario, load_bytes
from scoring.fold import Scoreboard
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
StaffArea = Literal["clock", "msel", "teams", "simcell", "log", "grades", "scores"]
_MEMBER_KINDS = frozenset({"join", "respond", "ask", "team_note"})
"""Events that name a team member (who has therefore joined)."""
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
    steps: list[tuple[int, float]] = field(default_factory=list)
    """(exercise ms, points) each time the points changed: the score over time."""


@dataclass
class Question:
    """A team's message to an actor, waiting for the control room."""

    seq: int
    t: int
    team: str
    member: str
    actor: str
    text: str
    answered_at: int | None = None
    reply: str = ""


@dataclass
class LogLine:
    seq: int
    t: int
    kind: str
    team: str | None
    text: str


@dataclass
class StaffModel:
    role: str = "facilitator"
    name: str = ""
    scenario: Scenario | None = None
    roster: Roster | None = None
    clock: ConsoleClock = field(default_factory=ConsoleClock)
    teams: dict[str, TeamRow] = field(default_factory=dict)
    cells: dict[str, dict[str, CellState]] = field(default_factory=dict)
    """inject id → team id → state."""
    delivered_at: dict[tuple[str, str], int] = field(default_factory=dict)
    completed: set[tuple[str, str]] = field(default_factory=set)
    """(team, expectation ref) answered."""
    expired: set[tuple[str, str]] = field(default_factory=set)
    questions: list[Question] = field(default_factory=list)
    log: list[LogLine] = field(default_factory=list)
    grades: dict[tuple[str, str], dict[str, float]] = field(default_factory=dict)
    ratings: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    notes: list[dict[str, Any]] = field(default_factory=list)
    answers: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    last_seq: int = 0
    events: list[dict[str, Any]] = field(default_factory=list)
    """Every event received, for scoring and the evaluators' timelines."""
    board: Scoreboard | None = None
    """Scores, fed each event as it arrives: the same fold as the after-action report."""
    ranked: bool = True
    """Whether the rows' ranks are up to date (see :meth:`refresh_ranks`)."""
    rescored: set[str] = field(default_factory=set)
    """Teams whose score, counts or ratings changed since the scoreboard last drew them
    (the scoreboard drains it; it only grows while the scoreboard is hidden)."""
    MAX_LOG = 5000

    # ---------------------------------------------------------------- set-up

    def welcome(self, msg: dict[str, Any]) -> None:
        info = msg.get("exercise", {})
        self.role = str(msg.get("role", "facilitator"))
        self.name = str(msg.get("name", ""))
        text = info.get("scenario_text")
        if text:
            self.scenario = load_bytes(text, "<exercise>").require()
        roster_rows = info.get("roster") or []
        if roster_rows:
            self.roster = Roster.from_list(roster_rows)
        self.clock.duration = int(info.get("duration", 0))
        if info.get("start"):
            self.clock.start = datetime.fromisoformat(info["start"])
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
            for team in self.roster.teams_of(self.scenario.roles_of(inject)):
                row.setdefault(team, "pending")
        if self.board is None:
            self.board = Scoreboard(self.scenario, self.roster)
            self.board.apply_all(_as_event(e) for e in self.events)

    # --------------------------------------------------------------- reading

    def msel_summary(self, inject_id: str) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for state in self.cells.get(inject_id, {}).values():
            counts[state] += 1
        return dict(counts)

    def open_questions(self) -> list[Question]:
        return [q for q in self.questions if q.answered_at is None]

    def now(self) -> int:
        return self.clock.now()

    # --------------------------------------------------------------- folding

    def apply(self, event: dict[str, Any]) -> set[StaffArea]:
        seq = int(event.get("seq", 0))
        if seq and seq <= self.last_seq:
            return set()
        self.last_seq = max(self.last_seq, seq)
        self.events.append(event)
        kind = str(event.get("kind", ""))
        p: dict[str, Any] = event.get("payload") or {}
        t = int(event.get("t", 0))
        areas: set[StaffArea] = {"log"}
        self._log(seq, t, kind, event.get("team"), p)
        if kind in ConsoleClock.CLOCK_EVENTS:
            self.clock.apply_event(kind, t, p)
            areas.add("clock")
        elif kind == "delivered":
            for team in p.get("teams", []):
                self._cell(p["inject"], team, "delivered")
                self.delivered_at[(team, p["inject"])] = t
                self._touch(team, t)
            areas |= {"msel", "teams"}
        elif kind == "skipped":
            for team in p.get("teams", []):
                self._cell(p["inject"], team, "skipped")
            areas.add("msel")
        elif kind in ("hold", "cancel"):
            state: CellState = "held" if kind == "hold" else "cancelled"
            for team in p.get("teams") or list(self.cells.get(p["inject"], {})):
                if self.cells.get(p["inject"], {}).get(team) in ("pending", "held"):
                    self._cell(p["inject"], team, state)
            areas.add("msel")
        elif kind == "deadline":
            for team in p.get("teams", []):
                self.expired.add((team, p["expectation"]))
                inject_id = p["expectation"].partition(".")[0]
                if self.cells.get(inject_id, {}).get(team) == "delivered":
                    self._cell(inject_id, team, "overdue")
            areas |= {"msel", "teams"}
        elif kind == "respond":
            team, ref = str(p.get("team")), str(p.get("expectation"))
            self.answers.setdefault((team, ref), []).append(p)
            self.completed.add((team, ref))
            self._touch(team, t)
            inject_id = ref.partition(".")[0]
            if self._all_answered(team, inject_id):
                self._cell(inject_id, team, "answered")
            areas |= {"msel", "teams", "grades"}
        elif kind == "ask":
            self.questions.append(
                Question(
                    seq,
                    t,
                    str(p.get("team")),
                    str(p.get("member")),
                    str(p.get("actor")),
                    str(p.get("text", "")),
                )
            )
            self._touch(str(p.get("team")), t)
            areas.add("simcell")
        elif kind == "reply":
            for q in reversed(self.questions):
                if (
                    q.answered_at is None
                    and q.team == p.get("team")
                    and q.actor == p.get("actor")
                    and (p.get("to_seq") in (None, q.seq))
                ):
                    q.answered_at, q.reply = t, str(p.get("text", ""))
                    break
            areas.add("simcell")
        elif kind == "grade":
            key = (str(p.get("team")), str(p.get("expectation")))
            grades = self.grades.setdefault(key, {})
            grades.pop(str(p.get("evaluator")), None)
            grades[str(p.get("evaluator"))] = float(p.get("points", 0))
            areas |= {"grades", "teams"}
        elif kind == "rate":
            key = (str(p.get("team")), str(p.get("objective")))
            self.ratings.setdefault(key, {})[str(p.get("evaluator"))] = str(p.get("rating"))
            areas.add("grades")
        elif kind == "note":
            self.notes.append({**p, "t": t, "seq": seq})
            areas.add("grades")
        if kind in _MEMBER_KINDS and self._joined(str(p.get("team")), p.get("member")):
            areas.add("teams")
        if self._score(event):
            areas |= {"teams", "scores"}
        return areas

    def _joined(self, team: str, member: Any) -> bool:
        """Count a member who joined or acted; True if the team's count changed."""
        row = self.teams.get(team)
        if row is None or not member or member in row.joined:
            return False
        row.joined.append(str(member))
        return True

    def _score(self, event: dict[str, Any]) -> bool:
        """Feed the scoreboard; copy changed totals and the ranks into the team rows."""
        if self.board is None:
            return False
        touched = self.board.apply(_as_event(event))
        if not touched:
            return False
        t = int(event.get("t", 0))
        for team in touched:
            row = self.teams.get(team)
            if row is not None:
                total = self.board.total(team)
                if total.points != row.points or not row.steps:
                    row.steps.append((t, total.points))
                row.points, row.max_points = total.points, total.max_points
        self.rescored.update(touched)
        self.ranked = False
        return True

    def refresh_ranks(self) -> None:
        """Copy the ranks into the team rows: once per redraw, not once per event (a score
        change can move every team's rank, and a burst of a thousand events sorts once)."""
        if self.ranked or self.board is None:
            return
        ranks = self.board.ranks()
        for row in self.teams.values():
            row.rank = ranks.get(row.id, 0)
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

    def _touch(self, team: str, t: int) -> None:
        row = self.teams.get(team)
        if row is not None:
            row.last_activity = max(row.last_activity, t)

    def _all_answered(self, team: str, inject_id: str) -> bool:
        if self.scenario is None:
            return False
        inject = self.scenario.inject_by_id.get(inject_id)
        if inject is None:
            return False
        return all((team, f"{inject_id}.{e.id}") in self.completed for e in inject.expects)

    def _log(self, seq: int, t: int, kind: str, team: Any, p: dict[str, Any]) -> None:
        text = describe(kind, p)
        self.log.append(LogLine(seq, t, kind, team if isinstance(team, str) else None, text))
        if len(self.log) > self.MAX_LOG:
            del self.log[: len(self.log) - self.MAX_LOG]


def _as_event(event: dict[str, Any]) -> Event:
    return Event(
        str(event.get("kind", "")),
        int(event.get("t", 0)),
        event.get("payload") or {},
        event.get("team"),
        event.get("actor"),
        int(event.get("seq", 0)),
    )


def describe(kind: str, p: dict[str, Any]) -> str:
    """One line for the facilitator's event log."""
    teams = p.get("teams")
    who = (
        ", ".join(teams[:4]) + (f" +{len(teams) - 4}" if len(teams) > 4 else "")
        if isinstance(teams, list)
        else str(p.get("team", ""))
    )
    texts = {
        "delivered": f"{p.get('inject')} delivered to {who} ({p.get('cause')})",
        "skipped": f"{p.get('inject')} skipped for {who} (condition false)",
        "deadline": f"{p.get('expectation')} missed by {who}",
        "ended": f"exercise ended: {p.get('reason', '')}",
        "respond": f"{p.get('team')} answered {p.get('expectation')} ({p.get('member')})",
        "ask": f"{p.get('team')} → {p.get('actor')}: {p.get('text', '')}",
        "reply": f"{p.get('actor')} → {p.get('team')}: {p.get('text', '')}",
        "release": f"released {p.get('inject')} to {who or 'its teams'}",
        "hold": f"held {p.get('inject')} for {who or 'its teams'}",
        "cancel": f"cancelled {p.get('inject')} for {who or 'its teams'}",
        "broadcast": f"broadcast to {who or 'all teams'}: {p.get('text', '')}",
        "grade": f"{p.get('evaluator')} graded {p.get('team')} {p.get('expectation')}: "
        f"{p.get('points')}",
        "rate": f"{p.get('evaluator')} rated {p.get('team')} {p.get('objective')}: "
        f"{p.get('rating')}",
        "note": f"note by {p.get('author')}: {p.get('text', '')}",
        "team_note": f"{p.get('team')} log ({p.get('member')}): {p.get('text', '')}",
        "join": f"{p.get('member')} joined {p.get('team')}",
        "set_speed": f"speed ×{p.get('speed')}",
        "jump": f"jumped to {p.get('to')} ms",
        "pause": f"paused {p.get('reason', '')}".strip(),
    }
    return texts.get(kind, kind)
