"""The browser gateway: textual-serve's server, closed to other sites and bounded.

Every browser WebSocket on ``/ws`` starts a console process (``sitroom join``,
forked from a warm parent by :mod:`tui.web.forkserver`: about 30-45 MB of its own
and half a CPU second to start; with ``--no-fork`` a new interpreter, about 60-70 MB
and most of a CPU second). textual-serve accepts such a
socket from any page on any site, without limit, and lists its static folder.
:class:`ConsoleServer` keeps textual-serve's page, static files, downloads and
its :class:`~textual_serve.app_service.AppService` (which runs and relays one
console), and puts its own routes and socket handler in front:

* **Origins.** A browser names the page that opens a socket in ``Origin``. A
  socket is accepted from the gateway's own page (the origin whose host and port
  are those the browser asked for), from ``--public-url`` and ``--allow-origin``,
  and from clients that send no ``Origin`` (not a browser: no page to abuse them).
  Anything else, ``null`` included, is refused with 403 before a process starts.
* **Host names.** Listening on loopback, the gateway answers only to loopback
  names and to the names in ``--public-url``/``--allow-origin``, so a page whose
  DNS name is rebound to 127.0.0.1 cannot pass as same-origin.
* **Sessions.** At most ``max_sessions`` consoles at once (sized for the machine
  by default); new ones start at ``spawn_rate`` a second after a burst of
  ``spawn_burst``, waiting in line for up to ``max_wait`` seconds. When full, the
  page says so (503) and a socket is closed with code 1013 and a reason the page
  shows.
* **Frames.** Sizes are clamped, malformed frames ignored, large frames end that
  session only; a console that does not quit when asked is killed.
* **Responses** cannot be framed by another site, are not sniffed, send no
  referrer; static folders are not listed.
* A join code in the gateway's own environment (``SITROOM_CODE``) is removed, so
  no tab is opened with it.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import logging
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import aiohttp_jinja2
import jinja2
from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from engine import i18n
from engine.aio import within
from engine.i18n.accept import accepted_language
from engine.net.server.runner import public_url as address_of
from engine.net.server.seats import CODE_ENV, well_formed
from tui.web import TEMPLATES
from tui.web.downloads import KeptDownloads
from tui.web.forkserver import ForkFailed, ForkServer

log = logging.getLogger("sitroom.web")

SESSION_MB = 80
"""What one console costs, with room to spare (measured: about 65 MB resident)."""
SESSIONS_PER_CPU = 50
MAX_FRAME = 1 << 20
"""Largest browser frame (a paste); a larger one closes that session (1009)."""
WIDTH = (10, 500)
HEIGHT = (5, 200)
FONT_SIZE = (6, 64)
FILES_PER_SESSION = 5
"""Descriptors a console holds in the gateway: its socket, three pipes, a pidfd."""
TRY_AGAIN = 1013
ABNORMAL = 1006
"""The connection ended without a close frame (no answer to a ping, say)."""
HEARTBEAT = 30.0
"""Seconds between the gateway's pings to a tab; a tab that has not answered within half
that is dropped (its console ends). Measured: at 15 s, on a machine whose CPUs were
overloaded (load average over 40 on 2 cores), healthy tabs were dropped, their answers
read after aiohttp had given up on them; a dead tab's console is freed a little later."""
"""WebSocket close code "try again later"."""
GOING_AWAY = 1001
_LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


# ----------------------------------------------------------------- limits


def _memory_bytes() -> int:
    try:
        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, ValueError, OSError):
        return 0


def machine_max_sessions(memory: int | None = None, cpus: int | None = None) -> int:
    """Consoles this machine can hold: half its memory at :data:`SESSION_MB` each, at most
    :data:`SESSIONS_PER_CPU` a CPU, at least 2."""
    memory = _memory_bytes() if memory is None else memory
    cpus = (os.cpu_count() or 1) if cpus is None else cpus
    by_memory = memory // 2 // (SESSION_MB << 20)
    return max(2, min(by_memory, max(cpus, 1) * SESSIONS_PER_CPU))


def raise_open_files() -> int:
    """Lift this process's open-file limit to its hard limit, and say what it is.

    Each console holds five descriptors here (its socket, three pipes, a pidfd): 300
    tabs need 1,500, over the usual soft limit of 1,024, where tabs past about the
    200th would fail with "too many open files"."""
    try:
        import resource
    except ImportError:  # not POSIX
        return 0
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        target = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def machine_spawn_rate(cpus: int | None = None, *, forked: bool = False) -> float:
    """New consoles a second: one a CPU (a new interpreter takes most of a CPU second to
    start), two a CPU when consoles are forked from a warm parent (about half a second)."""
    count = (os.cpu_count() or 1) if cpus is None else cpus
    return float(max(2, count * (2 if forked else 1)))


@dataclass(frozen=True)
class Limits:
    max_sessions: int
    """Consoles running or waiting to start, at most."""
    spawn_rate: float
    """New consoles a second, after the burst."""
    spawn_burst: int
    """New consoles that may start at once."""
    max_wait: float = 20.0
    """Seconds a new tab may wait in line to start; longer, and it is told to try again."""
    stop_timeout: float = 5.0
    """Seconds a console has to quit when its tab closes; then it is killed."""

    @classmethod
    def for_machine(
        cls,
        max_sessions: int | None = None,
        spawn_rate: float | None = None,
        *,
        forked: bool = False,
    ) -> Limits:
        rate = machine_spawn_rate(forked=forked) if spawn_rate is None else spawn_rate
        return cls(
            max_sessions=machine_max_sessions() if max_sessions is None else max_sessions,
            spawn_rate=rate,
            spawn_burst=max(2, round(rate * 2)),
        )


class SpawnPacer:
    """A token bucket that lets callers queue: :meth:`reserve` says how long to wait."""

    def __init__(
        self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._tokens = float(burst)
        self._last = clock()

    def reserve(self, max_wait: float) -> float | None:
        """Seconds until this start may go ahead (0: now), or None when that is over
        ``max_wait`` (nothing is reserved then)."""
        now = self._clock()
        self._tokens = min(float(self.burst), self._tokens + (now - self._last) * self.rate)
        self._last = now
        wait = 0.0 if self._tokens >= 1 else (1 - self._tokens) / self.rate
        if wait > max_wait:
            return None
        self._tokens -= 1
        return wait


# ----------------------------------------------------------------- origins


def parse_origin(text: str) -> tuple[str, str, int] | None:
    """``(scheme, host, port)`` of an origin ``scheme://host[:port]``; None if it is not one."""
    try:
        parts = urlsplit(text.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        return None
    return parts.scheme, parts.hostname.lower(), port or _DEFAULT_PORTS[parts.scheme]


def origin_argument(text: str) -> str:
    """argparse type for ``--allow-origin``: an origin, normalised."""
    import argparse

    parsed = parse_origin(text)
    if parsed is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an origin: give scheme://host[:port], e.g. https://ops.example.org"
        )
    return _origin_text(parsed)


def _origin_text(parsed: tuple[str, str, int]) -> str:
    scheme, host, port = parsed
    shown = f"[{host}]" if ":" in host else host
    return f"{scheme}://{shown}" + ("" if port == _DEFAULT_PORTS[scheme] else f":{port}")


_HOST_HEADER = re.compile(r"(?:[A-Za-z0-9_.-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?")


def _split_host(header: str) -> tuple[str, int | None] | None:
    """``(name, port)`` of a Host header (port None when not given); None if malformed."""
    if not _HOST_HEADER.fullmatch(header):
        return None
    try:
        parts = urlsplit(f"//{header}")
        return (parts.hostname or "").lower(), parts.port
    except ValueError:
        return None


def _is_loopback(host: str) -> bool:
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Origins:
    """Which pages may open consoles, and which host names the gateway answers to."""

    def __init__(self, listen_host: str, public_url: str | None, allowed: Iterable[str]) -> None:
        self.allowed: set[tuple[str, str, int]] = set()
        for text in [*([public_url] if public_url else []), *allowed]:
            parsed = parse_origin(text)
            if parsed is not None:
                self.allowed.add(parsed)
        self.names = {host for _, host, _ in self.allowed}
        listen = listen_host.strip("[]").lower()
        self.any_name = listen in ("", "0.0.0.0", "::")
        if _is_loopback(listen):
            self.names |= _LOOPBACK_NAMES
        elif not self.any_name:
            self.names.add(listen)

    def host_ok(self, header: str) -> bool:
        """Whether a request's Host names this gateway (on loopback: a loopback name, or one
        the operator gave)."""
        split = _split_host(header)
        if split is None:
            return False
        return self.any_name or split[0] in self.names or _is_loopback(split[0])

    def origin_ok(self, origin: str | None, host: str) -> bool:
        """Whether a socket from a page at ``origin`` may open a console (``host``: the
        request's Host header)."""
        if origin is None:
            return True
        parsed = parse_origin(origin)
        if parsed is None:
            return False
        if parsed in self.allowed:
            return True
        split = _split_host(host)
        if split is None:
            return False
        name, port = split
        return (name, port or _DEFAULT_PORTS[parsed[0]]) == parsed[1:]


class Throttled:
    """One log line per kind of refusal every ``every`` seconds, with a count of the rest."""

    def __init__(self, every: float = 10.0) -> None:
        self.every = every
        self._last: dict[str, float] = {}
        self._quiet: Counter[str] = Counter()

    def warning(self, kind: str, message: str) -> None:
        now = time.monotonic()
        if now - self._last.get(kind, -self.every) < self.every:
            self._quiet[kind] += 1
            return
        more = self._quiet.pop(kind, 0)
        self._last[kind] = now
        log.warning("%s%s", message, f" ({more} more like it not shown)" if more else "")


# ----------------------------------------------------------------- a card's code

PAGE_PROTOCOL = "sitroom"
"""The subprotocol the gateway answers when the page offers a code (never the code)."""
CODE_PROTOCOL = "sitroom.code."
"""How the page offers a join card's code: ``sitroom.code.7K3M-Q9XD-2HPA``, a header (not
the URL, which proxies log)."""


def card_code(request: web.Request) -> str:
    """The join code the page offers in the socket's subprotocols (a card's link opened
    it), if it is shaped like a code; '' otherwise."""
    for offered in request.headers.get("Sec-WebSocket-Protocol", "").split(","):
        offered = offered.strip()
        if offered.startswith(CODE_PROTOCOL):
            code = offered.removeprefix(CODE_PROTOCOL)
            return code if len(code) <= 64 and well_formed(code) else ""
    return ""


BROWSER_TEXTUAL = {"TEXTUAL_FPS": "30", "TEXTUAL_ANIMATIONS": "none"}
"""Textual's settings for a console in a browser tab: at most 30 frames a second (textual-serve
asks for 60) and no animations (a tab's underline sliding under a new label, smooth scrolls),
each of which is a run of frames to draw, send and relay. Every console in the room draws
each inject at once; one console's CPU for four injects went from 0.73 s to 0.44 s with
these (a noisy measurement, on a shared machine)."""


class CardConsole(AppService):
    """textual-serve's console, with the code from a card in its environment
    (``SITROOM_CODE``, which only its owner can read; an argument would show in ``ps``):
    the console joins with it, or asks for a name, or says why it was refused."""

    def __init__(
        self,
        command: str,
        *,
        code: str = "",
        lang: str | None = None,
        forks: ForkServer | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(command, **kwargs)
        self.card_code = code
        self.lang = lang
        """The browser's language (``Accept-Language``) when sitroom speaks it: the tab's
        console starts in it (``SITROOM_LANG``), whatever the server's own."""
        self.forks = forks
        """The warm parent to fork the console from (None: run ``command``)."""

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width=width, height=height)
        if self.card_code:
            environment[CODE_ENV] = self.card_code
        if self.lang is not None:
            environment[i18n.ENV] = self.lang
        environment.update(BROWSER_TEXTUAL)
        return environment

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Any:
        if self.forks is None:
            return await super()._open_app_process(width, height)
        process = await self.forks.spawn(self._build_environment(width=width, height=height))
        # textual-serve's own attributes, which it reads; a forked process has every part
        # of asyncio's Process that textual-serve and this gateway use.
        self._process = process  # type: ignore[assignment]
        self._stdin = process.stdin
        return process


# ----------------------------------------------------------------- the server


def _clamp(value: object, bounds: tuple[int, int]) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = int(value)
    except (ValueError, OverflowError):
        return None
    return max(bounds[0], min(bounds[1], number))


class ConsoleServer(Server):
    """textual-serve's server with sitroom's page, words, origin check and limits."""

    def __init__(
        self,
        command: str,
        *,
        host: str,
        port: int,
        limits: Limits,
        public_url: str | None = None,
        allowed_origins: Iterable[str] = (),
        title: str = "sitroom",
        forks: ForkServer | None = None,
    ) -> None:
        shown = public_url or address_of(host, port, tls=False)
        super().__init__(
            command,
            host=host,
            port=port,
            title=title,
            public_url=shown.rstrip("/"),
            templates_path=TEMPLATES,
        )
        self.explicit_public_url = public_url is not None
        self.limits = limits
        self.origins = Origins(host, public_url, allowed_origins)
        self.pacer = SpawnPacer(limits.spawn_rate, limits.spawn_burst)
        self.spawned = 0
        """Consoles started so far."""
        self.refused: Counter[str] = Counter()
        """Refusals so far, by reason: ``host``, ``origin``, ``full``, ``busy``; and tabs whose
        connection was ``lost``."""
        self._sessions: set[web.WebSocketResponse] = set()
        self._throttled = Throttled()
        self._closing: set[asyncio.Future[bool]] = set()
        self._consoles: set[AppService] = set()
        self.forks = forks
        """The warm parent consoles are forked from; None: each runs ``command`` afresh."""
        self._warming: asyncio.Task[None] | None = None
        self.downloads = KeptDownloads(self.download_manager)
        """Files the consoles delivered, kept so a media player may ask twice."""

    @property
    def open_sessions(self) -> int:
        """Consoles running or waiting to start."""
        return len(self._sessions)

    # ------------------------------------------------------------- app

    def initialize_logging(self) -> None:
        logging.basicConfig(
            level=logging.DEBUG if self.debug else logging.INFO,
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
            stream=sys.stderr,
        )
        logging.getLogger("aiohttp.access").setLevel(logging.WARNING)

    async def make_app(self) -> web.Application:
        """The aiohttp application: our page, the socket, downloads, unlisted static files."""
        app = web.Application(middlewares=[self._known_host])
        aiohttp_jinja2.setup(
            app, loader=jinja2.FileSystemLoader(self.templates_path), autoescape=True
        )
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, show_index=False, name="static"),
            ]
        )
        app.on_response_prepare.append(self._headers)
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        app.on_cleanup.append(self.on_cleanup)
        return app

    async def _make_app(self) -> web.Application:
        """What textual-serve's :meth:`serve` builds: ours."""
        return await self.make_app()

    async def on_startup(self, app: web.Application) -> None:
        os.environ.pop(CODE_ENV, None)
        files = raise_open_files()
        if files and files < self.limits.max_sessions * FILES_PER_SESSION + 64:
            log.warning(
                "only %d open files allowed: about %d consoles fit (raise ulimit -n)",
                files,
                (files - 64) // FILES_PER_SESSION,
            )
        if self.forks is not None:
            # The warm parent imports what a console needs with the environment a console
            # gets (Textual reads its settings when imported): start it now, not at the
            # first tab.
            self.forks.environment = self._console_environment()
            self._warming = asyncio.create_task(self._warm())
        print(
            f"sitroom web: consoles at {self.public_url} (each tab asks for a join code); "
            f"at most {self.limits.max_sessions} at once, {self.limits.spawn_rate:g} new a "
            "second; Ctrl+C stops",
            flush=True,
        )

    async def on_shutdown(self, app: web.Application) -> None:
        for ws in list(self._sessions):
            with contextlib.suppress(Exception):
                await ws.close(code=GOING_AWAY, message=b"the gateway is shutting down")

    async def on_cleanup(self, app: web.Application) -> None:
        """End every console still running (a handler cancelled while stopping one)."""
        await asyncio.gather(*(self._reap(s, 1.0) for s in list(self._consoles)))
        if self._warming is not None:
            self._warming.cancel()
        if self.forks is not None:
            await self.forks.close()

    def _console_environment(self) -> dict[str, str]:
        async def ignore(_: Any) -> None:
            return None

        async def nothing() -> None:
            return None

        probe = CardConsole(
            self.command,
            write_bytes=ignore,
            write_str=ignore,
            close=nothing,
            download_manager=self.download_manager,
        )
        return probe._build_environment()

    async def _warm(self) -> None:
        assert self.forks is not None
        try:
            await self.forks.start()
        except (ForkFailed, OSError, TimeoutError) as exc:
            log.warning("the warm parent did not start (%s): the first tab tries again", exc)

    @web.middleware
    async def _known_host(
        self, request: web.Request, handler: Callable[[web.Request], Any]
    ) -> web.StreamResponse:
        if not self.origins.host_ok(request.host):
            self.refused["host"] += 1
            self._throttled.warning(
                "host",
                f"refused a request for host {request.host!r}: not a name of this gateway "
                "(give it with --public-url or --allow-origin)",
            )
            raise web.HTTPForbidden(text="sitroom web: unknown host name\n")
        response: web.StreamResponse = await handler(request)
        return response

    async def _headers(self, request: web.Request, response: web.StreamResponse) -> None:
        headers = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "no-referrer")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self' 'unsafe-inline'; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; "
            f"connect-src 'self' {self._socket_url(request)}; frame-ancestors 'none'; "
            "base-uri 'none'; form-action 'none'; object-src 'none'",
        )

    def _socket_url(self, request: web.Request) -> str:
        """The page's socket: at the address the browser used (so it is same-origin), or at
        ``--public-url`` when one was given (behind a proxy)."""
        if self.explicit_public_url:
            base = self.public_url
        else:
            base = f"{'https' if request.secure else 'http'}://{request.host}"
        scheme, rest = base.split(":", 1)
        return f"{'wss' if scheme == 'https' else 'ws'}:{rest}/ws"

    # -------------------------------------------------------------- downloads

    async def handle_download(self, request: web.Request) -> web.StreamResponse:
        """A file a console delivered (an attachment opened): from :class:`KeptDownloads`,
        whole or by a byte range, so a browser's media player can fetch it again and seek
        (textual-serve's own handler streamed it once)."""
        kept = await self.downloads.fetch(request.match_info["key"])
        if kept is None:
            raise web.HTTPNotFound(
                text="This file is no longer here: open it again from your console."
            )
        body = kept.body
        headers = {
            "Content-Type": kept.content_type,
            "Content-Disposition": kept.disposition,
            "Cache-Control": "private, no-store",
            "Accept-Ranges": "bytes",
        }
        try:
            wanted = request.http_range
        except ValueError:
            wanted = slice(len(body), None)  # malformed: answered as unsatisfiable
        if wanted.start is None and wanted.stop is None:
            return web.Response(body=body, headers=headers)
        start, stop, _ = wanted.indices(len(body))
        if start >= stop:
            headers["Content-Range"] = f"bytes */{len(body)}"
            return web.Response(status=416, headers=headers)
        headers["Content-Range"] = f"bytes {start}-{stop - 1}/{len(body)}"
        return web.Response(status=206, body=body[start:stop], headers=headers)

    # ------------------------------------------------------------- the page

    def _full(self) -> bool:
        return len(self._sessions) >= self.limits.max_sessions

    def _full_reason(self) -> str:
        return (
            f"Full: all {self.limits.max_sessions} consoles are in use. Try again in a minute, "
            "or ask your facilitator."
        )

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        if self._full():
            response = aiohttp_jinja2.render_template(
                "full.html",
                request,
                {"title": self.title, "reason": self._full_reason()},
                status=503,
            )
            response.headers["Retry-After"] = "60"
            return response
        font_size = _clamp(request.query.get("fontsize", "16"), FONT_SIZE) or 16
        static = "/static/" if not self.explicit_public_url else f"{self.public_url}/static/"
        return aiohttp_jinja2.render_template(
            "app_index.html",
            request,
            {
                "font_size": font_size,
                "app_websocket_url": self._socket_url(request),
                "config": {"static": {"url": static}},
                "application": {"name": self.title},
            },
        )

    # ------------------------------------------------------------- the socket

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        origin = request.headers.get("Origin")
        if not self.origins.origin_ok(origin, request.host):
            self.refused["origin"] += 1
            self._throttled.warning(
                "origin",
                f"refused a console to a page at {origin!r} (not this gateway's own page; "
                "add it with --allow-origin if it should be allowed)",
            )
            raise web.HTTPForbidden(
                text="sitroom web: pages from this origin may not open consoles\n"
            )
        ws = web.WebSocketResponse(
            heartbeat=HEARTBEAT, max_msg_size=MAX_FRAME, protocols=(PAGE_PROTOCOL,)
        )
        await ws.prepare(request)
        if self._full():
            self.refused["full"] += 1
            self._throttled.warning("full", f"refused a console: {self._full_reason()}")
            await ws.close(code=TRY_AGAIN, message=self._full_reason().encode())
            return ws
        self._sessions.add(ws)
        try:
            wait = self.pacer.reserve(self.limits.max_wait)
            if wait is None:
                self.refused["busy"] += 1
                reason = "Many consoles are starting at once: try again in a few seconds."
                self._throttled.warning("busy", f"refused a console: {reason}")
                await ws.close(code=TRY_AGAIN, message=reason.encode())
                return ws
            if wait:
                await asyncio.sleep(wait)
            if ws.closed:
                return ws
            await self._run_console(request, ws)
        finally:
            self._sessions.discard(ws)
            if ws.close_code == ABNORMAL:
                self.refused["lost"] += 1
                self._throttled.warning(
                    "lost", f"lost a tab's connection ({ws.exception() or 'no reason given'})"
                )
        return ws

    async def _run_console(self, request: web.Request, ws: web.WebSocketResponse) -> None:
        width = _clamp(request.query.get("width", "80"), WIDTH) or 80
        height = _clamp(request.query.get("height", "24"), HEIGHT) or 24
        # ``exec``: the shell textual-serve starts becomes the console, so stopping or
        # killing the process reaches the console itself, not a shell that leaves it behind.
        command = f"exec {self.command}" if os.name == "posix" else self.command

        async def close() -> None:
            await ws.close()

        service = CardConsole(
            command,
            code=card_code(request),
            lang=accepted_language(request.headers.get("Accept-Language")),
            forks=self.forks,
            write_bytes=ws.send_bytes,
            write_str=ws.send_str,
            close=close,
            download_manager=self.download_manager,
            debug=self.debug,
        )
        self.spawned += 1
        self._consoles.add(service)
        try:
            await service.start(width, height)
        except (ForkFailed, OSError, TimeoutError) as exc:
            self._consoles.discard(service)
            log.warning("a console did not start: %s", exc)
            await ws.close(code=TRY_AGAIN, message=b"The console did not start: try again.")
            return
        # When the console ends by itself (it failed to start, say), close the tab's socket
        # so the page says so. AppService keeps its task private; without it, the tab
        # stays open until the browser closes it.
        task: asyncio.Task[None] | None = getattr(service, "_task", None)
        if task is not None:
            task.add_done_callback(lambda _: self._close_later(ws, "the console ended"))
        try:
            await self._relay(ws, service)
        except ConnectionError:
            pass
        finally:
            await self._stop(service)

    def _close_later(self, ws: web.WebSocketResponse, reason: str) -> None:
        if not ws.closed:
            closing = asyncio.ensure_future(ws.close(message=reason.encode()))
            self._closing.add(closing)
            closing.add_done_callback(self._closing.discard)

    async def _relay(self, ws: web.WebSocketResponse, service: AppService) -> None:
        """Pass the browser's frames to the console; ignore any that are not well formed."""
        async for message in ws:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
            except (ValueError, RecursionError):
                continue
            if not isinstance(envelope, list) or not envelope:
                continue
            kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            if kind == "stdin" and isinstance(data, str):
                await service.send_bytes(data.encode("utf-8", "replace"))
            elif kind == "resize" and isinstance(data, dict):
                width = _clamp(data.get("width"), WIDTH)
                height = _clamp(data.get("height"), HEIGHT)
                if width is not None and height is not None:
                    await service.set_terminal_size(width, height)
            elif kind == "ping" and isinstance(data, str) and len(data) <= 64:
                await ws.send_json(["pong", data])
            elif kind == "blur":
                await service.blur()
            elif kind == "focus":
                await service.focus()

    async def _stop(self, service: AppService) -> None:
        """Ask the console to quit; kill it if it has not within ``stop_timeout``."""
        try:
            await within(service.stop(), self.limits.stop_timeout)
        except TimeoutError:
            pass
        except Exception as exc:
            log.warning("a console failed while stopping: %s", exc)
        finally:
            await self._reap(service, self.limits.stop_timeout)

    async def _reap(self, service: AppService, grace: float) -> None:
        """Make sure the console's process has ended and its pipes are closed: killed if it
        is still running ``grace`` seconds after its input closes. (AppService keeps its
        process private and leaves its input open.)"""
        process = getattr(service, "_process", None)
        if process is None or service not in self._consoles:
            return
        self._consoles.discard(service)
        if process.stdin is not None:
            process.stdin.close()
        try:
            await within(process.wait(), grace)
        except TimeoutError:
            log.warning("a console did not exit within %g s: killed", grace)
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            with contextlib.suppress(Exception):
                await within(process.wait(), 5.0)
