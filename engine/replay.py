"""Rebuilding an exercise from its log, and checking that it comes out the same.

A fresh engine with the logged scenario, roster and seed is fed every logged input
at its logged time. Every output it makes must equal the logged one, in order:
a difference is an error naming the first event that differs, never a silent
divergence. Outputs produced past the end of the log are what a crashed server
had computed but not yet written; :func:`resume` writes them and carries on.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from pydantic import ValidationError

from engine import commands as c
from engine.eventlog import DamagedRow, EventLog, LogError, Record, Row
from engine.events import COMMAND_PARSERS, Event
from engine.exercise import Exercise
from engine.i18n import gettext
from engine.i18n.phrase import said
from engine.logcheck import RowCheck
from engine.scenario.load import ScenarioError, load_bytes
from engine.scenario.model import Scenario


class ReplayMismatch(LogError):
    """The replayed exercise differs from the log at ``seq``."""

    def __init__(self, seq: int, message: str) -> None:
        super().__init__(message)
        self.seq = seq


@dataclass
class Rebuilt:
    exercise: Exercise
    events: int
    """How many logged events were replayed and checked."""
    pending: list[Event] = field(default_factory=list)
    """Outputs the replay produced past the end of the log."""
    dropped: int = 0
    """Damaged rows dropped from the end of the log."""


def scenario_of(log: EventLog) -> Scenario:
    return scenario_of_text(log.scenario_text, log.scenario_name, log.path)


def scenario_of_text(text: str, name: str, path: Path) -> Scenario:
    """The scenario a log stores, or an error naming the log."""
    try:
        return load_bytes(text, name).require()
    except ScenarioError as exc:
        why = gettext("{path}: the scenario stored in the log no longer loads:\n{error}")
        raise LogError(why.format(path=path, error=exc)) from None


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the length of a replay.

    A replay builds hundreds of thousands of objects that all live to its end (rows,
    answers, decisions) and makes no cycles worth collecting meanwhile; the
    collector's repeated passes over them cost about a quarter of the replay's time.
    Reference counting still frees everything short-lived.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def rebuild(log: EventLog, *, drop_damaged_tail: bool = False) -> Rebuilt:
    """Replay the whole log into a fresh exercise, checking every output.

    Inputs are parsed and submitted; outputs are compared as logged text (kind,
    time and body JSON) with what the engine produces, so they are never parsed.
    """
    with _collector_paused():
        if log.next_seq - 1 < CHECK_ASIDE_FROM:
            return _rebuild(log, drop_damaged_tail)
        upto = log.next_seq - 1
        check = RowCheck(log.path, upto)
        if not check.started:
            return _rebuild(log, drop_damaged_tail)
        try:
            try:
                rebuilt = _rebuild(log, drop_damaged_tail, verify=False)
            except Exception:
                if check.passed():
                    raise
            else:
                # The check covers rows 1..upto: the replay must have read exactly those.
                if check.passed() and rebuilt.events == upto:
                    return rebuilt
        finally:
            check.cancel()  # a no-op once it has finished; else (Ctrl-C) it is stopped
        # A row failed its check: read the log again, verifying each row as it comes,
        # so the damage is named (or a damaged last row dropped) as it always is.
        return _rebuild(log, drop_damaged_tail)


CHECK_ASIDE_FROM = 20_000
"""From this many events on, a replay reads its rows unverified while a second process
checks every row's checksum and numbering (:class:`engine.logcheck.RowCheck`): about a
tenth of a replay's time moves to the other core. Under it, starting that process costs
more than it saves."""


def _rebuild(log: EventLog, drop_damaged_tail: bool, *, verify: bool = True) -> Rebuilt:
    # Recorded: text answers are graded by the verdict logged with them, never again.
    exercise = Exercise(scenario_of(log), log.roster, log.seed, recorded=True)
    logged: list[Record] = []
    dropped = 0
    try:
        logged.extend(log.records(verify=verify))
    except DamagedRow as exc:
        last = log.next_seq - 1
        if not drop_damaged_tail or exc.seq != last:
            raise
        dropped = log.drop_from(exc.seq)
    position = 0
    apply, drain = exercise.apply, exercise.drain
    parsers, end = COMMAND_PARSERS, len(logged)
    for row in logged:
        parse = parsers.get(row[2])
        if parse is None:  # an output: compared as the replay produces it
            continue
        seq, t, kind, payload = row
        try:
            cmd = parse(payload)
        except ValidationError:
            _row(row).command(log.path)  # raises DamagedRow, naming the row
            raise
        refused = apply(cmd, t)
        if refused is None:
            produced = exercise.outbox
            if (
                len(produced) == 1
                and produced[0].body is cmd
                and produced[0].t == t
                and position < end
                and logged[position] is row
            ):
                # The input alone, at its own row: the engine logs the very body read
                # (most inputs; the checks of _compare, without the call).
                produced.clear()
                position += 1
            else:
                position = _compare(log.path, drain(), logged, position, row, cmd)
        else:
            # Name the first difference: an output due before this input that the replay
            # produced otherwise, or not at all, is what made the input impossible.
            position = _compare(log.path, drain(), logged, position)
            if logged[position][0] < seq:
                _missing(log.path, _row(logged[position]).event(log.path))
            why = gettext(
                "{path}: event #{seq} ({kind}) was accepted live but is rejected on replay: "
                "{reason}"
            )
            reason = said(refused)
            raise ReplayMismatch(seq, why.format(path=log.path, seq=seq, kind=kind, reason=reason))
    if logged:
        exercise.advance_to(max(exercise.now, logged[-1][1]))
    produced = exercise.drain()
    matched = min(len(produced), len(logged) - position)
    _compare(log.path, produced[:matched], logged, position)
    position += matched
    if position < len(logged):
        _missing(log.path, _row(logged[position]).event(log.path))
    exercise.recorded = False  # what comes after the log is new: graded when taken
    return Rebuilt(exercise, len(logged), produced[matched:], dropped)


def _row(record: Record) -> Row:
    """A record as a :class:`Row`, for its typed event in an error message (the wall
    time and origin, which replay does not read, are left out)."""
    seq, t, kind, payload = record
    return Row(seq, t, 0.0, kind, payload, None)


def _missing(path: Path, missing: Event) -> NoReturn:
    why = gettext("{path}: the log has event #{seq} ({event}) that the replay does not produce")
    event = missing.describe()
    raise ReplayMismatch(missing.seq, why.format(path=path, seq=missing.seq, event=event))


def _compare(
    path: Path,
    produced: list[Event],
    logged: list[Record],
    position: int,
    row: Record | None = None,
    read: object = None,
) -> int:
    """Check ``produced`` against the log from ``position``; ``read`` is the body parsed
    from the log's ``row`` (an input: equal by construction when the engine logs that
    very body, at that row and time). Outputs are compared as the log stores them:
    kind, time and the body's JSON text, never parsed."""
    end = len(logged)
    for event in produced:
        if position >= end:
            why = gettext(
                "{path}: the replay produces {event} between logged inputs, "
                "but the log has nothing there"
            )
            raise ReplayMismatch(-1, why.format(path=path, event=event.describe()))
        expected = logged[position]
        if event.body is read and expected is row and event.t == expected[1]:
            position += 1
            continue
        if (
            event.kind != expected[2]
            or event.t != expected[1]
            or event.payload_json() != expected[3]
        ):
            why = gettext(
                "{path}: replay differs at event #{seq}: the log has {logged}, "
                "the replay produces {event}"
            )
            logged_one = _row(expected).event(path).describe()
            why = why.format(path=path, seq=expected[0], logged=logged_one, event=event.describe())
            raise ReplayMismatch(expected[0], why)
        position += 1
    return position


def resume(path: str | Path, *, expect_sha256: str | None = None) -> tuple[EventLog, Rebuilt]:
    """Open a log, replay it, write what the replay adds, and leave the exercise paused."""
    log = EventLog.open(path, expect_sha256=expect_sha256)
    try:
        rebuilt = rebuild(log, drop_damaged_tail=True)
        log.append(rebuilt.pending)
        exercise = rebuilt.exercise
        if exercise.status == "running":
            outcome = exercise.submit(c.Pause(reason="resumed after a restart"), exercise.now)
            assert outcome.ok
            log.append(exercise.drain())
    except BaseException:
        log.close()
        raise
    return log, rebuilt
