"""A bounded protocol fuzzer: thousands of hostile frames, and the room plays on.

Several sockets on two teams' seats (and fresh sockets that never say hello)
send a seeded mix of the frame classes of issue 11: deep JSON, wrong types, lone
surrogates, huge ids and types, unknown types, valid commands carrying hostile
text, reused ids with other bodies, binary frames, frames before hello, broken
JSON. Meanwhile a well-behaved team stays connected with the shipped client and
the facilitator moves the clock: the team must receive exactly its share of the
log, and the server's log must hold no traceback.

Bounded: ``FRAMES`` frames, loopback only, well under a minute.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import pytest

from engine import commands as c
from engine.eventlog import EventLog
from engine.net.protocol import (
    CLOSE_BAD_CODE,
    CLOSE_BAD_HELLO,
    CLOSE_FLOOD,
    CLOSE_TOO_BIG,
    SERVER_ADAPTER,
    Ack,
    EventMsg,
)
from engine.net.server.settings import ServerSettings
from tests.server.conftest import M, Served, serving
from tests.server.test_audience import concerns

FRAMES = 5_000
ROUNDS = 10
SEED = 11
HOSTILE = (
    "[/]",
    "[reverse bold red] CONTROL: SERVER RESTARTING…[/]",
    "[@click=app.quit]x[/]",
    "\x1b[2J\x1b]0;pwned\x07",
    "\u202eevil\u202c",
    "zero\u200bwidth\ufeff",
    "nul\x00byte",
    "\r\nInjected: log line",
    "🔥" * 50,
)


def hostile_text(rng: random.Random, limit: int = 8_000) -> str:
    parts = [rng.choice(HOSTILE) for _ in range(rng.randint(1, 6))]
    text = "".join(parts)
    if rng.random() < 0.1:
        text += "x" * rng.randint(1, limit)
    return text[:limit] or "x"


def deep(rng: random.Random) -> str:
    depth = rng.choice((40, 200, 990, 5_000, 30_000))
    opener, closer = rng.choice((("[", "]"), ('{"a":', "}")))
    inner = opener * depth + "1" + closer * depth
    return rng.choice((inner, '{"type":"command","id":"d","command":' + inner + "}"))


class Frames:
    """A seeded stream of hostile frames (text, or bytes for a binary frame)."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.sent: list[tuple[str, str]] = []
        """(id, text) of valid commands sent, to reuse their ids with other bodies."""
        self.count = 0

    def command(self) -> dict[str, object]:
        rng = self.rng
        kind = rng.choice(("team_note", "ask", "respond", "respond"))
        if kind == "team_note":
            return {"type": "team_note", "text": hostile_text(rng)}
        if kind == "ask":
            return {"type": "ask", "actor": "x", "text": hostile_text(rng)}
        answers: list[dict[str, object]] = [
            {"type": "respond", "expectation": "A1.d", "choice": "good"},
            {"type": "respond", "expectation": "T1.s", "text": hostile_text(rng)},
            {"type": "respond", "expectation": "C1.list", "items": ["x", "y"]},
        ]
        return rng.choice(answers)

    def next(self) -> str | bytes:
        rng = self.rng
        self.count += 1
        n = self.count
        pick = rng.randrange(12)
        if pick == 0:
            return deep(rng)
        if pick == 1:
            bad: object = rng.choice(([1], {"a": 1}, 7, None, True, 1.5, ["command"]))
            return json.dumps({"type": bad, "id": f"w{n}"})
        if pick == 2:
            bad = rng.choice(([1], {"a": [1]}, 3))
            body = rng.choice(([1], "note", 7, {"type": bad}, {"type": "team_note", "text": 5}))
            return json.dumps({"type": "command", "id": f"w{n}", "command": body})
        if pick == 3:
            where = rng.choice(("id", "type", "text", "name"))
            surrogate = rng.choice(("\\ud800", "\\udfff", "x\\udbff"))
            if where == "text":
                return (
                    '{"type":"command","id":"s' + str(n) + '","command":'
                    '{"type":"team_note","text":"a' + surrogate + 'b"}}'
                )
            return (
                '{"type":"'
                + ("ping" if where != "type" else surrogate)
                + '","id":"'
                + (surrogate if where != "type" else f"s{n}")
                + '"}'
            )
        if pick == 4:
            size = rng.choice((65, 200, 10_000, 60_000))
            return json.dumps(
                {"type": rng.choice(("ping", "command", "x" * size)), "id": "i" * size}
            )
        if pick == 5:
            return json.dumps({"type": rng.choice(("teleport", "HELLO", "", "ack")), "id": f"u{n}"})
        if pick in (6, 7):
            mid = f"c{n}"
            cmd = self.command()
            text = json.dumps({"type": "command", "id": mid, "command": cmd})
            self.sent.append((mid, text))
            return text
        if pick == 8 and self.sent:
            mid, _ = rng.choice(self.sent)
            cmd = self.command()
            return json.dumps({"type": "command", "id": mid, "command": cmd})
        if pick == 9:
            return bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
        if pick == 10:
            return rng.choice(
                (
                    "{not json",
                    '{"type":"ping","id":"n","x":NaN}',
                    '{"type":"ping","id":"n","x":1e999}',
                    '{"type":"ping","id":"n","x":' + "9" * 5_000 + "}",
                    "[" * 10 + "]",
                    '"just a string"',
                    json.dumps({"type": "hello", "v": 1, "code": "x"}),
                    json.dumps({"type": "revoke", "id": f"r{n}", "seat": "team:b-01"}),
                    json.dumps({"type": "ping", "id": hostile_text(rng, 64)}),
                )
            )
        return json.dumps({"type": "ping", "id": f"p{n}"})


@dataclass
class Stats:
    frames: int = 0
    answers: int = 0
    closes: list[tuple[int | None, str]] = field(default_factory=list)
    before_hello: int = 0
    bad_server_frames: list[str] = field(default_factory=list)


class FuzzSocket:
    """One joined fuzzing socket; rejoins when the server closes it (after saying why)."""

    def __init__(self, served: Served, seat: str, name: str, stats: Stats) -> None:
        self.served, self.seat, self.name, self.stats = served, seat, name, stats
        self.session = aiohttp.ClientSession()
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.reader: asyncio.Task[None] | None = None

    async def connect(self) -> None:
        ws = await self.session.ws_connect(self.served.url + "/ws", max_msg_size=0, compress=0)
        hello = {"type": "hello", "v": 1, "code": self.served.code(self.seat), "name": self.name}
        await ws.send_str(json.dumps(hello))
        self.ws = ws
        self.reader = asyncio.create_task(self._read(ws))

    async def _read(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        async for msg in ws:
            if msg.type == aiohttp.WSMsgType.TEXT:
                try:
                    SERVER_ADAPTER.validate_json(msg.data)
                except ValueError:
                    self.stats.bad_server_frames.append(msg.data[:200])
                self.stats.answers += 1
        self.stats.closes.append((ws.close_code, "joined"))

    async def send(self, frame: str | bytes) -> None:
        if self.ws is None or self.ws.closed:
            if self.reader is not None:
                await self.reader
            await self.connect()
        assert self.ws is not None
        with contextlib.suppress(ConnectionError):
            if isinstance(frame, bytes):
                await self.ws.send_bytes(frame)
            else:
                await self.ws.send_str(frame)
        self.stats.frames += 1

    async def ping(self) -> bool:
        """Whether this socket (rejoined if need be) still answers."""
        if self.ws is None or self.ws.closed:
            if self.reader is not None:
                await self.reader
            await self.connect()
        assert self.ws is not None and self.reader is not None
        self.reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.reader
        await self.ws.send_str(json.dumps({"type": "ping", "id": "final"}))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            msg = await self.ws.receive(timeout=deadline - time.monotonic())
            if msg.type != aiohttp.WSMsgType.TEXT:
                return False
            data = json.loads(msg.data)
            if data.get("id") == "final":
                return bool(data["type"] == "ack")
        return False

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self.reader is not None:
            self.reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.reader
        await self.session.close()


async def before_hello(served: Served, frame: str | bytes, stats: Stats) -> None:
    """A fresh socket whose first frame is hostile: it must be closed with a reason."""
    async with aiohttp.ClientSession() as session:
        ws = await session.ws_connect(served.url + "/ws", max_msg_size=0, compress=0)
        if isinstance(frame, bytes):
            await ws.send_bytes(frame)
        else:
            await ws.send_str(frame)
        async for _msg in ws:
            pass
        stats.before_hello += 1
        stats.closes.append((ws.close_code, "before hello"))
        # Closed with a reason: not a hello (4400), a bad code (4401), or far too big
        # to read (1009).
        assert ws.close_code in (CLOSE_BAD_HELLO, CLOSE_BAD_CODE, CLOSE_TOO_BIG), ws.close_code
        await ws.close()


async def test_a_fuzzed_protocol_never_hurts_the_room(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    began = time.monotonic()
    # The per-socket rate limit would refuse most frames unread: raise it so every
    # frame is parsed. The per-seat budgets keep their defaults.
    settings = ServerSettings(rate=100_000, burst=100_000)
    async with serving(tmp_path, settings=settings) as served:
        fac, _ = await served.client("facilitator:control", "Fay")
        team, rec = await served.client("team:b-01", "well-behaved")
        assert isinstance(await fac.send(c.SetSpeed(speed=30)), Ack)
        assert isinstance(await fac.send(c.Start()), Ack)
        stats = Stats()
        sockets = [
            FuzzSocket(served, seat, name, stats)
            for seat, name in (
                ("team:a-01", "fuzz\x1b]0;one\x07"),
                ("team:a-01", "fuzz-[/]-two"),
                ("team:a-01", "fuzz\u202ethree"),
                ("team:a-02", "fuzz-four"),
                ("team:a-02", "fuzz\u200bfive"),
            )
        ]
        frames = Frames(SEED)
        delivered_before = len(rec.events("delivered"))
        per_round = FRAMES // ROUNDS
        try:
            for round_ in range(ROUNDS):
                for i in range(per_round):
                    frame = frames.next()
                    if i % 50 == 0:
                        await before_hello(served, frame, stats)
                        continue
                    await sockets[i % len(sockets)].send(frame)
                # The exercise moves on during the fuzz: injects keep reaching the team.
                jump = await fac.send(c.Jump(to=(round_ + 1) * 11 * M))
                assert isinstance(jump, Ack), jump
            alive = [await s.ping() for s in sockets]
        finally:
            for s in sockets:
                await s.close()
        assert all(alive), alive
        end = await fac.send(c.End(reason="fuzzed"))
        assert isinstance(end, Ack) and end.seq is not None
        await rec.wait_seq(end.seq, timeout=10)
        assert not served.room.failed.is_set()
        assert served.room.state == "serving"
        assert served.room.metrics.session_errors_total == 0
        joined_closes = {code for code, where in stats.closes if where == "joined"}
        assert joined_closes <= {CLOSE_FLOOD, CLOSE_TOO_BIG}, joined_closes
        assert team.connects == 1 and team.bad_frames == 0
        with EventLog.open(served.db, readonly=True) as log:
            logged = list(log.events())  # every row's CRC and body check out
        assert rec.seqs() == [e.seq for e in logged if concerns(e, "b-01")]
        delivered = [m for m in rec.events("delivered") if isinstance(m, EventMsg)]
        assert len(delivered) - delivered_before >= 5
        notes = [e for e in logged if e.kind == "team_note"]
        assert notes, "some hostile notes were valid and logged"
    elapsed = time.monotonic() - began
    assert stats.frames + stats.before_hello == FRAMES
    assert not stats.bad_server_frames, stats.bad_server_frames[:3]
    for record in caplog.records:
        assert record.exc_info is None, record.getMessage()
        assert "Traceback" not in record.getMessage()
        assert "\x1b" not in record.getMessage()
    assert len(caplog.records) < 1_500, len(caplog.records)
    assert elapsed < 60, elapsed
    print(
        f"fuzz: {FRAMES} frames ({stats.before_hello} before hello), {stats.answers} answers, "
        f"{len(stats.closes)} closes, {len(caplog.records)} log lines, {elapsed:.1f} s"
    )
