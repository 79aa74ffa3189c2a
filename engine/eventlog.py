"""The event log: an append-only SQLite file that is the exercise's memory.

Every accepted input and every output goes here, with its exercise time. The
header holds the scenario's text and hash, the seed and the roster, so the file
alone is enough to rebuild, resume or report an exercise.

Durability: WAL journal with ``synchronous=FULL``; :meth:`EventLog.append` commits
before it returns, so a caller may acknowledge an input as soon as it returns.
Several events may share one commit (group commit). Each row carries a CRC of
its content: a row damaged on disk is detected, not silently replayed.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import time
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import ValidationError

from engine.events import INPUT_KINDS, Event, parse_body
from engine.roster import Roster

FORMAT = "sitroom-event-log"
FORMAT_VERSION = 2

_SCHEMA = """
CREATE TABLE IF NOT EXISTS header (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    seq     INTEGER PRIMARY KEY,
    t       INTEGER NOT NULL,
    wall    REAL    NOT NULL,
    kind    TEXT    NOT NULL,
    team    TEXT,
    actor   TEXT,
    payload TEXT    NOT NULL,
    crc     INTEGER NOT NULL,
    origin  TEXT
);
CREATE INDEX IF NOT EXISTS events_team ON events(team);
CREATE UNIQUE INDEX IF NOT EXISTS events_origin ON events(origin) WHERE origin IS NOT NULL;
"""


class LogError(Exception):
    """A log that cannot be used as asked; the message says why and what to do."""


def _crc(seq: int, t: int, kind: str, team: str | None, actor: str | None, payload: str) -> int:
    blob = f"{seq}\x1f{t}\x1f{kind}\x1f{team or ''}\x1f{actor or ''}\x1f{payload}"
    return zlib.crc32(blob.encode("utf-8"))


class EventLog:
    """One exercise's log file. Not thread-safe: one writer, from one thread."""

    def __init__(self, path: Path, conn: sqlite3.Connection, *, readonly: bool = False) -> None:
        self.path = path
        self._conn = conn
        self.readonly = readonly
        row = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()
        self._next_seq = int(row[0]) + 1
        self.header: dict[str, str] = dict(conn.execute("SELECT key, value FROM header"))

    # -------------------------------------------------------------- opening

    @staticmethod
    def _connect(path: Path, readonly: bool = False) -> sqlite3.Connection:
        try:
            if readonly:
                uri = f"{path.resolve().as_uri()}?mode=ro"
                conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
                conn.execute("PRAGMA busy_timeout=5000")
                return conn
            conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA busy_timeout=5000")
        except sqlite3.DatabaseError as exc:
            raise LogError(f"{path}: not a sitroom event log, or damaged ({exc})") from None
        return conn

    @classmethod
    def create(
        cls,
        path: str | Path,
        *,
        scenario_text: str,
        scenario_sha256: str,
        scenario_name: str,
        seed: int,
        roster: Roster,
        extra: dict[str, str] | None = None,
    ) -> EventLog:
        """A new log. Refuses to overwrite a log that already holds events."""
        target = Path(path)
        if target.exists() and target.stat().st_size > 0:
            raise LogError(
                f"{target} already exists: resume it with --resume, or choose another --db"
            )
        conn = cls._connect(target)
        conn.executescript(_SCHEMA)
        header = {
            "format": FORMAT,
            "format_version": str(FORMAT_VERSION),
            "scenario_text": scenario_text,
            "scenario_sha256": scenario_sha256,
            "scenario_name": scenario_name,
            "seed": str(seed),
            "roster": json.dumps(roster.to_list(), separators=(",", ":")),
            "created_wall": repr(time.time()),
            **(extra or {}),
        }
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("INSERT INTO header(key, value) VALUES (?, ?)", header.items())
        conn.execute("COMMIT")
        return cls(target, conn)

    @classmethod
    def open(
        cls, path: str | Path, *, expect_sha256: str | None = None, readonly: bool = False
    ) -> EventLog:
        """An existing log, checked: its format, its version, and (if given) its scenario.

        ``readonly`` opens it for reading while another process may still be writing
        (a report on a live exercise sees what is committed so far).
        """
        target = Path(path)
        if not target.exists():
            raise LogError(f"{target}: no such log")
        conn = cls._connect(target, readonly)
        try:
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if not {"header", "events"} <= tables:
                raise LogError(f"{target}: not a sitroom event log")
            header = dict(conn.execute("SELECT key, value FROM header"))
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise LogError(f"{target}: not a sitroom event log, or damaged ({exc})") from None
        except LogError:
            conn.close()
            raise
        if header.get("format") != FORMAT:
            conn.close()
            raise LogError(f"{target}: not a sitroom event log")
        version = int(header.get("format_version", "0"))
        if version > FORMAT_VERSION:
            conn.close()
            raise LogError(
                f"{target} was written by a newer sitroom (log format {version}); "
                f"this one reads format {FORMAT_VERSION} and older: upgrade sitroom"
            )
        if version < FORMAT_VERSION:
            conn.close()
            raise LogError(
                f"{target} was written by an older sitroom (log format {version}; this one "
                f"reads format {FORMAT_VERSION}, whose events carry the engine's completions "
                f"and scores): convert it with `sitroom migrate {target} NEW.db`"
            )
        if expect_sha256 is not None and header.get("scenario_sha256") != expect_sha256:
            conn.close()
            theirs = header.get("scenario_sha256", "?")[:12]
            raise LogError(
                f"{target} was recorded with a different scenario text (sha256 "
                f"{theirs}…, the file given is {expect_sha256[:12]}…): resume with the "
                "scenario the log was made with, or start a new log"
            )
        return cls(target, conn, readonly=readonly)

    # -------------------------------------------------------------- header

    @property
    def scenario_text(self) -> str:
        return self.header["scenario_text"]

    @property
    def scenario_name(self) -> str:
        return self.header.get("scenario_name", "<log>")

    @property
    def seed(self) -> int:
        return int(self.header["seed"])

    @property
    def roster(self) -> Roster:
        return Roster.from_list(json.loads(self.header["roster"]))

    def set_header(self, key: str, value: str) -> None:
        self._conn.execute("BEGIN IMMEDIATE")
        self._conn.execute("INSERT OR REPLACE INTO header(key, value) VALUES (?, ?)", (key, value))
        self._conn.execute("COMMIT")
        self.header[key] = value

    # -------------------------------------------------------------- writing

    @property
    def next_seq(self) -> int:
        return self._next_seq

    def append(
        self, events: Iterable[Event], wall: float | None = None, *, own_wall: bool = False
    ) -> list[Event]:
        """Write events in one transaction; durable when this returns. Sets their seq and wall
        (``own_wall``: keep each event's own wall time, as a migration copies it)."""
        batch = list(events)
        if not batch:
            return batch
        stamp = time.time() if wall is None else wall
        rows = []
        seq = self._next_seq
        for event in batch:
            payload = event.payload_json()
            event.seq = seq
            if not own_wall:
                event.wall = stamp
            rows.append(
                (
                    seq,
                    event.t,
                    event.wall,
                    event.kind,
                    event.team,
                    event.actor,
                    payload,
                    _crc(seq, event.t, event.kind, event.team, event.actor, payload),
                    event.origin,
                )
            )
            seq += 1
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.executemany(
                "INSERT INTO events(seq, t, wall, kind, team, actor, payload, crc, origin) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            for event in batch:
                event.seq = 0
            raise
        self._next_seq = seq
        return batch

    # -------------------------------------------------------------- reading

    def rows(self, after_seq: int = 0, *, verify: bool = True) -> Iterator[Row]:
        """Rows with seq greater than ``after_seq``, in order, bodies still as JSON text.

        With ``verify``, a row whose CRC does not match raises :class:`DamagedRow`
        naming it (the caller decides whether a damaged last row may be dropped).
        Replay reads these: it parses inputs and compares outputs as text.
        """
        cursor = self._conn.execute(
            "SELECT seq, t, wall, kind, team, actor, payload, crc, origin FROM events "
            "WHERE seq > ? ORDER BY seq",
            (after_seq,),
        )
        for seq, t, wall, kind, team, actor, payload, crc, origin in cursor:
            if verify and crc != _crc(seq, t, kind, team, actor, payload):
                raise DamagedRow(seq, f"{self.path}: event #{seq} is damaged (checksum mismatch)")
            yield Row(seq, t, wall, kind, payload, origin)

    def events(self, after_seq: int = 0, *, verify: bool = True) -> Iterator[Event]:
        """Events with seq greater than ``after_seq``, in order, typed (see :meth:`rows`)."""
        for row in self.rows(after_seq, verify=verify):
            yield row.event(self.path)

    def origins(self) -> dict[str, int]:
        """Every logged input's origin (``seat/message-id``) and its seq, for deduplication."""
        rows = self._conn.execute("SELECT origin, seq FROM events WHERE origin IS NOT NULL")
        return {origin: int(seq) for origin, seq in rows}

    def count(self) -> int:
        return int(self._conn.execute("SELECT COUNT(*) FROM events").fetchone()[0])

    def last_time(self) -> int:
        row = self._conn.execute("SELECT t FROM events ORDER BY seq DESC LIMIT 1").fetchone()
        return int(row[0]) if row else 0

    def drop_from(self, seq: int) -> int:
        """Delete events from ``seq`` on (a damaged tail); returns how many were dropped."""
        self._conn.execute("BEGIN IMMEDIATE")
        cur = self._conn.execute("DELETE FROM events WHERE seq >= ?", (seq,))
        self._conn.execute("COMMIT")
        self._next_seq = seq
        return cur.rowcount

    def size_bytes(self) -> int:
        total = 0
        for suffix in ("", "-wal"):
            p = Path(str(self.path) + suffix)
            if p.exists():
                total += p.stat().st_size
        return total

    def close(self) -> None:
        if not self.readonly:
            with contextlib.suppress(sqlite3.DatabaseError):
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._conn.close()

    def __enter__(self) -> EventLog:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class Row(NamedTuple):
    """One logged event as stored: its body is still JSON text."""

    seq: int
    t: int
    wall: float
    kind: str
    payload: str
    origin: str | None

    @property
    def is_input(self) -> bool:
        return self.kind in INPUT_KINDS

    def event(self, path: Path | str = "") -> Event:
        """The typed event (raises :class:`DamagedRow` when the body is not a valid event)."""
        try:
            body = parse_body(self.kind, self.payload)
        except ValidationError as exc:
            raise DamagedRow(
                self.seq, f"{path}: event #{self.seq} ({self.kind}) is not a valid event: {exc}"
            ) from None
        return Event(body, self.t, self.seq, self.wall, self.origin)


class DamagedRow(LogError):
    def __init__(self, seq: int, message: str) -> None:
        super().__init__(message)
        self.seq = seq
