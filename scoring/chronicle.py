"""What happened in an exercise, apart from scores: the timeline, who took part, notes.

Folded from the same events as the :class:`~scoring.fold.Scoreboard`, in the same
single pass, for the after-action report: the control room's actions (start,
pauses, releases, broadcasts, the end), each inject's deliveries, the members and
evaluators who took part, and every note (observations, strengths, areas for
improvement, hotwash). Aggregates are per inject, not per team, so a timeline of
1,000 teams is as long as one of three.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from engine.durations import format_clock
from engine.events import DEADLINE, DELIVERED, ENDED, SKIPPED, Event

BUCKET_MS = 15 * 60_000
"""Width of a bucket of the crisis-intensity chart (deliveries per quarter hour)."""

CONTROL_KINDS = frozenset(
    {"start", "pause", "resume", "set_speed", "jump", "end", "release", "hold", "cancel"}
)


@dataclass(frozen=True, slots=True)
class ControlAction:
    """A control-room action on the timeline."""

    t: int
    seq: int
    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class NoteEntry:
    """An evaluator's, controller's or observer's note, as written."""

    t: int
    seq: int
    author: str
    category: str
    text: str
    team: str | None
    objective: str | None


@dataclass(slots=True)
class InjectActivity:
    """How one inject played out across teams."""

    first_at: int | None = None
    last_at: int | None = None
    delivered: int = 0
    skipped: int = 0
    causes: Counter[str] = field(default_factory=Counter)


class Chronicle:
    """The non-score side of an exercise, folded event by event."""

    def __init__(self) -> None:
        self.control: list[ControlAction] = []
        self.injects: dict[str, InjectActivity] = {}
        self.missed: Counter[str] = Counter()
        """Per expectation ref, how many teams let its deadline pass."""
        self.notes: list[NoteEntry] = []
        self.members: dict[str, list[str]] = {}
        """Per team, members who joined or acted, in order of first appearance."""
        self.evaluators: set[str] = set()
        self.note_authors: set[str] = set()
        self.intensity: Counter[int] = Counter()
        """Team-deliveries per quarter-hour bucket (bucket index → count)."""
        self.kinds: Counter[str] = Counter()
        self.asks: Counter[str] = Counter()
        """Messages teams sent to each actor."""
        self.replies: Counter[str] = Counter()
        self.broadcasts = 0
        self.started_at: int | None = None
        self.ended_at: int | None = None
        self.ended_reason = ""
        self.last_t = 0
        self.last_seq = 0

    def apply(self, event: Event) -> None:
        kind = event.kind
        payload = event.payload
        self.kinds[kind] += 1
        self.last_t = max(self.last_t, event.t)
        self.last_seq = max(self.last_seq, event.seq)
        if kind == DELIVERED:
            teams = payload["teams"]
            activity = self._activity(payload["inject"])
            if activity.first_at is None:
                activity.first_at = event.t
            activity.last_at = event.t
            activity.delivered += len(teams)
            activity.causes[payload.get("cause", "at")] += len(teams)
            self.intensity[event.t // BUCKET_MS] += len(teams)
        elif kind == SKIPPED:
            self._activity(payload["inject"]).skipped += len(payload["teams"])
        elif kind == DEADLINE:
            self.missed[payload["expectation"]] += len(payload["teams"])
        elif kind == ENDED:
            self.ended_at = event.t
            self.ended_reason = str(payload.get("reason", ""))
        elif kind in ("respond", "ask", "team_note", "join"):
            members = self.members.setdefault(payload["team"], [])
            if payload["member"] not in members:
                members.append(payload["member"])
            if kind == "ask":
                self.asks[payload["actor"]] += 1
        elif kind in ("grade", "rate"):
            self.evaluators.add(payload["evaluator"])
        elif kind == "note":
            self.note_authors.add(payload["author"])
            self.notes.append(
                NoteEntry(
                    event.t,
                    event.seq,
                    payload["author"],
                    payload.get("category", "observation"),
                    payload["text"],
                    payload.get("team"),
                    payload.get("objective"),
                )
            )
        elif kind == "reply":
            self.replies[payload["actor"]] += 1
        elif kind == "broadcast":
            self.broadcasts += 1
            self.control.append(ControlAction(event.t, event.seq, kind, _broadcast(payload)))
        if kind in CONTROL_KINDS:
            if kind == "start" and self.started_at is None:
                self.started_at = event.t
            self.control.append(ControlAction(event.t, event.seq, kind, _control(kind, payload)))

    def _activity(self, inject: str) -> InjectActivity:
        found = self.injects.get(inject)
        if found is None:
            found = self.injects[inject] = InjectActivity()
        return found


def _teams_words(teams: Any) -> str:
    if not teams:
        return "every addressed team"
    if len(teams) <= 3:
        return ", ".join(teams)
    return f"{len(teams)} teams"


def _control(kind: str, payload: dict[str, Any]) -> str:
    if kind == "start":
        return "Exercise started"
    if kind == "pause":
        reason = payload.get("reason")
        return "Paused" + (f": {reason}" if reason else "")
    if kind == "resume":
        return "Resumed"
    if kind == "set_speed":
        return f"Speed set to {payload.get('speed', 1):g}×"
    if kind == "jump":
        return f"Jumped ahead to {format_clock(int(payload.get('to', 0)))}"
    if kind == "end":
        reason = payload.get("reason")
        return "Ended by the facilitator" + (f": {reason}" if reason else "")
    verb = {"release": "Released", "hold": "Held", "cancel": "Cancelled"}[kind]
    return f"{verb} {payload.get('inject')} for {_teams_words(payload.get('teams'))}"


def _broadcast(payload: dict[str, Any]) -> str:
    title = payload.get("title") or " ".join(str(payload.get("text", "")).split())[:80]
    sender = f" (as {payload['actor']})" if payload.get("actor") else ""
    return f"Broadcast{sender} to {_teams_words(payload.get('teams'))}: {title}"
