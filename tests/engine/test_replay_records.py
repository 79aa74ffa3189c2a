"""Replay reads a log as records, ``(seq, t, kind, payload)``, and names what differs.

Records are the rows without what replay never reads (``EventLog.records``): the
same rows, checks and errors as ``EventLog.rows``, read in batches when unverified.
A log whose rows are sound but whose events are not the engine's (rows added,
renumbered and given fresh checksums) is refused at the first event that differs.
"""

from __future__ import annotations

import sqlite3
from itertools import pairwise
from pathlib import Path

import pytest

from engine import eventlog, logcheck, replay
from engine.eventlog import DamagedPage, EventLog
from engine.replay import ReplayMismatch, rebuild
from tests.engine.fs_faults import junk_page, page_of
from tests.engine.test_log_replay import dry_run_log
from tests.engine.test_log_safety import notes_log


def _as_records(log: EventLog, verify: bool) -> list[tuple[int, int, str, str]]:
    return [(r.seq, r.t, r.kind, r.payload) for r in log.rows(verify=verify)]


@pytest.mark.parametrize("verify", [True, False])
def test_records_are_the_rows_as_replay_reads_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, verify: bool
) -> None:
    produced = dry_run_log(tmp_path / "x.db")
    monkeypatch.setattr(eventlog, "_RECORDS_AT_ONCE", 7)  # many batches, a short last one
    with EventLog.open(tmp_path / "x.db", readonly=True) as log:
        records = list(log.records(verify=verify))
        assert records == _as_records(log, verify)
    assert [(kind, t, payload) for _, t, kind, payload in records] == produced


@pytest.mark.parametrize("verify", [True, False])
@pytest.mark.parametrize("at_once", [16, 4096])
def test_an_unreadable_page_is_named_as_a_read_of_rows_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, verify: bool, at_once: int
) -> None:
    db = tmp_path / "x.db"
    notes_log(db).close()
    junk_page(db, page_of(db, "note-0120 "))
    monkeypatch.setattr(eventlog, "_RECORDS_AT_ONCE", at_once)
    with EventLog.open(db, readonly=True) as log:
        with pytest.raises(DamagedPage) as by_rows:
            _as_records(log, verify)
        with pytest.raises(DamagedPage) as by_records:
            list(log.records(verify=verify))
    assert by_rows.value.seq > 1
    assert (by_records.value.seq, str(by_records.value)) == (by_rows.value.seq, str(by_rows.value))


@pytest.mark.parametrize("aside", [True, False])
def test_a_replay_names_an_unreadable_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, aside: bool
) -> None:
    db = tmp_path / "x.db"
    notes_log(db).close()
    junk_page(db, page_of(db, "note-0120 "))
    monkeypatch.setattr(replay, "CHECK_ASIDE_FROM", 0 if aside else 10**12)
    with EventLog.open(db, readonly=True) as log:
        with pytest.raises(DamagedPage) as by_rows:
            _as_records(log, True)
        with pytest.raises(DamagedPage) as by_replay:
            rebuild(log)
    assert (by_replay.value.seq, str(by_replay.value)) == (by_rows.value.seq, str(by_rows.value))


def _insert_copy(db: Path, copy: int, before: int) -> None:
    """Rewrite the log with a copy of event ``copy`` inserted before event ``before``,
    every row renumbered and given its checksum: a sound log of events that differ."""
    columns = "seq, t, wall, kind, team, actor, payload, crc, origin"
    with sqlite3.connect(db) as conn:
        rows = conn.execute(f"SELECT {columns} FROM events ORDER BY seq").fetchall()
        extra = (*rows[copy - 1][:8], None)
        rows = [*rows[: before - 1], extra, *rows[before - 1 :]]
        conn.execute("DELETE FROM events")
        for seq, (_, t, wall, kind, team, actor, payload, _, origin) in enumerate(rows, 1):
            crc = logcheck.crc(seq, t, kind, team, actor, payload)
            conn.execute(
                f"INSERT INTO events({columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (seq, t, wall, kind, team, actor, payload, crc, origin),
            )


def test_an_extra_event_before_an_input_is_named_where_it_is(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    dry_run_log(db)
    with EventLog.open(db, readonly=True) as log:
        records = list(log.records())
    # An answer and the `scored` it makes, at one moment: a copy of that `scored` goes
    # before the answer, where the replay makes nothing (the answer comes first).
    answer = next(
        seq
        for (seq, t, kind, _), (_, t_next, kind_next, _) in pairwise(records)
        if kind == "respond" and kind_next == "scored" and t == t_next
    )
    _insert_copy(db, copy=answer + 1, before=answer)
    with EventLog.open(db, readonly=True) as log, pytest.raises(ReplayMismatch) as exc:
        rebuild(log)
    assert exc.value.seq == answer  # the copy, not the answer after it
    assert f"replay differs at event #{answer}: the log has #{answer} " in str(exc.value)
    assert "the replay produces #0 " in str(exc.value) and " respond " in str(exc.value)
