"""The log under careless hands: a second writer, file modes, missing and damaged rows,
a damaged header, a full disk, a read-only folder. Every failure is a LogError in our
words, naming what is wrong (the holder, the first missing or damaged event)."""

from __future__ import annotations

import contextlib
import os
import socket
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine import commands as c
from engine.eventlog import EventLog, LogError, lock_path
from engine.events import Event
from engine.exercise import Exercise
from engine.replay import resume
from engine.roster import roster_from_counts
from engine.scenario import load_file
from scoring.source import read_log
from tests.engine.conftest import FIXTURE
from tests.engine.fs_faults import junk_page, page_of, read_only
from tests.engine.test_log_replay import dry_run_log
from tui.cli import main as cli

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def notes_log(path: Path, notes: int = 200) -> EventLog:
    """A log holding a start and ``notes`` team notes whose texts are ``note-NNNN …``."""
    loaded = load_file(FIXTURE)
    scenario = loaded.require()
    roster = roster_from_counts(scenario, 1)
    ex = Exercise(scenario, roster)
    log = EventLog.create(
        path,
        scenario_text=loaded.text,
        scenario_sha256=loaded.sha256,
        scenario_name=loaded.name,
        seed=scenario.seed,
        roster=roster,
    )
    ex.submit(c.Start(), 0)
    log.append(ex.drain())
    for i in range(notes):
        ex.submit(c.TeamNote(team="a", member="m", text=f"note-{i:04d} " + "x" * 80), 1000)
        log.append(ex.drain())
    return log


def _sql(db: Path, statement: str) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute(statement)
    conn.close()


def _readable(db: Path, seq: int) -> bool:
    """Whether event ``seq`` reads by itself (a point lookup, apart from any scan)."""
    with contextlib.closing(sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        try:
            conn.execute("SELECT * FROM events WHERE seq = ?", (seq,)).fetchall()
        except sqlite3.DatabaseError:
            return False
    return True


# ------------------------------------------------------------------ one writer


def test_a_second_writer_is_refused_naming_the_holder(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    dry_run_log(db)
    holder = f"pid {os.getpid()} on {socket.gethostname()}"
    with EventLog.open(db) as first:
        with pytest.raises(LogError, match=rf"in use .*{holder}"):
            EventLog.open(db)
        with pytest.raises(LogError, match=rf"in use .*{holder}"):
            resume(db)
        with EventLog.open(db, readonly=True) as reader:  # readers need no lock
            assert reader.count() == first.count()
        assert read_log(db).events
    assert not lock_path(db).exists(), "a clean close removes the lock file"
    with EventLog.open(db) as again:  # released on close
        assert again.count() > 0


def test_a_log_being_created_is_locked_too(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    with notes_log(db, 1), pytest.raises(LogError, match=rf"in use .*pid {os.getpid()}"):
        notes_log(db, 1)


def test_a_lock_left_by_a_killed_writer_does_not_block_a_restart(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    dry_run_log(db)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from engine.eventlog import EventLog\n"
            "log = EventLog.open(sys.argv[1])\n"
            "print('locked', flush=True)\n"
            "time.sleep(60)\n",
            str(db),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(LogError, match=rf"in use .*pid {holder.pid} on"):
            EventLog.open(db)
    finally:
        holder.kill()
        holder.wait()
    log, _ = resume(db)  # the kernel dropped the dead writer's lock
    log.close()


# ------------------------------------------------------------------ file modes


def test_the_log_and_its_companions_are_created_owner_only(tmp_path: Path, umask_022: None) -> None:
    db = tmp_path / "x.db"
    with notes_log(db, 5):
        found = {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir()}
    assert {"x.db", "x.db-wal", "x.db-shm", "x.db.lock"} <= set(found)
    assert found == dict.fromkeys(found, 0o600)


def test_a_symlink_planted_as_the_log_is_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    (tmp_path / "x.db").symlink_to(victim)
    with pytest.raises(LogError):
        notes_log(tmp_path / "x.db", 1)
    assert not victim.exists()


# ------------------------------------------------------------------ missing and damaged rows


@pytest.mark.parametrize("missing", [1, 7, 50])
def test_a_row_deleted_from_the_log_is_named(tmp_path: Path, missing: int) -> None:
    db = tmp_path / "x.db"
    dry_run_log(db)
    _sql(db, f"DELETE FROM events WHERE seq = {missing}")
    expected = rf"event #{missing} is missing"
    with EventLog.open(db, readonly=True) as log, pytest.raises(LogError, match=expected):
        list(log.rows())
    with pytest.raises(LogError, match=expected):
        read_log(db)
    with pytest.raises(LogError, match=expected):
        resume(db)


def test_a_damaged_row_is_named_by_report_and_resume(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    dry_run_log(db)
    _sql(db, "UPDATE events SET payload = payload || ' ' WHERE seq = 9")
    with pytest.raises(LogError, match="event #9 is damaged"):
        read_log(db)
    with pytest.raises(LogError, match="event #9 is damaged"):
        resume(db)


def test_junk_in_a_middle_page_is_named_never_a_traceback(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    notes_log(db).close()
    junk_page(db, page_of(db, "note-0120 "))
    first = next(seq for seq in range(1, 203) if not _readable(db, seq))
    assert first > 1
    expected = rf"event #{first}\b.*(damaged|cannot be read)"
    with pytest.raises(LogError, match=expected):
        read_log(db)
    with pytest.raises(LogError, match=expected):
        resume(db)
    assert cli(["report", str(db)]) == 1


@pytest.mark.parametrize(
    ("statement", "named"),
    [
        ("DELETE FROM header WHERE key = 'seed'", "seed"),
        ("UPDATE header SET value = 'x' WHERE key = 'format_version'", "format_version"),
        ("UPDATE header SET value = '[{' WHERE key = 'roster'", "roster"),
        ("UPDATE header SET value = '[{\"id\": 1}]' WHERE key = 'roster'", "roster"),
        ("DELETE FROM header WHERE key = 'scenario_text'", "scenario_text"),
        ("UPDATE header SET value = value || ' ' WHERE key = 'scenario_text'", "scenario"),
    ],
)
def test_a_damaged_header_is_named(tmp_path: Path, statement: str, named: str) -> None:
    db = tmp_path / "x.db"
    dry_run_log(db)
    _sql(db, statement)
    for attempt in (
        lambda: EventLog.open(db, readonly=True),
        lambda: read_log(db),
        lambda: resume(db),
    ):
        with pytest.raises(LogError, match=rf"header.*{named}|{named}.*header"):
            attempt()
    assert cli(["report", str(db)]) == 1


# ------------------------------------------------------------------ a full disk


def test_a_full_disk_fails_an_append_cleanly_and_the_log_carries_on(tmp_path: Path) -> None:
    log = notes_log(tmp_path / "x.db", 3)
    with log:
        count, next_seq = log.count(), log.next_seq
        pages = log._conn.execute("PRAGMA page_count").fetchone()[0]
        log._conn.execute(f"PRAGMA max_page_count = {pages}")
        loaded = load_file(FIXTURE)
        ex = Exercise(loaded.require(), log.roster)
        ex.submit(c.Start(), 0)
        ex.drain()
        for i in range(200):
            ex.submit(c.TeamNote(team="a", member="m", text=f"{i} " + "y" * 2000), 2000)
        batch: list[Event] = ex.drain()
        with pytest.raises(LogError, match="disk is full") as failure:
            log.append(batch)
        assert "rollback" not in str(failure.value)
        assert not log._conn.in_transaction
        assert log.next_seq == next_seq and log.count() == count
        assert all(e.seq == 0 for e in batch)
        log._conn.execute("PRAGMA max_page_count = 1073741823")  # space freed
        log.append(batch)
        assert [e.seq for e in log.events()] == list(range(1, next_seq + len(batch)))


# ------------------------------------------------------------------ a read-only folder


def test_a_clean_log_in_a_read_only_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "x.db"
    produced = dry_run_log(db)
    with read_only(folder):
        assert len(read_log(db).events) == len(produced)
        with pytest.raises(LogError, match="read-only") as refused:
            resume(db)
        assert "not a sitroom event log" not in str(refused.value)
        assert cli(["report", str(db)]) == 0
        capsys.readouterr()
        serve = [
            "serve", str(FIXTURE), "--db", str(db), "--resume", "--port", "0", "--quiet",
        ]  # fmt: skip
        assert cli(serve) == 1
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "read-only" in err[0], err
