"""Events: the one record type of the event log, the wire and the consoles.

An exercise is a sequence of events. *Inputs* are commands that were accepted
(their kind is the command's ``type``); *outputs* are what the engine made of them
and of the passing time (an inject delivered, a deadline passed, the end). State
anywhere — the engine after a crash, a console, the scoreboard — is a fold of it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from engine.commands import COMMAND_TYPES, Command, parse_command

DELIVERED = "delivered"
"""An inject reached teams: ``{inject, teams, cause}`` (at, after, escalation, release)."""
SKIPPED = "skipped"
"""An inject's condition was false for these teams when it was due: ``{inject, teams}``."""
DEADLINE = "deadline"
"""An expectation's deadline passed unanswered for these teams: ``{expectation, teams}``."""
ENDED = "ended"
"""The exercise ended: ``{reason}`` (duration, or the facilitator's reason)."""

OUTPUT_KINDS = frozenset({DELIVERED, SKIPPED, DEADLINE, ENDED})
INPUT_KINDS = COMMAND_TYPES


@dataclass(slots=True)
class Event:
    """One entry of an exercise's history.

    ``t`` is exercise time in ms; ``seq`` is the position in the log (0 until
    logged); ``wall`` the wall-clock time it was logged (not compared on replay).
    """

    kind: str
    t: int
    payload: dict[str, Any] = field(default_factory=dict)
    team: str | None = None
    actor: str | None = None
    seq: int = 0
    wall: float = 0.0
    origin: str | None = None
    """Who sent an input and under which message id (``seat/id``), for deduplicating
    retries across restarts; not part of the event's identity."""

    @property
    def is_input(self) -> bool:
        return self.kind in INPUT_KINDS

    @property
    def teams(self) -> list[str]:
        """Every team the event concerns (one, several, or none for exercise-wide events)."""
        many = self.payload.get("teams")
        if isinstance(many, list):
            return many
        return [self.team] if self.team else []

    def payload_json(self) -> str:
        return json.dumps(self.payload, separators=(",", ":"), sort_keys=True, ensure_ascii=False)

    def identity(self) -> tuple[str, int, str | None, str | None, str]:
        """What a replay must reproduce exactly (not seq or wall time)."""
        return (self.kind, self.t, self.team, self.actor, self.payload_json())

    def same_as(self, other: Event) -> bool:
        """Whether two events are the same happening (what :meth:`identity` compares, faster)."""
        return (
            self.kind == other.kind
            and self.t == other.t
            and self.team == other.team
            and self.actor == other.actor
            and self.payload == other.payload
        )

    def command(self) -> Command:
        """The command of an input event."""
        return parse_command({**self.payload, "type": self.kind})

    def to_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "t": self.t,
            "kind": self.kind,
            "team": self.team,
            "actor": self.actor,
            "payload": self.payload,
        }

    def describe(self) -> str:
        """A one-line human summary, for traces and error messages."""
        who = f" team={self.team}" if self.team else ""
        return f"#{self.seq} t={self.t} {self.kind}{who} {self.payload_json()}"


def input_event(cmd: Command, t: int) -> Event:
    """The log entry of an accepted command."""
    payload = cmd.model_dump(mode="json", exclude={"type"}, exclude_none=True)
    team = payload.get("team") if isinstance(payload.get("team"), str) else None
    actor = payload.get("actor") if isinstance(payload.get("actor"), str) else None
    return Event(cmd.type, t, payload, team, actor)


def output_event(kind: str, t: int, payload: dict[str, Any]) -> Event:
    teams = payload.get("teams")
    team = teams[0] if isinstance(teams, list) and len(teams) == 1 else None
    return Event(kind, t, payload, team, None)
