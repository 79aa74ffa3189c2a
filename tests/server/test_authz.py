"""The authorisation matrix: every command type × every role, in the table and on the wire."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import Any

import pytest

from engine import commands as c
from engine.commands import COMMAND_TYPES
from engine.eventlog import EventLog
from engine.net.protocol import Ack, Error, Role
from engine.net.server.authz import ALLOWED, Forbidden, authorise
from engine.net.server.seats import Seat
from tests.server.conftest import M, Recorder, Served, joined_raw, serving

SAMPLES: dict[str, dict[str, Any]] = {
    "start": {},
    "pause": {},
    "resume": {},
    "set_speed": {"speed": 2},
    "jump": {"to": 11 * M},
    "end": {"reason": "matrix"},
    "release": {"inject": "K1"},
    "hold": {"inject": "C1"},
    "cancel": {"inject": "T1"},
    "broadcast": {"text": "hello"},
    "respond": {"expectation": "A1.d", "choice": "good"},
    "ask": {"actor": "x", "text": "question"},
    "reply": {"actor": "x", "team": "a-01", "text": "answer"},
    "grade": {"team": "a-01", "expectation": "A1.d", "points": 1},
    "rate": {"team": "a-01", "objective": "obj", "rating": "P"},
    "note": {"text": "observation"},
    "team_note": {"text": "log entry"},
    "open": {"inject": "A1"},
    "join": {},
    "feedback": {"strengths": ["clear roles"], "ratings": {"again": 5}},
    "tracks": {"tracks": ["a"]},
    "pass_question": {"question": 1, "to": "control"},
}
ROLES: tuple[Role, ...] = ("team", "facilitator", "evaluator", "observer")
SEATS: dict[Role, Seat] = {
    "team": Seat("team:a-01", "team", "a-01", "Team A 1", "a-01"),
    "facilitator": Seat("facilitator:control", "facilitator", "control", "facilitator"),
    "evaluator": Seat("evaluator:lead", "evaluator", "lead", "evaluator"),
    "observer": Seat("observer:observer", "observer", "observer", "observer"),
}
EXPECTED = {
    "team": {"respond", "ask", "team_note", "open", "join", "feedback"},
    "facilitator": {
        "start",
        "pause",
        "resume",
        "set_speed",
        "jump",
        "end",
        "release",
        "hold",
        "cancel",
        "broadcast",
        "reply",
        "note",
        "tracks",
        "pass_question",
    },
    "evaluator": {"grade", "rate", "note"},
    "observer": set(),
}


def test_the_samples_cover_every_command_type() -> None:
    assert set(SAMPLES) == COMMAND_TYPES


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", sorted(COMMAND_TYPES))
def test_matrix(role: Role, kind: str) -> None:
    """The table says exactly what the design says, for every pair."""
    assert (kind in ALLOWED[role]) == (kind in EXPECTED[role])
    raw = {"type": kind, **SAMPLES[kind]}
    if kind in EXPECTED[role]:
        filled = authorise(SEATS[role], "amira", raw)
        assert filled["type"] == kind
    else:
        with pytest.raises(Forbidden):
            authorise(SEATS[role], "amira", raw)


def test_identity_comes_from_the_seat() -> None:
    team = authorise(SEATS["team"], "amira", {"type": "respond", "member": "someone else"})
    assert team["team"] == "a-01" and team["member"] == "amira"
    with pytest.raises(Forbidden, match="you play team"):
        authorise(SEATS["team"], "amira", {"type": "ask", "team": "b-01"})
    grade = authorise(SEATS["evaluator"], "Eve", {"type": "grade"})
    assert grade["evaluator"] == "lead"
    with pytest.raises(Forbidden, match="you grade as"):
        authorise(SEATS["evaluator"], "Eve", {"type": "rate", "evaluator": "eval-2"})
    assert authorise(SEATS["evaluator"], "Eve", {"type": "note"})["author"] == "lead"
    assert authorise(SEATS["facilitator"], "Fay", {"type": "note"})["author"] == "Fay"


async def test_every_type_from_every_role_over_the_wire(tmp_path: Path) -> None:
    """Forbidden pairs are refused before the engine sees them; allowed pairs reach it."""
    async with serving(tmp_path) as served, contextlib.AsyncExitStack() as stack:
        fac, _ = await served.client("facilitator:control", "Fay")
        assert isinstance(await fac.send(c.Start()), Ack)
        assert isinstance(await fac.send(c.Jump(to=10 * M)), Ack)
        conns = {
            "team": await joined_raw(stack, served.url, served.code("team:a-01"), "amira"),
            "facilitator": await joined_raw(stack, served.url, served.code("facilitator:control")),
            "evaluator": await joined_raw(stack, served.url, served.code("evaluator:lead")),
            "observer": await joined_raw(stack, served.url, served.code("observer:observer")),
        }
        order = sorted(COMMAND_TYPES, key=lambda k: k in ("end", "pause", "jump"))
        for role in ROLES:
            for kind in order:
                before = _count(served)
                mid = f"{role}-{kind}"
                await conns[role].send(
                    {"type": "command", "id": mid, "command": {"type": kind, **SAMPLES[kind]}}
                )
                reply = await conns[role].reply_to(mid)
                if kind in EXPECTED[role]:
                    assert reply["type"] == "ack" or reply["code"] == "rejected", (
                        role,
                        kind,
                        reply,
                    )
                else:
                    assert reply["type"] == "error" and reply["code"] == "forbidden", (role, kind)
                    assert _count(served) == before


def _count(served: Served) -> int:
    return served.room.log.next_seq


async def test_a_team_cannot_answer_for_another_and_the_log_names_the_seat(
    served: Served,
) -> None:
    fac, _ = await served.client("facilitator:control")
    await fac.send(c.Start())
    await fac.send(c.Jump(to=10 * M))
    team, rec = await served.client("team:b-01", "Bo")
    bad = await team.send(c.Respond(team="a-01", member="Bo", expectation="A1.d", choice="bad"))
    assert isinstance(bad, Error) and bad.code == "forbidden"
    ok = await team.send(c.Respond(team="b-01", member="Mallory", expectation="A1.d", choice="bad"))
    assert isinstance(ok, Ack) and ok.seq is not None
    await asyncio.sleep(0)
    with EventLog.open(served.db, readonly=True) as log:
        row = next(e for e in log.events() if e.seq == ok.seq)
    assert row.body == c.Respond(team="b-01", member="Bo", expectation="A1.d", choice="bad")
    assert row.origin is not None and row.origin.startswith("team:b-01/Bo/")
    assert isinstance(rec, Recorder)


async def test_an_evaluator_grades_in_its_seats_name_only(served: Served) -> None:
    fac, _ = await served.client("facilitator:control")
    await fac.send(c.Start())
    await fac.send(c.Jump(to=10 * M))
    ev, _ = await served.client("evaluator:lead", "Eve")
    other = await ev.send(c.Grade(evaluator="eval-2", team="a-01", expectation="A1.d", points=1))
    assert isinstance(other, Error) and other.code == "forbidden" and "lead" in other.reason
    own = await ev.send(c.Grade(evaluator="lead", team="a-01", expectation="A1.d", points=1))
    assert isinstance(own, Ack)
