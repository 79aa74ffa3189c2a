"""Who may send which command, and in whose name.

The matrix below is the whole policy; the server consults it before it even
validates a command's fields, so a forbidden command costs nothing and says so.
Then the seat fills in the identity fields: a team member's ``team`` and
``member``, an evaluator's ``evaluator``, a note's ``author``. A client may leave
them out; if it gives a different team or evaluator, the command is refused
rather than silently rewritten, so a buggy console finds out.
"""

from __future__ import annotations

from typing import Any

from engine.commands import CLOCK_COMMANDS, COMMAND_TYPES
from engine.net.protocol import Role
from engine.net.server.guard import echo
from engine.net.server.seats import Seat

ALLOWED: dict[Role, frozenset[str]] = {
    "team": frozenset({"respond", "ask", "team_note", "open", "join", "feedback"}),
    "facilitator": CLOCK_COMMANDS
    | frozenset(
        {"release", "hold", "cancel", "broadcast", "reply", "note", "tracks", "pass_question"}
    ),
    "evaluator": frozenset({"grade", "rate", "note"}),
    "observer": frozenset(),
    "wall": frozenset(),
}
"""Command types each role may send. Observers and walls send nothing but pings."""

assert set().union(*ALLOWED.values()) <= COMMAND_TYPES

_TEAM_FIELDS = frozenset({"respond", "ask", "team_note", "open", "join", "feedback"})


class Forbidden(Exception):
    """This seat may not send this; the message says why."""


def may_send(role: Role, kind: str) -> bool:
    return kind in ALLOWED[role]


def may_revoke(role: Role) -> bool:
    return role == "facilitator"


def authorise(seat: Seat, member: str, raw: dict[str, Any]) -> dict[str, Any]:
    """The command ``raw`` (a dict with a known ``type``) with its identity filled in.

    Raises :class:`Forbidden` when the seat may not send it or names someone else.
    """
    kind = raw["type"]
    if kind not in ALLOWED[seat.role]:
        if seat.role == "observer":
            raise Forbidden("observers can only watch: no commands")
        if seat.role == "wall":
            raise Forbidden("the wall only shows the exercise: no commands")
        raise Forbidden(f"a {seat.role} seat cannot send {kind!r}")
    filled = dict(raw)
    if kind in _TEAM_FIELDS:
        given = filled.get("team")
        if given is not None and given != seat.team:
            raise Forbidden(f"you play team {seat.team!r}, not {echo(given)}")
        filled["team"] = seat.team
        filled["member"] = member
    elif kind in ("grade", "rate"):
        given = filled.get("evaluator")
        if given is not None and given != seat.name:
            raise Forbidden(f"you grade as {seat.name!r}, not {echo(given)}")
        filled["evaluator"] = seat.name
    elif kind in ("tracks", "pass_question"):
        # A controller acts as its seat (``control-2``), whatever name was typed: the
        # sim cell shows who holds a question by seat, the one every console knows.
        given = filled.get("by")
        if given is not None and given != seat.name:
            raise Forbidden(f"you control as {seat.name!r}, not {echo(given)}")
        filled["by"] = seat.name
        if kind == "tracks":
            filled.setdefault("controller", seat.name)
    elif kind == "note":
        filled["author"] = seat.name if seat.role == "evaluator" else member
    return filled
