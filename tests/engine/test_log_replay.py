"""The event log and replay: durability, refusals, damage, crash and resume."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from engine import commands as c
from engine.eventlog import DamagedRow, EventLog, LogError
from engine.exercise import Exercise
from engine.replay import ReplayMismatch, rebuild, resume
from engine.roster import roster_from_counts
from engine.scenario import load_bytes, load_file
from tests.engine.conftest import FIXTURE, M, logged_dry_run

ROOT = Path(__file__).resolve().parents[2]


def dry_run_log(
    path: Path, teams: int = 3, scenario_path: Path = FIXTURE
) -> list[tuple[str, int, str]]:
    loaded = load_file(scenario_path)
    scenario = loaded.require()
    roster = roster_from_counts(scenario, teams)
    result = logged_dry_run(path, loaded.text, scenario, roster, "mix", loaded.name)
    return [e.identity() for e in result.events]


def test_a_log_alone_rebuilds_the_exercise_exactly(tmp_path: Path) -> None:
    produced = dry_run_log(tmp_path / "x.db")
    with EventLog.open(tmp_path / "x.db") as log:
        assert [e.identity() for e in log.events()] == produced
        rebuilt = rebuild(log)
    assert rebuilt.events == len(produced)
    assert rebuilt.pending == []
    assert rebuilt.exercise.status == "ended"


def test_a_log_is_never_overwritten(tmp_path: Path) -> None:
    dry_run_log(tmp_path / "x.db")
    with pytest.raises(LogError, match="already exists: resume it with --resume"):
        dry_run_log(tmp_path / "x.db")


def test_a_log_from_another_scenario_is_refused(tmp_path: Path) -> None:
    dry_run_log(tmp_path / "x.db")
    with pytest.raises(LogError, match="recorded with a different scenario text"):
        EventLog.open(tmp_path / "x.db", expect_sha256="0" * 64)


def test_a_log_from_a_newer_sitroom_is_refused(tmp_path: Path) -> None:
    dry_run_log(tmp_path / "x.db")
    with sqlite3.connect(tmp_path / "x.db") as db:
        db.execute("UPDATE header SET value = '99' WHERE key = 'format_version'")
    with pytest.raises(LogError, match=r"newer sitroom \(log format 99\).*upgrade"):
        EventLog.open(tmp_path / "x.db")


def test_something_else_is_not_a_log(tmp_path: Path) -> None:
    (tmp_path / "notes.db").write_text("hello")
    with pytest.raises(LogError, match="not a sitroom event log"):
        EventLog.open(tmp_path / "notes.db")
    with sqlite3.connect(tmp_path / "other.db") as db:
        db.execute("CREATE TABLE t (x)")
    with pytest.raises(LogError, match="not a sitroom event log"):
        EventLog.open(tmp_path / "other.db")


def test_replay_names_the_first_event_that_differs(tmp_path: Path) -> None:
    dry_run_log(tmp_path / "x.db")
    with sqlite3.connect(tmp_path / "x.db") as db:
        db.execute("UPDATE header SET value = '12345' WHERE key = 'seed'")
        first_jittered = db.execute(
            "SELECT MIN(seq) FROM events WHERE kind = 'delivered' AND payload LIKE '%A2%'"
        ).fetchone()[0]
    with EventLog.open(tmp_path / "x.db") as log, pytest.raises(ReplayMismatch) as exc:
        rebuild(log)
    assert exc.value.seq == first_jittered
    # Named as the first difference even when a later input (a bot opening the inject
    # it expected) is what the replay cannot take.
    assert f"event #{first_jittered} " in str(exc.value)


def _damage(path: Path, seq: int) -> None:
    with sqlite3.connect(path) as db:
        db.execute("UPDATE events SET payload = payload || ' ' WHERE seq = ?", (seq,))


def test_a_damaged_row_in_the_middle_is_refused(tmp_path: Path) -> None:
    dry_run_log(tmp_path / "x.db")
    _damage(tmp_path / "x.db", 5)
    with EventLog.open(tmp_path / "x.db") as log, pytest.raises(DamagedRow, match="#5 is damaged"):
        rebuild(log, drop_damaged_tail=True)


def test_a_damaged_last_row_is_dropped_on_resume(tmp_path: Path) -> None:
    produced = dry_run_log(tmp_path / "x.db")
    _damage(tmp_path / "x.db", len(produced))
    log, rebuilt = resume(tmp_path / "x.db")
    with log:
        assert rebuilt.dropped == 1
        assert [e.identity() for e in log.events()][: len(produced) - 1] == produced[:-1]


def test_a_writer_killed_mid_append_loses_nothing_it_committed(tmp_path: Path) -> None:
    db = tmp_path / "crash.db"
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.engine.crash_writer", str(FIXTURE), str(db), "40"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    committed = 0
    for line in proc.stdout:
        committed = int(line)
        if committed >= 400:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    log, rebuilt = resume(db)
    with log:
        seqs = [e.seq for e in log.events()]
        assert seqs == list(range(1, len(seqs) + 1)), "no gap, no duplicate"
        assert len(seqs) >= committed
        ex = rebuilt.exercise
        assert ex.status == "paused", "a resumed exercise waits for the facilitator"
        assert seqs and log.count() == len(seqs)
        # Carry on to the end; the whole log must still replay exactly.
        assert ex.submit(c.Resume(), ex.now).ok
        ex.advance_to(3 * 60 * M)
        log.append(ex.drain())
        again = rebuild(log)
        assert again.exercise.status == "ended" and again.pending == []


def test_resume_continues_paused_and_redelivers_what_was_not_logged(tmp_path: Path) -> None:
    loaded = load_file(FIXTURE)
    scenario = loaded.require()
    roster = roster_from_counts(scenario, 2)
    db = tmp_path / "live.db"
    ex = Exercise(scenario, roster)
    with EventLog.create(
        db,
        scenario_text=loaded.text,
        scenario_sha256=loaded.sha256,
        scenario_name=loaded.name,
        seed=scenario.seed,
        roster=roster,
    ) as log:
        ex.submit(c.Start(), 0)
        ex.advance_to(10 * M)
        ex.submit(c.Respond(team="a-01", member="m", expectation="A1.d", choice="good"), 11 * M)
        log.append(ex.drain())
        ex.advance_to(12 * M)  # B-good reaches a-01 at 12m, but the "server" dies before logging
        lost = [e.identity() for e in ex.drain()]
    assert [k for k, *_ in lost] == ["delivered", "skipped"]  # B-good given, B-bad skipped
    log2, rebuilt = resume(db, expect_sha256=loaded.sha256)
    with log2:
        again = rebuilt.exercise
        assert again.status == "paused" and again.now == 11 * M
        assert [e.kind for e in log2.events()][-1] == "pause"
        assert again.submit(c.Resume(), 11 * M).ok
        again.advance_to(12 * M)
        assert [e.identity() for e in again.drain() if e.kind != "resume"] == lost


def test_outputs_due_at_the_last_logged_moment_are_added_on_resume(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8").replace(
        "after: {response: A1.d, delay: 1m}\n    when: {expectation: A1.d, chose: good}",
        "after: {response: A1.d, delay: 0}\n    when: {expectation: A1.d, chose: good}",
    )
    loaded = load_bytes(text, "zero-delay.yaml")
    scenario = loaded.require()
    roster = roster_from_counts(scenario, 1)
    ex = Exercise(scenario, roster)
    with EventLog.create(
        tmp_path / "z.db",
        scenario_text=loaded.text,
        scenario_sha256=loaded.sha256,
        scenario_name=loaded.name,
        seed=scenario.seed,
        roster=roster,
    ) as log:
        ex.submit(c.Start(), 0)
        ex.advance_to(10 * M)
        ex.submit(c.Respond(team="a", member="m", expectation="A1.d", choice="good"), 11 * M)
        log.append(ex.drain())
        ex.advance_to(11 * M)  # the zero-delay branch fires at 11m, after the logged answer
        lost = [e.identity() for e in ex.drain()]
    assert lost and lost[0][0] == "delivered"
    log2, rebuilt = resume(tmp_path / "z.db")
    with log2:
        assert [e.identity() for e in rebuilt.pending] == lost
        assert [e.identity() for e in log2.events()][-len(lost) - 1 : -1] == lost
