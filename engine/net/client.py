"""The shipped client: one connection to an exercise server that looks after itself.

Used by the consoles (through their link), the load generator and the tests.
It connects, says hello with the last sequence number it has seen, and from
then on keeps the connection up by itself: after a drop it reconnects with
exponential backoff and jitter (so a restarted server is not hit by every
client at the same instant), resends every command not yet answered under its
original id (the server applies a message id once, so a resend is safe), and
drops events it has already seen (by sequence number), so its user sees each
event once, in order, across any number of reconnections.

It gives up only when retrying cannot help: a bad or revoked code, or a
protocol version the server does not speak.

Everything is parsed once, here, at the edge: messages come out typed
(:data:`~engine.net.protocol.Incoming`: the server's messages, and a
:class:`~engine.net.protocol.LinkChange` when the connection's state changes),
through an async iterator (:meth:`Client.messages`) or a callback; a frame that
does not parse is dropped and counted (:attr:`Client.bad_frames`), never raised
into the user. Commands go in as :mod:`engine.commands` models and are answered
by an :class:`~engine.net.protocol.Ack` or an :class:`~engine.net.protocol.Error`.
An event's payload is typed by its reader: :func:`~engine.net.protocol.staff_event`
or :func:`~engine.net.protocol.team_event`.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import random
import ssl
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aiohttp
from pydantic import ValidationError

from engine.aio import within, woken
from engine.commands import AnyCommand
from engine.i18n import N_, _
from engine.i18n.phrase import Phrase
from engine.net.protocol import (
    FATAL_CLOSE_CODES,
    PROTOCOL_VERSION,
    SERVER_ADAPTER,
    Ack,
    Answer,
    Bye,
    Error,
    EventMsg,
    Incoming,
    LinkState,
    ServerMessage,
    Snapshot,
    Welcome,
)
from engine.net.why import (
    BY_CLIENT,
    GOODBYE,
    REFUSED,
    Why,
    closed_with,
    lost,
    no_answer,
    unreachable,
)
from engine.scenario.attachfiles import MAX_FILE

log = logging.getLogger("sitroom.client")

Callback = Callable[[Incoming], None]
_FATAL_ERRORS = frozenset({"bad_code", "bad_version"})
_CLOSED = Phrase(N_("closed"))
_TOO_LARGE = Phrase(N_("the file is larger than an attachment may be"))
_TRANSIENT_ERRORS = frozenset({"unavailable"})
"""Answers meaning "not applied, try again later": the command stays pending."""


class EdgeCounters:
    """What a link tells of its :class:`Edge` (the client and the fake link share it)."""

    _edge: Edge

    @property
    def last_seq(self) -> int:
        """The highest event sequence number received (resumes after a reconnect)."""
        return self._edge.last_seq

    @property
    def duplicates(self) -> int:
        """Events dropped because they had been seen already."""
        return self._edge.duplicates

    @property
    def bad_frames(self) -> int:
        """Frames dropped because they did not parse as a server message."""
        return self._edge.bad_frames


class ClientClosed(Exception):
    """The client stopped for good (closed, or the server refused it); ``why`` says why,
    in words a console shows in its reader's language."""

    def __init__(self, why: Why | str) -> None:
        self.why = why if isinstance(why, Why) else Why.of("closed", why)
        super().__init__(self.why.reason)

    def error(self) -> Error:
        """What a command gets for an answer from a link closed for good."""
        return self.why.error(None)


def files_url(url: str, sha256: str) -> str:
    """Where the exercise server at ``url`` (as people are given it, or its socket's
    address, ``…/ws``) serves the attachment file ``sha256`` (a path prefix, as behind
    a proxy, is kept)."""
    parts = urlsplit(url if "://" in url else f"http://{url}")
    scheme = {"ws": "http", "wss": "https"}.get(parts.scheme, parts.scheme)
    prefix = parts.path.rstrip("/").removesuffix("/ws")
    return urlunsplit((scheme, parts.netloc, f"{prefix}/files/{sha256}", "", ""))


class FileUnavailable(Exception):
    """An attachment's file could not be fetched (``str`` says why, for a player)."""


def no_such_file(status: int) -> str:
    """Why a file could not be fetched: the server answered ``status`` (said in the
    reader's language: the client runs in the console's process)."""
    return _("the server has no such file (HTTP {status})").format(status=status)


def check_file(data: bytes, sha256: str) -> bytes:
    """``data``, if it is the file ``sha256`` names (what was shown is what is opened)."""
    if hashlib.sha256(data).hexdigest() != sha256:
        raise FileUnavailable(_("the server sent another file than the one delivered"))
    return data


def _ssl_arg(context: ssl.SSLContext | bool | None) -> ssl.SSLContext | bool:
    """aiohttp's ``ssl=``: the context given, or True (its default checks) for None."""
    return True if context is None else context


def ws_url(url: str) -> str:
    """The WebSocket address for what people are given: ``http://host:8470`` → ``ws://…/ws``."""
    parts = urlsplit(url if "://" in url else f"http://{url}")
    scheme = {"http": "ws", "https": "wss"}.get(parts.scheme, parts.scheme)
    path = parts.path if parts.path not in ("", "/") else "/ws"
    return urlunsplit((scheme, parts.netloc, path, parts.query, ""))


def command_message(command: AnyCommand, mid: str) -> dict[str, Any]:
    """The ``command`` message (:class:`~engine.net.protocol.Send`) a client sends."""
    body = command.model_dump(mode="json", exclude_none=True)
    return {"type": "command", "id": mid, "command": body}


def new_id() -> str:
    """A fresh message id."""
    return uuid.uuid4().hex


@dataclass
class Edge:
    """Where server frames become typed messages: parsed once, each event once.

    Shared by :class:`Client` and the fake link (:mod:`engine.net.fake`), so both
    hand their users exactly the same messages for the same frames.
    """

    last_seq: int = 0
    """The highest event sequence number received."""
    duplicates: int = 0
    """Events dropped because they had been seen already."""
    bad_frames: int = 0
    """Frames dropped because they were not a server message this client understands."""

    def read(self, text: str) -> ServerMessage | None:
        """The message in a text frame; None when it is dropped (unparsable, or an
        event already seen)."""
        try:
            msg = SERVER_ADAPTER.validate_json(text)
        except ValidationError as exc:
            self.bad_frames += 1
            log.warning("dropped a frame that is not a server message: %s", _first_error(exc))
            return None
        if isinstance(msg, EventMsg):
            if msg.seq <= self.last_seq:
                self.duplicates += 1
                return None
            self.last_seq = msg.seq
        elif isinstance(msg, Snapshot):
            self.last_seq = max(self.last_seq, msg.last_seq)
        return msg


def _first_error(exc: ValidationError) -> str:
    errors = exc.errors()
    if not errors:
        return str(exc)
    first = errors[0]
    where = ".".join(str(x) for x in first["loc"])
    return f"{where}: {first['msg']}" if where else str(first["msg"])


@dataclass
class _Pending:
    frame: str
    future: asyncio.Future[Answer]


class Client(EdgeCounters):
    """A self-reconnecting connection to ``url`` with join code ``code``."""

    def __init__(
        self,
        url: str,
        code: str,
        name: str | None = None,
        *,
        last_seq: int = 0,
        on_message: Callback | None = None,
        session: aiohttp.ClientSession | None = None,
        backoff: tuple[float, float] = (0.25, 10.0),
        heartbeat: float | None = 20.0,
        connect_timeout: float = 10.0,
        ssl_context: ssl.SSLContext | bool | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.url = ws_url(url)
        self.code = code
        self.name = name
        self._edge = Edge(last_seq)
        self._on_message = on_message
        self._queue: asyncio.Queue[Incoming | None] = asyncio.Queue()
        self._session = session
        self._backoff = backoff
        self._heartbeat = heartbeat
        self._connect_timeout = connect_timeout
        self._ssl = ssl_context
        self._rng = rng or random.Random()
        self._pending: dict[str, _Pending] = {}
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._task: asyncio.Task[None] | None = None
        self._closing = False
        self._wake = asyncio.Event()
        self._welcomed = asyncio.Event()
        self.state: LinkState = "connecting"
        self.welcome: Welcome | None = None
        """The last ``welcome`` (None until joined)."""
        self.why = Why()
        """Why the link last went down (or closed for good)."""
        self.connects = 0
        """Successful joins (1 + reconnections)."""

    # ------------------------------------------------------------------ public

    async def fetch_file(self, sha256: str) -> bytes:
        """An attachment's file from the exercise server, checked against its sha256
        (raises :class:`FileUnavailable` saying why)."""
        # No total timeout: 20 MB on a crowded venue network may take minutes; a server
        # that stops sending for 30 s is given up on.
        timeout = aiohttp.ClientTimeout(connect=self._connect_timeout, sock_read=30)
        data = bytearray()
        try:
            async with (
                aiohttp.ClientSession(timeout=timeout) as session,
                session.get(files_url(self.url, sha256), ssl=_ssl_arg(self._ssl)) as response,
            ):
                if response.status != 200:
                    raise FileUnavailable(no_such_file(response.status))
                if (response.content_length or 0) > MAX_FILE:
                    raise FileUnavailable(_TOO_LARGE.said())
                async for chunk in response.content.iter_chunked(64 * 1024):
                    data += chunk
                    if len(data) > MAX_FILE:
                        raise FileUnavailable(_TOO_LARGE.said())
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            error = str(exc) or type(exc).__name__
            raise FileUnavailable(
                _("cannot reach the server: {error}").format(error=error)
            ) from None
        return check_file(bytes(data), sha256)

    def start(self) -> None:
        """Start connecting (in the background); idempotent."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name=f"sitroom-client {self.url}")

    async def wait_joined(self, timeout: float | None = None) -> Welcome:
        """Wait until joined (again); returns the ``welcome``. Raises :class:`ClientClosed`."""
        self.start()
        closed = asyncio.ensure_future(self._closed_wait())
        joined = asyncio.ensure_future(self._welcomed.wait())
        try:
            done, _ = await asyncio.wait(
                [closed, joined], timeout=timeout, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            closed.cancel()
            joined.cancel()
        if joined in done and self.welcome is not None:
            return self.welcome
        if not done:
            raise TimeoutError(f"not joined within {timeout} s: {self.reason or 'no answer'}")
        raise ClientClosed(self.why)

    async def _closed_wait(self) -> None:
        if self._task is not None:
            await asyncio.shield(self._task)

    async def messages(self) -> AsyncIterator[Incoming]:
        """Server messages and link changes, in order, until the client closes."""
        self.start()
        while True:
            item = await self._queue.get()
            if item is None:
                return
            yield item

    async def send(self, command: AnyCommand, *, id: str | None = None) -> Answer:
        """Send a command; returns the server's :class:`Ack` or :class:`Error`.

        While the link is down the command waits, and it is resent under the same id
        after every reconnect until answered. Identity fields (a team member's
        ``team`` and ``member``, an evaluator's ``evaluator``) are the seat's: the
        server fills in the member and refuses another team or evaluator.
        """
        return await self._request(command_message(command, id or new_id()))

    async def ping(self) -> Answer:
        return await self._request({"type": "ping", "id": new_id()})

    async def revoke(self, seat: str) -> Answer:
        """(Facilitators) revoke a seat's code; the ack's ``detail`` has the new one."""
        return await self._request({"type": "revoke", "id": new_id(), "seat": seat})

    async def close(self) -> None:
        """Close for good; commands still waiting are answered with an error."""
        self._closing = True
        self._wake.set()
        ws = self._ws
        if ws is not None:
            with contextlib.suppress(Exception):
                await ws.close()
        task = self._task
        if task is not None:
            if ws is None and not task.done():
                task.cancel()  # connecting, or waiting to reconnect: nothing to flush
            await asyncio.wait({task})
            if not task.cancelled():
                task.exception()  # retrieved: the task's own end is reported by _finish
            if self.state != "closed":
                self._finish(BY_CLIENT)
        else:
            self._finish(BY_CLIENT)

    @property
    def reason(self) -> str:
        """Why the link last went down, in English (:attr:`why` says it in the reader's
        language and gives its cause)."""
        return self.why.reason

    @property
    def pending(self) -> int:
        """Commands sent and not yet answered."""
        return len(self._pending)

    # ---------------------------------------------------------------- internals

    async def _request(self, message: dict[str, Any]) -> Answer:
        if self._closing or self.state == "closed":
            raise ClientClosed(self.why if self.why.reason else BY_CLIENT)
        self.start()
        mid = str(message["id"])
        found = self._pending.get(mid)
        if found is None:
            frame = json.dumps(message, separators=(",", ":"), ensure_ascii=False)
            future: asyncio.Future[Answer] = asyncio.get_running_loop().create_future()
            found = self._pending[mid] = _Pending(frame, future)
            ws = self._ws
            if ws is not None and self.state == "connected":
                with contextlib.suppress(ConnectionError, RuntimeError):
                    await ws.send_str(frame)
        return await asyncio.shield(found.future)

    def _emit(self, message: Incoming) -> None:
        if self._on_message is not None:
            self._on_message(message)
        else:
            self._queue.put_nowait(message)

    def _set_state(self, state: LinkState, why: Why | None = None) -> None:
        if state == self.state and state != "connected":
            return
        self.state = state
        self._emit((why or Why()).change(state))

    async def _run(self) -> None:
        own = self._session is None
        timeout = aiohttp.ClientTimeout(
            total=None, connect=self._connect_timeout, sock_connect=self._connect_timeout
        )
        session = self._session or aiohttp.ClientSession(timeout=timeout)
        attempt = 0
        try:
            while not self._closing:
                if attempt > 0 or self.connects > 0:
                    self._set_state("reconnecting", self.why)
                fatal = False
                try:
                    # Bounded as a whole: a server out of descriptors may accept the TCP
                    # connection (its backlog) and not read the request for a long time.
                    ws = await within(
                        session.ws_connect(
                            self.url,
                            heartbeat=self._heartbeat,
                            compress=0,
                            max_msg_size=0,
                            ssl=_ssl_arg(self._ssl),
                            timeout=aiohttp.ClientWSTimeout(ws_receive=None, ws_close=5.0),
                        ),
                        self._connect_timeout,
                    )
                except TimeoutError:
                    self.why = no_answer(self._connect_timeout)
                except (aiohttp.ClientError, OSError) as exc:
                    self.why = unreachable(exc)
                else:
                    self._ws = ws
                    try:
                        joined, fatal = await self._converse(ws)
                    finally:
                        self._ws = None
                        self._welcomed.clear()
                        with contextlib.suppress(Exception):
                            await ws.close()
                    if joined:
                        attempt = 0
                if fatal or self._closing:
                    break
                await self._sleep(self._delay(attempt))
                attempt += 1
        finally:
            if own:
                await session.close()
            self._finish(self.why if self.why.reason else Why.of("closed", _CLOSED))

    def _delay(self, attempt: int) -> float:
        """Exponential backoff with equal jitter: half fixed, half random."""
        base, cap = self._backoff
        ceiling = min(cap, base * 2.0 ** min(attempt, 32))
        return ceiling / 2 + self._rng.uniform(0, ceiling / 2)

    async def _sleep(self, delay: float) -> None:
        await woken(self._wake, delay)

    def _finish(self, why: Why) -> None:
        self.why = why
        for mid, pending in self._pending.items():
            if not pending.future.done():
                pending.future.set_result(why.error(mid))
        self._pending.clear()
        if self.state != "closed":
            self.state = "closed"
            self._emit(why.change("closed"))
        self._queue.put_nowait(None)

    async def _converse(self, ws: aiohttp.ClientWebSocketResponse) -> tuple[bool, bool]:
        """One connection's life; returns (joined, fatal)."""
        hello: dict[str, Any] = {
            "type": "hello",
            "v": PROTOCOL_VERSION,
            "code": self.code,
            "last_seq": self.last_seq,
        }
        if self.name:
            hello["name"] = self.name
        joined = fatal = False
        told: Why | None = None
        try:
            await ws.send_str(json.dumps(hello))
        except (ConnectionError, RuntimeError) as exc:
            self.why = lost(exc)
            return False, False
        edge = self._edge
        while True:
            msg = await ws.receive()
            if msg.type == aiohttp.WSMsgType.TEXT:
                data = edge.read(msg.data)
                if data is None:
                    continue
                if isinstance(data, Ack | Error) and data.id in self._pending:
                    self._answer(data)
                elif isinstance(data, Welcome):
                    joined = True
                    self.connects += 1
                    self.welcome = data
                    self._set_state("connected")
                    self._emit(data)
                    self._welcomed.set()
                    for pending in list(self._pending.values()):
                        try:
                            await ws.send_str(pending.frame)
                        except (ConnectionError, RuntimeError):
                            break
                else:
                    if isinstance(data, Error) and data.id is None and not joined:
                        # Refused before joining: the close that follows says less.
                        self.why = told = Why.heard("refused", data, REFUSED)
                        fatal = data.code in _FATAL_ERRORS
                    elif isinstance(data, Bye):
                        self.why = told = Why.heard("goodbye", data, GOODBYE)
                    self._emit(data)
            elif msg.type == aiohttp.WSMsgType.CLOSE:
                code = int(msg.data or 0)
                if told is not None:
                    pass  # the server's own words said why, before it closed
                elif msg.extra:
                    self.why = Why.of("closed", str(msg.extra))
                elif not self.why.reason or joined:
                    self.why = closed_with(code)
                return joined, fatal or code in FATAL_CLOSE_CODES
            elif msg.type in (aiohttp.WSMsgType.CLOSING, aiohttp.WSMsgType.CLOSED):
                code = ws.close_code or 0
                if not self.why.reason or joined:
                    self.why = closed_with(code)
                return joined, fatal or code in FATAL_CLOSE_CODES
            elif msg.type == aiohttp.WSMsgType.ERROR:
                self.why = lost(ws.exception() or msg.data)
                return joined, fatal

    def _answer(self, answer: Answer) -> None:
        mid = answer.id
        assert mid is not None
        if isinstance(answer, Error) and answer.code in _TRANSIENT_ERRORS:
            return  # not applied: resent after the reconnect
        pending = self._pending.pop(mid)
        if not pending.future.done():
            pending.future.set_result(answer)
