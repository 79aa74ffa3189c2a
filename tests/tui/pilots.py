"""Waiting in Pilot tests: on a condition with a deadline, never for a fixed time."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

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
