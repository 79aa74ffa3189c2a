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
from typing import assert_never

from engine.commands import (
    Ask,
    Broadcast,
    Cancel,
    End,
    Feedback,
    Grade,
    Hold,
    Join,
    Jump,
    Note,
    Open,
    PassQuestion,
    Pause,
    Rate,
    Release,
    Reply,
    Respond,
    Resume,
    SetSpeed,
    Start,
    TeamNote,
    Tracks,
)
from engine.durations import format_clock
from engine.events import Deadline, Delivered, Discussion, Ended, Event, Scored, Skipped
from engine.i18n import N_, _, ngettext, word_for
from engine.i18n.forms import grouped
from engine.scenario.modules import discussion_line

BUCKET_MS = 15 * 60_000
"""Width of a bucket of the crisis-intensity chart (deliveries per quarter hour)."""

OWN_END_REASONS = {
    "duration": N_("duration"),
    "ended by the facilitator": N_("ended by the facilitator"),
}
"""The reasons an exercise ends that sitroom writes itself, in English, into the log: the
engine's when the duration runs out or an ``end`` gives none, the facilitator console's
End. They are sitroom's words, said in the reader's language; a reason a facilitator
typed is their own text, shown as written."""


def end_reason(reason: str) -> str:
    """An ``Ended`` or ``End`` reason as the reader reads it (see :data:`OWN_END_REASONS`)."""
    return word_for(OWN_END_REASONS, reason)


Control = Start | Pause | Resume | SetSpeed | Jump | End | Release | Hold | Cancel
"""The control room's actions that the timeline lists (besides broadcasts)."""


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
    prompt: str | None = None
    """The hotwash prompt a hotwash note answers, if any."""


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
        body = event.body
        t = event.t
        self.kinds[body.type] += 1
        self.last_t = max(self.last_t, t)
        self.last_seq = max(self.last_seq, event.seq)
        match body:
            case Scored():
                pass
            case Respond() | TeamNote() | Join() | Open():
                self._member(body.team, body.member)
            case Delivered():
                teams = len(body.teams)
                activity = self._activity(body.inject)
                if activity.first_at is None:
                    activity.first_at = t
                activity.last_at = t
                activity.delivered += teams
                activity.causes[body.cause] += teams
                self.intensity[t // BUCKET_MS] += teams
            case Skipped():
                self._activity(body.inject).skipped += len(body.teams)
            case Deadline():
                self.missed[body.expectation] += len(body.teams)
            case Ended():
                self.ended_at = t
                self.ended_reason = body.reason
            case Discussion():
                self.control.append(ControlAction(t, event.seq, body.type, discussion_line(body)))
            case Ask():
                self._member(body.team, body.member)
                self.asks[body.actor] += 1
            case Grade() | Rate():
                self.evaluators.add(body.evaluator)
            case Note():
                self.note_authors.add(body.author)
                self.notes.append(
                    NoteEntry(
                        t,
                        event.seq,
                        body.author,
                        body.category,
                        body.text,
                        body.team,
                        body.objective,
                        body.prompt,
                    )
                )
            case Reply():
                self.replies[body.actor] += 1
            case Tracks() | PassQuestion():
                pass  # the sim cell's own business (scoring.questions)
            case Feedback():
                pass  # participants' forms: scoring.feedback folds them
            case Broadcast():
                self.broadcasts += 1
                self.control.append(ControlAction(t, event.seq, body.type, _broadcast(body)))
            case (
                Start()
                | Pause()
                | Resume()
                | SetSpeed()
                | Jump()
                | End()
                | Release()
                | Hold()
                | (Cancel())
            ):
                if isinstance(body, Start) and self.started_at is None:
                    self.started_at = t
                self.control.append(ControlAction(t, event.seq, body.type, _control(body)))
            case _:
                assert_never(body)

    def _member(self, team: str, member: str) -> None:
        members = self.members.setdefault(team, [])
        if member not in members:
            members.append(member)

    def _activity(self, inject: str) -> InjectActivity:
        found = self.injects.get(inject)
        if found is None:
            found = self.injects[inject] = InjectActivity()
        return found


def _teams_words(teams: list[str] | None) -> str:
    if not teams:
        return _("every addressed team")
    if len(teams) <= 3:
        return ", ".join(teams)
    return ngettext("{n} team", "{n} teams", len(teams)).format(n=grouped(len(teams)))


def _control(body: Control) -> str:
    match body:
        case Start():
            return _("Exercise started")
        case Pause():
            return _("Paused: {reason}").format(reason=body.reason) if body.reason else _("Paused")
        case Resume():
            return _("Resumed")
        case SetSpeed():
            return _("Speed set to {speed}×").format(speed=f"{body.speed:g}")
        case Jump():
            return _("Jumped ahead to {time}").format(time=format_clock(body.to))
        case End():
            if not body.reason or body.reason in OWN_END_REASONS:
                return _("Ended by the facilitator")
            return _("Ended by the facilitator: {reason}").format(reason=body.reason)
        case Release():
            return _("Released {inject} for {teams}").format(
                inject=body.inject, teams=_teams_words(body.teams)
            )
        case Hold():
            return _("Held {inject} for {teams}").format(
                inject=body.inject, teams=_teams_words(body.teams)
            )
        case Cancel():
            return _("Cancelled {inject} for {teams}").format(
                inject=body.inject, teams=_teams_words(body.teams)
            )
        case _:
            assert_never(body)


def _broadcast(body: Broadcast) -> str:
    title = body.title or " ".join(body.text.split())[:80]
    teams = _teams_words(body.teams)
    if body.actor:
        return _("Broadcast (as {actor}) to {teams}: {title}").format(
            actor=body.actor, teams=teams, title=title
        )
    return _("Broadcast to {teams}: {title}").format(teams=teams, title=title)
