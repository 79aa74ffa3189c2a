"""Inputs to an exercise: every command a person (or a bot) can give.

Commands are pydantic models told apart by ``type``. The same models are the
payloads of input events in the log and of messages on the wire, so a command is
validated once, the same way, wherever it comes from. Who may send which command
is the server's business; whether a command makes sense now is the engine's.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from engine.durations import MAX_TIME
from engine.feedback import MAX_ITEM_CHARS, MAX_ITEMS, MAX_PROMPT_CHARS, QuestionId
from engine.meaning.verdict import TextVerdict
from engine.scenario.common import MAX_POINTS, ExpectationRef, Id

MAX_TEXT = 8_000
"""Longest free text (an answer, a message, a note), in characters."""
MAX_SHORT = 200
"""Longest short text (a title, a member's name, a reason)."""

MAX_SEQ = 2**63 - 1
"""Largest sequence number the event log can store (SQLite's largest integer)."""
MAX_SPEED = 3600
"""Fastest play: an exercise hour per wall second."""
MAX_EPOCH = 32_503_680_000.0
"""Latest wall-clock instant a command may name (the year 3000, in epoch seconds)."""

Text = Annotated[str, Field(min_length=1, max_length=MAX_TEXT)]
Short = Annotated[str, Field(min_length=1, max_length=MAX_SHORT)]
Rating = Literal["P", "S", "M", "U"]


class _Command(BaseModel):
    # NaN and infinity are refused in every number: Python's JSON reader accepts them.
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class Start(_Command):
    type: Literal["start"] = "start"


class Pause(_Command):
    """Stop the exercise clock; ``reason`` is the message every console shows.

    ``until`` plans the end of a break ("Coffee break: back at 11:15"): a wall-clock
    instant, in seconds since the epoch (UTC). The engine only keeps it (it never reads
    the wall clock); the live runner resumes by itself when that instant comes, by
    logging a ``resume`` like any other input, so a replay of the log is exact. A
    ``resume`` before then ends the break early.
    """

    type: Literal["pause"] = "pause"
    reason: str = Field("", max_length=MAX_SHORT)
    until: float | None = Field(None, gt=0, le=MAX_EPOCH)


class Resume(_Command):
    type: Literal["resume"] = "resume"


class SetSpeed(_Command):
    """Exercise seconds per wall second: 1 is real time, 60 plays an hour a minute."""

    type: Literal["set_speed"] = "set_speed"
    speed: float = Field(gt=0, le=MAX_SPEED)


class Jump(_Command):
    """Skip ahead to exercise time ``to`` (ms), delivering what falls due on the way.

    At most 30 days (:data:`~engine.durations.MAX_TIME`); the engine also refuses a
    time after the scenario's end.

    ``at_landing`` (what the control room sends): every inject due on the way is
    delivered at ``to``, in the order it was due, so its deadlines and the lateness
    of its answers count from the landing and no team loses points for time the
    control room skipped. False (the default, so that logs written before the field
    existed replay as they were played): each is delivered at its own moment on the
    way, and a deadline that falls before ``to`` passes during the jump.
    """

    type: Literal["jump"] = "jump"
    to: int = Field(ge=0, le=MAX_TIME)
    at_landing: bool = False


class End(_Command):
    type: Literal["end"] = "end"
    reason: str = Field("", max_length=MAX_SHORT)


class Release(_Command):
    """Deliver an inject now (or at ``at``) to its teams or the chosen ones."""

    type: Literal["release"] = "release"
    inject: Id
    teams: list[Id] | None = Field(None, max_length=10_000)
    at: int | None = Field(None, ge=0, le=MAX_TIME)


class Hold(_Command):
    """Keep a pending inject from firing for these teams until it is released."""

    type: Literal["hold"] = "hold"
    inject: Id
    teams: list[Id] | None = Field(None, max_length=10_000)


class Cancel(_Command):
    """Drop a pending inject for these teams (a later release still delivers it)."""

    type: Literal["cancel"] = "cancel"
    inject: Id
    teams: list[Id] | None = Field(None, max_length=10_000)


class Broadcast(_Command):
    """A message from the control room (or in an actor's name) to all or some teams."""

    type: Literal["broadcast"] = "broadcast"
    text: Text
    title: str = Field("", max_length=MAX_SHORT)
    teams: list[Id] | None = Field(None, max_length=10_000)
    actor: Id | None = None


class Respond(_Command):
    """A team's answer to an expectation: a choice, checklist items, or text.

    ``verdict`` is the grade of a text answer, filled in by the engine when it takes
    the answer (:meth:`engine.exercise.Exercise.submit`) and logged with it, so a
    replay reads the grade instead of running the model again. Whatever a sender puts
    there is replaced: only the engine grades.
    """

    type: Literal["respond"] = "respond"
    team: Id
    member: Short
    expectation: ExpectationRef
    choice: Id | None = None
    items: list[Id] | None = Field(None, max_length=200)
    text: str | None = Field(None, max_length=MAX_TEXT)
    verdict: TextVerdict | None = None


class Ask(_Command):
    """A team's message to an outside actor, answered by the control room."""

    type: Literal["ask"] = "ask"
    team: Id
    member: Short
    actor: Id
    text: Text


class Reply(_Command):
    """The control room's answer in an actor's name; ``to_seq`` is the question answered."""

    type: Literal["reply"] = "reply"
    actor: Id
    team: Id
    text: Text
    to_seq: int | None = Field(None, ge=1, le=MAX_SEQ)


class Grade(_Command):
    """An evaluator's grade of a manual expectation, or an override of an automatic one."""

    type: Literal["grade"] = "grade"
    evaluator: Short
    team: Id
    expectation: ExpectationRef
    points: float = Field(ge=0, le=MAX_POINTS)
    reason: str = Field("", max_length=MAX_TEXT)


class Rate(_Command):
    """An evaluator's HSEEP rating of an objective for a team."""

    type: Literal["rate"] = "rate"
    evaluator: Short
    team: Id
    objective: Id
    rating: Rating
    reason: str = Field("", max_length=MAX_TEXT)


class Note(_Command):
    """An observation for the after-action report (an evaluator's, a controller's, hotwash)."""

    type: Literal["note"] = "note"
    author: Short
    text: Text
    team: Id | None = None
    objective: Id | None = None
    category: Literal["observation", "strength", "improvement", "hotwash"] = "observation"
    prompt: str | None = Field(None, min_length=1, max_length=MAX_PROMPT_CHARS)
    """The hotwash prompt a hotwash note answers ("What surprised you?"), if any: the
    report groups the hotwash notes by it."""


class TeamNote(_Command):
    """An entry in a team's shared log, visible to its members."""

    type: Literal["team_note"] = "team_note"
    team: Id
    member: Short
    text: Text


class Open(_Command):
    """A team member opened a delivered inject: the console sends it the first time the
    inject is shown to them. The engine keeps the team's first opening (the inject
    ledger: delivered, opened, answered); a later one is refused, and not logged."""

    type: Literal["open"] = "open"
    team: Id
    member: Short
    inject: Id


FeedbackItem = Annotated[str, Field(min_length=1, max_length=MAX_ITEM_CHARS)]
FeedbackScore = Annotated[int, Field(ge=1, le=5, strict=True)]
"""A rating: a whole number from 1 to 5 (strict: ``true`` or ``"4"`` is not one)."""


class Feedback(_Command):
    """A member's participant feedback form (HSEEP style), sent after the exercise ends.

    The questions and limits are :mod:`engine.feedback`'s. ``ratings`` gives 1 to 5 to
    any of the fixed statements (one left out was not answered). ``anonymous`` leaves
    the member's name out of the report; the log still records the seat that sent it
    (as it does every input), which is how a second form from the same member replaces
    the first. The engine refuses a form before the end, and an empty one.
    """

    type: Literal["feedback"] = "feedback"
    team: Id
    member: Short
    strengths: list[FeedbackItem] = Field(default_factory=list, max_length=MAX_ITEMS)
    improvements: list[FeedbackItem] = Field(default_factory=list, max_length=MAX_ITEMS)
    ratings: dict[QuestionId, FeedbackScore] = Field(default_factory=dict)
    anonymous: bool = False


class Join(_Command):
    """A member takes a seat in a team (recorded for participants and whole-team answers)."""

    type: Literal["join"] = "join"
    team: Id
    member: Short


class Tracks(_Command):
    """The tracks a controller of the sim cell covers: scenario roles, or tags that
    roles or roster rows carry (``finance``). Their teams' questions come first in
    that controller's sim cell. Sent by ``sitroom serve --track`` before play and by a
    control-room console (a controller takes tracks, or the sim cell lead reassigns
    them live); the latest for a controller replaces the one before, and ``[]`` frees
    them. ``controller`` and ``by`` are facilitator seat names (``control-2``)."""

    type: Literal["tracks"] = "tracks"
    controller: Short
    tracks: list[Id] = Field(max_length=200)
    by: Short


class PassQuestion(_Command):
    """A controller hands a team's question (the ``ask`` logged as ``question``) to
    another controller, who then holds it: it heads the holder's sim cell and every
    control-room console shows who holds it. Passing it to oneself takes it."""

    type: Literal["pass_question"] = "pass_question"
    question: int = Field(ge=1, le=MAX_SEQ)
    to: Short
    by: Short
    note: str = Field("", max_length=MAX_SHORT)


AnyCommand = (
    Start
    | Pause
    | Resume
    | SetSpeed
    | Jump
    | End
    | Release
    | Hold
    | Cancel
    | Broadcast
    | Respond
    | Ask
    | Reply
    | Grade
    | Rate
    | Note
    | TeamNote
    | Open
    | Join
    | Tracks
    | PassQuestion
    | Feedback
)
"""Every command class, as a plain union (for ``isinstance`` and for the event union)."""
Command = Annotated[AnyCommand, Field(discriminator="type")]
COMMAND_ADAPTER: TypeAdapter[Command] = TypeAdapter(Command)
COMMAND_CLASSES: tuple[type[_Command], ...] = (
    Start,
    Pause,
    Resume,
    SetSpeed,
    Jump,
    End,
    Release,
    Hold,
    Cancel,
    Broadcast,
    Respond,
    Ask,
    Reply,
    Grade,
    Rate,
    Note,
    TeamNote,
    Open,
    Join,
    Tracks,
    PassQuestion,
    Feedback,
)
COMMAND_TYPES: frozenset[str] = frozenset(c.model_fields["type"].default for c in COMMAND_CLASSES)

CLOCK_COMMANDS: frozenset[str] = frozenset({"start", "pause", "resume", "set_speed", "jump", "end"})
"""Commands that change the exercise clock (facilitators only)."""
MEMBER_COMMANDS: frozenset[str] = frozenset({"respond", "ask", "team_note", "open", "join"})
"""Commands that name a team member, who has therefore joined the team."""


def parse_command(data: object) -> Command:
    """Validate a command from plain data (raises pydantic's ``ValidationError``)."""
    return COMMAND_ADAPTER.validate_python(data)
