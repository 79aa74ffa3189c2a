"""Health, metrics, the slow-client drop, and ``sitroom serve`` itself."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import re
import socket
import struct
import subprocess
import sys
from pathlib import Path

import aiohttp

from engine import commands as c
from engine.net.protocol import Ack
from engine.net.server.settings import ServerSettings
from tests.server.conftest import FIXTURE, ROOT, Served, serving, wait_for


async def get(url: str) -> tuple[int, str, str]:
    async with aiohttp.ClientSession() as session, session.get(url) as resp:
        return resp.status, resp.headers.get("Content-Type", ""), await resp.text()


async def test_health_answers_for_a_load_balancer(served: Served) -> None:
    status, _, body = await get(served.url + "/health")
    assert status == 200 and json.loads(body)["status"] == "ok"
    served.room.state = "closing"
    try:
        status, _, body = await get(served.url + "/health")
        assert status == 503 and json.loads(body)["status"] == "closing"
    finally:
        served.room.state = "serving"


async def test_metrics_are_prometheus_text(served: Served) -> None:
    fac, _ = await served.client("facilitator:control")
    await served.client("team:a-01", "amira")
    await served.client("team:a-02", "al")
    await fac.send(c.Start())
    await fac.send(c.Pause(reason="x"))
    await fac.send(c.Pause(reason="rejected: already paused"))
    status, ctype, text = await get(served.url + "/metrics")
    assert status == 200 and ctype.startswith("text/plain") and "version=0.0.4" in ctype
    samples: dict[str, float] = {}
    for line in text.splitlines():
        if line.startswith("#"):
            assert re.match(r"# (HELP|TYPE) sitroom_\w+ ", line), line
            continue
        name, value = line.rsplit(" ", 1)
        samples[name] = float(value)
    assert samples['sitroom_connections{role="team"}'] == 2
    assert samples['sitroom_connections{role="facilitator"}'] == 1
    assert samples["sitroom_inputs_total"] >= 4  # two joins, start, pause
    assert samples["sitroom_rejected_total"] == 1
    assert samples["sitroom_log_bytes"] > 0
    assert samples['sitroom_exercise_status{status="paused"}'] == 1
    assert 'sitroom_queue_messages{stat="max"}' in samples
    assert "sitroom_inputs_per_second" in samples


def _frame(text: str) -> bytes:
    """A masked client text frame (RFC 6455), written by hand for a socket that never reads."""
    data = text.encode()
    mask = os.urandom(4)
    head = bytes([0x81])
    if len(data) < 126:
        head += bytes([0x80 | len(data)])
    else:
        head += bytes([0x80 | 126]) + struct.pack("!H", len(data))
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data))


async def test_a_client_that_stops_reading_is_dropped_and_nobody_waits(tmp_path: Path) -> None:
    settings = ServerSettings(max_queue_bytes=64 * 1024, rate=1000, burst=1000)
    async with serving(tmp_path, settings=settings) as served:
        fac, _ = await served.client("facilitator:control")
        _, healthy = await served.client("team:a-01", "healthy")
        port = int(served.url.rsplit(":", 1)[1])
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.setblocking(False)
        loop = asyncio.get_running_loop()
        # The server runs on this very loop: every socket call must yield to it.
        await asyncio.wait_for(loop.sock_connect(sock, ("127.0.0.1", port)), 5)
        key = base64.b64encode(os.urandom(16)).decode()
        await loop.sock_sendall(
            sock,
            (
                f"GET /ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                "Sec-WebSocket-Version: 13\r\n\r\n"
            ).encode(),
        )
        assert b"101" in await asyncio.wait_for(loop.sock_recv(sock, 1024), 5)
        hello = {"type": "hello", "v": 1, "code": served.code("team:a-01"), "name": "stuck"}
        await loop.sock_sendall(sock, _frame(json.dumps(hello)))
        await wait_for(lambda: any(s.member == "stuck" for s in served.room.sessions), 5, "join")
        stuck = next(s for s in served.room.sessions if s.member == "stuck")
        transport_socket = stuck.request.transport.get_extra_info("socket")  # type: ignore[union-attr]
        transport_socket.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
        await fac.send(c.Start())
        last = 0
        for i in range(120):
            reply = await fac.send(c.Broadcast(text=f"{i} " + "x" * 7000))
            assert isinstance(reply, Ack) and reply.seq is not None
            last = reply.seq
            if stuck.closed:
                break
        await wait_for(lambda: stuck.closed, 10, "the stuck client to be dropped")
        assert served.room.metrics.slow_drops_total == 1
        await healthy.wait_seq(last)
        assert healthy.seqs()[-1] == last
        sock.close()


def test_serve_refuses_bad_arguments_clearly(tmp_path: Path) -> None:
    def serve(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "tui.cli", "serve", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )

    db = tmp_path / "x.db"
    out = serve(str(FIXTURE), "--db", str(db), "--teams", "nosuchrole=3", "--port", "0")
    assert out.returncode == 1 and "unknown role" in out.stdout + out.stderr
    out = serve(str(FIXTURE), "--db", str(db), "--cert", "c.pem", "--port", "0")
    assert out.returncode == 1 and "--cert and --key" in out.stderr
    db.write_bytes(b"something")
    out = serve(str(FIXTURE), "--db", str(db), "--port", "0")
    assert out.returncode == 1 and "already exists" in out.stderr
    out = serve(str(FIXTURE), "--db", str(tmp_path / "none.db"), "--resume", "--port", "0")
    assert out.returncode == 1 and "no such log" in out.stderr
