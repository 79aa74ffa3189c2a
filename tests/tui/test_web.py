"""``sitroom web`` as a hostile page and a careless crowd would try it, on loopback.

The gateway is built from a parsed command line, as ``sitroom web`` builds it, and
served on an ephemeral port. Each tab runs a stand-in console
(:mod:`tests.tui.web_child`, which reports what it was started with and echoes
what it is sent) instead of ``sitroom join``, so a session costs milliseconds: forked
from the gateway's warm parent (the default), or started as a program with
``--no-fork``. The tests with the real ``sitroom join`` and a real exercise server are
in ``test_web_play.py``. Every wait has a deadline.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shlex
import sys
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from tests.tui import web_child
from tui.cli import build_parser
from tui.commands.web import make_server
from tui.web.downloads import KeptDownloads
from tui.web.forkserver import ForkServer
from tui.web.gateway import ConsoleServer, SpawnPacer, machine_max_sessions

CHILD = Path(__file__).with_name("web_child.py")
TIMEOUT = 10.0


@dataclass
class Gateway:
    url: str
    server: ConsoleServer
    http: aiohttp.ClientSession

    @property
    def origin(self) -> str:
        return self.url

    async def ws(
        self, *, origin: str | None = "same", query: str = "", headers: dict[str, str] | None = None
    ) -> aiohttp.ClientWebSocketResponse:
        sent = dict(headers or {})
        if origin is not None:
            sent["Origin"] = self.origin if origin == "same" else origin
        return await self.http.ws_connect(
            f"{self.url}/ws{query}", headers=sent, timeout=aiohttp.ClientWSTimeout(ws_close=5)
        )


async def eventually(condition: Callable[[], bool], what: str, timeout: float = TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        await asyncio.sleep(0.01)


async def packet(ws: aiohttp.ClientWebSocketResponse, key: str) -> Any:
    """The next data packet from the stand-in console carrying ``key``."""
    deadline = time.monotonic() + TIMEOUT
    while True:
        msg = await ws.receive(timeout=max(0.01, deadline - time.monotonic()))
        if msg.type == aiohttp.WSMsgType.BINARY:
            data = json.loads(msg.data)
            if key in data:
                return data[key]
        elif msg.type != aiohttp.WSMsgType.TEXT:
            raise AssertionError(f"expected a packet with {key!r}, got {msg.type} {msg.data!r}")


async def closed(ws: aiohttp.ClientWebSocketResponse) -> tuple[int | None, str]:
    """Read until the gateway closes the socket; its close code and reason."""
    deadline = time.monotonic() + TIMEOUT
    while True:
        msg = await ws.receive(timeout=max(0.01, deadline - time.monotonic()))
        if msg.type == aiohttp.WSMsgType.CLOSE:
            return msg.data, str(msg.extra or "")
        if msg.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.CLOSING):
            return ws.close_code, ""


@contextlib.asynccontextmanager
async def gateway(
    *argv: str, child: str = "well", stop_timeout: float | None = None, real: bool = False
) -> AsyncIterator[Gateway]:
    """A gateway on loopback whose tabs run the stand-in console ``child``, or (``real``)
    the real ``sitroom join``, forked from a warm parent as ``sitroom web`` does."""
    args = build_parser().parse_args(["web", "--port", "0", *argv])
    server = make_server(args)
    if not real:
        server.command = shlex.join([sys.executable, str(CHILD), child])
    if server.forks is not None and not real:
        # Not niced: on a machine busy with other tests, the stand-ins answer in time.
        server.forks = ForkServer(
            [child], {}, entry="tests.tui.web_child:main", preload=(), niceness=0
        )
    if stop_timeout is not None:
        server.limits = replace(server.limits, stop_timeout=stop_timeout)
    runner = web.AppRunner(await server.make_app(), handle_signals=False, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = next(a for a in runner.addresses if isinstance(a, tuple))[1]
    http = aiohttp.ClientSession()
    try:
        yield Gateway(f"http://127.0.0.1:{port}", server, http)
    finally:
        await http.close()
        await runner.cleanup()


# ----------------------------------------------------------------- origins


async def test_a_cross_origin_websocket_is_refused_before_any_console_starts() -> None:
    async with gateway() as gw:
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await gw.ws(origin="https://evil.example")
        assert refused.value.status == 403
        with pytest.raises(aiohttp.WSServerHandshakeError):
            await gw.ws(origin="null")
        assert gw.server.spawned == 0 and gw.server.open_sessions == 0
        assert gw.server.refused["origin"] == 2


async def test_the_page_own_origin_and_non_browser_clients_get_a_console() -> None:
    async with gateway() as gw:
        port = gw.url.rsplit(":", 1)[1]
        as_localhost = {"Host": f"localhost:{port}"}
        for origin, headers in (
            ("same", None),
            (None, None),
            (f"http://localhost:{port}", as_localhost),
        ):
            ws = await gw.ws(origin=origin, headers=headers)
            assert (await packet(ws, "started"))["columns"] == "80"
            await ws.close()
        assert gw.server.spawned == 3
        await eventually(lambda: gw.server.open_sessions == 0, "the sessions to end")


async def test_allow_origin_adds_origins_and_nothing_else() -> None:
    async with gateway("--allow-origin", "https://ops.example.org") as gw:
        ws = await gw.ws(origin="https://ops.example.org")
        await packet(ws, "started")
        await ws.close()
        for other in ("https://ops.example.org.evil.example", "http://ops.example.org"):
            with pytest.raises(aiohttp.WSServerHandshakeError):
                await gw.ws(origin=other)


def test_allow_origin_must_be_an_origin() -> None:
    for bad in ("ops.example.org", "https://ops.example.org/path", "ftp://x", "*"):
        with pytest.raises(SystemExit):
            build_parser().parse_args(["web", "--allow-origin", bad])


async def test_a_rebound_host_name_is_refused_on_loopback() -> None:
    """DNS rebinding: a page at evil.example whose name now points at 127.0.0.1 is
    same-origin with itself; the gateway on loopback answers only to its own names."""
    async with gateway() as gw:
        port = gw.url.rsplit(":", 1)[1]
        rebound = {"Host": f"evil.example:{port}"}
        async with gw.http.get(gw.url + "/", headers=rebound) as page:
            assert page.status == 403
        with pytest.raises(aiohttp.WSServerHandshakeError):
            await gw.ws(origin=f"http://evil.example:{port}", headers=rebound)
        assert gw.server.spawned == 0


async def test_listening_everywhere_any_name_serves_but_not_a_malformed_one() -> None:
    async with gateway("--host", "0.0.0.0") as gw:
        port = gw.url.rsplit(":", 1)[1]
        async with gw.http.get(gw.url + "/", headers={"Host": f"exercise.lan:{port}"}) as page:
            assert page.status == 200
            assert f'"ws://exercise.lan:{port}/ws"' in await page.text()
        hostile = {"Host": 'x"><script>alert(1)</script>'}
        async with gw.http.get(gw.url + "/", headers=hostile) as page:
            assert page.status == 403
            assert "<script>" not in await page.text()


# ----------------------------------------------------------------- limits


async def test_when_full_the_page_says_so_and_the_socket_closes_with_a_reason() -> None:
    async with gateway("--max-sessions", "2") as gw:
        first, second = await gw.ws(), await gw.ws()
        for ws in (first, second):
            await packet(ws, "started")
        third = await gw.ws()
        code, reason = await closed(third)
        assert code == 1013 and "full" in reason.lower(), (code, reason)
        async with gw.http.get(gw.url + "/") as page:
            text = await page.text()
            assert page.status == 503 and "full" in text.lower()
            assert page.headers.get("Retry-After")
        assert gw.server.spawned == 2 and gw.server.refused["full"] == 1
        await first.close()
        await eventually(lambda: gw.server.open_sessions == 1, "a place to free up")
        again = await gw.ws()
        await packet(again, "started")
        async with gw.http.get(gw.url + "/") as page:
            assert page.status == 503
        await second.close()
        await again.close()
        await eventually(lambda: gw.server.open_sessions == 0, "the sessions to end")
        async with gw.http.get(gw.url + "/") as page:
            assert page.status == 200


async def test_new_consoles_start_at_the_spawn_rate_and_a_long_queue_is_refused() -> None:
    async with gateway("--spawn-rate", "0.001", "--max-sessions", "10") as gw:
        burst = gw.server.limits.spawn_burst
        opened = [await gw.ws() for _ in range(burst)]
        for ws in opened:
            await packet(ws, "started")
        late = await gw.ws()
        code, reason = await closed(late)
        assert code == 1013 and "starting" in reason, (code, reason)
        assert gw.server.spawned == burst and gw.server.refused["busy"] == 1
        for ws in opened:
            await ws.close()


def test_the_spawn_pacer_queues_briefly_then_refuses() -> None:
    now = [0.0]
    pacer = SpawnPacer(rate=2.0, burst=2, clock=lambda: now[0])
    assert [pacer.reserve(max_wait=1.0) for _ in range(2)] == [0.0, 0.0]
    assert pacer.reserve(max_wait=1.0) == pytest.approx(0.5)
    assert pacer.reserve(max_wait=1.0) == pytest.approx(1.0)
    assert pacer.reserve(max_wait=1.0) is None
    now[0] = 10.0
    assert pacer.reserve(max_wait=1.0) == 0.0


def test_the_default_cap_is_sized_for_the_machine() -> None:
    gib = 1 << 30
    assert machine_max_sessions(memory=2 * gib, cpus=1) < machine_max_sessions(
        memory=32 * gib, cpus=8
    )
    assert machine_max_sessions(memory=256 * gib, cpus=2) <= 100
    assert machine_max_sessions(memory=0, cpus=0) >= 2
    args = build_parser().parse_args(["web"])
    assert make_server(args).limits.max_sessions == machine_max_sessions()


async def test_sizes_are_clamped_and_junk_frames_do_not_end_the_session() -> None:
    async with gateway() as gw:
        ws = await gw.ws(query="?width=100000000&height=-3")
        started = await packet(ws, "started")
        assert (int(started["columns"]), int(started["rows"])) == (500, 5)
        for junk in (
            "not json",
            "{}",
            "[]",
            "[1, 2]",
            '["resize", "wide"]',
            '["resize", {"width": "x", "height": 3}]',
            '["stdin", {"a": 1}]',
            "[" * 10_000,
        ):
            await ws.send_str(junk)
        await ws.send_bytes(b"\x00\xff")
        await ws.send_str(json.dumps(["resize", {"width": 10**12, "height": 40}]))
        meta = await packet(ws, "meta")
        assert meta == {"type": "resize", "width": 500, "height": 40}
        await ws.send_str(json.dumps(["stdin", "q\ud800"]))
        assert (await packet(ws, "stdin")).startswith("q")
        await ws.send_str(json.dumps(["ping", "x" * 10_000]))
        await ws.send_str(json.dumps(["ping", "t1"]))
        pong = await ws.receive_str(timeout=TIMEOUT)
        assert json.loads(pong) == ["pong", "t1"]
        await ws.close()


async def test_a_huge_frame_closes_only_that_session() -> None:
    async with gateway() as gw:
        good, hostile = await gw.ws(), await gw.ws()
        await packet(good, "started")
        await packet(hostile, "started")
        await hostile.send_str(json.dumps(["stdin", "x" * (2 << 20)]))
        code, _ = await closed(hostile)
        assert code == 1009
        await good.send_str(json.dumps(["focus"]))
        assert await packet(good, "meta") == {"type": "focus"}
        await good.close()


async def test_a_console_that_ignores_quit_is_killed_and_its_place_freed() -> None:
    async with gateway("--max-sessions", "1", child="stubborn", stop_timeout=0.5) as gw:
        ws = await gw.ws()
        await packet(ws, "started")
        await ws.close()
        await eventually(lambda: gw.server.open_sessions == 0, "the wedged console to go")
        again = await gw.ws()
        await packet(again, "started")
        await again.close()
        await eventually(lambda: gw.server.open_sessions == 0, "the second to go")
        assert gw.server.spawned == 2


async def test_a_join_code_in_the_gateway_environment_never_reaches_a_tab(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SITROOM_CODE", "AAAA-BBBB")
    async with gateway() as gw:
        ws = await gw.ws()
        assert (await packet(ws, "started"))["code"] is None
        await ws.close()


# ----------------------------------------------------------------- what else is served


async def test_no_directory_listings_and_the_page_cannot_be_framed() -> None:
    async with gateway() as gw:
        for folder in ("/static/", "/static/js/", "/static/fonts"):
            async with gw.http.get(gw.url + folder) as listing:
                assert listing.status in (403, 404), folder
                assert "textual.js" not in await listing.text()
        async with gw.http.get(gw.url + "/static/js/textual.js") as script:
            assert script.status == 200
            assert script.headers["X-Content-Type-Options"] == "nosniff"
        async with gw.http.get(gw.url + "/static/../server.py") as escape:
            assert escape.status in (403, 404)
        async with gw.http.get(gw.url + "/?fontsize=99999999") as page:
            assert page.status == 200
            assert page.headers["X-Frame-Options"] == "DENY"
            assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
            assert page.headers["Referrer-Policy"] == "no-referrer"
            text = await page.text()
            assert 'data-font-size="64"' in text
            assert f'data-session-websocket-url="ws://{gw.url.split("//")[1]}/ws"' in text


async def test_the_page_uses_the_address_the_browser_used() -> None:
    """Opened as localhost, the page's socket goes to localhost (same origin), not to
    127.0.0.1 (which a browser would treat as another origin)."""
    async with gateway() as gw:
        port = gw.url.rsplit(":", 1)[1]
        async with gw.http.get(gw.url + "/", headers={"Host": f"localhost:{port}"}) as page:
            assert f'"ws://localhost:{port}/ws"' in await page.text()


async def test_a_public_url_is_used_for_the_socket_and_allowed_as_origin() -> None:
    public = "https://exercise.example.org"
    async with gateway("--public-url", public) as gw:
        headers = {"Host": "exercise.example.org"}
        async with gw.http.get(gw.url + "/", headers=headers) as page:
            assert '"wss://exercise.example.org/ws"' in await page.text()
        ws = await gw.ws(origin=public, headers=headers)
        await packet(ws, "started")
        await ws.close()


# ----------------------------------------------------------------- forked consoles


def parent_of(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as f:
        return int(f.read().rsplit(")", 1)[1].split()[1])


async def test_consoles_are_forked_from_one_warm_parent() -> None:
    async with gateway() as gw:
        first, second = await gw.ws(), await gw.ws()
        pids = [(await packet(ws, "started"))["pid"] for ws in (first, second)]
        forks = gw.server.forks
        assert forks is not None and forks.parent is not None
        assert [parent_of(pid) for pid in pids] == [forks.parent.pid] * 2
        assert forks.starts == 1
        for ws in (first, second):
            await ws.close()
        await eventually(lambda: gw.server.open_sessions == 0, "the sessions to end")


async def test_no_fork_starts_each_console_as_a_program() -> None:
    async with gateway("--no-fork") as gw:
        assert gw.server.forks is None
        ws = await gw.ws()
        pid = (await packet(ws, "started"))["pid"]
        assert parent_of(pid) == os.getpid()
        await ws.close()
        await eventually(lambda: gw.server.open_sessions == 0, "the session to end")


async def test_a_crashed_console_ends_its_tab_and_nothing_else() -> None:
    async with gateway(child="crash") as gw:
        doomed, bystander = await gw.ws(), await gw.ws()
        await packet(doomed, "started")
        await packet(bystander, "started")
        await doomed.send_str(json.dumps(["stdin", "x"]))
        code, reason = await closed(doomed)
        assert code is not None and "ended" in reason, (code, reason)
        await bystander.send_str(json.dumps(["focus"]))
        assert await packet(bystander, "meta") == {"type": "focus"}
        late = await gw.ws()
        await packet(late, "started")
        await eventually(lambda: gw.server.open_sessions == 2, "the crashed tab's place to free")
        for ws in (bystander, late):
            await ws.close()


async def test_when_the_warm_parent_dies_open_tabs_go_on_and_new_ones_start() -> None:
    async with gateway() as gw:
        forks = gw.server.forks
        assert forks is not None
        before = await gw.ws()
        await packet(before, "started")
        assert forks.parent is not None
        forks.parent.kill()
        await forks.parent.wait()
        await before.send_str(json.dumps(["focus"]))
        assert await packet(before, "meta") == {"type": "focus"}
        after = await gw.ws()
        pid = (await packet(after, "started"))["pid"]
        assert forks.starts == 2 and forks.parent is not None
        assert parent_of(pid) == forks.parent.pid
        for ws in (before, after):
            await ws.close()
        await eventually(lambda: gw.server.open_sessions == 0, "the sessions to end")


# ---------------------------------------------------------------- downloads


async def announced(gw: Gateway) -> None:
    """Wait until the stand-in console has announced its file to the gateway."""
    await eventually(
        lambda: web_child.DELIVERY in gw.server.download_manager._active_downloads,
        "the console to announce its file",
    )


async def test_a_delivered_file_can_be_fetched_again_as_a_media_player_does() -> None:
    """A console opens a recording (``deliver_binary``); the browser's first request is the
    tab's page, and its media player asks again. textual-serve streamed a download once and
    forgot the key, so the player got 404 and sat at 0:00."""
    async with gateway(child="deliver") as gw:
        ws = await gw.ws()
        await packet(ws, "started")
        url = f"{gw.url}/download/{web_child.DELIVERY}"
        await announced(gw)
        first, again = (await gw.http.get(url)), (await gw.http.get(url))
        for response in (first, again):
            assert response.status == 200
            assert response.headers["Content-Type"] == "audio/wav"
            assert response.headers["Content-Disposition"] == 'inline; filename="robocall.wav"'
            assert await response.read() == web_child.RECORDING
        unknown = await gw.http.get(f"{gw.url}/download/not-a-key")
        assert unknown.status == 404
        # A player seeking: a byte range, as Safari's player asks even for the first play.
        part = await gw.http.get(url, headers={"Range": "bytes=100-199"})
        assert part.status == 206
        assert part.headers["Content-Range"] == f"bytes 100-199/{len(web_child.RECORDING)}"
        assert await part.read() == web_child.RECORDING[100:200]
        tail = await gw.http.get(url, headers={"Range": "bytes=-10"})
        assert await tail.read() == web_child.RECORDING[-10:]
        past = await gw.http.get(url, headers={"Range": f"bytes={len(web_child.RECORDING)}-"})
        assert past.status == 416
        await ws.close()


async def test_a_file_its_console_did_not_finish_is_never_served() -> None:
    """textual-serve ends a download the same way when the console dies part-way: the
    bytes that came are not the file (its sha256 says so), so the tab gets 404 and is
    told to open it again, never a cut recording served as whole."""
    async with gateway(child="deliver-cut") as gw:
        ws = await gw.ws()
        await packet(ws, "started")
        await announced(gw)
        cut = await gw.http.get(f"{gw.url}/download/{web_child.DELIVERY}")
        assert cut.status == 404
        assert "open it again" in await cut.text()
        assert gw.server.downloads.kept_bytes == 0
        await ws.close()


async def test_kept_files_expire_and_stay_under_their_bound() -> None:
    async with gateway(child="deliver") as gw:
        now = [0.0]
        kept = KeptDownloads(gw.server.download_manager, keep_s=60, clock=lambda: now[0])
        gw.server.downloads = kept
        ws = await gw.ws()
        await packet(ws, "started")
        url = f"{gw.url}/download/{web_child.DELIVERY}"
        await announced(gw)
        assert (await gw.http.get(url)).status == 200
        assert kept.kept_bytes == len(web_child.RECORDING)
        now[0] = 61.0
        assert (await gw.http.get(url)).status == 404
        assert kept.kept_bytes == 0
        await ws.close()
