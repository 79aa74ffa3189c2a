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
from engine.aio import within, woken
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
    await woken(wake, delay)


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
    at: int = 0
    """When it arrived (exercise ms): inputs are taken in this order, at this time."""
    held: bool = False
    """A text answer graded ahead: its arrival holds the clock (``LiveExercise._holds``)."""
    order: int = 0
    """Its place in the order of arrival."""


def _arrival(item: _Pending) -> int:
    return item.order


GRADE_AHEAD_LIMIT = 5.0
"""Longest wait (s) for the grading thread before the engine grades the answer itself."""


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
        self._arrivals = 0
        self._holds: dict[int, int] = {}
        """Text answers being graded ahead, by order of arrival: when each arrived. The
        exercise does not run past the earliest until that answer is taken, so it is
        taken at the moment it arrived (an answer that came a second before its deadline
        is on time, however long the grade took); what came later waits (``_waits``)."""
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
        at = self._clock_now()
        self._arrivals += 1
        order = self._arrivals
        held = False
        if isinstance(cmd, c.Respond) and self.grade_ahead and self._graded_ahead(cmd):
            held = True
            self._holds[order] = at
            try:
                await self._grade_ahead(cmd)
                if self.failure is not None:
                    raise LogError(str(self.failure), self.failure.cause)
            except BaseException:
                del self._holds[order]
                self._wake.set()
                raise
        future: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()
        self._queue.append(_Pending(cmd, future, origin, at, held, order))
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
        a command of another kind that arrives meanwhile goes ahead. Meanwhile the
        exercise waits at the moment the answer arrived (``_holds``), so the answer is
        taken at that moment: a grade's few milliseconds never make it late. A grade
        that fails here fails again in the engine, which answers the sender as before.
        """
        found = self.exercise.scenario.expectation_by_ref[cmd.expectation][1]
        assert isinstance(found, TextExpectation)
        loop = asyncio.get_running_loop()
        graded = loop.run_in_executor(_grading_thread(), intake.assess, found, cmd.text or "")
        with contextlib.suppress(Exception):
            # Bounded: the clock waits for this grade (a grade that hangs is made again,
            # and answered, by the engine).
            await within(asyncio.shield(graded), GRADE_AHEAD_LIMIT)

    def _graded_ahead(self, cmd: c.Respond) -> bool:
        """Whether the meaning grader grades ``cmd`` (a text answer, live)."""
        ex = self.exercise
        found = ex.scenario.expectation_by_ref.get(cmd.expectation)
        if ex.recorded or found is None or not isinstance(found[1], TextExpectation):
            return False
        return intake.mode() == "meaning"

    async def write_log(self, fn: Callable[[EventLog], T]) -> T:
        """Run ``fn(log)`` in a worker thread, never during a commit (header changes)."""
        async with self._log_lock:
            return await asyncio.to_thread(fn, self.log)

    def _prepare(self) -> tuple[list[tuple[_Pending, Outcome]], list[Event]]:
        ex = self.exercise
        # In arrival order; what arrived after an answer still being graded waits for it
        # (a jump or an end included), so that answer is taken when it came.
        queue = sorted(self._queue, key=_arrival)
        self._queue = []
        pending: list[_Pending] = []
        outcomes: list[tuple[_Pending, Outcome]] = []
        self._advance()
        self._end_break()
        for index, item in enumerate(queue):
            if len(pending) >= self.MAX_BATCH or self._waits(item):
                self._queue = queue[index:]
                break
            pending.append(item)
            refused = self._refuse(item.cmd)
            # Never later than it arrived, never ahead of the live clock (a pause taken
            # earlier in this batch stops it) or of an answer being graded.
            when = max(ex.now, min(item.at, self._now()))
            outcome = refused or ex.submit(item.cmd, when)
            if item.held:
                del self._holds[item.order]
            if outcome.ok and item.origin is not None:
                outcome.input.origin = item.origin
            if outcome.ok and item.cmd.type in c.CLOCK_COMMANDS:
                self._sync_clock()
            elif ex.status != "running" and self.clock.running:
                self._sync_clock()  # a module's discussion fell due on the way
            outcomes.append((item, outcome))
        if any(item.held for item in pending):
            self._advance()  # what the held answers kept waiting
        if ex.status != "running" and self.clock.running:
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
        if self._queue and not self._waits(self._queue[0]):
            return 0.0
        return self._delay()

    def _waits(self, item: _Pending) -> bool:
        """Whether ``item`` waits for an answer still being graded: it came at a later
        moment, or it moves the clock (a pause, jump or end) and came after it."""
        if not self._holds:
            return False
        if item.at > min(self._holds.values()):
            return True
        return item.cmd.type in c.CLOCK_COMMANDS and item.order > min(self._holds)

    def _clock_now(self) -> int:
        """Exercise time by the clock, but never past a module's discussion still to
        come (it pauses play at its moment: :meth:`Exercise.bound`)."""
        ex = self.exercise
        return ex.bound(max(self.clock.now(), ex.now))

    def _now(self) -> int:
        """Exercise time for what happens now: :meth:`_clock_now`, but never past the
        arrival of an answer still being graded (``_holds``)."""
        ex = self.exercise
        now = self._clock_now()
        if self._holds:
            now = max(ex.now, min(now, min(self._holds.values())))
        return now

    def _advance(self) -> None:
        ex = self.exercise
        if ex.status == "running":
            ex.advance_to(self._now())
            if ex.status != "running":
                self._sync_clock()  # ended, or a module's discussion paused it

    def _delay(self) -> float | None:
        ex = self.exercise
        if self._holds:
            return None  # the held answer wakes the loop when it joins the queue
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
            if self._queue and self._waits(self._queue[0]):
                await asyncio.sleep(0.01)  # an answer's grade, at most GRADE_AHEAD_LIMIT

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()

    def poke(self) -> None:
        """Wake the loop (after an external clock change)."""
        self._wake.set()
