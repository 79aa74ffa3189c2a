"""A long replay checks its rows' checksums in a second process (engine.logcheck).

The replay reads rows unverified and trusts the result only when the other process
found every row sound; otherwise it reads again, verifying, so damage is named (or a
damaged last row dropped) exactly as a single-process read does. Here every log is
"long" (the threshold is set to 0) and each case is compared with the plain read.
"""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest

from engine import logcheck, replay
from engine.eventlog import DamagedRow, EventLog, MissingRow
from engine.replay import rebuild, resume
from tests.engine.test_log_replay import dry_run_log


class _Spy(logcheck.RowCheck):
    made: list[_Spy] = []

    def __init__(self, path: str | Path, upto: int) -> None:
        super().__init__(path, upto)
        self.verdict: bool | None = None
        _Spy.made.append(self)

    def passed(self) -> bool:
        self.verdict = super().passed()
        return self.verdict


@pytest.fixture
def aside(monkeypatch: pytest.MonkeyPatch) -> list[_Spy]:
    """Every replay checks aside; the list holds the checks made."""
    monkeypatch.setattr(replay, "CHECK_ASIDE_FROM", 0)
    monkeypatch.setattr(replay, "RowCheck", _Spy)
    _Spy.made = []
    return _Spy.made


def _damage(path: Path, seq: int) -> None:
    with sqlite3.connect(path) as db:
        db.execute("UPDATE events SET payload = payload || ' ' WHERE seq = ?", (seq,))


def test_a_sound_log_replays_the_same_with_its_rows_checked_aside(
    tmp_path: Path, aside: list[_Spy], monkeypatch: pytest.MonkeyPatch
) -> None:
    produced = dry_run_log(tmp_path / "x.db")
    reads: list[bool] = []
    plain_records = EventLog.records

    def records(self: EventLog, *, verify: bool = True):  # type: ignore[no-untyped-def]
        reads.append(verify)
        return plain_records(self, verify=verify)

    monkeypatch.setattr(EventLog, "records", records)
    with EventLog.open(tmp_path / "x.db") as log:
        rebuilt = rebuild(log)
    assert reads == [False]  # read once, unverified
    assert [c.verdict for c in aside] == [True]
    assert rebuilt.events == len(produced)
    assert rebuilt.pending == []
    monkeypatch.setattr(replay, "CHECK_ASIDE_FROM", 10**12)
    with EventLog.open(tmp_path / "x.db") as log:
        plain = rebuild(log)
    assert reads == [False, True]
    assert {t: s.decisions for t, s in rebuilt.exercise.teams.items()} == {
        t: s.decisions for t, s in plain.exercise.teams.items()
    }


@pytest.mark.parametrize("seq", [2, 5, 9])
def test_a_damaged_row_is_named_as_a_plain_read_names_it(
    tmp_path: Path, aside: list[_Spy], seq: int
) -> None:
    dry_run_log(tmp_path / "x.db")
    _damage(tmp_path / "x.db", seq)
    with EventLog.open(tmp_path / "x.db") as log, pytest.raises(DamagedRow) as exc:
        rebuild(log, drop_damaged_tail=True)
    assert f"event #{seq} is damaged (checksum mismatch)" in str(exc.value)
    assert [c.verdict for c in aside] == [False]


def test_a_missing_row_is_named(tmp_path: Path, aside: list[_Spy]) -> None:
    dry_run_log(tmp_path / "x.db")
    with sqlite3.connect(tmp_path / "x.db") as db:
        db.execute("DELETE FROM events WHERE seq = 7")
    with EventLog.open(tmp_path / "x.db") as log, pytest.raises(MissingRow, match="#7 is missing"):
        rebuild(log)
    assert [c.verdict for c in aside] == [False]


def test_a_damaged_last_row_is_still_dropped_on_resume(tmp_path: Path, aside: list[_Spy]) -> None:
    produced = dry_run_log(tmp_path / "x.db")
    _damage(tmp_path / "x.db", len(produced))
    log, rebuilt = resume(tmp_path / "x.db")
    with log:
        assert rebuilt.dropped == 1
        assert [e.identity() for e in log.events()][: len(produced) - 1] == produced[:-1]
    assert aside[0].verdict is False


@pytest.mark.parametrize("name", ["run#2.db", "what?.db", "a%20b.db"])
def test_a_path_that_means_something_in_a_uri_is_checked_as_named(
    tmp_path: Path, aside: list[_Spy], name: str
) -> None:
    """The check opens the log by URI: '#', '?' or '%20' in its name must not make it
    check another file (here a sound one the cut-off name would point at)."""
    dry_run_log(tmp_path / "run")
    dry_run_log(tmp_path / "what")
    dry_run_log(tmp_path / "a b.db")
    dry_run_log(tmp_path / name)
    _damage(tmp_path / name, 4)
    with EventLog.open(tmp_path / name) as log, pytest.raises(DamagedRow, match="#4 is damaged"):
        rebuild(log)
    assert [c.verdict for c in aside] == [False]


def test_without_a_check_process_the_replay_verifies_as_it_reads(
    tmp_path: Path, aside: list[_Spy], monkeypatch: pytest.MonkeyPatch
) -> None:
    def cannot_start(*args: object, **kwargs: object) -> None:
        raise OSError("no processes left")

    monkeypatch.setattr(subprocess, "Popen", cannot_start)  # how logcheck starts its check process
    dry_run_log(tmp_path / "x.db")
    _damage(tmp_path / "x.db", 6)
    with EventLog.open(tmp_path / "x.db") as log, pytest.raises(DamagedRow, match="#6 is damaged"):
        rebuild(log)
    assert not aside[0].started


def test_the_check_itself(tmp_path: Path) -> None:
    produced = dry_run_log(tmp_path / "x.db")
    assert logcheck.clean(tmp_path / "x.db")
    assert logcheck.clean(tmp_path / "x.db", len(produced))
    assert not logcheck.clean(tmp_path / "x.db", len(produced) + 1)  # a row it did not see
    _damage(tmp_path / "x.db", 3)
    assert not logcheck.clean(tmp_path / "x.db")
    assert not logcheck.clean(tmp_path / "absent.db")
    (tmp_path / "text.db").write_text("not a database")
    assert not logcheck.clean(tmp_path / "text.db")
