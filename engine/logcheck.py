"""A log's row checksums, and a check of every row that runs beside a replay.

The checksum of a logged row is decided here, once: the log writes it and every read
that verifies compares it. This module imports only the standard library, so that
:class:`RowCheck` can run it as a script in a second process in a few tens of
milliseconds: a long replay reads its rows unverified while the other core checks
every checksum and the numbering, and the replay trusts its result only if that
check comes back clean (else it reads the log again, verifying, and so reports the
damage exactly as a single-process read does).
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import zlib
from pathlib import Path


def crc(seq: int, t: int, kind: str, team: str | None, actor: str | None, payload: str) -> int:
    """The CRC-32 a logged row carries, over every column that says what happened."""
    blob = f"{seq}\x1f{t}\x1f{kind}\x1f{team or ''}\x1f{actor or ''}\x1f{payload}"
    return zlib.crc32(blob.encode("utf-8"))


def clean(path: str | Path, upto: int | None = None) -> bool:
    """Whether every row of the log at ``path`` (the rows 1 to ``upto``, when given: what
    the replay read) has its checksum and follows the one before; read-only, and any
    error reading it counts as not clean."""
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error:
        return False
    try:
        last = 0
        rows = conn.execute(
            "SELECT seq, t, kind, team, actor, payload, crc FROM events WHERE seq <= ? "
            "ORDER BY seq",
            (2**62 if upto is None else upto,),
        )
        for seq, t, kind, team, actor, payload, stored in rows:
            if seq != last + 1 or stored != crc(seq, t, kind, team, actor, payload):
                return False
            last = seq
        return upto is None or last == upto
    except (sqlite3.Error, TypeError, UnicodeError, ValueError):
        return False
    finally:
        conn.close()


class RowCheck:
    """:func:`clean` of one log's rows 1 to ``upto``, running in a child process until
    :meth:`passed` is asked."""

    def __init__(self, path: str | Path, upto: int) -> None:
        self._proc: subprocess.Popen[bytes] | None
        try:
            self._proc = subprocess.Popen(
                [sys.executable, "-I", "-S", __file__, str(path), str(upto)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            self._proc = None

    @property
    def started(self) -> bool:
        """False when no child could be started: the caller must verify as it reads."""
        return self._proc is not None

    def passed(self) -> bool:
        """Wait for the check: True only if it ran to the end and found every row sound."""
        if self._proc is None:
            return False
        return self._proc.wait() == 0

    def cancel(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()


if __name__ == "__main__":
    ok = len(sys.argv) == 3 and sys.argv[2].isdigit() and clean(sys.argv[1], int(sys.argv[2]))
    sys.exit(0 if ok else 1)
