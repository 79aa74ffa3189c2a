"""Logs of an older format: refused with a way out, and ``sitroom migrate`` converts them.

A format-1 log is what the previous engine wrote: the same inputs and outputs,
without the engine's ``completed`` and ``scored`` decisions. The test makes one
from a current log (dropping those rows, setting the version) and checks that
every reader refuses it naming the command, and that the converted log replays
and reports exactly as the exercise it came from.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from engine.eventlog import EventLog
from engine.logcheck import crc as _crc
from engine.replay import rebuild
from tests.engine.conftest import FIXTURE
from tests.engine.test_dryrun_cli import sitroom


def _format_1(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("DELETE FROM events WHERE kind IN ('completed', 'scored')")
    conn.execute("UPDATE header SET value = '1' WHERE key = 'format_version'")
    conn.commit()
    conn.close()


def test_old_log_is_refused_then_migrated(tmp_path: Path) -> None:
    current = tmp_path / "current.db"
    out = sitroom("dry-run", str(FIXTURE), "--teams", "3", "--seed", "4", "--log", str(current))
    assert out.returncode == 0, out.stderr
    old = tmp_path / "old.db"
    old.write_bytes(current.read_bytes())
    _format_1(old)

    refused = sitroom("report", str(old))
    assert refused.returncode != 0
    assert "older sitroom (log format 1" in refused.stderr
    assert f"sitroom migrate {old} NEW.db" in refused.stderr

    new = tmp_path / "new.db"
    done = sitroom("migrate", str(old), str(new))
    assert done.returncode == 0, done.stderr
    assert "inputs replayed" in done.stderr
    with EventLog.open(new) as log, EventLog.open(current) as original:
        assert log.header["migrated_from"] == "format 1"
        rebuilt = rebuild(log)
        assert rebuilt.events == original.count()
        assert [(e.kind, e.t, e.payload_json(), e.origin) for e in log.events()] == [
            (e.kind, e.t, e.payload_json(), e.origin) for e in original.events()
        ]
    report_new = sitroom("report", str(new)).stdout
    assert report_new.replace("new.db", "current.db") == sitroom("report", str(current)).stdout

    again = sitroom("migrate", str(old), str(new))
    assert again.returncode == 1 and "already exists" in again.stderr
    nothing = sitroom("migrate", str(current), str(tmp_path / "x.db"))
    assert nothing.returncode == 1 and "nothing to migrate" in nothing.stderr


def _format_2(db: Path) -> int:
    """Rewrite a current log as format 2 wrote it: a ``completed`` row before the
    ``scored`` that now says ``completed`` (rows renumbered, checksums remade)."""
    conn = sqlite3.connect(db)
    rows = conn.execute(
        "SELECT seq, t, wall, kind, team, actor, payload, origin FROM events ORDER BY seq"
    ).fetchall()
    out = []
    for _seq, t, wall, kind, team, actor, payload, origin in rows:
        body = json.loads(payload)
        if kind == "scored" and body.pop("completed", None):
            done = json.dumps({"team": body["team"], "expectation": body["expectation"]})
            out.append((t, wall, "completed", team, actor, done, None))
            payload = json.dumps(body, separators=(",", ":"))
        out.append((t, wall, kind, team, actor, payload, origin))
    conn.execute("DELETE FROM events")
    for seq, (t, wall, kind, team, actor, payload, origin) in enumerate(out, 1):
        conn.execute(
            "INSERT INTO events (seq, t, wall, kind, team, actor, payload, crc, origin) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                seq,
                t,
                wall,
                kind,
                team,
                actor,
                payload,
                _crc(seq, t, kind, team, actor, payload),
                origin,
            ),
        )
    conn.execute("UPDATE header SET value = '2' WHERE key = 'format_version'")
    conn.commit()
    conn.close()
    return len(out) - len(rows)


def test_format_2_log_with_separate_completions_is_migrated(tmp_path: Path) -> None:
    """Format 3 folded ``completed`` into ``scored``: a format-2 log is refused with the
    way out, and migrating it gives the very log the current engine writes."""
    current = tmp_path / "current.db"
    out = sitroom("dry-run", str(FIXTURE), "--teams", "3", "--seed", "4", "--log", str(current))
    assert out.returncode == 0, out.stderr
    old = tmp_path / "old.db"
    old.write_bytes(current.read_bytes())
    assert _format_2(old) > 0
    refused = sitroom("report", str(old))
    assert refused.returncode != 0 and "older sitroom (log format 2" in refused.stderr
    new = tmp_path / "new.db"
    done = sitroom("migrate", str(old), str(new))
    assert done.returncode == 0, done.stderr
    with EventLog.open(new) as log, EventLog.open(current) as original:
        assert log.header["migrated_from"] == "format 2"
        assert rebuild(log).events == original.count()
        assert [(e.kind, e.t, e.payload_json(), e.origin) for e in log.events()] == [
            (e.kind, e.t, e.payload_json(), e.origin) for e in original.events()
        ]
    report_new = sitroom("report", str(new)).stdout
    assert report_new.replace("new.db", "current.db") == sitroom("report", str(current)).stdout
