"""Waiting in Pilot tests: on a condition with a deadline, never for a fixed time."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from textual import events
from textual.app import App
from textual.keys import _character_to_key
from textual.pilot import Pilot


async def until(
    pilot: Pilot[Any], condition: Callable[[], object], what: str, timeout: float = 20.0
) -> None:
    """Let the app run until ``condition()`` holds, or fail naming ``what``."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        await pilot.pause(0.02)


def queue_keys(app: App[Any], text: str) -> asyncio.Event:
    """Queue the keys of ``text`` to ``app`` at once, as a terminal delivers typing; the
    event returned is set when the widget with focus has handled them all (a callback
    queued behind them). ``pilot.press`` waits for an idle CPU after each key: up to two
    seconds a key in a busy app, which made typing a sentence cost a minute."""
    handled = asyncio.Event()

    def behind_the_keys() -> None:
        (app.focused or app.screen).call_later(handled.set)

    for ch in text:
        key = "space" if ch == " " else ch if ch.isalnum() else _character_to_key(ch)
        app.post_message(events.Key(key, ch))
    app.call_later(behind_the_keys)
    return handled


async def type_keys(pilot: Pilot[Any], text: str) -> None:
    """Type ``text`` into the widget with focus, key by key (see :func:`queue_keys`)."""
    handled = queue_keys(pilot.app, text)
    await until(pilot, handled.is_set, f"the keys of {text!r} handled")
