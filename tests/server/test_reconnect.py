"""Coming back: catch-up from the ring, a snapshot when too far behind, and the client
reconnecting and resending by itself."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

from engine.client import Client
from engine.eventlog import EventLog
from engine.protocol import CLOSE_TOO_SLOW, SERVER_ADAPTER
from engine.server.settings import ServerSettings
from tests.server.conftest import M, Recorder, Served, free_port, joined_raw, serving


async def test_a_client_back_with_its_last_seq_gets_what_it_missed_then_live(
    served: Served,
) -> None:
    fac, _ = await served.client("facilitator:control")
    team, rec = await served.client("team:a-01", "amira")
    await fac.send({"type": "start"})
    await rec.wait(lambda r: "start" in {e["kind"] for e in r.events()})
    seen = team.last_seq
    await team.close()
    missed = [
        (await fac.send({"type": "jump", "to": 10 * M}))["seq"],
        (await fac.send({"type": "broadcast", "text": "while you were away"}))["seq"],
        (await fac.send({"type": "broadcast", "text": "other team", "teams": ["b-01"]}))["seq"],
    ]
    async with contextlib.AsyncExitStack() as stack:
        conn = await joined_raw(stack, served.url, served.code("team:a-01"), "amira", last_seq=seen)
        got = []
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
        live = (await fac.send({"type": "broadcast", "text": "live again"}))["seq"]
        msg = await conn.recv_type("event")
        assert msg["seq"] == live


async def test_the_welcome_says_how_the_client_is_caught_up(served: Served) -> None:
    fac, _ = await served.client("facilitator:control")
    await fac.send({"type": "start"})
    async with contextlib.AsyncExitStack() as stack:
        caught = await joined_raw(stack, served.url, served.code("team:b-01"), "late", last_seq=0)
        assert caught.ws is not None
    _, rec = await served.client("team:b-02", "fresh")
    welcome = rec.of("welcome")[0]
    assert welcome["resume"] == "catchup" and welcome["seat"] == "team:b-02"
    assert welcome["last_seq"] == served.room.hub.last_seq or welcome["last_seq"] > 0


async def test_too_far_behind_gets_a_snapshot_of_everything_it_may_see(tmp_path: Path) -> None:
    async with serving(tmp_path, settings=ServerSettings(team_ring=3, staff_ring=3)) as served:
        fac, _ = await served.client("facilitator:control")
        await fac.send({"type": "start"})
        await fac.send({"type": "jump", "to": 10 * M})
        for i in range(5):
            await fac.send({"type": "broadcast", "text": f"news {i}", "teams": ["a-02"]})
            await fac.send({"type": "broadcast", "text": f"secret {i}", "teams": ["b-01"]})
        team, rec = await served.client("team:a-02", "late-joiner")
        await rec.wait(lambda r: bool(r.of("snapshot")))
        welcome = rec.of("welcome")[0]
        snap = rec.of("snapshot")[0]
        SERVER_ADAPTER.validate_python(snap)
        assert welcome["resume"] == "snapshot" and snap["last_seq"] == welcome["last_seq"]
        with EventLog.open(served.db, readonly=True) as log:
            logged = list(log.events())
        texts = [e["payload"].get("text") for e in snap["events"] if e["kind"] == "broadcast"]
        assert texts == [f"news {i}" for i in range(5)]
        assert {e["kind"] for e in snap["events"]} >= {"start", "jump", "delivered", "join"}
        assert [e["seq"] for e in snap["events"]] == sorted(e["seq"] for e in snap["events"])
        assert all(e.seq <= snap["last_seq"] for e in logged if e.kind == "broadcast")
        assert "secret" not in str(snap)
        live = (await fac.send({"type": "broadcast", "text": "after the snapshot"}))["seq"]
        await rec.wait_seq(live)
        assert rec.seqs().count(live) == 1
        _, staff_rec = await served.client("observer:observer")
        await staff_rec.wait(lambda r: bool(r.of("snapshot")))
        staff_snap = staff_rec.of("snapshot")[0]
        with EventLog.open(served.db, readonly=True) as log:
            logged = list(log.events())
        assert [e["seq"] for e in staff_snap["events"]] == [
            e.seq for e in logged if e.seq <= staff_snap["last_seq"]
        ]
        assert team.duplicates == 0


async def test_the_shipped_client_reconnects_by_itself_and_sees_each_event_once(
    served: Served,
) -> None:
    fac, _ = await served.client("facilitator:control")
    team, rec = await served.client("team:a-01", "amira", backoff=(0.01, 0.05))
    await fac.send({"type": "start"})
    await fac.send({"type": "jump", "to": 10 * M})
    session = next(s for s in served.room.sessions if s.member == "amira")
    session._end(CLOSE_TOO_SLOW, "too slow (test)")
    await rec.wait(
        lambda r: [m["state"] for m in r.of("link")][-2:] == ["reconnecting", "connected"]
    )
    assert team.connects == 2
    assert "too slow" in rec.of("link")[-2]["reason"]
    seq = (await fac.send({"type": "broadcast", "text": "after"}))["seq"]
    await rec.wait_seq(seq)
    seqs = [m["seq"] for m in rec.of("event")]
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
    await rec.wait(lambda r: any(m.get("state") == "reconnecting" for m in r.of("link")))
    try:
        sending = asyncio.ensure_future(client.send({"type": "team_note", "text": "kept"}, id="n1"))
        await asyncio.sleep(0)
        assert not sending.done() and client.pending == 1
        async with serving(tmp_path, port=port, resume=True) as second:
            reply = await asyncio.wait_for(sending, 10)
            assert reply["type"] == "ack"
            rows = [e for e in second.room.log.events() if e.origin == "team:a-01/amira/n1"]
            assert len(rows) == 1 and rows[0].seq == reply["seq"]
            again = await client.send({"type": "team_note", "text": "kept"}, id="n1")
            assert again == reply
    finally:
        await client.close()
