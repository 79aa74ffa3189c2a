"""The event log: an append-only SQLite file that is the exercise's memory.

Every accepted input and every output goes here, with its exercise time. The
header holds the scenario's text and hash, the seed and the roster, so the file
alone is enough to rebuild, resume or report an exercise.

Durability: WAL journal with ``synchronous=FULL``; :meth:`EventLog.append` commits
before it returns, so a caller may acknowledge an input as soon as it returns.
Several events may share one commit (group commit). Each row carries a CRC of
its content and rows are numbered without gaps: a row damaged or deleted on disk
is detected and named, not silently replayed.

One writer at a time: whoever writes (a server, a dry-run, a migration) holds an
exclusive ``flock`` on ``LOG.db.lock``, a file naming its pid, host and start
time, so a second writer is refused with the holder's name. The kernel drops the
lock when its process dies, even by SIGKILL: a crash never blocks a restart.
Readers (a report on a live exercise) take no lock.

Every file is created readable by its owner only (the log holds the answer keys
and every response); SQLite gives ``-wal`` and ``-shm`` the log's own mode.
Every SQLite failure becomes a :class:`LogError` in our words (a full disk, a
read-only folder, a damaged page), and a failed write leaves the log as it was.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import socket
import sqlite3
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from itertools import chain
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import ValidationError

from engine.commands import AnyCommand
from engine.events import INPUT_KINDS, Event, parse_body, parse_command
from engine.i18n import N_, gettext
from engine.i18n.phrase import Phrase, said
from engine.logcheck import crc as _crc_of
from engine.roster import Roster

FORMAT = "sitroom-event-log"
FORMAT_VERSION = 3

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
    """A log that cannot be used as asked; the message says why and what to do.

    ``cause`` is the reason alone, without the log's path (what a client is told).
    """

    def __init__(self, message: str, cause: str = "") -> None:
        super().__init__(message)
        self.cause = cause or message


_CAUSES = {
    sqlite3.SQLITE_FULL: N_("the disk is full"),
    sqlite3.SQLITE_IOERR: N_("the disk failed a read or a write"),
    sqlite3.SQLITE_READONLY: N_("the log cannot be written (read-only)"),
    sqlite3.SQLITE_CANTOPEN: N_("the file cannot be opened"),
    sqlite3.SQLITE_CORRUPT: N_("the file is damaged"),
    sqlite3.SQLITE_NOTADB: N_("not a sitroom event log, or its first page is damaged"),
    sqlite3.SQLITE_BUSY: N_("another process keeps the log busy"),
    sqlite3.SQLITE_LOCKED: N_("another process keeps the log busy"),
    sqlite3.SQLITE_PERM: N_("permission denied"),
    sqlite3.SQLITE_AUTH: N_("permission denied"),
    sqlite3.SQLITE_NOMEM: N_("out of memory"),
    sqlite3.SQLITE_TOOBIG: N_("an event is too large to store"),
    sqlite3.SQLITE_CONSTRAINT: N_("a row breaks the log's rules"),
}


def _folder_writable(path: Path) -> bool:
    return os.access(path.parent, os.W_OK)


def _disk_full(path: Path) -> bool:
    try:
        return os.statvfs(path.parent).f_bavail == 0
    except OSError:
        return False


def sqlite_cause(path: Path, exc: sqlite3.Error) -> Phrase:
    """What an SQLite failure on the log at ``path`` means, in our words: English text
    (what a client is told) that :func:`said` gives in the reader's language."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    failed = N_("SQLite failed")
    cause = Phrase(_CAUSES.get(primary, failed) if primary is not None else failed)
    full_or_io = (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_FULL, sqlite3.SQLITE_CANTOPEN)
    if primary in full_or_io and _disk_full(path):
        cause = Phrase(N_("the disk is full"))
    elif primary in (
        sqlite3.SQLITE_READONLY,
        sqlite3.SQLITE_CANTOPEN,
        sqlite3.SQLITE_PERM,
        sqlite3.SQLITE_IOERR,
    ) and not _folder_writable(path):
        cause = Phrase(N_("its folder {folder} is read-only"), folder=path.parent)
    return Phrase(N_("{cause} ({error})"), cause=cause, error=exc)


def os_cause(path: Path, exc: OSError) -> Phrase:
    """What a failure to create or open ``path`` (beside the log) means, in our words
    (English text that :func:`said` gives in the reader's language)."""
    number = exc.errno
    if number == errno.ELOOP:
        link = N_(
            "{path} is a symbolic link (refused: the log's files are never written through one)"
        )
        return Phrase(link, path=path)
    if number == errno.EROFS or (
        number in (errno.EACCES, errno.EPERM) and not _folder_writable(path)
    ):
        read_only = N_("its folder {folder} is read-only ({error})")
        return Phrase(read_only, folder=path.parent, error=exc.strerror)
    if number in (errno.ENOSPC, errno.EDQUOT):
        return Phrase(N_("the disk is full ({error})"), error=exc.strerror)
    if number == errno.ENOENT:
        return Phrase(N_("the folder {folder} does not exist"), folder=path.parent)
    return Phrase(N_("{error} ({path})"), error=exc.strerror or exc, path=path)


def lock_path(path: Path) -> Path:
    """The lock file beside a log: ``exercise.db`` → ``exercise.db.lock``."""
    return Path(str(path) + ".lock")


class LogLock:
    """The one-writer lock on a log: ``flock`` on ``LOG.db.lock``, which names its holder.

    Held from before the log is opened until it is closed, when the file is removed;
    the kernel releases the lock when the process ends, however it ends, so the file
    a crash leaves behind never blocks (the next writer takes it over).
    """

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd = fd

    @classmethod
    def acquire(cls, log: Path) -> LogLock:
        path = lock_path(log)
        flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
        for _ in range(100):
            try:
                fd = os.open(path, flags, 0o600)
            except OSError as exc:
                cause = os_cause(path, exc)
                why = gettext("{path}: cannot open it for writing: {cause}")
                raise LogError(why.format(path=log, cause=said(cause)), cause) from None
            try:
                with contextlib.suppress(OSError):  # someone else's file: left as it is
                    os.fchmod(fd, 0o600)
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _holder(fd, path)
                os.close(fd)
                busy = gettext(
                    "{path} is in use by {holder}: a log has one writer at a time. Stop that "
                    "server first, or choose another --db (`sitroom report` reads a live log)"
                )
                raise LogError(
                    busy.format(path=log, holder=said(holder)),
                    Phrase(N_("the log is in use by {holder}"), holder=holder),
                ) from None
            except OSError as exc:
                os.close(fd)
                why = gettext("{path}: cannot lock it ({error})")
                raise LogError(why.format(path=log, error=exc.strerror or exc)) from None
            if _same_file(fd, path):
                break
            os.close(fd)  # its holder removed it as we opened it: take the new one
        else:  # pragma: no cover - a hundred lock files removed under us
            why = gettext("{path}: cannot lock it (its lock file keeps changing)")
            raise LogError(why.format(path=log))
        started = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        mine = {"pid": os.getpid(), "host": socket.gethostname(), "started": started}
        with contextlib.suppress(OSError):  # the lock is what counts; the note helps people
            os.ftruncate(fd, 0)
            os.pwrite(fd, (json.dumps(mine) + "\n").encode(), 0)
        return cls(path, fd)

    def release(self) -> None:
        """Remove the lock file (while still holding it), then let go."""
        if self._fd < 0:
            return
        with contextlib.suppress(OSError):
            if _same_file(self._fd, self.path):
                os.unlink(self.path)
        os.close(self._fd)
        self._fd = -1


def _same_file(fd: int, path: Path) -> bool:
    try:
        here, there = os.fstat(fd), os.lstat(path)
    except OSError:
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


def _holder(fd: int, path: Path) -> Phrase:
    """Who holds the lock, from its file (the holder may still be writing it: retry)."""
    for _ in range(20):
        try:
            data = json.loads(os.pread(fd, 4096, 0).decode("utf-8", "replace"))
            pid, host, started = int(data["pid"]), data["host"], data["started"]
            holder = N_("sitroom pid {pid} on {host} (since {started})")
            return Phrase(holder, pid=pid, host=host, started=started)
        except (OSError, ValueError, KeyError, TypeError):
            time.sleep(0.05)
    return Phrase(N_("another process (its lock file {path} does not say which)"), path=path)


def format_version(path: Path, header: dict[str, str]) -> int:
    """The header's log format version, or a :class:`LogError` saying the header is damaged."""
    text = header.get("format_version", "0")
    try:
        return int(text)
    except ValueError:
        what = Phrase(_NOT_A_NUMBER, key="format_version", text=repr(text[:20]))
        raise _damaged(path, what) from None


_REQUIRED = ("scenario_text", "scenario_sha256", "seed", "roster")
_NOT_A_NUMBER = N_("'{key}' is not a number ({text})")


def _damaged(path: Path, what: Phrase) -> LogError:
    """The header of the log at ``path`` is damaged: ``what`` says how."""
    why = gettext("{path}: the log's header is damaged: {what}")
    return LogError(why.format(path=path, what=what.said()))


def check_header(path: Path, header: dict[str, str]) -> None:
    """Every key the log needs is there and readable, and the scenario text is the one
    its hash names (a header edited or damaged on disk is refused, named)."""

    for key in _REQUIRED:
        if key not in header:
            raise _damaged(path, Phrase(N_("'{key}' is missing"), key=key))
    try:
        int(header["seed"])
    except ValueError:
        text = repr(header["seed"][:20])
        raise _damaged(path, Phrase(_NOT_A_NUMBER, key="seed", text=text)) from None
    try:
        rows = json.loads(header["roster"])
        if not isinstance(rows, list) or not all(
            isinstance(r, dict) and all(isinstance(r.get(k), str) for k in ("id", "role", "name"))
            for r in rows
        ):
            raise ValueError("not a list of teams")
        Roster.from_list(rows)
    except (ValueError, KeyError, TypeError) as exc:
        teams = Phrase(N_("'roster' is not a list of teams ({error})"), error=exc)
        raise _damaged(path, teams) from None
    digest = hashlib.sha256(header["scenario_text"].encode("utf-8")).hexdigest()
    if digest != header["scenario_sha256"]:
        altered = N_("the scenario text stored in it does not match its sha256 (altered?)")
        raise _damaged(path, Phrase(altered))


class EventLog:
    """One exercise's log file. Not thread-safe: one writer, from one thread."""

    def __init__(
        self,
        path: Path,
        conn: sqlite3.Connection,
        *,
        readonly: bool = False,
        lock: LogLock | None = None,
    ) -> None:
        self.path = path
        self._conn = conn
        self.readonly = readonly
        self._lock = lock
        with self._reading(N_("read its header")):
            row = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()
            self._next_seq = int(row[0]) + 1
            self.header: dict[str, str] = dict(conn.execute("SELECT key, value FROM header"))

    # -------------------------------------------------------------- opening

    @staticmethod
    def _connect(path: Path, readonly: bool = False) -> sqlite3.Connection:
        """A connection, its first read done (where a missing folder or -shm shows)."""
        try:
            if readonly:
                uri = f"{path.resolve().as_uri()}?mode=ro"
                try:
                    conn = _probe(_sqlite(uri, uri=True))
                except sqlite3.OperationalError as exc:
                    # A read-only folder: SQLite cannot make the -shm a WAL reader needs.
                    # Nobody can be writing there, so read the file as it is, unless
                    # it has a -wal whose changes that would miss.
                    wal = Path(f"{path}-wal")
                    if _folder_writable(path) or (wal.exists() and wal.stat().st_size > 0):
                        raise exc from None
                    conn = _probe(_sqlite(f"{uri}&immutable=1", uri=True))
                conn.execute("PRAGMA busy_timeout=5000")
                return conn
            conn = _sqlite(str(path))
            try:
                conn.execute("PRAGMA busy_timeout=5000")
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=FULL")
            except BaseException:
                conn.close()
                raise
            _probe(conn)
        except sqlite3.Error as exc:
            cause = sqlite_cause(path, exc)
            why = gettext("{path}: cannot open the log: {cause}")
            raise LogError(why.format(path=path, cause=said(cause)), cause) from None
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
        lock = LogLock.acquire(target)
        created = False
        conn: sqlite3.Connection | None = None
        try:
            if target.exists() and target.stat().st_size > 0:
                there = gettext(
                    "{path} already exists: resume it with --resume, or choose another --db"
                )
                raise LogError(there.format(path=target))
            created = _create_file(target)
            conn = cls._connect(target)
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
            try:
                conn.executescript(_SCHEMA)
                with _transaction(conn):
                    conn.executemany("INSERT INTO header(key, value) VALUES (?, ?)", header.items())
            except sqlite3.Error as exc:
                cause = sqlite_cause(target, exc)
                why = gettext("{path}: cannot create the log: {cause}")
                raise LogError(why.format(path=target, cause=said(cause)), cause) from None
            return cls(target, conn, lock=lock)
        except BaseException:
            if conn is not None:
                conn.close()
            if created:
                for suffix in ("", "-wal", "-shm", "-journal"):
                    with contextlib.suppress(OSError):
                        os.unlink(f"{target}{suffix}")
            lock.release()
            raise

    @classmethod
    def open(
        cls, path: str | Path, *, expect_sha256: str | None = None, readonly: bool = False
    ) -> EventLog:
        """An existing log, checked: its format, its version, its header and (if given) its
        scenario; opened for writing, also its pages (``PRAGMA quick_check``).

        ``readonly`` opens it for reading while another process may still be writing
        (a report on a live exercise sees what is committed so far); a writer holds the
        log's lock until :meth:`close`, and is refused while another holds it.
        """
        target = Path(path)
        if target.is_dir():
            raise LogError(gettext("{path}: is a folder, not an event log").format(path=target))
        if not target.exists():
            raise LogError(gettext("{path}: no such log").format(path=target))
        lock = None if readonly else LogLock.acquire(target)
        try:
            conn = cls._connect(target, readonly)
            try:
                cls._check(target, conn, expect_sha256, readonly)
                return cls(target, conn, readonly=readonly, lock=lock)
            except BaseException:
                conn.close()
                raise
        except BaseException:
            if lock is not None:
                lock.release()
            raise

    @staticmethod
    def _check(
        target: Path, conn: sqlite3.Connection, expect_sha256: str | None, readonly: bool
    ) -> None:
        try:
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if not {"header", "events"} <= tables:
                raise LogError(gettext("{path}: not a sitroom event log").format(path=target))
            header = dict(conn.execute("SELECT key, value FROM header"))
        except sqlite3.Error as exc:
            cause = sqlite_cause(target, exc)
            why = gettext("{path}: cannot read the log: {cause}")
            raise LogError(why.format(path=target, cause=said(cause)), cause) from None
        if header.get("format") != FORMAT:
            raise LogError(gettext("{path}: not a sitroom event log").format(path=target))
        version = format_version(target, header)
        if version > FORMAT_VERSION:
            newer = gettext(
                "{path} was written by a newer sitroom (log format {version}); "
                "this one reads format {ours} and older: upgrade sitroom"
            )
            raise LogError(newer.format(path=target, version=version, ours=FORMAT_VERSION))
        if version < FORMAT_VERSION:
            older = gettext(
                "{path} was written by an older sitroom (log format {version}; this one "
                "reads format {ours}): convert it with "
                "`sitroom migrate {path} NEW.db` (the old file is kept as it is)"
            )
            raise LogError(older.format(path=target, version=version, ours=FORMAT_VERSION))
        check_header(target, header)
        if expect_sha256 is not None and header["scenario_sha256"] != expect_sha256:
            theirs = header["scenario_sha256"][:12]
            other = gettext(
                "{path} was recorded with a different scenario text (sha256 "
                "{theirs}…, the file given is {given}…): resume with the "
                "scenario the log was made with, or start a new log"
            )
            given = expect_sha256[:12]
            raise LogError(other.format(path=target, theirs=theirs, given=given))
        if not readonly:
            _check_pages(target, conn)

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
        with self._writing(N_("record its header's '{key}'"), key=key):
            self._conn.execute(
                "INSERT OR REPLACE INTO header(key, value) VALUES (?, ?)", (key, value)
            )
        self.header[key] = value

    # -------------------------------------------------------------- writing

    @property
    def next_seq(self) -> int:
        return self._next_seq

    def append(
        self, events: Iterable[Event], wall: float | None = None, *, own_wall: bool = False
    ) -> list[Event]:
        """Write events in one transaction; durable when this returns. Sets their seq and wall
        (``own_wall``: keep each event's own wall time, as a migration copies it).

        A failure (a full disk, say) rolls the whole batch back, leaves the log and its
        numbering as they were, and raises :class:`LogError` naming the cause."""
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
                    _crc_of(seq, event.t, event.kind, event.team, event.actor, payload),
                    event.origin,
                )
            )
            seq += 1
        try:
            first, last = self._next_seq, seq - 1
            one, many = N_("record event #{first}"), N_("record event #{first} to #{last}")
            with self._writing(many if last > first else one, first=first, last=last):
                self._conn.executemany(
                    "INSERT INTO events(seq, t, wall, kind, team, actor, payload, crc, origin) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    rows,
                )
        except BaseException:
            for event in batch:
                event.seq = 0
            raise
        self._next_seq = seq
        return batch

    @contextlib.contextmanager
    def _writing(self, doing: str, **values: object) -> Iterator[None]:
        """One transaction; on any failure rolled back, an SQLite one raised as LogError
        (``doing``, an ``N_`` message filled with ``values``, is said only then)."""
        try:
            with _transaction(self._conn):
                yield
        except sqlite3.Error as exc:
            raise self._failed(exc, doing, values) from None

    @contextlib.contextmanager
    def _reading(self, doing: str, **values: object) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise self._failed(exc, doing, values) from None

    def _failed(self, exc: sqlite3.Error, doing: str, values: dict[str, object]) -> LogError:
        cause = sqlite_cause(self.path, exc)
        why = gettext("{path}: cannot {doing}: {cause}")
        said_doing = Phrase(doing, **values).said()
        return LogError(why.format(path=self.path, doing=said_doing, cause=said(cause)), cause)

    # -------------------------------------------------------------- reading

    def rows(self, after_seq: int = 0, *, verify: bool = True) -> Iterator[Row]:
        """Rows with seq greater than ``after_seq``, in order, bodies still as JSON text.

        With ``verify``, a row whose CRC does not match raises :class:`DamagedRow`, and
        a missing row (a gap in the numbering) :class:`MissingRow`, naming it (the
        caller decides whether a damaged last row may be dropped). A page SQLite
        cannot read raises :class:`DamagedPage` naming the first event it holds.
        Replay reads these: it parses inputs and compares outputs as text.
        """
        return _scan(self.path, self._conn, after_seq, verify)

    def records(self, *, verify: bool = True) -> Iterator[Record]:
        """Every row as replay reads it: ``(seq, t, kind, payload)``, plain tuples.

        The same rows, checks and errors as :meth:`rows`, without the columns replay
        never reads (the wall time, the origin) and without building a :class:`Row`
        per row: a long replay reads hundreds of thousands. Unverified, SQLite's rows
        come through as they are, a few thousand at a time.
        """
        return _records(self.path, self._conn, verify)

    def events(self, after_seq: int = 0, *, verify: bool = True) -> Iterator[Event]:
        """Events with seq greater than ``after_seq``, in order, typed (see :meth:`rows`)."""
        for row in self.rows(after_seq, verify=verify):
            yield row.event(self.path)

    def origins(self) -> dict[str, int]:
        """Every logged input's origin (``seat/message-id``) and its seq, for deduplication."""
        with self._reading(N_("read the inputs' origins")):
            rows = self._conn.execute("SELECT origin, seq FROM events WHERE origin IS NOT NULL")
            return {origin: int(seq) for origin, seq in rows}

    def count(self) -> int:
        with self._reading(N_("count its events")):
            return int(self._conn.execute("SELECT COUNT(*) FROM events").fetchone()[0])

    def last_time(self) -> int:
        with self._reading(N_("read its last event")):
            row = self._conn.execute("SELECT t FROM events ORDER BY seq DESC LIMIT 1").fetchone()
        return int(row[0]) if row else 0

    def drop_from(self, seq: int) -> int:
        """Delete events from ``seq`` on (a damaged tail); returns how many were dropped."""
        with self._writing(N_("drop events from #{seq}"), seq=seq):
            cur = self._conn.execute("DELETE FROM events WHERE seq >= ?", (seq,))
        self._next_seq = seq
        return cur.rowcount

    def size_bytes(self) -> int:
        total = 0
        for suffix in ("", "-wal"):
            with contextlib.suppress(OSError):
                total += os.stat(f"{self.path}{suffix}").st_size
        return total

    def close(self) -> None:
        if not self.readonly:
            with contextlib.suppress(sqlite3.Error):
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._conn.close()
        if self._lock is not None:
            self._lock.release()

    def __enter__(self) -> EventLog:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def _sqlite(target: str, uri: bool = False) -> sqlite3.Connection:
    return sqlite3.connect(target, uri=uri, isolation_level=None, check_same_thread=False)


def _probe(conn: sqlite3.Connection) -> sqlite3.Connection:
    try:
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except BaseException:
        conn.close()
        raise
    return conn


@contextlib.contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``; any failure rolls back (if SQLite has not already:
    after a full disk it may have), and the original error is the one raised."""
    try:
        conn.execute("BEGIN IMMEDIATE")
        yield
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        raise


def _create_file(target: Path) -> bool:
    """Make the log's file, owner-only, never through a symlink; True if it was created
    (False: an empty regular file was already there)."""
    try:
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
            fd = os.open(target, flags, 0o600)
            created = True
        except FileExistsError:
            if not os.path.isfile(target) or os.path.islink(target):
                raise OSError(errno.ELOOP, "not a regular file", str(target)) from None
            fd = os.open(target, os.O_WRONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
            created = False
        try:
            os.fchmod(fd, 0o600)
        finally:
            os.close(fd)
    except OSError as exc:
        cause = os_cause(target, exc)
        why = gettext("{path}: cannot create the log: {cause}")
        raise LogError(why.format(path=target, cause=said(cause)), cause) from None
    return created


def _scan(path: Path, conn: sqlite3.Connection, after_seq: int, verify: bool) -> Iterator[Row]:
    last = after_seq
    # Replay reads every row of a log through here: rows are built without
    # NamedTuple's keyword handling.
    make = tuple.__new__
    try:
        if not verify:
            # Only the Row's own columns, in its order: a third less for SQLite to
            # convert (the team, actor and checksum serve the check alone).
            cursor = conn.execute(
                "SELECT seq, t, wall, kind, payload, origin FROM events WHERE seq > ? ORDER BY seq",
                (after_seq,),
            )
            for row in cursor:
                last = row[0]
                yield make(Row, row)
            return
        cursor = conn.execute(
            "SELECT seq, t, wall, kind, team, actor, payload, crc, origin FROM events "
            "WHERE seq > ? ORDER BY seq",
            (after_seq,),
        )
        crc_of = _crc_of
        for seq, t, wall, kind, team, actor, payload, crc, origin in cursor:
            if seq != last + 1:
                raise MissingRow(last + 1, _missing(path, last, seq))
            if crc != crc_of(seq, t, kind, team, actor, payload):
                raise DamagedRow(seq, _checksum(path, seq))
            last = seq
            yield make(Row, (seq, t, wall, kind, payload, origin))
    except sqlite3.Error as exc:
        cause = sqlite_cause(path, exc)
        first = _first_unreadable(conn, last + 1)
        why = gettext(
            "{path}: the log is damaged from event #{seq} on: it cannot be read ({cause})"
        )
        raise DamagedPage(first, why.format(path=path, seq=first, cause=said(cause))) from None


def _missing(path: Path, last: int, seq: int) -> Phrase:
    """Event ``last + 1`` is missing: the row after ``last`` is ``seq``."""
    if last:
        where = Phrase(N_("goes from #{last} to #{seq}"), last=last, seq=seq)
    else:
        where = Phrase(N_("starts at #{seq}"), seq=seq)
    why = N_(
        "{path}: event #{seq} is missing (the log {where}): rows were "
        "deleted or lost, so nothing after it can be trusted"
    )
    return Phrase(why, path=path, seq=last + 1, where=where)


def _checksum(path: Path, seq: int) -> Phrase:
    return Phrase(N_("{path}: event #{seq} is damaged (checksum mismatch)"), path=path, seq=seq)


Record = tuple[int, int, str, str]
"""A row as replay reads it: ``(seq, t, kind, payload)`` (see :meth:`EventLog.records`)."""
_RECORDS_AT_ONCE = 4096
"""Rows fetched at a time by an unverified read of records."""


def _records(path: Path, conn: sqlite3.Connection, verify: bool) -> Iterator[Record]:
    if not verify:
        return chain.from_iterable(_batches(path, conn))
    return _verified_records(path, conn)


def _batches(path: Path, conn: sqlite3.Connection) -> Iterator[list[Record]]:
    last = 0
    try:
        cursor = conn.execute("SELECT seq, t, kind, payload FROM events ORDER BY seq")
        while batch := cursor.fetchmany(_RECORDS_AT_ONCE):
            yield batch
            last = batch[-1][0]
    except sqlite3.Error:
        # Read on from the last batch as :meth:`EventLog.rows` does: it names the
        # first event that cannot be read, exactly as a read of rows would.
        yield [(r.seq, r.t, r.kind, r.payload) for r in _scan(path, conn, last, False)]


def _verified_records(path: Path, conn: sqlite3.Connection) -> Iterator[Record]:
    """The checks of :func:`_scan` (numbering, checksums), yielding records."""
    last = 0
    try:
        cursor = conn.execute(
            "SELECT seq, t, kind, team, actor, payload, crc FROM events ORDER BY seq"
        )
        crc_of = _crc_of
        for seq, t, kind, team, actor, payload, crc in cursor:
            if seq != last + 1:
                raise MissingRow(last + 1, _missing(path, last, seq))
            if crc != crc_of(seq, t, kind, team, actor, payload):
                raise DamagedRow(seq, _checksum(path, seq))
            last = seq
            yield seq, t, kind, payload
    except sqlite3.Error:
        for r in _scan(path, conn, last, True):  # names the damage (see _batches)
            yield r.seq, r.t, r.kind, r.payload


def _first_unreadable(conn: sqlite3.Connection, seq: int) -> int:
    """The first event from ``seq`` that a lookup of its own cannot read (a scan fails a
    row early: the cursor reads one ahead)."""
    for _ in range(10_000):
        try:
            row = conn.execute("SELECT payload FROM events WHERE seq = ?", (seq,)).fetchone()
        except sqlite3.Error:
            return seq
        if row is None:
            return seq
        seq += 1
    return seq


def _check_pages(target: Path, conn: sqlite3.Connection) -> None:
    """SQLite's own check of every page (a tenth of a second for 300,000 events); damage
    is located by reading the events, and named by the first one that cannot be read."""
    try:
        found = [r[0] for r in conn.execute("PRAGMA quick_check(5)")]
        problem = "" if found == ["ok"] else "; ".join(str(f) for f in found)[:300]
    except sqlite3.Error as exc:
        problem = sqlite_cause(target, exc)
    if not problem:
        return
    for _ in _scan(target, conn, 0, verify=False):
        pass
    why = gettext(
        "{path}: the log is damaged ({problem}): its events read, but it cannot be "
        "written safely; `sitroom report` may still read it"
    )
    raise LogError(why.format(path=target, problem=said(problem)))


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
            why = N_("{path}: event #{seq} ({kind}) is not a valid event: {error}")
            raise DamagedRow(
                self.seq, Phrase(why, path=path, seq=self.seq, kind=self.kind, error=exc)
            ) from None
        return Event(body, self.t, self.seq, self.wall, self.origin)

    def command(self, path: Path | str = "") -> AnyCommand:
        """The command of an input row, parsed by its own class (replay's fast path;
        raises :class:`DamagedRow` when the body is not a valid command)."""
        try:
            return parse_command(self.kind, self.payload)
        except (KeyError, ValidationError) as exc:
            why = N_("{path}: event #{seq} ({kind}) is not a valid input: {error}")
            raise DamagedRow(
                self.seq, Phrase(why, path=path, seq=self.seq, kind=self.kind, error=exc)
            ) from None


class DamagedRow(LogError):
    """Event ``seq`` is damaged (its CRC does not match).

    Its message is said in the reader's language; ``phrase`` keeps it as a
    :class:`Phrase` too (English data), for a report that lists it as a warning."""

    def __init__(self, seq: int, message: str) -> None:
        super().__init__(said(message))
        self.seq = seq
        self.phrase = message


class MissingRow(DamagedRow):
    """Event ``seq`` is missing: the numbering has a gap (a row deleted or lost)."""


class DamagedPage(LogError):
    """SQLite cannot read the log from event ``seq`` on (a damaged page)."""

    def __init__(self, seq: int, message: str) -> None:
        super().__init__(message)
        self.seq = seq
