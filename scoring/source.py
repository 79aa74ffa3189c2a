"""Reading an exercise's event log for scoring: the scenario, the roster, the events.

A log may still be written by a live server: it is opened read-only and read in
one snapshot, so the report covers what was committed when it started. A damaged
last row (a crash in the middle of a write) is left out with a warning; damage
anywhere else is an error, since scores after it could not be trusted.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from engine.eventlog import DamagedRow, EventLog, LogError
from engine.events import Event
from engine.replay import scenario_of
from engine.roster import Roster
from engine.scenario.load import ScenarioError, load_bytes
from engine.scenario.model import Scenario

Progress = Callable[[int, int], None]
"""Called with (events read, events in the log)."""


@dataclass
class LoggedExercise:
    """Everything a report needs from a log file."""

    path: Path
    scenario: Scenario
    roster: Roster
    seed: int
    scenario_sha256: str
    events: list[Event]
    warnings: list[str] = field(default_factory=list)


def read_log(
    path: str | Path, progress: Progress | None = None, *, lang: str | None = None
) -> LoggedExercise:
    """Open a log read-only and read it whole; :class:`LogError` says what is wrong.

    ``lang`` is the language of the scenario's text in what is read (a scenario
    written in several, :mod:`engine.scenario.lang`); by default its first, the one
    the exercise was played and logged in."""
    target = Path(path)
    if target.is_dir():
        raise LogError(f"{target}: is a folder, not an event log")
    log = EventLog.open(target, readonly=True)
    try:
        warnings: list[str] = []
        scenario = scenario_of(log) if lang is None else _scenario_in(log, lang)
        try:
            roster = log.roster
            seed = log.seed
        except (KeyError, ValueError) as exc:
            raise LogError(f"{target}: the log's header is incomplete ({exc})") from None
        events: list[Event] = []
        total = log.count()
        try:
            for event in log.events():
                events.append(event)
                if progress is not None and len(events) % 20_000 == 0:
                    progress(len(events), total)
        except DamagedRow as exc:
            if exc.seq < log.next_seq - 1:
                raise
            warnings.append(f"{exc}; reporting the {len(events):,} events before it")
        except sqlite3.DatabaseError as exc:
            raise LogError(f"{target}: cannot read the events ({exc})") from None
        if progress is not None:
            progress(len(events), total)
        return LoggedExercise(
            target,
            scenario,
            roster,
            seed,
            log.header.get("scenario_sha256", ""),
            events,
            warnings,
        )
    finally:
        log.close()


def _scenario_in(log: EventLog, lang: str) -> Scenario:
    """The log's scenario with its text in ``lang``; a language it is not written in is
    an error naming the languages it is. A scenario that lists no languages is read as
    written (``--lang`` then sets only sitroom's own words): no warning in the report,
    which would only say that in the wrong language."""
    loaded = load_bytes(log.scenario_text, log.scenario_name, lang=lang)
    try:
        scenario = loaded.require()
    except ScenarioError as exc:
        reasons = "; ".join(p.message for p in exc.problems) or str(exc)
        raise LogError(f"{log.path}: {reasons}") from None
    return scenario
