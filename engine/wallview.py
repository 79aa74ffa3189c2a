"""What the wall (the room's projector) may see: the story so far, never what is to come.

The wall is a read-only seat for the screen the whole room looks at. It gets the
exercise clock (and the pause in force, with its message and planned end, or a
module's discussion with its questions, which every team sees too), the
broadcasts to everyone, the phase the story has reached, and the injects on public
channels (:data:`~engine.scenario.injects.PUBLIC_CHANNELS`: news, social) once they
are delivered: a headline anyone in the story could read.

It never gets an inject before its delivery, nor a private one (an email, a call),
nor any question, answer, score, note, branch, team or controller's move. The server
makes these bodies from logged events (``Shaper.wall_view`` in
:mod:`engine.net.server.audience`), so what is not here never leaves the server: a
wall left open on a laptop in the room spoils nothing.

A delivery reaches the wall as :class:`WallShown`; the clock commands, ``ended`` and
broadcasts to everyone as logged. The wall's events are typed here as a team's are in
:mod:`engine.views`: the shaper builds them, the client parses them once
(:func:`wall_event`), the wall console folds them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from engine import commands as c
from engine.events import Discussion, Ended
from engine.net.protocol import EventMsg
from engine.scenario.injects import PUBLIC_CHANNELS, Inject
from engine.scenario.model import Scenario
from engine.views import SenderView


class _Wall(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PhaseView(_Wall):
    """A phase (module) of play the story has reached."""

    id: str
    title: str
    number: int = 0
    """Its place in the scenario's phases, from 1 (0: not listed there). A late inject of
    an earlier phase does not take the room back to it."""


class PostView(_Wall):
    """A public inject (a headline, a post) as the room reads it: no questions, no timing."""

    id: str
    title: str
    channel: str
    sender: SenderView
    body: str = ""


class WallShown(_Wall):
    """A delivery, as the wall sees it: the phase it belongs to, and the post if public."""

    type: Literal["delivered"] = "delivered"
    phase: PhaseView | None = None
    post: PostView | None = None


AnyWallBody = (
    WallShown
    | c.Start
    | c.Pause
    | c.Resume
    | c.SetSpeed
    | c.Jump
    | c.End
    | Ended
    | Discussion
    | c.Broadcast
)
WallBody = Annotated[AnyWallBody, Field(discriminator="type")]
WALL_BODY_ADAPTER: TypeAdapter[WallBody] = TypeAdapter(WallBody)


@dataclass(slots=True)
class WallEvent:
    """One event as the wall receives it."""

    body: AnyWallBody
    t: int
    seq: int = 0
    wall: float | None = None


def wall_body(kind: str, payload: dict[str, Any]) -> AnyWallBody:
    """A wall event's typed body from its wire form (raises ``ValidationError``)."""
    return WALL_BODY_ADAPTER.validate_python({**payload, "type": kind})


def wall_payload(body: AnyWallBody) -> dict[str, Any]:
    """A wall event's body in its wire form (no ``type``: the message has ``kind``)."""
    return body.model_dump(mode="json", exclude={"type"}, exclude_none=True, by_alias=True)


def wall_event(msg: EventMsg) -> WallEvent:
    """An event message as the wall receives it, typed."""
    return WallEvent(wall_body(msg.kind, msg.payload), msg.t, msg.seq, msg.wall)


def to_everyone(body: c.Broadcast) -> bool:
    """Whether a broadcast goes to every team (what the wall shows of broadcasts)."""
    return not body.teams


def shown_for_wall(scenario: Scenario, inject: Inject) -> WallShown | None:
    """What the wall sees of ``inject``'s delivery: its phase, and its content if it is on
    a public channel; None when neither (a private inject outside any phase)."""
    phase = None
    if inject.phase is not None:
        number, found = next(
            ((n, p) for n, p in enumerate(scenario.phases, 1) if p.id == inject.phase),
            (0, None),
        )
        title = found.title if found is not None else inject.phase
        phase = PhaseView(id=inject.phase, title=title, number=number)
    post = None
    if inject.channel in PUBLIC_CHANNELS:
        actor = scenario.actor_by_id.get(inject.from_)
        post = PostView(
            id=inject.id,
            title=inject.title,
            channel=inject.channel,
            sender=SenderView(
                id=inject.from_,
                name=actor.name if actor else inject.from_,
                kind=actor.kind if actor else "other",
            ),
            body=inject.body,
        )
    if phase is None and post is None:
        return None
    return WallShown(phase=phase, post=post)
