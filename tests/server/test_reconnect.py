"""Coming back: catch-up from the ring, a snapshot when too far behind, and the client
reconnecting and resending by itself."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import Any

from engine import commands as c
from engine.eventlog import EventLog
from engine.net.client import Client
from engine.net.protocol import (
    CLOSE_TOO_SLOW,
    SERVER_ADAPTER,
    Ack,
    EventMsg,
    LinkChange,
    Snapshot,
    Welcome,
    staff_event,
    team_event,
)
from engine.net.server.settings import ServerSettings
from engine.views import ExerciseInfo, StaffExerciseInfo
from tests.server.conftest import M, Recorder, Served, free_port, joined_raw, serving


async def test_a_client_back_with_its_last_seq_gets_what_it_missed_then_live(
    served: Served,
) -> None:
    fac, _ = await served.client("facilitator:control")
    team, rec = await served.client("team:a-01", "amira")
    await fac.send(c.Start())
    await rec.wait(lambda r: "start" in r.kinds())
    seen = team.last_seq
    await team.close()
    missed = [
        await acked(fac, c.Jump(to=10 * M)),
        await acked(fac, c.Broadcast(text="while you were away")),
        await acked(fac, c.Broadcast(text="other team", teams=["b-01"])),
    ]
    async with contextlib.AsyncExitStack() as stack:
        conn = await joined_raw(stack, served.url, served.code("team:a-01"), "amira", last_seq=seen)
        got: list[dict[str, Any]] = []
        clock = await conn.recv()
        assert clock["type"] == "clock"
        while len(got) < 3:
            msg = await conn.recv()
            SERVER_ADAPTER.validate_python(msg)
            if msg["type"] == "event":
                got.append(msg)
        kinds = [m["kind"] for m in got]
        assert kinds == ["jump", "delivered", "broadcast"]
        assert got[0]["seq"] == missed[0] and got[2]["seq"] == missed[1]
        assert all(m["seq"] > seen for m in got)
        live = await acked(fac, c.Broadcast(text="live again"))
        msg = await conn.recv_type("event")
        assert msg["seq"] == live


async def test_the_welcome_says_how_the_client_is_caught_up(served: Served) -> None:
    fac, _ = await served.client("facilitator:control")
    await fac.send(c.Start())
    async with contextlib.AsyncExitStack() as stack:
        caught = await joined_raw(stack, served.url, served.code("team:b-01"), "late", last_seq=0)
        assert caught.ws is not None
    client, rec = await served.client("team:b-02", "fresh")
    welcome = rec.of(Welcome)[0]
    assert welcome is client.welcome
    assert welcome.resume == "catchup" and welcome.seat == "team:b-02"
    assert welcome.last_seq == served.room.hub.last_seq or welcome.last_seq > 0
    info = ExerciseInfo.model_validate(welcome.exercise)
    assert info.team_name == "Team B 2" and info.id == "engine-fixture"
    _, staff = await served.client("observer:observer")
    assert StaffExerciseInfo.model_validate(staff.of(Welcome)[0].exercise).roster


async def test_too_far_behind_gets_a_snapshot_of_everything_it_may_see(tmp_path: Path) -> None:
    async with serving(tmp_path, settings=ServerSettings(team_ring=3, staff_ring=3)) as served:
        fac, _ = await served.client("facilitator:control")
        await fac.send(c.Start())
        await fac.send(c.Jump(to=10 * M))
        for i in range(5):
            await fac.send(c.Broadcast(text=f"news {i}", teams=["a-02"]))
            await fac.send(c.Broadcast(text=f"secret {i}", teams=["b-01"]))
        team, rec = await served.client("team:a-02", "late-joiner")
        await rec.wait(lambda r: bool(r.of(Snapshot)))
        welcome = rec.of(Welcome)[0]
        snap = rec.of(Snapshot)[0]
        assert welcome.resume == "snapshot" and snap.last_seq == welcome.last_seq
        with EventLog.open(served.db, readonly=True) as log:
            logged = list(log.events())
        bodies = [team_event(e).body for e in snap.events]
        texts = [b.text for b in bodies if isinstance(b, c.Broadcast)]
        assert texts == [f"news {i}" for i in range(5)]
        assert {e.kind for e in snap.events} >= {"start", "jump", "delivered", "join"}
        assert [e.seq for e in snap.events] == sorted(e.seq for e in snap.events)
        assert all(e.seq <= snap.last_seq for e in logged if e.kind == "broadcast")
        assert "secret" not in snap.model_dump_json()
        live = await acked(fac, c.Broadcast(text="after the snapshot"))
        await rec.wait_seq(live)
        assert rec.seqs().count(live) == 1
        _, staff_rec = await served.client("observer:observer")
        await staff_rec.wait(lambda r: bool(r.of(Snapshot)))
        staff_snap = staff_rec.of(Snapshot)[0]
        with EventLog.open(served.db, readonly=True) as log:
            logged = list(log.events())
        upto = [e for e in logged if e.seq <= staff_snap.last_seq]
        assert [e.seq for e in staff_snap.events] == [e.seq for e in upto]
        assert [staff_event(e).body for e in staff_snap.events] == [e.body for e in upto]
        assert team.duplicates == 0


async def test_the_shipped_client_reconnects_by_itself_and_sees_each_event_once(
    served: Served,
) -> None:
    fac, _ = await served.client("facilitator:control")
    team, rec = await served.client("team:a-01", "amira", backoff=(0.01, 0.05))
    await fac.send(c.Start())
    await fac.send(c.Jump(to=10 * M))
    session = next(s for s in served.room.sessions if s.member == "amira")
    session._end(CLOSE_TOO_SLOW, "too slow (test)")
    await rec.wait(lambda r: r.links()[-2:] == ["reconnecting", "connected"])
    assert team.connects == 2
    assert "too slow" in rec.of(LinkChange)[-2].reason
    seq = await acked(fac, c.Broadcast(text="after"))
    await rec.wait_seq(seq)
    seqs = [m.seq for m in rec.of(EventMsg)]
    assert len(seqs) == len(set(seqs)) and seqs == sorted(seqs)


async def test_a_command_sent_while_down_is_applied_once_when_the_server_is_back(
    tmp_path: Path,
) -> None:
    port = free_port()
    async with serving(tmp_path, port=port) as first:
        code = first.code("team:a-01")
    rec = Recorder()
    client = Client(f"http://127.0.0.1:{port}", code, "amira", on_message=rec, backoff=(0.01, 0.1))
    client.start()
    await rec.wait(lambda r: "reconnecting" in r.links())
    note = c.TeamNote(team="a-01", member="amira", text="kept")
    try:
        sending = asyncio.ensure_future(client.send(note, id="n1"))
        await asyncio.sleep(0)
        assert not sending.done() and client.pending == 1
        async with serving(tmp_path, port=port, resume=True) as second:
            reply = await asyncio.wait_for(sending, 10)
            assert isinstance(reply, Ack)
            rows = [e for e in second.room.log.events() if e.origin == "team:a-01/amira/n1"]
            assert len(rows) == 1 and rows[0].seq == reply.seq and rows[0].body == note
            again = await client.send(note, id="n1")
            assert again == reply
    finally:
        await client.close()


async def acked(client: Client, command: c.AnyCommand) -> int:
    """Send; the seq of the logged input (the command must be acknowledged)."""
    reply = await client.send(command)
    assert isinstance(reply, Ack) and reply.seq is not None, (command, reply)
    return reply.seq
