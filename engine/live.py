"""Driving an exercise in real time: one asyncio actor owns the engine.

Every input, and every tick of the clock, goes through one task, in order:
advance the engine to "now", apply the inputs that arrived together, write the
resulting events to the log in one transaction, acknowledge, publish. Between
batches the task sleeps until the next scheduled event, a new input or a clock
change, whichever comes first. No other code touches the engine while it runs,
so no lock is needed and the log order is the order things happened.

The one exception is the log itself: its commit runs in a worker thread, so
anything else that writes to it (a header change, e.g. a revoked join code) goes
through :meth:`LiveExercise.write_log`, which waits for the commit in progress.

A break planned with its end (a ``pause`` with ``until``, a wall-clock instant) is
the one time this driver acts on its own: when the instant comes it applies a
``resume`` and logs it like any other input, so a replay (which never reads a
wall clock) resumes at the very same exercise moment. The engine only keeps the
plan; this driver alone reads the wall clock (:attr:`LiveExercise.epoch`). A
server restarted during a break ends it as planned; one restarted after the
planned end leaves the exercise paused, as after any restart: the facilitator
resumes it.

If the log cannot be written (a full disk), the batch is not acknowledged: its
commands, and every command after it, fail with that :class:`LogError`, and the
task stops (:attr:`LiveExercise.failure` says why): nothing is applied that the
log does not hold.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

from engine import commands as c
from engine.clock import Clock, WallClock
from engine.eventlog import EventLog, LogError
from engine.events import Event
from engine.exercise import Exercise, Outcome
from engine.meaning import intake
from engine.scenario.expectations import TextExpectation

T = TypeVar("T")
Publisher = Callable[[list[Event]], None]
Waiter = Callable[[asyncio.Event, float | None], Awaitable[None]]


async def wait_or_timeout(wake: asyncio.Event, delay: float | None) -> None:
    """Return when ``wake`` is set or ``delay`` seconds pass (forever when None)."""
    if delay is None:
        await wake.wait()
        return
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(wake.wait(), timeout=delay)


_grader: ThreadPoolExecutor | None = None


def _grading_thread() -> ThreadPoolExecutor:
    """The one thread that grades text answers (started on first use: most exercises
    grade no text by meaning, and the model is not made to be run from two threads)."""
    global _grader
    if _grader is None:
        _grader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sitroom-grader")
    return _grader


@dataclass
class _Pending:
    cmd: c.Command
    future: asyncio.Future[Outcome]
    origin: str | None = None


class LiveExercise:
    """An :class:`Exercise` on a :class:`Clock`, logging to an :class:`EventLog`."""

    MAX_BATCH = 512

    def __init__(
        self,
        exercise: Exercise,
        log: EventLog,
        clock: Clock,
        *,
        publish: Publisher | None = None,
        wait: Waiter = wait_or_timeout,
        epoch: WallClock = time.time,
    ) -> None:
        self.exercise = exercise
        self.epoch = epoch
        """The wall clock in seconds since the epoch: when a planned break ends."""
        plan = exercise.paused_by
        overdue = plan is not None and plan.until is not None and plan.until <= epoch()
        self._overdue = plan if overdue else None
        """A break whose planned end passed before this driver started (a restart): it
        does not end by itself."""
        self.log = log
        self.clock = clock
        self._publish = publish or (lambda events: None)
        self._wait = wait
        self._queue: list[_Pending] = []
        self._wake = asyncio.Event()
        self._stopping = False
        self._log_lock = asyncio.Lock()
        self.grade_ahead = True
        """Grade text answers in a worker thread before the engine takes them (a bench
        turns it off to measure what it saves)."""
        self.batches = 0
        self.inputs = 0
        self.failure: LogError | None = None
        """Why the log could not be written, once it could not: every command fails since."""
        self._sync_clock()

    def _sync_clock(self) -> None:
        """Make the wall clock agree with the engine (after a resume, or a clock command)."""
        ex, clock = self.exercise, self.clock
        if clock.speed != ex.speed:
            clock.set_speed(ex.speed)
        if ex.status == "running":
            clock.jump(ex.now)
            if not clock.running:
                clock.run()
        else:
            if clock.running:
                clock.stop()
            clock.jump(ex.now)

    # ------------------------------------------------------------- inputs

    async def submit(self, cmd: c.Command, origin: str | None = None) -> Outcome:
        """Queue a command; resolves once it is applied and durably logged (or rejected).

        ``origin`` (``seat/message-id``) is stored with the input event, so a retry of
        the same message can be recognised after a restart.
        """
        if self.failure is not None:
            raise LogError(str(self.failure), self.failure.cause)
        if isinstance(cmd, c.Respond) and self.grade_ahead:
            await self._grade_ahead(cmd)
            if self.failure is not None:
                raise LogError(str(self.failure), self.failure.cause)
        future: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()
        self._queue.append(_Pending(cmd, future, origin))
        self._wake.set()
        return await future

    def step(self) -> float | None:
        """One batch, synchronously: advance, apply queued inputs, log, resolve, publish.

        Returns the wall seconds until the next scheduled event (None: wait for an input).
        """
        outcomes, events = self._prepare()
        if events:
            try:
                self.log.append(events)
            except LogError as exc:
                self._fail(exc, outcomes)
                raise
        return self._finish(outcomes, events)

    async def astep(self) -> float | None:
        """:meth:`step`, with the log's fsync in a worker thread so the loop keeps serving.

        Inputs arriving meanwhile queue up and share the next commit.
        """
        outcomes, events = self._prepare()
        if events:
            async with self._log_lock:
                try:
                    await asyncio.to_thread(self.log.append, events)
                except LogError as exc:
                    self._fail(exc, outcomes)
                    raise
        return self._finish(outcomes, events)

    def _fail(self, exc: LogError, outcomes: list[tuple[_Pending, Outcome]]) -> None:
        """The log refused a batch: none of it is acknowledged, nor anything queued after."""
        self.failure = exc
        waiting = [item for item, _ in outcomes] + self._queue
        self._queue = []
        for item in waiting:
            if not item.future.done():
                item.future.set_exception(exc)

    async def _grade_ahead(self, cmd: c.Respond) -> None:
        """Grade a text answer in the grading thread before it joins the queue.

        The meaning grader takes 10-40 ms an answer; run on the loop, sixty tables
        answering at once would freeze every console for a second or more. The verdict
        lands in the grader's cache, so the engine's own grade of the answer
        (:meth:`Exercise.submit` records it in the logged input) is a lookup: the verdict
        is still decided in one place. One thread grades, in arrival order, so two text
        answers join the queue in the order they came (the first answer of a team wins);
        a command of another kind that arrives meanwhile goes ahead. A grade that fails
        here fails again in the engine, which answers the sender as before.
        """
        ex = self.exercise
        found = ex.scenario.expectation_by_ref.get(cmd.expectation)
        if ex.recorded or found is None or not isinstance(found[1], TextExpectation):
            return
        if intake.mode() != "meaning":
            return
        loop = asyncio.get_running_loop()
        with contextlib.suppress(Exception):
            await loop.run_in_executor(_grading_thread(), intake.assess, found[1], cmd.text or "")

    async def write_log(self, fn: Callable[[EventLog], T]) -> T:
        """Run ``fn(log)`` in a worker thread, never during a commit (header changes)."""
        async with self._log_lock:
            return await asyncio.to_thread(fn, self.log)

    def _prepare(self) -> tuple[list[tuple[_Pending, Outcome]], list[Event]]:
        ex = self.exercise
        pending, self._queue = self._queue[: self.MAX_BATCH], self._queue[self.MAX_BATCH :]
        outcomes: list[tuple[_Pending, Outcome]] = []
        self._advance()
        self._end_break()
        for item in pending:
            refused = self._refuse(item.cmd)
            outcome = refused or ex.submit(item.cmd, max(self.clock.now(), ex.now))
            if outcome.ok and item.origin is not None:
                outcome.events[0].origin = item.origin  # the input event comes first
            if outcome.ok and item.cmd.type in c.CLOCK_COMMANDS:
                self._sync_clock()
            outcomes.append((item, outcome))
        if ex.ended and self.clock.running:
            self._sync_clock()
        self.batches += 1
        self.inputs += len(pending)
        return outcomes, ex.drain()

    def _finish(
        self, outcomes: list[tuple[_Pending, Outcome]], events: list[Event]
    ) -> float | None:
        for item, outcome in outcomes:
            if not item.future.done():
                item.future.set_result(outcome)
        if events:
            self._publish(events)
        if self._queue:
            return 0.0
        return self._delay()

    def _advance(self) -> None:
        ex = self.exercise
        if ex.status == "running":
            ex.advance_to(max(self.clock.now(), ex.now))
            if ex.ended:
                self._sync_clock()

    def _delay(self) -> float | None:
        ex = self.exercise
        if ex.status == "paused":
            until = self._planned_end()
            return None if until is None else max(0.0, until - self.epoch())
        nxt = ex.next_event_time()
        if nxt is None or ex.status != "running":
            return None
        return self.clock.seconds_until(nxt)

    def _end_break(self) -> None:
        """Resume when the planned end of the break in force has come: an input like any
        other (no origin: nobody sent it, so nobody resends it)."""
        ex = self.exercise
        until = self._planned_end()
        if until is None or self.epoch() < until:
            return
        if ex.submit(c.Resume(), ex.now).ok:
            self._sync_clock()

    def _planned_end(self) -> float | None:
        """When the break in force ends by itself (None: it does not)."""
        ex = self.exercise
        plan = ex.paused_by
        if ex.status != "paused" or plan is None or plan is self._overdue:
            return None
        return plan.until

    def _refuse(self, cmd: c.Command) -> Outcome | None:
        """What only the wall clock can refuse: a break planned to end before it starts."""
        if isinstance(cmd, c.Pause) and cmd.until is not None and cmd.until <= self.epoch():
            return Outcome(
                False,
                "the planned end of the break has already passed (check the time given, and "
                "this computer's clock): give a later time, or pause without one",
            )
        return None

    # --------------------------------------------------------------- loop

    async def run(self) -> None:
        """Drive the exercise until :meth:`stop`; never returns early on a bad input."""
        while not self._stopping:
            self._wake.clear()
            delay = await self.astep()
            if self._stopping:
                break
            if delay == 0.0:
                await asyncio.sleep(0)
                continue
            await self._wait(self._wake, delay)
        while self._queue:
            await self.astep()

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()

    def poke(self) -> None:
        """Wake the loop (after an external clock change)."""
        self._wake.set()
