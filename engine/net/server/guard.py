"""Reading untrusted frames, and logging about them, without either hurting the server.

:func:`decode` is the one door from a client's text frame to Python data. It
never recurses without bound (the C decoder's ``RecursionError`` is caught
here, and a shallower frame is walked iteratively against ``max_depth`` before
any pydantic model or handler sees it), refuses what JSON does not allow
(``NaN``, ``Infinity``), numbers no field can hold (beyond 64 bits, or a float
that overflows) and strings that are not Unicode (a lone surrogate: it could
not be logged or echoed back). It raises :class:`FrameError` with an error code
and a reason, nothing else.

:func:`echo` and :func:`short` make participant text fit to quote in a reason or
a log line: visible (:func:`engine.textsafe.visible`), on one line, bounded.
:class:`LineLimiter` rate-limits the server's lines about bad input and failed
sessions (a token bucket: a fuzzing client cannot turn into megabytes of log),
and :func:`install_loop_guard` does the same for what the event loop itself
reports (``socket.accept() out of system resource`` when descriptors run out):
one line each, without a traceback.
"""

from __future__ import annotations

import asyncio
import errno
import json
import logging
import math
import re
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NoReturn

from engine.net.protocol import ErrorCode
from engine.textsafe import visible

log = logging.getLogger("sitroom.server")

INT_LIMIT = 2**63
"""Integers must lie strictly within ±2^63: what the log (SQLite) and every field holds."""
_SURROGATE = re.compile("[\ud800-\udfff]")
_SHORT = 60


class FrameError(Exception):
    """A frame that cannot be read as a message; ``code`` and ``reason`` go to the client."""

    def __init__(self, code: ErrorCode, reason: str) -> None:
        super().__init__(f"{code}: {reason}")
        self.code: ErrorCode = code
        self.reason = reason


class _OutOfRange(ValueError):
    pass


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _OutOfRange(f"the number {short(text, 20)} is too large")
    return value


def _int(text: str) -> int:
    if len(text) > 20:
        raise _OutOfRange(f"the number {short(text, 20)} is out of range")
    value = int(text)
    if not -INT_LIMIT < value < INT_LIMIT:
        raise _OutOfRange(f"the number {text} is out of range (beyond ±2^63)")
    return value


def _constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")


_DECODER = json.JSONDecoder(parse_float=_float, parse_int=_int, parse_constant=_constant)


def decode(text: str, max_depth: int) -> Any:
    """The JSON value in a client's frame, checked; raises :class:`FrameError`.

    Returns any JSON value (the caller checks it is an object).
    """
    try:
        data = _DECODER.decode(text)
    except RecursionError:
        raise FrameError("bad_message", f"nested deeper than {max_depth} levels") from None
    except _OutOfRange as exc:
        raise FrameError("bad_message", str(exc)) from None
    except ValueError as exc:
        raise FrameError("bad_json", f"not JSON ({short(str(exc), 80)})") from None
    problem = check(data, max_depth)
    if problem:
        raise FrameError("bad_message", problem)
    return data


def check(data: Any, max_depth: int) -> str | None:
    """Why decoded JSON is unfit to handle (too deep, a string that is not Unicode), or None.

    Iterative: a frame of any shape costs a walk over its nodes, never a deep stack.
    """
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value) is not None:
                return "not valid Unicode: a string holds a lone surrogate (\\ud800-\\udfff)"
        elif isinstance(value, dict | list):
            if depth >= max_depth:
                return f"nested deeper than {max_depth} levels"
            if isinstance(value, dict):
                for key, item in value.items():
                    if _SURROGATE.search(key) is not None:
                        return "not valid Unicode: a key holds a lone surrogate"
                    stack.append((item, depth + 1))
            else:
                stack.extend((item, depth + 1) for item in value)
    return None


def short(text: str, limit: int = _SHORT) -> str:
    """``text`` visible, on one line, cut to ``limit`` characters (with an ellipsis)."""
    shown = visible(text[: limit + 1], one_line=True)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def echo(value: object, limit: int = _SHORT) -> str:
    """A value a client sent, quoted for a reason or a log line: visible and bounded."""
    if isinstance(value, str):
        return "'" + short(value, limit) + "'"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return short(repr(value), limit)


def where(exc: BaseException) -> str:
    """The innermost ``file:line`` of an exception's traceback, for a one-line report."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "?"
    last = frames[-1]
    return f"{last.filename.rsplit('/', 1)[-1]}:{last.lineno}"


def describe(exc: BaseException) -> str:
    """An exception on one line: its type, its message (visible, bounded) and where."""
    return f"{type(exc).__name__}: {short(str(exc), 200)} ({where(exc)})"


class TokenBucket:
    """``rate`` units a second on average, ``burst`` at once."""

    __slots__ = ("burst", "rate", "stamp", "tokens")

    def __init__(self, rate: float, burst: float) -> None:
        self.rate, self.burst, self.tokens = rate, burst, burst
        self.stamp = time.monotonic()

    def refill(self) -> float:
        """Tokens available now."""
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        return self.tokens

    def take(self, amount: float = 1.0) -> bool:
        if self.refill() >= amount:
            self.tokens -= amount
            return True
        return False


class LineLimiter:
    """Lines a second for one logger, sustained and at once; the rest counted, then summed up.

    Every line is formatted here and made visible on one line: whatever a client sent
    that ends up in it (a name, a type, a reason), the log gets characters, one line
    per problem, never an escape sequence or a forged second line.
    """

    def __init__(self, rate: float, burst: float, logger: logging.Logger = log) -> None:
        self.bucket = TokenBucket(rate, burst)
        self.logger = logger
        self.suppressed = 0
        """Lines dropped since the last line written."""
        self.suppressed_total = 0

    def log(self, level: int, msg: str, *args: object) -> bool:
        """Log one line if the rate allows (True), else count it."""
        if not self.logger.isEnabledFor(level):
            return False
        if not self.bucket.take():
            self.suppressed += 1
            self.suppressed_total += 1
            return False
        if self.suppressed:
            self.logger.log(
                logging.WARNING,
                "%d more lines about bad input or failed sessions were not logged "
                "(over %g a second)",
                self.suppressed,
                self.bucket.rate,
            )
            self.suppressed = 0
        try:
            line = msg % args if args else msg
        except (TypeError, ValueError):
            line = f"{msg} {args!r}"
        self.logger.log(level, "%s", visible(line, one_line=True))
        return True


LoopHandler = Callable[[asyncio.AbstractEventLoop, dict[str, Any]], object]
ACCEPT_REPORT_EVERY = 10
"""Seconds between two lines about accept failing for want of descriptors."""


@dataclass
class _Starved:
    """Accept failures since the last line about them, and when that line was written."""

    count: int = 0
    last: float = -math.inf


def install_loop_guard(
    loop: asyncio.AbstractEventLoop, lines: LineLimiter, count: Callable[[], None]
) -> LoopHandler | None:
    """Make the loop report errors in one rate-limited line each, without a traceback.

    asyncio logs ``socket.accept() out of system resource`` with a traceback for
    every connection waiting in the backlog, on every retry, while descriptors run
    out; under a flood of half-open connections that was megabytes a minute. Here
    it is one line per :data:`ACCEPT_REPORT_EVERY` seconds, with a count; ``count``
    is called for every error (the metrics). Returns the handler it replaced (None
    for asyncio's default), to restore with :func:`restore_loop_guard`.
    """
    previous = loop.get_exception_handler()
    starved = _Starved()

    def handler(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        count()
        exc = context.get("exception")
        message = str(context.get("message") or "error")
        if isinstance(exc, OSError) and exc.errno in (errno.EMFILE, errno.ENFILE):
            # asyncio reports this once per pending connection on every retry (thousands
            # a second): one line per ACCEPT_REPORT_EVERY seconds, with the count.
            starved.count += 1
            now = time.monotonic()
            if now - starved.last >= ACCEPT_REPORT_EVERY:
                lines.logger.warning(
                    "event loop: %s: %s, %d time(s) since the last such line (connections "
                    "wait: raise the descriptor limit, ulimit -n, or lower the load)",
                    message,
                    exc.strerror or exc,
                    starved.count,
                )
                starved.count, starved.last = 0, now
            return
        if isinstance(exc, BaseException):
            lines.log(logging.ERROR, "event loop: %s: %s", message, describe(exc))
        else:
            lines.log(logging.ERROR, "event loop: %s", message)

    loop.set_exception_handler(handler)
    return previous


def restore_loop_guard(loop: asyncio.AbstractEventLoop, previous: LoopHandler | None) -> None:
    loop.set_exception_handler(previous)
