"""Real servers on loopback for the server tests: in-process, or as a subprocess to kill.

In-process servers are built exactly as ``sitroom serve`` builds them
(:func:`engine.net.server.runner.prepare` and :func:`engine.net.server.app.build_app`)
on an ephemeral port. Subprocess servers run ``python -m tui.cli serve`` on a
port chosen up front, so a restarted server comes back at the same address and
the shipped client finds it again.

Nothing sleeps for a fixed time: tests wait for a condition (a message, a log
row, a process's output) with a deadline.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import aiohttp
import pytest
from aiohttp import web

from bench.harness import ServerProc
from bench.harness import free_port as free_port  # re-exported for the tests
from engine.net.client import Client
from engine.net.protocol import EventMsg, Incoming, LinkChange, Snapshot
from engine.net.server.app import build_app
from engine.net.server.room import Room
from engine.net.server.runner import prepare
from engine.net.server.seats import codes_path, format_codes, write_codes
from engine.net.server.settings import ServerSettings
from engine.roster import roster_from_counts
from engine.scenario import LoadResult, load_file

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "engine" / "fixture.yaml"
M = 60_000
TEAMS = ("a-01", "a-02", "b-01", "b-02")
"""The fixture's two roles, two teams each."""
M_ = TypeVar("M_", bound=Incoming)


async def wait_for(
    condition: Callable[[], bool], timeout: float = 5.0, what: str = "condition"
) -> None:
    """Poll ``condition`` (cheap, in-process state) until true, or fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        await asyncio.sleep(0.005)


class Recorder:
    """Collects what a client receives (typed); tests wait on it instead of sleeping."""

    def __init__(self) -> None:
        self.messages: list[Incoming] = []
        self._changed = asyncio.Event()

    def __call__(self, message: Incoming) -> None:
        self.messages.append(message)
        self._changed.set()

    def of(self, cls: type[M_]) -> list[M_]:
        return [m for m in self.messages if isinstance(m, cls)]

    def events(self, kind: str | None = None) -> list[EventMsg]:
        found = self.of(EventMsg)
        for snap in self.of(Snapshot):
            found.extend(snap.events)
        found.sort(key=lambda e: e.seq)
        return [e for e in found if kind is None or e.kind == kind]

    def kinds(self) -> set[str]:
        return {e.kind for e in self.events()}

    def seqs(self) -> list[int]:
        return [e.seq for e in self.events()]

    def links(self) -> list[str]:
        """The link's states, in order."""
        return [m.state for m in self.of(LinkChange)]

    async def wait(
        self, predicate: Callable[[Recorder], bool], timeout: float = 5.0, what: str = ""
    ) -> None:
        deadline = time.monotonic() + timeout
        while not predicate(self):
            left = deadline - time.monotonic()
            if left <= 0:
                kinds = [
                    (m.type, getattr(m, "kind", None), getattr(m, "seq", None))
                    for m in self.messages
                ]
                raise AssertionError(f"timed out waiting for {what or predicate}: got {kinds}")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), left)

    async def wait_seq(self, seq: int, timeout: float = 5.0) -> None:
        await self.wait(lambda r: any(s >= seq for s in r.seqs()), timeout, f"event #{seq}")


@dataclass
class Served:
    url: str
    codes: dict[str, str]
    room: Room
    db: Path
    runner: web.AppRunner
    clients: list[Client] = field(default_factory=list)

    def code(self, seat: str) -> str:
        return self.codes[seat]

    async def client(
        self, seat: str, name: str | None = None, **kwargs: Any
    ) -> tuple[Client, Recorder]:
        """A joined shipped client and what it records."""
        rec = Recorder()
        client = Client(self.url, self.codes[seat], name, on_message=rec, **kwargs)
        self.clients.append(client)
        await client.wait_joined(5)
        return client, rec

    async def stop(self) -> None:
        for client in self.clients:
            await client.close()
        await self.runner.cleanup()


@contextlib.asynccontextmanager
async def serving(
    tmp_path: Path,
    *,
    settings: ServerSettings | None = None,
    teams: str = "2",
    port: int = 0,
    observers: int = 1,
    evaluators: int = 2,
    resume: bool = False,
    loaded: LoadResult | None = None,
) -> AsyncIterator[Served]:
    loaded = loaded or load_file(FIXTURE)
    roster = roster_from_counts(loaded.require(), teams)
    db = tmp_path / "exercise.db"
    prepared = prepare(
        loaded,
        db,
        roster,
        settings=settings,
        observers=observers,
        evaluators=evaluators,
        resume=resume,
    )
    runner = web.AppRunner(build_app(prepared.room), handle_signals=False, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    bound = next(a for a in runner.addresses if isinstance(a, tuple))[1]
    url = f"http://127.0.0.1:{bound}"
    prepared.room.url = url
    if not resume:
        write_codes(codes_path(db), format_codes(prepared.room.seats, prepared.codes, url, "test"))
    served = Served(url, prepared.codes, prepared.room, db, runner)
    try:
        yield served
    finally:
        await served.stop()


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[Served]:
    async with serving(tmp_path) as s:
        yield s


# ------------------------------------------------------------------ raw sockets


class Raw:
    """A bare WebSocket speaking the protocol by hand (for bad input and exact replies)."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse, session: aiohttp.ClientSession):
        self.ws = ws
        self.session = session

    async def send(self, obj: Any) -> None:
        await self.ws.send_str(obj if isinstance(obj, str) else json.dumps(obj))

    async def recv(self, timeout: float = 5.0) -> dict[str, Any]:
        msg = await self.ws.receive(timeout=timeout)
        if msg.type != aiohttp.WSMsgType.TEXT:
            raise AssertionError(f"expected a text message, got {msg.type} {msg.data!r}")
        data: dict[str, Any] = json.loads(msg.data)
        return data

    async def recv_type(self, *types: str, timeout: float = 5.0) -> dict[str, Any]:
        """The next message of one of ``types`` (others are skipped)."""
        deadline = time.monotonic() + timeout
        while True:
            data = await self.recv(max(0.01, deadline - time.monotonic()))
            if data.get("type") in types:
                return data

    async def reply_to(self, mid: str, timeout: float = 5.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            data = await self.recv(max(0.01, deadline - time.monotonic()))
            if data.get("type") in ("ack", "error") and data.get("id") == mid:
                return data

    async def closed(self, timeout: float = 5.0) -> tuple[int | None, str]:
        """Read until the server closes; returns (code, reason)."""
        deadline = time.monotonic() + timeout
        while True:
            msg = await self.ws.receive(timeout=max(0.01, deadline - time.monotonic()))
            if msg.type == aiohttp.WSMsgType.CLOSE:
                return msg.data, str(msg.extra or "")
            if msg.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.CLOSING):
                return self.ws.close_code, ""
            if msg.type == aiohttp.WSMsgType.ERROR:
                return self.ws.close_code, str(msg.data)

    async def close(self) -> None:
        await self.ws.close()
        await self.session.close()


@contextlib.asynccontextmanager
async def raw(url: str, *, max_msg_size: int = 0) -> AsyncIterator[Raw]:
    session = aiohttp.ClientSession()
    ws = await session.ws_connect(url + "/ws", max_msg_size=max_msg_size, compress=0)
    conn = Raw(ws, session)
    try:
        yield conn
    finally:
        await conn.close()


async def joined_raw(
    stack: contextlib.AsyncExitStack, url: str, code: str, name: str | None = "raw", **hello: Any
) -> Raw:
    conn = await stack.enter_async_context(raw(url))
    msg: dict[str, Any] = {"type": "hello", "v": 1, "code": code, **hello}
    if name:
        msg["name"] = name
    await conn.send(msg)
    welcome = await conn.recv_type("welcome", "error")
    assert welcome["type"] == "welcome", welcome
    return conn


# ------------------------------------------------------------------ subprocesses


ServerProcess = ServerProc
"""The tests drive ``sitroom serve`` in a child process with the benchmarks' harness."""


@contextlib.asynccontextmanager
async def server_process(tmp_path: Path, *extra: str) -> AsyncIterator[ServerProcess]:
    server = ServerProc(FIXTURE, tmp_path / "exercise.db", "2", extra=extra)
    await server.start(timeout=20.0)
    try:
        yield server
    finally:
        await server.ensure_stopped()


async def gather_all(*aws: Awaitable[Any]) -> list[Any]:
    return list(await asyncio.gather(*aws))
