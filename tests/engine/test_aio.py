"""A cancellation is never lost in a timed wait (engine.aio).

On Python 3.11 ``asyncio.wait_for`` returns the result when its task is cancelled in the
same moment the result arrives (CPython gh-86296): a loop that waits again never ends,
and whatever awaits it hangs. The fresh-clone CI once hung for good in the demo's
shutdown that way: a bot woken by an event as its ``close`` cancelled it.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from engine.aio import within, woken

ROOT = Path(__file__).resolve().parents[2]
Wait = Callable[[asyncio.Event], Awaitable[object]]


async def _cancel_as_it_wakes(wait: Wait) -> bool:
    """Whether a task waiting in a loop ends when it is cancelled in the same moment as
    its event is set."""
    event = asyncio.Event()

    async def loop() -> None:
        while True:
            event.clear()
            await wait(event)

    task = asyncio.create_task(loop())
    await asyncio.sleep(0)
    event.set()
    task.cancel()
    done, _ = await asyncio.wait([task], timeout=2)
    if not done:
        task.cancel()  # the second cancel ends it: this one meets no wake
        await asyncio.wait([task], timeout=2)
    return bool(done)


@pytest.mark.parametrize(
    "wait",
    [
        lambda e: within(e.wait(), 10),
        lambda e: within(e.wait(), None),
        lambda e: woken(e, 10),
        lambda e: woken(e, None),
    ],
    ids=["within", "within-forever", "woken", "woken-forever"],
)
async def test_a_cancel_that_meets_a_wake_ends_the_wait(wait: Wait) -> None:
    assert await _cancel_as_it_wakes(wait)


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="fixed in CPython 3.12")
async def test_asyncio_wait_for_still_loses_it_on_this_python() -> None:
    """Why engine.aio exists: when this fails, wait_for is safe again on this Python."""
    assert not await _cancel_as_it_wakes(lambda e: asyncio.wait_for(e.wait(), 10))


async def test_timeouts_are_kept() -> None:
    with pytest.raises(TimeoutError):
        await within(asyncio.Event().wait(), 0.01)
    assert await woken(asyncio.Event(), 0.01) is False
    assert await within(asyncio.sleep(0, "x"), 1) == "x"


def test_no_timed_wait_in_engine_or_tui_uses_asyncio_wait_for() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for top in ("engine", "tui")
        for path in sorted((ROOT / top).rglob("*.py"))
        if path != ROOT / "engine" / "aio.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "asyncio.wait_for(" in line
    ]
    assert not found, found
