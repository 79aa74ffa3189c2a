"""The server as a process: killed, stopped with a signal, resumed.

An acknowledged input survives SIGKILL; a retried message is applied once even
across a restart; SIGTERM says goodbye to everyone and closes the log whole;
``--resume`` carries on paused, with the same codes, and clients catch up.
"""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

from engine import commands as c
from engine.eventlog import EventLog
from engine.net.client import Client
from engine.net.protocol import CLOSE_GOING_AWAY, Ack, Bye, ClockMsg
from engine.replay import rebuild
from tests.server.conftest import (
    M,
    Recorder,
    ServerProcess,
    joined_raw,
    server_process,
    wait_for,
)
from tests.server.test_audience import concerns


def note_of(text: str) -> c.TeamNote:
    return c.TeamNote(team="a-01", member="amira", text=text)


def logged_origins(db: Path) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    with EventLog.open(db, readonly=True) as log:
        for event in log.events():
            if event.origin:
                found.setdefault(event.origin, []).append(event.seq)
    return found


async def joined(
    server: ServerProcess, seat: str, name: str | None = None
) -> tuple[Client, Recorder]:
    rec = Recorder()
    client = Client(server.url, server.codes()[seat], name, on_message=rec, backoff=(0.02, 0.2))
    await client.wait_joined(10)
    return client, rec


async def test_an_acknowledged_input_survives_sigkill(tmp_path: Path) -> None:
    async with server_process(tmp_path) as server:
        team, _ = await joined(server, "team:a-01", "amira")
        acked: list[tuple[str, int]] = []

        async def note(i: int) -> None:
            reply = await team.send(note_of(f"note {i}"), id=f"n{i}")
            if isinstance(reply, Ack) and reply.seq is not None:
                acked.append((f"n{i}", reply.seq))

        tasks = [asyncio.ensure_future(note(i)) for i in range(60)]
        await wait_for(lambda: len(acked) >= 10, 10, "some acks")
        await server.kill()
        survivors = list(acked)
        for task in tasks:
            task.cancel()
        await team.close()
    origins = logged_origins(tmp_path / "exercise.db")
    assert survivors
    for mid, seq in survivors:
        assert origins[f"team:a-01/amira/{mid}"] == [seq]


async def test_a_retry_is_applied_once_even_across_a_restart(tmp_path: Path) -> None:
    command = {"type": "command", "id": "once", "command": {"type": "team_note", "text": "x"}}
    async with server_process(tmp_path) as server:
        code = server.codes()["team:a-01"]
        async with contextlib.AsyncExitStack() as stack:
            conn = await joined_raw(stack, server.url, code, "amira")
            await conn.send(command)
            first = await conn.reply_to("once")
            await conn.send(command)
            assert await conn.reply_to("once") == first
        await server.kill()
        await server.start(resume=True)
        async with contextlib.AsyncExitStack() as stack:
            conn = await joined_raw(stack, server.url, code, "amira")
            await conn.send(command)
            again = await conn.reply_to("once")
        assert again == first and first["type"] == "ack"
    assert logged_origins(tmp_path / "exercise.db")["team:a-01/amira/once"] == [first["seq"]]


async def test_sigterm_says_goodbye_flushes_and_closes_the_log(tmp_path: Path) -> None:
    async with server_process(tmp_path) as server:
        fac, _ = await joined(server, "facilitator:control")
        team, rec = await joined(server, "team:a-01", "amira")
        assert isinstance(await fac.send(c.Start()), Ack)
        async with contextlib.AsyncExitStack() as stack:
            conn = await joined_raw(stack, server.url, server.codes()["team:b-01"], "raw")
            sends = [asyncio.ensure_future(team.send(note_of(f"last {i}"))) for i in range(20)]
            # Every send handed to the client (some may already be acked: a fast server).
            await wait_for(
                lambda: team.pending + sum(t.done() for t in sends) == 20, 5, "commands in flight"
            )
            assert await server.terminate() == 0
            bye = await conn.recv_type("bye")
            assert "shutting down" in bye["reason"]
            code, reason = await conn.closed()
            assert code == CLOSE_GOING_AWAY and "shutting down" in reason
        await rec.wait(lambda r: bool(r.of(Bye)))
        assert "shutting down" in rec.of(Bye)[0].reason
        assert any("stopped; log closed" in line for line in server.output)
        done, _ = await asyncio.wait(sends, timeout=0.5)
        acked = [r.seq for r in (t.result() for t in done) if isinstance(r, Ack)]
        for task in sends:
            task.cancel()
        await fac.close()
        await team.close()
    db = tmp_path / "exercise.db"
    wal = Path(str(db) + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    with EventLog.open(db, readonly=True) as log:
        seqs = {e.seq for e in log.events()}
    assert set(acked) <= seqs


async def test_resume_continues_paused_with_the_same_codes_and_clients_catch_up(
    tmp_path: Path,
) -> None:
    async with server_process(tmp_path) as server:
        fac, fac_rec = await joined(server, "facilitator:control")
        team, rec = await joined(server, "team:a-01", "amira")
        await fac.send(c.SetSpeed(speed=5))
        await fac.send(c.Start())
        await fac.send(c.Jump(to=10 * M))
        answer = await team.send(
            c.Respond(team="a-01", member="amira", expectation="A1.d", choice="good")
        )
        assert isinstance(answer, Ack)
        await server.kill()
        while_down = asyncio.ensure_future(team.send(note_of("while down")))
        await server.start(resume=True)
        assert any("resumed, paused" in line for line in server.output)
        assert isinstance(await asyncio.wait_for(while_down, 10), Ack)
        await rec.wait(lambda r: team.connects == 2 and r.of(ClockMsg)[-1].status == "paused")
        clock = rec.of(ClockMsg)[-1]
        assert clock.now >= 10 * M
        assert isinstance(await fac.send(c.Resume()), Ack)
        back = await fac.send(c.Broadcast(text="we are back"))
        assert isinstance(back, Ack) and back.seq is not None
        seq = back.seq
        await rec.wait_seq(seq)
        await fac_rec.wait_seq(seq)
        await fac.close()
        await team.close()
        await server.terminate()
    with EventLog.open(tmp_path / "exercise.db", readonly=True) as log:
        rebuilt = rebuild(log)
        logged = list(log.events())
    assert rebuilt.events == len(logged)
    assert [e.kind for e in logged if e.kind in ("pause", "resume")] == ["pause", "resume"]
    assert rec.seqs() == [e.seq for e in logged if concerns(e, "a-01")][: len(rec.seqs())]
    assert fac_rec.seqs() == [e.seq for e in logged][: len(fac_rec.seqs())]
    assert rec.seqs()[-1] >= seq
