"""Isolation over the wire: each client receives exactly what its seat may see.

Every kind of event is produced by real clients in every role; then each
client's received events are compared with the log, through an independent
statement of the rules (``concerns``), and searched for other teams' ids.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from engine import commands as c
from engine.eventlog import EventLog
from engine.events import INPUT_KINDS, OUTPUT_KINDS
from engine.net.client import Client
from engine.net.protocol import Ack, staff_event, team_event
from engine.scenario import load_bytes
from tests.server.conftest import FIXTURE, TEAMS, M, Served, serving
from tests.server.test_audience import MODULE, concerns


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[Served]:
    """The fixture with a module whose discussion falls where play jumps to (62 min)."""
    text = FIXTURE.read_text(encoding="utf-8") + MODULE
    async with serving(tmp_path, loaded=load_bytes(text, "fixture.yaml")) as s:
        yield s


async def test_every_seat_gets_exactly_its_share(served: Served) -> None:
    fac, fac_rec = await served.client("facilitator:control", "Fay")
    _obs, obs_rec = await served.client("observer:observer")
    ev, ev_rec = await served.client("evaluator:lead", "Eve")
    teams = {t: await served.client(f"team:{t}", f"{t}-m1") for t in TEAMS}
    _second, second_rec = await served.client("team:a-01", "a-01-m2")
    a01, _ = teams["a-01"]
    a02, _ = teams["a-02"]

    async def ok(client: Client, command: c.AnyCommand) -> int:
        reply = await client.send(command)
        assert isinstance(reply, Ack) and reply.seq is not None, (command, reply)
        return reply.seq

    await ok(fac, c.SetSpeed(speed=10))
    await ok(fac, c.Start())
    await ok(fac, c.Hold(inject="C1", teams=["b-02"]))
    await ok(fac, c.Jump(to=11 * M))
    await ok(a01, c.Open(team="a-01", member="a-01-m1", inject="A1"))
    await ok(a01, c.Respond(team="a-01", member="a-01-m1", expectation="A1.d", choice="good"))
    await ok(a02, c.Respond(team="a-02", member="a-02-m1", expectation="A1.d", choice="bad"))
    ask = await ok(a01, c.Ask(team="a-01", member="a-01-m1", actor="x", text="is it real?"))
    await ok(fac, c.Tracks(controller="control", tracks=["a"], by="control"))
    await ok(fac, c.PassQuestion(question=ask, to="control", by="control", note="mine"))
    await ok(fac, c.Reply(actor="x", team="a-01", text="no", to_seq=ask))
    await ok(a01, c.TeamNote(team="a-01", member="a-01-m1", text="called the ministry"))
    await ok(fac, c.Broadcast(text="to a-01 only", teams=["a-01"]))
    await ok(fac, c.Broadcast(text="to everyone", actor="x"))
    await ok(fac, c.Pause(reason="coffee"))
    await ok(fac, c.Resume())
    await ok(fac, c.Release(inject="K1", teams=["a-02"]))
    await ok(fac, c.Cancel(inject="T1", teams=["b-01"]))
    await ok(fac, c.Jump(to=62 * M))
    await ok(ev, c.Grade(evaluator="lead", team="a-01", expectation="T1.m", points=4))
    await ok(ev, c.Rate(evaluator="lead", team="a-01", objective="obj", rating="S"))
    await ok(ev, c.Note(author="lead", text="good call", team="a-01"))
    await ok(fac, c.End(reason="done"))
    last = await ok(a01, c.Feedback(team="a-01", member="a-01-m1", ratings={"again": 4}))

    for rec in (second_rec, *(r for _, r in teams.values())):
        await rec.wait(lambda r: "end" in r.kinds(), what="the end")
    for rec in (fac_rec, obs_rec, ev_rec):  # the form after the end is staff's only
        await rec.wait(lambda r: "feedback" in r.kinds(), what="the feedback form")
    with EventLog.open(served.db, readonly=True) as log:
        logged = list(log.events())
    assert {e.kind for e in logged} >= OUTPUT_KINDS | INPUT_KINDS
    assert logged[-1].seq >= last

    every = [e.seq for e in logged]
    for rec in (fac_rec, obs_rec, ev_rec):
        assert rec.seqs() == every
        assert [staff_event(e).body for e in rec.events()] == [e.body for e in logged]
    for team, (_, rec) in teams.items():
        expected = [e.seq for e in logged if concerns(e, team)]
        assert rec.seqs() == expected, team
        others = [t for t in TEAMS if t != team]
        for event in rec.events():
            text = event.model_dump_json()
            assert not any(o in text for o in others), (team, text)
            assert event.team in (None, team)
            team_event(event)  # parses as a team body
    assert second_rec.seqs() == teams["a-01"][1].seqs()
    # Team members were recorded as they joined (whole-team answers count them).
    joins = {(e.payload["team"], e.payload["member"]) for e in logged if e.kind == "join"}
    assert ("a-01", "a-01-m2") in joins and ("b-02", "b-02-m1") in joins
