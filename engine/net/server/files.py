"""The scenario's attachment files as the exercise server hands them out.

Each file is read and checked against the sha256 the scenario (and so the log) gives
it on its first request, then kept in memory, up to :data:`BUDGET` for them all: what
is served is exactly what was delivered, whatever happens to the file on disk since
(edited, swapped for a symlink, a ``.gz`` put beside it). Past the budget a file is
read and checked again for each request.
"""

from __future__ import annotations

import asyncio
import hashlib

from engine.scenario.attachfiles import MAX_FILE, Served
from engine.scenario.include import read_regular

BUDGET = 256 * 1024 * 1024
"""Bytes of attachment files kept in memory, all together."""


class FileStore:
    def __init__(self, files: dict[str, Served] | None = None, budget: int = BUDGET) -> None:
        self.files = dict(files or {})
        self.budget = budget
        self._kept: dict[str, bytes] = {}
        self._used = 0

    async def get(self, sha256: str) -> tuple[Served, bytes] | None:
        """The file and its bytes, or None: no such file, or it no longer has its hash."""
        found = self.files.get(sha256)
        if found is None:
            return None
        data = self._kept.get(sha256)
        if data is None:
            data = await asyncio.to_thread(_checked, found, sha256)
            if data is None:
                return None
            if self._used + len(data) <= self.budget:
                self._kept[sha256] = data
                self._used += len(data)
        return found, data


def _checked(found: Served, sha256: str) -> bytes | None:
    try:
        data = read_regular(found.path, MAX_FILE)
    except OSError:
        return None
    if data is None or hashlib.sha256(data).hexdigest() != sha256:
        return None
    return data
