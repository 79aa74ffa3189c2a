"""Waiting with a time limit without ever losing a cancellation.

On Python 3.11, ``asyncio.wait_for`` returns the awaited result when its task is
cancelled just as that result arrives (CPython gh-86296, fixed in 3.12 by rewriting it
on ``asyncio.timeout``): the cancellation is lost. A loop that then waits again never
ends, and whatever awaits it hangs: the fresh-clone CI once hung for good in a demo's
shutdown, a bot woken by an event in the same moment its ``close`` cancelled it. The
server's clock, the client's backoff and the console gateway wait the same way.

:func:`within` and :func:`woken` wait on ``asyncio.timeout``, which cancels the waiting
task itself, so a cancellation always arrives. Every timed wait in engine and tui goes
through them (a test holds it).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

__all__ = ["within", "woken"]

T = TypeVar("T")


async def within(awaitable: Awaitable[T], timeout: float | None) -> T:
    """``await awaitable``, raising ``TimeoutError`` after ``timeout`` seconds (none when
    None), as ``asyncio.wait_for`` does but never swallowing a cancellation."""
    async with asyncio.timeout(timeout):
        return await awaitable


async def woken(event: asyncio.Event, timeout: float | None) -> bool:
    """Wait until ``event`` is set (True) or ``timeout`` seconds pass (False; forever
    when None)."""
    try:
        async with asyncio.timeout(timeout):
            await event.wait()
    except TimeoutError:
        return False
    return True
