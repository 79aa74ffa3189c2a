"""The aiohttp application: one WebSocket endpoint, health and metrics.

Built by :func:`build_app` from a :class:`~engine.net.server.room.Room`, the same way
by ``sitroom serve`` and by the tests, so the tests exercise what runs. The
app's start-up starts the room; its shutdown (aiohttp stops listening first,
then runs ``on_shutdown``) says goodbye to every session after the log has
taken every command in flight; its cleanup closes the log.

The HTTP layer is bounded too: a connection that has not sent a whole request
within ``http_idle_timeout`` is closed (aiohttp's keep-alive timer, an hour by
default, runs from the connection's first moment), so half-open connections
cannot hold every descriptor; and while the app runs, the event loop reports its
own errors (accept failing when descriptors run out) in one rate-limited line
each instead of a traceback a second.
"""

from __future__ import annotations

import asyncio
import json
import logging

from aiohttp import web

from engine.net.server.connection import Session
from engine.net.server.guard import LoopHandler, describe, install_loop_guard, restore_loop_guard
from engine.net.server.metrics import CONTENT_TYPE, render
from engine.net.server.room import Room

ROOM: web.AppKey[Room] = web.AppKey("room", Room)
_LOOP_HANDLER: web.AppKey[list[LoopHandler | None]] = web.AppKey("loop_handler", list)
log = logging.getLogger("sitroom.server")


async def websocket(request: web.Request) -> web.StreamResponse:
    room = request.app[ROOM]
    if room.state != "serving":
        return web.Response(status=503, text="not serving: starting or shutting down\n")
    settings = room.settings
    ws = web.WebSocketResponse(
        heartbeat=settings.heartbeat,
        compress=False,
        max_msg_size=settings.hard_frame,
        timeout=settings.close_timeout,
    )
    await ws.prepare(request)
    session = Session(room, ws, request)
    room.sessions.add(session)
    try:
        await session.run()
    except Exception as exc:  # a bug of ours: this session ends, in one line
        room.metrics.session_errors_total += 1
        if room.lines.log(logging.ERROR, "%r: session failed: %s", session, describe(exc)):
            log.debug("the failure above", exc_info=exc)
    finally:
        room.sessions.discard(session)
    return ws


async def health(request: web.Request) -> web.Response:
    """200 while the room serves (for a load balancer), 503 otherwise."""
    room = request.app[ROOM]
    body = {
        "status": "ok" if room.state == "serving" else room.state,
        "exercise": room.exercise.status,
        "seq": room.hub.last_seq,
        "connections": len(room.sessions),
    }
    status = 200 if room.state == "serving" else 503
    return web.Response(
        status=status, text=json.dumps(body) + "\n", content_type="application/json"
    )


async def metrics(request: web.Request) -> web.Response:
    room = request.app[ROOM]
    text = render(room.metrics, room.gauges())
    return web.Response(body=text.encode(), headers={"Content-Type": CONTENT_TYPE})


async def attachment_file(request: web.Request) -> web.StreamResponse:
    """An attachment's file, by its sha256, which only those the inject was delivered
    to (and staff) have been told: the hash is the key. The bytes are the ones checked
    against that hash (:class:`~engine.net.server.files.FileStore`); served never
    sniffed into another type, never cached as shared, sandboxed."""
    got = await request.app[ROOM].files.get(request.match_info["sha256"])
    if got is None:
        return web.Response(status=404, text="no such file in this exercise\n")
    found, data = got
    response = web.Response(body=data, content_type=found.mime.partition(";")[0])
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, max-age=3600"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Content-Disposition"] = f'inline; filename="{_ascii(found.name)}"'
    return response


def _ascii(name: str) -> str:
    return "".join(
        ch if ch.isascii() and ch.isprintable() and ch not in '"\\' else "_" for ch in name
    )


async def index(request: web.Request) -> web.Response:
    title = request.app[ROOM].scenario.title
    return web.Response(
        text=f"sitroom exercise server: {title}\n"
        "Join with: sitroom join URL --code CODE (facilitators: sitroom facilitate …)\n"
    )


async def _startup(app: web.Application) -> None:
    room = app[ROOM]
    loop = asyncio.get_running_loop()

    def count() -> None:
        room.metrics.loop_errors_total += 1

    if room.state == "starting":
        await room.start()
    app[_LOOP_HANDLER].append(install_loop_guard(loop, room.lines, count))


async def _shutdown(app: web.Application) -> None:
    await app[ROOM].shutdown()


async def _cleanup(app: web.Application) -> None:
    for previous in app[_LOOP_HANDLER]:
        restore_loop_guard(asyncio.get_running_loop(), previous)
    app[_LOOP_HANDLER].clear()
    app[ROOM].close_log()


def build_app(room: Room) -> web.Application:
    idle = room.settings.http_idle_timeout
    app = web.Application(handler_args={"keepalive_timeout": idle, "lingering_time": 2.0})
    app[ROOM] = room
    app[_LOOP_HANDLER] = []
    app.router.add_get("/ws", websocket)
    app.router.add_get("/health", health)
    app.router.add_get("/metrics", metrics)
    app.router.add_get("/files/{sha256:[0-9a-f]{64}}", attachment_file)
    app.router.add_get("/", index)
    app.on_startup.append(_startup)
    app.on_shutdown.append(_shutdown)
    app.on_cleanup.append(_cleanup)
    return app
