"""The sim cell's questions: who asked what, who holds it, and which are still open.

A team writes to an outside actor (``ask``); a controller answers in the actor's
name (``reply``). With a few controllers for 40 tables, each covers *tracks*
(``tracks``: scenario roles, or tags the roster or the scenario puts on teams) and
may hand a question to another (``pass_question``). This fold is the one place
that decides, from those logged inputs, whether a question is open, who holds it,
and in what order a given controller should see the open ones; every control-room
console (and the table view) reads it, so two consoles never disagree.

Order for a controller: the questions passed to them, then those of their tracks
that nobody else holds, then the rest; oldest first within each. A pass of a
question that is answered, or that is no question, changes nothing (the engine
keeps no questions: their numbers are the log's).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, assert_never

from engine import commands as c
from engine.events import Deadline, Delivered, Discussion, Ended, Event, Scored, Skipped
from engine.roster import Roster
from engine.scenario import Scenario

Standing = Literal["held", "track", "other"]
"""Where an open question stands for one controller: passed to them (``held``), in
one of their tracks and held by nobody else (``track``), or someone else's or
nobody's (``other``)."""

_RANK: dict[Standing, int] = {"held": 0, "track": 1, "other": 2}


@dataclass
class Question:
    """A team's message to an actor, waiting for the control room (or answered)."""

    seq: int
    t: int
    team: str
    member: str
    actor: str
    text: str
    answered_at: int | None = None
    reply: str = ""
    holder: str | None = None
    """The controller it was last passed to (None: never passed)."""
    passed_by: str = ""
    passed_at: int | None = None
    note: str = ""
    """What the controller who passed it said (``legal question, yours``)."""


class Questions:
    """The fold of questions, replies, tracks and passes (fed every event in order)."""

    def __init__(self, scenario: Scenario | None = None, roster: Roster | None = None) -> None:
        self.questions: list[Question] = []
        self._open: dict[int, Question] = {}
        self._by_seq: dict[int, Question] = {}
        self.tracks: dict[str, tuple[str, ...]] = {}
        """Controller seat name → the tracks they cover (latest ``tracks`` input)."""
        self._labels: dict[str, frozenset[str]] = {}
        """Team id → what a track may name on it: its role and its tags."""
        if scenario is not None and roster is not None:
            for seat in roster.seats(scenario):
                self._labels[seat.id] = frozenset({seat.role, *seat.tags})

    # --------------------------------------------------------------- reading

    def open(self) -> list[Question]:
        """Unanswered questions, oldest first."""
        return list(self._open.values())

    def get(self, seq: int) -> Question | None:
        return self._by_seq.get(seq)

    def covering(self, team: str) -> list[str]:
        """Controllers whose tracks cover ``team``, in the order they took them."""
        labels = self._labels.get(team, frozenset())
        return [who for who, tracks in self.tracks.items() if labels.intersection(tracks)]

    def standing(self, question: Question, controller: str) -> Standing:
        if question.holder is not None:
            return "held" if question.holder == controller else "other"
        labels = self._labels.get(question.team, frozenset())
        if labels.intersection(self.tracks.get(controller, ())):
            return "track"
        return "other"

    def queue(self, controller: str) -> list[tuple[Question, Standing]]:
        """The open questions as ``controller`` works through them: passed to them, their
        tracks', then the rest; oldest first within each."""
        marked = [(q, self.standing(q, controller)) for q in self._open.values()]
        marked.sort(key=lambda pair: (_RANK[pair[1]], pair[0].seq))
        return marked

    def answered(self, last: int) -> list[Question]:
        """The ``last`` questions answered, most recently asked first."""
        done = [q for q in self.questions if q.answered_at is not None]
        return done[::-1][:last]

    # --------------------------------------------------------------- folding

    def apply(self, event: Event) -> bool:
        """Fold one event; True when the sim cell changed."""
        body, t = event.body, event.t
        match body:
            case c.Ask():
                q = Question(event.seq, t, body.team, body.member, body.actor, body.text)
                self.questions.append(q)
                self._open[q.seq] = q
                self._by_seq[q.seq] = q
                return True
            case c.Reply():
                return self._reply(body, t)
            case c.Tracks():
                self.tracks.pop(body.controller, None)
                if body.tracks:
                    self.tracks[body.controller] = tuple(body.tracks)
                return True
            case c.PassQuestion():
                held = self._open.get(body.question)
                if held is None:
                    return False
                held.holder, held.passed_by, held.passed_at = body.to, body.by, t
                held.note = body.note
                return True
            case (
                c.Start()
                | c.Pause()
                | c.Resume()
                | c.SetSpeed()
                | c.Jump()
                | c.End()
                | c.Release()
                | c.Hold()
                | c.Cancel()
                | c.Broadcast()
                | c.Respond()
                | c.Grade()
                | c.Rate()
                | c.Note()
                | c.TeamNote()
                | c.Open()
                | c.Join()
                | c.Feedback()
                | Delivered()
                | Skipped()
                | Deadline()
                | Scored()
                | Discussion()
                | Ended()
            ):
                return False
            case _:
                assert_never(body)

    def _reply(self, body: c.Reply, t: int) -> bool:
        """A reply answers the question it names, else the team's latest open question
        to that actor."""
        if body.to_seq is not None:
            found = self._open.get(body.to_seq)
            candidates = [found] if found is not None else []
        else:
            candidates = list(reversed(self._open.values()))
        for q in candidates:
            if q.team == body.team and q.actor == body.actor:
                q.answered_at, q.reply = t, body.text
                del self._open[q.seq]
                return True
        return False
