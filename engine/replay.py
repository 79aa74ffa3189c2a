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

from engine import commands as c
from engine.eventlog import DamagedRow, EventLog, LogError, Row
from engine.events import INPUT_KINDS, Event
from engine.exercise import Exercise
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
        raise LogError(f"{path}: the scenario stored in the log no longer loads:\n{exc}") from None


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
    logged: list[Row] = []
    dropped = 0
    try:
        logged.extend(log.rows(verify=verify))
    except DamagedRow as exc:
        last = log.next_seq - 1
        if not drop_damaged_tail or exc.seq != last:
            raise
        dropped = log.drop_from(exc.seq)
    position = 0
    apply, drain = exercise.apply, exercise.drain
    inputs = INPUT_KINDS
    for row in logged:
        if row.kind not in inputs:
            continue
        cmd = row.command(log.path)
        refused = apply(cmd, row.t)
        if refused is not None:
            # Name the first difference: an output due before this input that the replay
            # produced otherwise, or not at all, is what made the input impossible.
            position = _compare(log.path, drain(), logged, position)
            if logged[position].seq < row.seq:
                _missing(log.path, logged[position].event(log.path))
            raise ReplayMismatch(
                row.seq,
                f"{log.path}: event #{row.seq} ({row.kind}) was "
                f"accepted live but is rejected on replay: {refused}",
            )
        position = _compare(log.path, drain(), logged, position, cmd)
    if logged:
        exercise.advance_to(max(exercise.now, logged[-1].t))
    produced = exercise.drain()
    matched = min(len(produced), len(logged) - position)
    _compare(log.path, produced[:matched], logged, position)
    position += matched
    if position < len(logged):
        _missing(log.path, logged[position].event(log.path))
    exercise.recorded = False  # what comes after the log is new: graded when taken
    return Rebuilt(exercise, len(logged), produced[matched:], dropped)


def _missing(path: Path, missing: Event) -> NoReturn:
    raise ReplayMismatch(
        missing.seq,
        f"{path}: the log has event #{missing.seq} ({missing.describe()}) that the replay "
        "does not produce",
    )


def _compare(
    path: Path, produced: list[Event], logged: list[Row], position: int, read: object = None
) -> int:
    """Check ``produced`` against the log from ``position``; ``read`` is the body parsed
    from the log (an input: equal by construction when the engine logs that very body)."""
    for event in produced:
        if position >= len(logged):
            raise ReplayMismatch(
                -1,
                f"{path}: the replay produces {event.describe()} between "
                "logged inputs, but the log has nothing there",
            )
        expected = logged[position]
        if event.body is read and event.t == expected.t:
            position += 1
            continue
        if (
            event.kind != expected.kind
            or event.t != expected.t
            or event.payload_json() != expected.payload
        ):
            raise ReplayMismatch(
                expected.seq,
                f"{path}: replay differs at event #{expected.seq}: "
                f"the log has {expected.event(path).describe()}, the replay "
                f"produces {event.describe()}",
            )
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
