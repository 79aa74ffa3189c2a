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
from engine.i18n import N_, _
from engine.i18n.forms import Count
from engine.i18n.phrase import Phrase
from engine.replay import scenario_of
from engine.roster import Roster, said_in
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
        raise LogError(_("{path}: is a folder, not an event log").format(path=target))
    log = EventLog.open(target, readonly=True)
    try:
        warnings: list[str] = []
        languages: tuple[str, ...] = ()
        if lang is None:
            scenario = scenario_of(log)
        else:
            scenario, languages = _scenario_in(log, lang)
        try:
            roster = log.roster
            seed = log.seed
        except (KeyError, ValueError) as exc:
            why = _("{path}: the log's header is incomplete ({error})")
            raise LogError(why.format(path=target, error=exc)) from None
        if lang is not None:
            roster = said_in(roster, _played(log, languages, {lang: scenario}), scenario)
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
            # English data in the report's JSON, said in the reader's language elsewhere.
            before = N_("{error}; reporting the {n} events before it")
            warnings.append(Phrase(before, error=exc.phrase, n=Count(len(events))))
        except sqlite3.DatabaseError as exc:
            why = _("{path}: cannot read the events ({error})")
            raise LogError(why.format(path=target, error=exc)) from None
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


def _played(log: EventLog, languages: tuple[str, ...], read: dict[str, Scenario]) -> list[Scenario]:
    """The log's scenario in each of ``languages`` (those it is written in): the teams'
    names the roster made from a role's name are in one of them
    (:func:`engine.roster.said_in`). A language already in ``read`` is not parsed again."""
    return [read[lang] if lang in read else _scenario_in(log, lang)[0] for lang in languages]


def _scenario_in(log: EventLog, lang: str) -> tuple[Scenario, tuple[str, ...]]:
    """The log's scenario with its text in ``lang``, and the languages it is written in
    (none when it lists none); a language it is not written in is an error naming the
    languages it is. A scenario that lists no languages is read as written (``--lang``
    then sets only sitroom's own words): no warning in the report, which would only say
    that in the wrong language."""
    loaded = load_bytes(log.scenario_text, log.scenario_name, lang=lang)
    try:
        scenario = loaded.require()
    except ScenarioError as exc:
        reasons = "; ".join(p.message for p in exc.problems) or str(exc)
        raise LogError(_("{path}: {reasons}").format(path=log.path, reasons=reasons)) from None
    return scenario, loaded.languages
