"""Converting a log of an older format into the current one.

Format 1 logs hold the accepted commands and the outputs of the engine of the
day, without the engine's decisions (``completed``, ``scored``). Their inputs are
the whole truth of an exercise, so a migration copies the header and feeds every
logged input, at its logged time and with its origin and wall time, to a fresh
engine, writing the inputs and what the engine makes of them into a new log. The
old file is only read; the new one is refused if it already exists.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from engine.commands import COMMAND_TYPES, parse_command
from engine.eventlog import (
    FORMAT,
    FORMAT_VERSION,
    EventLog,
    LogError,
    check_header,
    format_version,
    sqlite_cause,
)
from engine.events import Event
from engine.exercise import Exercise
from engine.i18n import _
from engine.i18n.phrase import said
from engine.replay import scenario_of_text
from engine.roster import Roster


@dataclass(frozen=True, slots=True)
class Migrated:
    inputs: int
    """Inputs copied."""
    rejected: int
    """Inputs the current engine refuses (kept out of the new log; listed by the CLI)."""
    events: int
    """Events in the new log."""
    reasons: tuple[str, ...] = ()


_KEPT = ("scenario_text", "scenario_sha256", "scenario_name", "seed", "roster")


def migrate(old: str | Path, new: str | Path) -> Migrated:
    """Write ``new``: the exercise of the older log ``old`` in the current format."""
    source = Path(old)
    if not source.exists():
        raise LogError(_("{path}: no such log").format(path=source))
    try:
        uri = f"{source.resolve().as_uri()}?mode=ro"
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as conn:
            header = dict(conn.execute("SELECT key, value FROM header"))
            rows = conn.execute(
                "SELECT seq, t, wall, kind, payload, origin FROM events ORDER BY seq"
            ).fetchall()
    except sqlite3.Error as exc:
        why = _("{path}: cannot read the log: {cause}")
        raise LogError(why.format(path=source, cause=said(sqlite_cause(source, exc)))) from None
    if header.get("format") != FORMAT:
        raise LogError(_("{path}: not a sitroom event log").format(path=source))
    version = format_version(source, header)
    if version >= FORMAT_VERSION:
        already = _("{path} is already in log format {version}: nothing to migrate")
        raise LogError(already.format(path=source, version=version))
    check_header(source, header)
    if "scenario_name" not in header:
        damaged = _("{path}: the log's header is damaged: 'scenario_name' is missing")
        raise LogError(damaged.format(path=source))
    scenario = scenario_of_text(header["scenario_text"], header["scenario_name"], source)
    roster = Roster.from_list(json.loads(header["roster"]))
    seed = int(header["seed"])
    extra = {k: v for k, v in header.items() if k not in (*_KEPT, "format", "format_version")}
    extra["migrated_from"] = f"format {version}"
    # Recorded: a migrated exercise keeps the grades it was played with (its text
    # answers carry no verdict, so the keyword grader grades them, as it did then).
    exercise = Exercise(scenario, roster, seed, recorded=True)
    inputs = 0
    reasons: list[str] = []
    batch: list[Event] = []
    with EventLog.create(
        new,
        scenario_text=header["scenario_text"],
        scenario_sha256=header["scenario_sha256"],
        scenario_name=header["scenario_name"],
        seed=seed,
        roster=roster,
        extra=extra,
    ) as log:
        for seq, t, wall, kind, payload, origin in rows:
            if kind not in COMMAND_TYPES:
                continue
            try:
                cmd = parse_command({**json.loads(payload), "type": kind})
            except (ValidationError, ValueError) as exc:
                unreadable = _("{seq} {kind}: unreadable ({error})")
                reasons.append("#" + unreadable.format(seq=seq, kind=kind, error=exc))
                continue
            outcome = exercise.submit(cmd, int(t))
            if not outcome.ok:
                reasons.append(f"#{seq} {kind}: {outcome.reason}")
                continue
            inputs += 1
            for event in exercise.drain():
                event.wall = float(wall)
                if event.is_input:
                    event.origin = origin
                batch.append(event)
            if len(batch) >= 10_000:
                log.append(batch, own_wall=True)
                batch = []
        if rows:
            exercise.advance_to(max(exercise.now, int(rows[-1][1])))
            for event in exercise.drain():
                event.wall = float(rows[-1][2])
                batch.append(event)
        log.append(batch, own_wall=True)
        count = log.count()
    return Migrated(inputs, len(reasons), count, tuple(reasons))
