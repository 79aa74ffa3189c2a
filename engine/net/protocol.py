"""The wire protocol between the exercise server and its clients (version 1).

One WebSocket, JSON text frames. Defined once here, for the server, the shipped
client, the consoles and the load generator.

Client → server: ``hello`` first (protocol version, join code, member name, last
sequence seen), then ``command`` messages (each with a client-chosen ``id``) and
``ping``. Server → client: ``welcome``, then ``event`` (sequence-numbered, already
filtered and shaped for the recipient), ``ack``/``error`` answering a message by
its id, ``clock``, ``snapshot`` and ``bye`` before a close.

A command is acknowledged only after it is durably in the event log; resending a
message with the same id never applies it twice.

Additions since the first draft (all optional, nothing removed): ``revoke`` (a
facilitator replaces a seat's join code; the ack's ``detail`` carries the new
one), ``Welcome.seat``, ``Ack.detail`` and the close codes below, so a client
can tell "reconnect" from "give up" without parsing reason texts; the error
codes ``id_reused`` (a message id resent with a different body: idempotency
covers identical resends only) and ``seat_full`` (too many sockets on one seat);
``presence`` (staff seats only: which tables have members connected); an
``error``'s and ``bye``'s ``template``/``values``/``said`` (a reason in the reader's
language).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from engine.commands import MAX_SHORT, Command
from engine.events import Event, body_from
from engine.i18n import N_, gettext
from engine.i18n.phrase import Phrase, Sent
from engine.views import TeamEvent, team_body

PROTOCOL_VERSION = 1
MAX_FRAME = 64 * 1024
"""Largest client frame accepted, in bytes."""

Role = Literal["team", "facilitator", "evaluator", "observer", "wall"]
"""A seat's kind. The wall is the room's projector: read-only, and it sees only what the
whole room may (:mod:`engine.wallview`), never the staff's view."""
ErrorCode = Literal[
    "bad_json",  # not JSON
    "bad_message",  # JSON, but not a valid message (missing/wrong fields, text too long)
    "unknown_type",  # a message type this server does not know
    "too_large",  # frame over MAX_FRAME
    "rate_limited",  # too many messages too fast
    "bad_version",  # protocol version not supported
    "bad_code",  # unknown or revoked join code
    "not_joined",  # a message before hello
    "forbidden",  # this seat may not send this command
    "rejected",  # the exercise refused the command (reason says why)
    "unavailable",  # the server is shutting down or not ready
    "internal",  # a bug: the server logged it
    "id_reused",  # a message id already used for a different body (choose a new id)
    "seat_full",  # this seat has as many connections open as it may
]


class _Msg(BaseModel):
    """A client's message: the server refuses a field it does not know (a typo in a
    command is an error the sender hears about, not a silent no-op)."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class _ServerMsg(BaseModel):
    """A server's message: a client ignores a field it does not know, so a field added
    later (as ``template`` on ``bye``) reaches a newer client and costs an older one
    nothing; an older client that refused it dropped the whole message."""

    model_config = ConfigDict(frozen=True, extra="ignore")


MessageId = Annotated[str, Field(min_length=1, max_length=64)]


class Hello(_Msg):
    type: Literal["hello"] = "hello"
    v: int
    code: str = Field(min_length=1, max_length=200)
    name: str | None = Field(None, min_length=1, max_length=MAX_SHORT)
    last_seq: int | None = Field(None, ge=0)


class Send(_Msg):
    """A command for the exercise. Team and member (or evaluator) are set by the server."""

    type: Literal["command"] = "command"
    id: MessageId
    command: Command


class Ping(_Msg):
    type: Literal["ping"] = "ping"
    id: MessageId


class Revoke(_Msg):
    """A facilitator revokes a seat's join code (a lost card) and gets a new one.

    Sessions joined with the old code are closed with :data:`CLOSE_REVOKED`.
    """

    type: Literal["revoke"] = "revoke"
    id: MessageId
    seat: str = Field(min_length=1, max_length=MAX_SHORT)


ClientMessage = Annotated[Hello | Send | Ping | Revoke, Field(discriminator="type")]
CLIENT_ADAPTER: TypeAdapter[ClientMessage] = TypeAdapter(ClientMessage)
CLIENT_TYPES = frozenset({"hello", "command", "ping", "revoke"})


class Welcome(_ServerMsg):
    type: Literal["welcome"] = "welcome"
    v: int = PROTOCOL_VERSION
    role: Role
    team: str | None = None
    name: str
    seat: str | None = None
    """The seat joined (``team:cert-01``, ``evaluator:lead``, …)."""
    exercise: dict[str, Any]
    """Title, teams, actors, duration, start; for staff also the scenario's text."""
    last_seq: int
    resume: Literal["live", "catchup", "snapshot"]


class EventMsg(_ServerMsg):
    type: Literal["event"] = "event"
    seq: int
    t: int
    kind: str
    team: str | None = None
    actor: str | None = None
    payload: dict[str, Any]
    wall: float | None = None
    """Server wall time (epoch s) when it decided to send this, for latency measurement."""


class Ack(_ServerMsg):
    type: Literal["ack"] = "ack"
    id: str
    seq: int | None = None
    """The sequence number of the logged input (None for a ping)."""
    detail: dict[str, Any] | None = None
    """Extra answer data (a ``revoke`` returns the new code and join command)."""


class Worded(_ServerMsg):
    """A message whose ``reason`` a person reads: in English on the wire, and said in
    the reader's language when it was made from a catalog message (a :class:`Phrase`)."""

    reason: str
    """In English, always: logs, tests and clients that know no more read this."""
    template: str | None = None
    """The reason's English message with ``{name}`` slots (its catalog key), when it was
    made from one, so the client can say it in its reader's language."""
    values: dict[str, str] | None = None
    """The slots' values, as sent (ids, names, times: data, never translated)..."""
    said: list[str] | None = None
    """...except these: values that are themselves catalog messages ("answering")."""

    def shown(self) -> str:
        """The reason in the active language: the template's translation filled with the
        values when the catalog has it, else ``reason`` (English: the same words). Only a
        template from this program's own catalog is ever filled, never the server's."""
        if self.template is None or gettext(self.template) == self.template:
            return self.reason
        try:
            return Phrase.received(Sent(self.template, self.values or {}, self.said or [])).said()
        except (KeyError, IndexError, ValueError):
            # A server newer than this catalog may send a slot the translation lacks.
            return self.reason

    def words(self) -> dict[str, Any]:
        """This reason's fields, to pass the same words on in another message."""
        return self.model_dump(include={"reason", "template", "values", "said"}, exclude_none=True)


class Error(Worded):
    type: Literal["error"] = "error"
    id: str | None = None
    code: ErrorCode


class ClockMsg(_ServerMsg):
    """Exercise time ``now`` at server wall time ``wall`` (epoch s); clients extrapolate."""

    type: Literal["clock"] = "clock"
    now: int
    status: Literal["ready", "running", "paused", "ended"]
    speed: float
    wall: float
    duration: int


class TeamPresence(_ServerMsg):
    """Who is connected at one table, as the server last told staff."""

    team: str
    online: int = Field(ge=0)
    """Members with a console connected now (each once, however many consoles)."""
    offline_since: int | None = Field(None, ge=0)
    """While nobody is connected: the exercise time (ms) the last member left."""


class PresenceMsg(_ServerMsg):
    """Staff seats only: which tables have members connected. Sent after the catch-up on
    joining (every table someone has connected to since the server started) and on each
    change at one table. Not an event: who is connected is not part of the exercise, so
    it is neither logged nor replayed (the log's ``join`` events say who took part)."""

    type: Literal["presence"] = "presence"
    teams: list[TeamPresence]


class Snapshot(_ServerMsg):
    """Everything the recipient may see, for a client too far behind to catch up."""

    type: Literal["snapshot"] = "snapshot"
    last_seq: int
    events: list[EventMsg]


class Bye(Worded):
    """The server's last word before it closes the connection (shutting down, code revoked)."""

    type: Literal["bye"] = "bye"


SHUTTING_DOWN = Phrase(N_("the server is shutting down"))
"""The ``bye`` of a server that stops."""
REVOKED = Phrase(N_("your join code was revoked"))
"""The ``bye`` to a seat whose code a facilitator replaced."""
NAME_REQUIRED = Phrase(N_("team members must give a name"))
"""The refusal of a team member's ``hello`` with no name (a console asks for one)."""


ServerMessage = Annotated[
    Welcome | EventMsg | Ack | Error | ClockMsg | Snapshot | Bye | PresenceMsg,
    Field(discriminator="type"),
]
SERVER_ADAPTER: TypeAdapter[ServerMessage] = TypeAdapter(ServerMessage)


# WebSocket close codes (4000-4999 are the application's). A client reconnects after
# any close except the fatal ones: retrying a bad code or version cannot succeed.
CLOSE_GOING_AWAY = 1001
"""The server is shutting down (after a ``bye``); reconnect later."""
CLOSE_TOO_BIG = 1009
"""A frame far over :data:`MAX_FRAME` (aiohttp closes before the message is read)."""
CLOSE_INTERNAL = 1011
"""The server failed handling this session's input (a bug, logged); reconnect."""
CLOSE_BAD_HELLO = 4400
"""The first message was not a valid ``hello``, or none came in time."""
CLOSE_BAD_CODE = 4401
"""Unknown join code."""
CLOSE_REVOKED = 4403
"""The join code was revoked (while joined, or before)."""
CLOSE_TOO_SLOW = 4408
"""The client fell too far behind; reconnecting catches it up."""
CLOSE_SEAT_FULL = 4409
"""The seat has as many connections open as it may; retry once one of them closes."""
CLOSE_BAD_VERSION = 4426
"""Protocol version not supported."""
CLOSE_FLOOD = 4429
"""Too many messages over the rate limit."""
FATAL_CLOSE_CODES = frozenset({CLOSE_BAD_CODE, CLOSE_REVOKED, CLOSE_BAD_VERSION})
"""Closes after which reconnecting cannot help."""


# ------------------------------------------------------------------ the clients' edge
# Clients parse what the server sends once, here, into the models above; consoles,
# bots and tests fold typed messages and events, never dicts.

LinkState = Literal["connecting", "connected", "reconnecting", "closed"]


LinkCause = Literal["unreachable", "lost", "closed", "refused", "goodbye"]
"""Why a link went down, decided by the client that saw it: the server could not be
reached, the connection broke, it was closed (by either side), the server refused the
seat, or the server said goodbye. A console acts on this, never on the reason's words."""


class LinkChange(Worded):
    """Not from the server: the client's connection changed state (``reason`` says why)."""

    type: Literal["link"] = "link"
    state: LinkState
    reason: str = ""
    cause: LinkCause | None = None


Incoming = Welcome | EventMsg | Ack | Error | ClockMsg | Snapshot | Bye | PresenceMsg | LinkChange
"""What a client hands its user: a server message, or a change of the link's state."""
Answer = Ack | Error
"""What answers a command."""


def parse_server(data: object) -> ServerMessage:
    """A server message from decoded JSON (raises pydantic's ``ValidationError``)."""
    return SERVER_ADAPTER.validate_python(data)


def staff_event(msg: EventMsg) -> Event:
    """An event as staff receive it (the logged body), typed."""
    return Event(body_from(msg.kind, msg.payload), msg.t, msg.seq, msg.wall or 0.0)


def team_event(msg: EventMsg) -> TeamEvent:
    """An event as a team receives it (:mod:`engine.views`), typed."""
    return TeamEvent(team_body(msg.kind, msg.payload), msg.t, msg.seq, msg.wall)


def reason_fields(reason: str) -> dict[str, Any]:
    """The fields that let a client say ``reason`` in its reader's language:
    its template and values when it is a :class:`Phrase` that can be sent (none for
    plain text, or for a phrase :meth:`Phrase.sent` cannot send: the client shows
    ``reason``)."""
    sent = reason.sent() if isinstance(reason, Phrase) else None
    if sent is None:
        return {}
    fields: dict[str, Any] = {"template": sent.template, "values": sent.values}
    if sent.said:
        fields["said"] = sent.said
    return fields
