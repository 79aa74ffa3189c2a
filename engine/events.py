"""Events: the one record type of the event log, the wire and the consoles.

An exercise is a sequence of events. *Inputs* are commands that were accepted
(their body is the :mod:`engine.commands` model); *outputs* are what the engine
made of them and of the passing time, and what it decided: an inject delivered or
skipped, a deadline passed, a team's points for an expectation and whether that
answer completed it (with the whole-team rule), the end. State anywhere
(the engine after a crash, a console, the scoreboard, the report) is a fold of it,
and every fold reads the engine's decisions rather than deciding again.

Bodies are pydantic models told apart by ``type`` (:data:`Body`), parsed once at
the edges (the log reader, the client); a fold matches on the body's class, and
mypy checks with ``assert_never`` that it handles every kind.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from engine.commands import (
    CLOCK_COMMANDS,
    COMMAND_CLASSES,
    COMMAND_TYPES,
    MEMBER_COMMANDS,
    AnyCommand,
)
from engine.scenario.common import ExpectationRef, Id

Cause = Literal["at", "after", "escalation", "release"]
Decided = Literal["met", "partial", "failed", "pending"]
"""The engine's verdict on a team's points for an expectation (``pending``: nothing
to score yet, or an answer waiting for an evaluator)."""


class _Output(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Delivered(_Output):
    """An inject reached these teams."""

    type: Literal["delivered"] = "delivered"
    inject: Id
    teams: list[Id]
    cause: Cause


class Skipped(_Output):
    """An inject's condition was false for these teams when it was due."""

    type: Literal["skipped"] = "skipped"
    inject: Id
    teams: list[Id]


class Deadline(_Output):
    """An expectation's deadline passed for these teams before they completed it."""

    type: Literal["deadline"] = "deadline"
    expectation: ExpectationRef
    teams: list[Id]


class Scored(_Output):
    """A team's figures for one expectation changed (an answer, a grade, a member
    joining a team that answers as a whole). What every screen and the report show.

    ``auto`` is the automatic points (each answer's raw points times its timeliness
    factor, summed, divided by ``members`` for ``answer_by: all``; None for manual
    expectations); ``points`` what counts (the evaluators' combined grade if any,
    else ``auto``); ``status`` the engine's verdict on ``points``.
    """

    type: Literal["scored"] = "scored"
    team: Id
    expectation: ExpectationRef
    auto: float | None = None
    points: float | None = None
    max_points: float
    status: Decided
    members: int = 1
    """How many members the whole-team rule divides by (1 for ``answer_by: any``)."""
    late_ms: int = 0
    """How late the latest answer came after the deadline (0 when on time)."""
    factor: float = 1.0
    """The timeliness factor of the latest answer."""
    completed: Literal[True] | None = None
    """Set on the one ``scored`` that marks the team completing the expectation: its
    answer came, or, for ``answer_by: all``, every member's did. Completion triggers
    ``after: {response: …}`` and stops the deadline. (Log format 2 had a separate
    ``completed`` event before this one; format 3 folds it in: one row per answer
    fewer to write, send and replay.)"""


class Discussion(_Output):
    """A module's discussion fell due: the engine paused the exercise, and every team
    discusses ``questions`` for about ``minutes`` until the facilitator resumes
    (:mod:`engine.scenario.modules`). A clock change, like a pause."""

    type: Literal["discussion"] = "discussion"
    phase: Id
    number: int
    """The phase's place in the scenario's phases, from 1: "Module 1"."""
    title: str
    questions: list[str]
    minutes: int


class Ended(_Output):
    """The exercise ended (``duration``, or the facilitator's reason)."""

    type: Literal["ended"] = "ended"
    reason: str


AnyOutput = Delivered | Skipped | Deadline | Scored | Discussion | Ended
OUTPUT_CLASSES: tuple[type[_Output], ...] = (
    Delivered,
    Skipped,
    Deadline,
    Scored,
    Discussion,
    Ended,
)
AnyBody = AnyCommand | AnyOutput
Body = Annotated[AnyBody, Field(discriminator="type")]
BODY_ADAPTER: TypeAdapter[Body] = TypeAdapter(Body)

DELIVERED = "delivered"
SKIPPED = "skipped"
DEADLINE = "deadline"
SCORED = "scored"
ENDED = "ended"
DISCUSSION = "discussion"

OUTPUT_KINDS: frozenset[str] = frozenset(c.model_fields["type"].default for c in OUTPUT_CLASSES)
INPUT_KINDS = COMMAND_TYPES
CLOCK_KINDS: frozenset[str] = CLOCK_COMMANDS | {ENDED, DISCUSSION}
"""Events after which a console's clock changes."""
MEMBER_KINDS = MEMBER_COMMANDS
"""Events that name a team member (who has therefore joined the team)."""


def _fields(cls: type[BaseModel]) -> tuple[bool, bool, bool]:
    names = cls.model_fields
    return "team" in names, "teams" in names, "actor" in names


_SHAPE: dict[type[BaseModel], tuple[bool, bool, bool]] = {
    cls: _fields(cls) for cls in (*COMMAND_CLASSES, *OUTPUT_CLASSES)
}
"""Per body class: whether it has ``team``, ``teams``, ``actor`` (read once, not per event)."""


def _who(body: AnyBody) -> tuple[str | None, str | None]:
    """The team (one, for the log's column) and the actor an event names."""
    has_team, has_teams, has_actor = _SHAPE[type(body)]
    team: str | None = None
    if has_team:
        team = body.team  # type: ignore[union-attr]
    elif has_teams and isinstance(body, _Output):
        teams = body.teams  # type: ignore[union-attr]
        if len(teams) == 1:
            team = teams[0]
    actor = body.actor if has_actor else None  # type: ignore[union-attr]
    return team, actor


@dataclass(slots=True)
class Event:
    """One entry of an exercise's history: a typed body at exercise time ``t`` (ms).

    ``seq`` is the position in the log (0 until logged); ``wall`` the wall-clock
    time it was logged (not compared on replay). ``kind``, ``team`` and ``actor``
    are read from the body when asked (the log keeps them as columns for queries).
    """

    body: AnyBody
    t: int
    seq: int = 0
    wall: float = 0.0
    origin: str | None = None
    """Who sent an input and under which message id (``seat/id``), for deduplicating
    retries across restarts; not part of the event's identity."""

    @property
    def kind(self) -> str:
        return self.body.type

    @property
    def team(self) -> str | None:
        """The one team the event concerns, if there is exactly one."""
        return _who(self.body)[0]

    @property
    def actor(self) -> str | None:
        return _who(self.body)[1]

    @property
    def is_input(self) -> bool:
        return self.kind in INPUT_KINDS

    @property
    def teams(self) -> list[str]:
        """Every team the event concerns (one, several, or none for exercise-wide events)."""
        many = getattr(self.body, "teams", None)
        if isinstance(many, list):
            return many
        return [self.team] if self.team else []

    @property
    def payload(self) -> dict[str, Any]:
        """The body as plain JSON data without its ``type`` (the log's and the wire's shape)."""
        return self.body.model_dump(mode="json", exclude={"type"}, exclude_none=True)

    def payload_json(self) -> str:
        """The body as the log stores it: JSON text without ``type`` or unset fields."""
        return _TO_JSON[type(self.body)](self.body, exclude=_NO_TYPE, exclude_none=True).decode()

    def identity(self) -> tuple[str, int, str]:
        """What a replay must reproduce exactly (not seq or wall time)."""
        return (self.kind, self.t, self.payload_json())

    def command(self) -> AnyCommand:
        """The command of an input event."""
        body = self.body
        assert isinstance(body, COMMAND_CLASSES), self.kind
        return body

    def describe(self) -> str:
        """A one-line human summary, for traces and error messages."""
        who = f" team={self.team}" if self.team else ""
        return f"#{self.seq} t={self.t} {self.kind}{who} {self.payload_json()}"


def parse_body(kind: str, payload: str) -> AnyBody:
    """The typed body of a logged or sent event: its kind and its payload's JSON text.

    Raises pydantic's ``ValidationError`` when they do not make a known event.
    """
    head = _HEADS.get(kind)
    if head is None:
        head = '{"type":' + json.dumps(kind)
    text = head + "}" if payload in ("{}", "") else head + "," + payload.lstrip()[1:]
    return _VALIDATE_JSON(text)  # type: ignore[no-any-return]


_HEADS = {kind: '{"type":' + json.dumps(kind) for kind in INPUT_KINDS | OUTPUT_KINDS}
_VALIDATE_JSON = BODY_ADAPTER.validator.validate_json
_NO_TYPE = {"type"}
_TO_JSON = {cls: cls.__pydantic_serializer__.to_json for cls in (*COMMAND_CLASSES, *OUTPUT_CLASSES)}
"""Per body class, its serializer (what ``model_dump_json`` calls, without the detour)."""
COMMAND_PARSERS: dict[str, Callable[[str], AnyCommand]] = {
    cls.model_fields["type"].default: cls.__pydantic_validator__.validate_json
    for cls in COMMAND_CLASSES
}
"""Per input kind, its command class's own JSON validator (see :func:`parse_command`);
replay looks each row's kind up here once, which also tells an input from an output."""


def parse_command(kind: str, payload: str) -> AnyCommand:
    """The command of a logged input: its kind and its payload's JSON text.

    Each command class validates its own payload (its ``type`` is its default), which
    is faster than the union's dispatch; replay parses every input this way. Raises
    ``KeyError`` for a kind that is not a command and pydantic's ``ValidationError``
    when the payload does not make one.
    """
    return COMMAND_PARSERS[kind](payload)


def body_from(kind: str, payload: dict[str, Any]) -> AnyBody:
    """The typed body of an event given as plain data (a decoded wire message)."""
    return BODY_ADAPTER.validate_python({**payload, "type": kind})


def input_event(cmd: AnyCommand, t: int) -> Event:
    """The log entry of an accepted command."""
    return Event(cmd, t)
