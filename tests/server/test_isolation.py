"""Isolation over the wire: each client receives exactly what its seat may see.

Every kind of event is produced by real clients in every role; then each
client's received events are compared with the log, through an independent
statement of the rules (``concerns``), and searched for other teams' ids.
"""

from __future__ import annotations

import json

from engine.eventlog import EventLog
from engine.events import INPUT_KINDS, OUTPUT_KINDS
from tests.server.conftest import TEAMS, M, Served
from tests.server.test_audience import concerns


async def test_every_seat_gets_exactly_its_share(served: Served) -> None:
    fac, fac_rec = await served.client("facilitator:control", "Fay")
    _obs, obs_rec = await served.client("observer:observer")
    ev, ev_rec = await served.client("evaluator:lead", "Eve")
    teams = {t: await served.client(f"team:{t}", f"{t}-m1") for t in TEAMS}
    _second, second_rec = await served.client("team:a-01", "a-01-m2")
    a01, _ = teams["a-01"]
    a02, _ = teams["a-02"]

    async def ok(client: object, command: dict[str, object]) -> int:
        reply = await client.send(command)  # type: ignore[attr-defined]
        assert reply["type"] == "ack", (command, reply)
        return int(reply["seq"])

    await ok(fac, {"type": "set_speed", "speed": 10})
    await ok(fac, {"type": "start"})
    await ok(fac, {"type": "hold", "inject": "C1", "teams": ["b-02"]})
    await ok(fac, {"type": "jump", "to": 11 * M})
    await ok(a01, {"type": "respond", "expectation": "A1.d", "choice": "good"})
    await ok(a02, {"type": "respond", "expectation": "A1.d", "choice": "bad"})
    ask = await ok(a01, {"type": "ask", "actor": "x", "text": "is it real?"})
    await ok(fac, {"type": "reply", "actor": "x", "team": "a-01", "text": "no", "to_seq": ask})
    await ok(a01, {"type": "team_note", "text": "called the ministry"})
    await ok(fac, {"type": "broadcast", "text": "to a-01 only", "teams": ["a-01"]})
    await ok(fac, {"type": "broadcast", "text": "to everyone", "actor": "x"})
    await ok(fac, {"type": "pause", "reason": "coffee"})
    await ok(fac, {"type": "resume"})
    await ok(fac, {"type": "release", "inject": "K1", "teams": ["a-02"]})
    await ok(fac, {"type": "cancel", "inject": "T1", "teams": ["b-01"]})
    await ok(fac, {"type": "jump", "to": 62 * M})
    await ok(ev, {"type": "grade", "team": "a-01", "expectation": "T1.m", "points": 4})
    await ok(ev, {"type": "rate", "team": "a-01", "objective": "obj", "rating": "S"})
    await ok(ev, {"type": "note", "text": "good call", "team": "a-01"})
    last = await ok(fac, {"type": "end", "reason": "done"})

    for rec in (fac_rec, obs_rec, ev_rec, second_rec, *(r for _, r in teams.values())):
        await rec.wait(lambda r: "end" in {e["kind"] for e in r.events()}, what="the end")
    with EventLog.open(served.db, readonly=True) as log:
        logged = list(log.events())
    assert {e.kind for e in logged} >= OUTPUT_KINDS | INPUT_KINDS
    assert logged[-1].seq >= last

    every = [e.seq for e in logged]
    for rec in (fac_rec, obs_rec, ev_rec):
        assert rec.seqs() == every
    for team, (_, rec) in teams.items():
        expected = [e.seq for e in logged if concerns(e, team)]
        assert rec.seqs() == expected, team
        others = [t for t in TEAMS if t != team]
        for event in rec.events():
            text = json.dumps(event)
            assert not any(o in text for o in others), (team, text)
            assert event["team"] in (None, team)
    assert second_rec.seqs() == teams["a-01"][1].seqs()
    # Team members were recorded as they joined (whole-team answers count them).
    joins = {(e.payload["team"], e.payload["member"]) for e in logged if e.kind == "join"}
    assert ("a-01", "a-01-m2") in joins and ("b-02", "b-02-m1") in joins
