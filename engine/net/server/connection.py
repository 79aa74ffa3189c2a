"""One WebSocket session: hello first, then commands in and messages out.

Reading and writing are separate. The reading side checks each frame (size,
rate, JSON, depth, type, permission, fields) and answers a bad one with an
``error``, or closes the socket with a reason when carrying on makes no sense
(no hello, a bad code, the wrong version, a full seat, a flood); either way only
this socket is affected. Before the hello, anything malformed closes the socket
(4400, with the reason). Whatever fails while handling one frame, even a bug of
ours, ends this session only: an ``internal`` error, a close (1011) and one
rate-limited line in the server's log, never a traceback.
Commands run as tasks owned by the room, so a command whose socket drops is
still applied and logged, and its retry after the reconnect gets the same ack.

Every string a client chose (a member name, a type, an id) reaches the log and
the error reasons through :func:`engine.net.server.guard.echo` or
:func:`~engine.textsafe.visible`: characters, never terminal escapes.

The writing side is a queue drained by one task. Publishing only appends to the
queue (never awaits a socket), so one slow reader cannot hold up the room; if
its queue grows past the bounds it is dropped with a reason and reconnects,
catching up from the ring or a snapshot.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import time
from collections import deque
from typing import Any

from aiohttp import WSMsgType, web
from pydantic import ValidationError

from engine import commands as c
from engine.aio import within
from engine.commands import COMMAND_TYPES, Command
from engine.i18n import N_
from engine.i18n.phrase import Phrase
from engine.net.protocol import (
    CLIENT_TYPES,
    CLOSE_BAD_CODE,
    CLOSE_BAD_HELLO,
    CLOSE_BAD_VERSION,
    CLOSE_FLOOD,
    CLOSE_GOING_AWAY,
    CLOSE_INTERNAL,
    CLOSE_REVOKED,
    CLOSE_SEAT_FULL,
    CLOSE_TOO_SLOW,
    NAME_REQUIRED,
    PROTOCOL_VERSION,
    REVOKED,
    SHUTTING_DOWN,
    ErrorCode,
    Hello,
    Ping,
    Revoke,
    Send,
    reason_fields,
)
from engine.net.server.audience import STAFF, Resume
from engine.net.server.authz import Forbidden, authorise, may_revoke
from engine.net.server.guard import FrameError, TokenBucket, decode, describe, echo, short
from engine.net.server.room import Room, SeatBudget, audience_of, escape_member
from engine.net.server.seats import Seat, SeatBook, refusal, well_formed
from engine.textsafe import is_clean, visible

log = logging.getLogger("sitroom.server")


def _dumps(obj: dict[str, Any]) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


MAX_REASON = 300
"""Characters of a reason sent to a client (reasons may quote what it sent)."""


def bye_text(reason: str) -> str:
    return _dumps(_worded({"type": "bye"}, reason))


def error_text(code: ErrorCode, reason: str, mid: str | None = None) -> str:
    """An ``error``: its reason visible and bounded, its id only if safe to echo."""
    safe_id = mid if mid is not None and _id(mid) == mid else None
    return _dumps(_worded({"type": "error", "id": safe_id, "code": code}, reason))


def _worded(body: dict[str, Any], reason: str) -> dict[str, Any]:
    """``body`` with its ``reason``, visible and bounded. A reason made from a Phrase also
    goes as its template and values, each value bounded and visible like the reason, for
    the client to say in its own language."""
    body["reason"] = short(reason, MAX_REASON)
    fields = reason_fields(reason)
    if fields:
        fields["values"] = {k: short(v, MAX_REASON) for k, v in fields["values"].items()}
        body.update(fields)
    return body


def ack_text(mid: str, seq: int | None, detail: dict[str, Any] | None = None) -> str:
    body: dict[str, Any] = {"type": "ack", "id": mid, "seq": seq}
    if detail is not None:
        body["detail"] = detail
    return _dumps(body)


def explain(exc: ValidationError) -> str:
    """A pydantic error in one line a person can act on: where, and what."""
    parts = []
    for err in exc.errors(include_input=False, include_url=False)[:3]:
        where = ".".join(
            short(str(x), 40) for x in err["loc"] if not str(x).startswith(("function-", "tagged"))
        )
        msg = short(err["msg"], 120)
        parts.append(f"{where}: {msg}" if where else msg)
    more = exc.error_count() - len(parts)
    return "; ".join(parts) + (f" (and {more} more)" if more > 0 else "")


class Refused(Exception):
    """A message the server answers with an error instead of applying it."""

    def __init__(self, code: ErrorCode, reason: str) -> None:
        super().__init__(f"{code}: {reason}")
        self.code: ErrorCode = code
        self.reason = reason


def admit(seat: Seat, member: str, data: dict[str, Any]) -> Send:
    """A ``command`` message from ``seat`` as the room applies it: a known type the seat
    may send, its identity fields filled in, every field valid. Raises :class:`Refused`.
    """
    raw = data.get("command")
    if not isinstance(raw, dict):
        raise Refused("bad_message", "command: an object with a type")
    kind = raw.get("type")
    if not isinstance(kind, str) or kind not in COMMAND_TYPES:
        raise Refused("unknown_type", f"unknown command type {echo(kind)}")
    try:
        filled = authorise(seat, member, raw)
    except Forbidden as exc:
        raise Refused("forbidden", str(exc)) from None
    try:
        return Send.model_validate({**data, "command": filled})
    except ValidationError as exc:
        raise Refused("bad_message", explain(exc)) from None


def unknown_controller(seats: SeatBook, cmd: Command) -> str | None:
    """Why a pass or a tracks command names no controller seat, if it does not (a
    question passed to nobody would sink below every controller's list)."""
    if isinstance(cmd, c.PassQuestion):
        named = cmd.to
    elif isinstance(cmd, c.Tracks):
        named = cmd.controller
    else:
        return None
    if named in seats.controllers():
        return None
    return f"no controller seat {echo(named)} (the controllers: {', '.join(seats.controllers())})"


class Session:
    """A socket's life: hello, catch-up, then live traffic both ways."""

    def __init__(self, room: Room, ws: web.WebSocketResponse, request: web.Request) -> None:
        self.room = room
        self.settings = room.settings
        self.ws = ws
        self.request = request
        self.peer = request.remote or "?"
        self.seat: Seat | None = None
        self.member = ""
        self.audience = ""
        self.attached = False
        self.closed = False
        self.queue: deque[str] = deque()
        self.queued_bytes = 0
        self._wake = asyncio.Event()
        self._draining = False
        self._writer: asyncio.Task[None] | None = None
        self._closer: asyncio.Task[Any] | None = None
        self._bucket = TokenBucket(self.settings.rate, self.settings.burst)
        self._strikes = 0
        self._last_strike = 0.0
        self._inflight = 0
        self._counted = ""
        """The seat key this socket is counted against (while it holds a place)."""
        self._budget: SeatBudget | None = None

    def __repr__(self) -> str:
        who = self.seat.key if self.seat else "not joined"
        return f"<Session {who} '{short(self.member)}' from {self.peer}>"

    # ------------------------------------------------------------------ life

    async def run(self) -> None:
        try:
            if await self._guarded_hello():
                await self._read()
            if self._closer is not None:
                # Returning ends the response (aiohttp closes the socket): let our close,
                # with its code and reason, finish first.
                with contextlib.suppress(Exception):
                    await asyncio.shield(self._closer)
        finally:
            self.closed = True
            self.room.hub.unsubscribe(self)
            self._release()
            self._wake.set()

    def _release(self) -> None:
        """Give back this socket's place on its seat."""
        key, self._counted = self._counted, ""
        if key:
            counts = self.room.seat_sockets
            counts[key] -= 1
            if counts[key] <= 0:
                del counts[key]

    async def _guarded_hello(self) -> bool:
        """The hello; whatever fails in it closes this socket with a reason, nothing more."""
        try:
            return await self._hello()
        except Exception as exc:
            self._report("reading a hello", exc)
            if not self.closed:
                await self._refuse(
                    "internal",
                    Phrase(N_("the server failed reading this hello (logged)")),
                    CLOSE_INTERNAL,
                )
            return False

    async def _hello(self) -> bool:
        try:
            msg = await self.ws.receive(timeout=self.settings.hello_timeout)
        except TimeoutError:
            self.room.metrics.refused["hello_timeout"] += 1
            await self._refuse("not_joined", "no hello in time", CLOSE_BAD_HELLO)
            return False
        if msg.type != WSMsgType.TEXT:
            if msg.type in (WSMsgType.CLOSE, WSMsgType.CLOSING, WSMsgType.CLOSED):
                return False
            await self._refuse("bad_message", "the first message must be a hello", CLOSE_BAD_HELLO)
            return False
        if len(msg.data) > self.settings.max_frame:
            await self._refuse("too_large", "hello too large", CLOSE_BAD_HELLO)
            return False
        try:
            data = decode(msg.data, self.settings.max_depth)
        except FrameError as exc:
            await self._refuse(exc.code, f"bad hello: {exc.reason}", CLOSE_BAD_HELLO)
            return False
        if not isinstance(data, dict) or data.get("type") != "hello":
            await self._refuse("not_joined", "send hello first", CLOSE_BAD_HELLO)
            return False
        if data.get("v") != PROTOCOL_VERSION and type(data.get("v")) is int:
            await self._refuse(
                "bad_version",
                Phrase(
                    N_(
                        "protocol version {theirs} is not supported; this server speaks "
                        "{ours}: update sitroom"
                    ),
                    theirs=data.get("v"),
                    ours=PROTOCOL_VERSION,
                ),
                CLOSE_BAD_VERSION,
            )
            return False
        try:
            hello = Hello.model_validate(data)
        except ValidationError as exc:
            await self._refuse("bad_message", f"bad hello: {explain(exc)}", CLOSE_BAD_HELLO)
            return False
        return await self._join(hello)

    async def _join(self, hello: Hello) -> bool:
        room = self.room
        wait = room.wrong_codes.wait(self.peer)
        if wait > 0:  # refused before the code is looked at: a right one too
            room.metrics.refused["wrong_codes"] += 1
            await self._refuse(
                "rate_limited",
                Phrase(
                    N_("too many wrong join codes from your address: try again in {seconds} s"),
                    seconds=math.ceil(wait),
                ),
                CLOSE_FLOOD,
            )
            return False
        seat = room.seats.find(hello.code)
        if seat is None:
            if room.seats.is_revoked(hello.code):
                await self._refuse(
                    "bad_code", Phrase(N_("this join code was revoked")), CLOSE_REVOKED
                )
            else:
                if well_formed(hello.code):
                    room.wrong_codes.charge(self.peer)
                await self._refuse("bad_code", refusal(hello.code), CLOSE_BAD_CODE)
            return False
        if room.state != "serving":
            await self._refuse("unavailable", SHUTTING_DOWN, CLOSE_GOING_AWAY)
            return False
        if seat.role == "team" and not hello.name:
            await self._refuse("bad_message", NAME_REQUIRED, CLOSE_BAD_HELLO)
            return False
        cap = room.sockets_for(seat)
        if room.seat_sockets[seat.key] >= cap:
            room.metrics.refused["seat_sockets"] += 1
            await self._refuse(
                "seat_full",
                Phrase(
                    N_(
                        "seat {seat} already has {cap} connections open, its limit: close a "
                        "console you no longer use (a dropped one frees its place within a "
                        "minute)"
                    ),
                    seat=seat.key,
                    cap=cap,
                ),
                CLOSE_SEAT_FULL,
            )
            return False
        room.seat_sockets[seat.key] += 1
        self._counted = seat.key
        self.seat, self.member = seat, hello.name or seat.name
        self._budget = room.budget_for(seat)
        self.audience = audience_of(seat)
        if seat.role == "team":
            await room.join(seat, self.member)
            if self.closed or room.state != "serving":
                return False
        last = hello.last_seq or 0
        # From here to subscribe nothing awaits: live messages queue behind the catch-up.
        upto = room.hub.last_seq
        missed = room.hub.subscribe(self, last)
        self.attached = True
        mode: Resume = "snapshot" if missed is None else ("catchup" if missed else "live")
        ws = self.ws
        try:
            await ws.send_str(room.welcome_text(seat, self.member, upto, mode))
            await ws.send_str(room.clock_text())
            if missed is None:
                await ws.send_str(await room.snapshot(self.audience, upto))
            else:
                for text in missed:
                    await ws.send_str(text)
            if self.audience == STAFF:  # after the catch-up: which tables are connected
                await ws.send_str(room.hub.presence.text())
        except (ConnectionError, RuntimeError):
            return False
        room.metrics.joins_total += 1
        log.info(
            "%s joined as %s (%s, last_seq %s)",
            self.peer,
            seat.key,
            visible(self.member, one_line=True),
            last,
        )
        self._writer = asyncio.create_task(self._write())
        return True

    async def _read(self) -> None:
        async for msg in self.ws:
            try:
                if msg.type == WSMsgType.TEXT:
                    self._on_text(msg.data)
                elif msg.type == WSMsgType.BINARY:
                    self._bad("bad_message", "send JSON text frames, not binary")
                elif msg.type == WSMsgType.ERROR:
                    self.room.lines.log(logging.INFO, "%r: socket error: %s", self, msg.data)
                    self.room.metrics.bad_input["too_large"] += 1
                    break
            except Exception as exc:
                self._fail("handling a frame", exc)
                break
            if self.closed:
                break

    # ------------------------------------------------------------------ failures

    def _report(self, doing: str, exc: BaseException) -> None:
        """One line (rate-limited) for a failure of ours; the traceback only at debug."""
        self.room.metrics.session_errors_total += 1
        if self.room.lines.log(
            logging.ERROR, "%r: failed %s, session ended: %s", self, doing, describe(exc)
        ):
            log.debug("the failure above", exc_info=exc)

    def _fail(self, doing: str, exc: BaseException, *, flush: bool = True) -> None:
        """A failure handling this session's input: tell the client, end this session only."""
        self._report(doing, exc)
        if flush:
            self.deliver(
                error_text(
                    "internal", Phrase(N_("the server failed handling your message (logged)"))
                )
            )
        self._end(CLOSE_INTERNAL, "internal error: the server logged it; reconnect", flush=flush)

    # ------------------------------------------------------------------ input

    def _strike(self) -> bool:
        """Count a message over the rate limit; True when the flood must end."""
        now = time.monotonic()
        if now - self._last_strike > 10.0:
            self._strikes = 0
        self._last_strike = now
        self._strikes += 1
        return self._strikes >= self.settings.flood_strikes

    def _on_text(self, text: str) -> None:
        limit = self.settings.max_frame
        if len(text) > limit or (len(text) * 4 > limit and len(text.encode()) > limit):
            self._bad("too_large", f"message over {self.settings.max_frame} bytes: not read")
            return
        if not self._bucket.take():
            if self._strike():
                self.room.lines.log(logging.WARNING, "%r: flooding, closed", self)
                self.room.metrics.bad_input["rate_limited"] += 1
                self.room.metrics.refused["flood"] += 1
                self._end(
                    CLOSE_FLOOD, "flooding: too many messages over the rate limit", flush=True
                )
                return
            data = self._parse(text, quiet=True)
            mid = data.get("id") if data is not None else None
            self._bad("rate_limited", "too many messages: slow down", _id(mid))
            return
        data = self._parse(text)
        if data is None:
            return
        kind = data.get("type")
        mid = _id(data.get("id"))
        if not isinstance(kind, str) or kind not in CLIENT_TYPES:
            self._bad("unknown_type", f"unknown message type {echo(kind)}", mid)
        elif kind == "hello":
            self._bad("bad_message", "already joined: hello comes once", mid)
        elif kind == "ping":
            if mid is None:
                self._bad("bad_message", "a ping needs an id (1 to 64 printable characters)")
                return
            try:
                ping = Ping.model_validate(data)
            except ValidationError as exc:
                self._bad("bad_message", explain(exc), mid)
                return
            self.deliver(ack_text(ping.id, None))
        elif kind == "command":
            self._command(data, mid)
        else:
            self._revoke(data, mid)

    def _parse(self, text: str, *, quiet: bool = False) -> dict[str, Any] | None:
        try:
            data = decode(text, self.settings.max_depth)
        except FrameError as exc:
            if not quiet:
                self._bad(exc.code, exc.reason)
            return None
        if not isinstance(data, dict):
            if not quiet:
                self._bad("bad_message", "a message is a JSON object with a type")
            return None
        return data

    def _command(self, data: dict[str, Any], mid: str | None) -> None:
        seat = self.seat
        assert seat is not None
        if mid is None:
            self._bad("bad_message", "a command needs an id (1 to 64 printable characters)")
            return
        try:
            send = admit(seat, self.member, data)
        except Refused as exc:
            self._bad(exc.code, exc.reason, mid)
            return
        unknown = unknown_controller(self.room.seats, send.command)
        if unknown is not None:
            self._bad("bad_message", unknown, mid)
            return
        if self._inflight >= self.settings.max_inflight:
            self._bad("rate_limited", "too many commands waiting: wait for their answers", mid)
            return
        self._inflight += 1
        self.room.spawn(self._apply(send.id, send.command))

    async def _apply(self, mid: str, cmd: Command) -> None:
        seat = self.seat
        assert seat is not None
        origin = f"{seat.key}/{escape_member(self.member)}/{mid}"
        try:
            result = await self.room.submit(cmd, origin, budget=self._budget)
        finally:
            self._inflight -= 1
        if result.seq is not None:
            self.deliver(ack_text(mid, result.seq))
        else:
            assert result.code is not None
            if result.code != "rejected":
                if result.limit:
                    self.room.metrics.bad_input[result.code] += 1
                self.room.lines.log(
                    logging.INFO, "%r: %s %s: %s", self, cmd.type, result.code, result.reason
                )
            self.deliver(error_text(result.code, result.reason, mid))

    def _revoke(self, data: dict[str, Any], mid: str | None) -> None:
        seat = self.seat
        assert seat is not None
        try:
            msg = Revoke.model_validate(data)
        except ValidationError as exc:
            self._bad("bad_message", explain(exc), mid)
            return
        if not may_revoke(seat.role):
            self._bad("forbidden", "only a facilitator can revoke a join code", msg.id)
            return
        if msg.seat not in self.room.seats.seats:
            self._bad("bad_message", f"no seat {echo(msg.seat)}", msg.id)
            return
        self.room.spawn(self._do_revoke(msg))

    async def _do_revoke(self, msg: Revoke) -> None:
        code, command = await self.room.revoke(msg.seat)
        self.deliver(ack_text(msg.id, None, {"seat": msg.seat, "code": code, "command": command}))

    def _bad(self, code: ErrorCode, reason: str, mid: str | None = None) -> None:
        self.room.metrics.bad_input[code] += 1
        if code != "rate_limited" or self._strikes <= 1:
            self.room.lines.log(logging.INFO, "%r: %s: %s", self, code, reason)
        self.deliver(error_text(code, reason, mid))

    # ------------------------------------------------------------------ output

    def deliver(self, text: str) -> None:
        """Queue a message; drop the session if its queue is past the bounds."""
        if self.closed:
            return
        queue = self.queue
        queue.append(text)
        self.queued_bytes += len(text)
        if (
            self.queued_bytes > self.settings.max_queue_bytes
            or len(queue) > self.settings.max_queue_messages
        ):
            self.room.metrics.slow_drops_total += 1
            self.room.lines.log(
                logging.WARNING,
                "%r: dropped, %d messages (%d bytes) waiting",
                self,
                len(queue),
                self.queued_bytes,
            )
            self._end(CLOSE_TOO_SLOW, "too slow: fell behind; reconnect to catch up")
            return
        self._wake.set()

    async def _write(self) -> None:
        ws, queue = self.ws, self.queue
        try:
            while True:
                while queue:
                    text = queue.popleft()
                    self.queued_bytes -= len(text)
                    await ws.send_str(text)
                if self.closed or self._draining:
                    return  # (a draining writer has just emptied the queue)
                self._wake.clear()
                await self._wake.wait()
        except (ConnectionError, RuntimeError) as exc:
            log.debug("%r: write failed: %s", self, short(str(exc), 200))
            self.closed = True
        except Exception as exc:
            # Never silently: a writer that dies leaves a socket that answers nothing.
            self._fail("writing", exc, flush=False)

    def _end(self, code: int, reason: str, *, flush: bool = False) -> None:
        """Close from synchronous code (the close itself runs as a task).

        With ``flush`` the messages already queued (the errors that explain the
        close) are written first; without, they are dropped (a client too slow).
        """
        if self.closed:
            return
        self.room.hub.unsubscribe(self)
        if flush:
            self._draining = True
            self._wake.set()
            self._closer = self.room.spawn(self._flush_and_close(code, reason))
            self.closed = True
            return
        self.closed = True
        self.queue.clear()
        self.queued_bytes = 0
        self._wake.set()
        self._closer = self.room.spawn(self._close(code, reason))

    async def _flush_and_close(self, code: int, reason: str) -> None:
        if self._writer is not None:
            with contextlib.suppress(TimeoutError, asyncio.CancelledError):
                await within(asyncio.shield(self._writer), self.settings.close_timeout)
        await self._close(code, reason)

    async def _refuse(self, code: ErrorCode, reason: str, close_code: int) -> None:
        """Answer a failed hello with an error, then close with the same reason."""
        self.room.metrics.bad_input[code] += 1
        self.room.lines.log(logging.INFO, "%s: refused: %s: %s", self.peer, code, reason)
        with contextlib.suppress(ConnectionError, RuntimeError):
            await self.ws.send_str(error_text(code, reason))
        await self._close(close_code, reason)

    async def _close(self, code: int, reason: str) -> None:
        self.closed = True
        # A close reason holds 123 bytes: cut on a character boundary.
        message = short(reason, 120).encode("utf-8")[:120].decode("utf-8", "ignore").encode()
        try:
            await within(
                self.ws.close(code=code, message=message), timeout=self.settings.close_timeout
            )
        except (TimeoutError, ConnectionError, RuntimeError):
            transport = self.request.transport
            if transport is not None:
                transport.abort()

    async def goodbye(self, reason: str) -> None:
        """Graceful end: flush what is queued, then ``bye``, then close (1001)."""
        if not self.closed and self.attached:
            self.deliver(bye_text(reason))
            self._draining = True
            self._wake.set()
            if self._writer is not None:
                with contextlib.suppress(TimeoutError, asyncio.CancelledError):
                    await within(asyncio.shield(self._writer), self.settings.goodbye_timeout)
        elif not self.closed:
            with contextlib.suppress(ConnectionError, RuntimeError):
                await self.ws.send_str(bye_text(reason))
        await self._close(CLOSE_GOING_AWAY, reason)

    async def revoked(self) -> None:
        if not self.closed:
            self.deliver(bye_text(REVOKED))
            self._draining = True
            self._wake.set()
            if self._writer is not None:
                with contextlib.suppress(TimeoutError, asyncio.CancelledError):
                    await within(asyncio.shield(self._writer), self.settings.close_timeout)
        await self._close(CLOSE_REVOKED, REVOKED)


def _id(value: object) -> str | None:
    """A message id, if the client gave a usable one: 1 to 64 printable characters
    (nothing :func:`~engine.textsafe.visible` would change), safe to echo."""
    if isinstance(value, str) and 0 < len(value) <= 64 and is_clean(value) and "\n" not in value:
        return value
    return None
