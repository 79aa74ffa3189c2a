"""A scheduled break: a pause with a message and a planned end, ended by the live runner.

The runner is driven on a fake wall clock (both its monotonic clock and its epoch
clock read the same fake), and its waiter moves that clock by what it was asked to
sleep, as in :mod:`tests.engine.test_clock_live`: nothing sleeps for real. The
resume the runner writes is an input in the log like any other, so replaying the
log gives the very same exercise; a server restarted from a log cut during the
break ends it as planned, and one restarted after the planned end leaves it paused.
"""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

import pytest

from engine import commands as c
from engine.clock import Clock
from engine.eventlog import EventLog
from engine.events import Event
from engine.exercise import Exercise
from engine.live import LiveExercise
from engine.replay import rebuild, resume
from engine.roster import default_roster
from engine.scenario import load_file
from tests.engine.conftest import FIXTURE, M

EPOCH = 1_700_000_000.0


class FakeWall:
    """One fake wall clock, read as monotonic time and as epoch time."""

    def __init__(self) -> None:
        self.now = EPOCH

    def __call__(self) -> float:
        return self.now


def new_log(tmp_path: Path) -> tuple[Exercise, EventLog]:
    loaded = load_file(FIXTURE)
    scenario = loaded.require()
    roster = default_roster(scenario)
    log = EventLog.create(
        tmp_path / "break.db",
        scenario_text=loaded.text,
        scenario_sha256=loaded.sha256,
        scenario_name="fixture",
        seed=scenario.seed,
        roster=roster,
    )
    return Exercise(scenario, roster), log


def runner(
    exercise: Exercise, log: EventLog, wall: FakeWall, sleeps: list[float | None]
) -> LiveExercise:
    async def fake_wait(wake: asyncio.Event, delay: float | None) -> None:
        sleeps.append(delay)
        if wake.is_set():
            return
        if delay is None:
            await wake.wait()
            return
        wall.now += delay

    clock = Clock(wall, at=exercise.now, speed=exercise.speed)
    return LiveExercise(exercise, log, clock, wait=fake_wait, epoch=wall)


async def step_submit(live: LiveExercise, cmd: c.Command) -> bool:
    """Queue a command and run one synchronous batch, as the loop would."""
    task = asyncio.ensure_future(live.submit(cmd))
    await asyncio.sleep(0)
    live.step()
    return (await task).ok


def clock_inputs(log: EventLog) -> list[tuple[int, str, str | None]]:
    return [
        (e.t, e.kind, e.origin)
        for e in log.events()
        if e.kind in ("start", "pause", "resume", "end")
    ]


async def test_the_runner_resumes_by_itself_when_the_break_ends(tmp_path: Path) -> None:
    wall = FakeWall()
    sleeps: list[float | None] = []
    exercise, log = new_log(tmp_path)
    live = runner(exercise, log, wall, sleeps)
    assert await step_submit(live, c.Start())
    wall.now += 5 * 60
    assert await step_submit(live, c.Pause(reason="Coffee break", until=wall.now + 900))
    assert live.exercise.status == "paused" and live.exercise.now == 5 * M
    assert live.step() == pytest.approx(900.0), "asleep until the break's planned end"
    wall.now += 899
    assert live.step() == pytest.approx(1.0)
    assert live.exercise.status == "paused"
    wall.now += 1
    assert live.step() == pytest.approx(300.0), "running again: A1 five minutes away"
    assert live.clock.running and live.exercise.ended is False
    assert str(live.exercise.status) == "running"
    assert clock_inputs(log) == [
        (0, "start", None),
        (5 * M, "pause", None),
        (5 * M, "resume", None),
    ]
    pause = next(e for e in log.events() if e.kind == "pause")
    assert pause.payload == {"reason": "Coffee break", "until": EPOCH + 300 + 900}
    wall.now += 300
    live.step()
    delivered = [(e.t, e.payload["inject"]) for e in log.events() if e.kind == "delivered"]
    assert delivered == [(10 * M, "A1")], "the schedule shifted by the break, nothing lost"
    log.close()


async def test_the_running_loop_sleeps_through_the_break_and_publishes_the_resume(
    tmp_path: Path,
) -> None:
    wall = FakeWall()
    sleeps: list[float | None] = []
    exercise, log = new_log(tmp_path)
    live = runner(exercise, log, wall, sleeps)
    published: list[str] = []
    resumed = asyncio.Event()

    def publish(events: list[Event]) -> None:
        published.extend(e.kind for e in events)
        if "resume" in published:
            resumed.set()

    live._publish = publish
    start = asyncio.ensure_future(live.submit(c.Start()))
    pause = asyncio.ensure_future(live.submit(c.Pause(reason="Lunch", until=EPOCH + 1800)))
    await asyncio.sleep(0)  # both queued: the loop's first batch applies them together
    loop = asyncio.create_task(live.run())
    assert (await start).ok and (await pause).ok
    with contextlib.suppress(TimeoutError):  # the fake waiter never sleeps: only the log's
        await asyncio.wait_for(resumed.wait(), 5)  # commits (in a thread) take real time
    assert "resume" in published, f"no resume: slept {sleeps}"
    assert sleeps[0] == 1800.0, "slept exactly until the break's planned end"
    assert sleeps[1] == 600.0, "then, running, until A1 ten exercise minutes on"
    live.stop()
    await loop
    assert [k for k in published if k in ("start", "pause", "resume")] == [
        "start",
        "pause",
        "resume",
    ]
    log.close()


async def test_resuming_early_cancels_the_planned_resume(tmp_path: Path) -> None:
    wall = FakeWall()
    sleeps: list[float | None] = []
    exercise, log = new_log(tmp_path)
    live = runner(exercise, log, wall, sleeps)
    assert await step_submit(live, c.Start())
    assert await step_submit(live, c.Pause(reason="Break", until=EPOCH + 600))
    wall.now += 60
    assert await step_submit(live, c.Resume())
    wall.now += 120
    assert await step_submit(live, c.Pause(reason="No plan this time"))
    wall.now += 3600
    assert live.step() is None, "paused with no planned end: nothing to wake up for"
    assert live.exercise.status == "paused"
    assert [k for _, k, _ in clock_inputs(log)] == ["start", "pause", "resume", "pause"]
    log.close()


async def test_a_break_planned_to_end_in_the_past_is_refused(tmp_path: Path) -> None:
    wall = FakeWall()
    sleeps: list[float | None] = []
    exercise, log = new_log(tmp_path)
    live = runner(exercise, log, wall, sleeps)
    assert await step_submit(live, c.Start())
    assert not await step_submit(live, c.Pause(reason="Too late", until=EPOCH - 1))
    assert live.exercise.status == "running"
    assert [k for _, k, _ in clock_inputs(log)] == ["start"]
    log.close()


async def test_a_log_with_a_break_replays_exactly(tmp_path: Path) -> None:
    wall = FakeWall()
    sleeps: list[float | None] = []
    exercise, log = new_log(tmp_path)
    live = runner(exercise, log, wall, sleeps)
    assert await step_submit(live, c.Start())
    wall.now += 12 * 60
    live.step()
    assert await step_submit(live, c.Pause(reason="Coffee", until=wall.now + 600))
    wall.now += 600
    live.step()  # the runner resumes
    wall.now += 45 * 60
    live.step()
    logged = [(e.t, e.kind, e.payload) for e in log.events()]
    path = log.path
    log.close()
    with EventLog.open(path) as reopened:
        rebuilt = rebuild(reopened)
        replayed = rebuilt.exercise
        assert not rebuilt.pending, "the replay produces nothing the log does not hold"
        assert [(e.t, e.kind, e.payload) for e in reopened.events()] == logged
    assert replayed.status == "running" and replayed.paused_by is None
    assert replayed.now == logged[-1][0]  # where the log ends
    for team, state in replayed.teams.items():
        original = exercise.teams[team]
        assert {i: state.status_of(i) for i in state.cells} == {
            i: original.status_of(i) for i in original.cells
        }


@pytest.mark.parametrize("restart_after", [300, 900])
async def test_a_server_restarted_during_a_break(tmp_path: Path, restart_after: int) -> None:
    """Back before the planned end: the break ends as announced. Back after it: paused,
    as after any restart, until the facilitator resumes."""
    wall = FakeWall()
    sleeps: list[float | None] = []
    exercise, log = new_log(tmp_path)
    live = runner(exercise, log, wall, sleeps)
    assert await step_submit(live, c.Start())
    wall.now += 5 * 60
    assert await step_submit(live, c.Pause(reason="Coffee", until=wall.now + 600))
    path = log.path
    log.close()  # the server stops here
    wall.now += restart_after
    log2, rebuilt = resume(path)
    assert rebuilt.exercise.status == "paused"
    assert rebuilt.exercise.paused_by == c.Pause(reason="Coffee", until=EPOCH + 300 + 600)
    again = runner(rebuilt.exercise, log2, wall, sleeps)
    delay = again.step()
    if restart_after < 600:
        assert delay == pytest.approx(600 - restart_after)
        wall.now += delay or 0
        again.step()
        assert again.exercise.status == "running"
    else:
        assert delay is None and again.exercise.status == "paused"
    log2.close()
