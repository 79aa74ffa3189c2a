"""The clock and the live driver, on a fake wall clock: no test sleeps for real.

The fake waiter stands in for ``asyncio.wait_for``: it records how long the
driver asked to sleep and moves the fake wall clock by that much.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from engine import commands as c
from engine.clock import Clock
from engine.eventlog import EventLog
from engine.exercise import Exercise, Outcome
from engine.live import LiveExercise
from engine.roster import default_roster
from engine.scenario import load_file
from tests.engine.conftest import FIXTURE, M


class FakeWall:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_clock_maps_wall_to_exercise_time_through_pause_speed_and_jump() -> None:
    wall = FakeWall()
    clock = Clock(wall)
    assert clock.now() == 0 and clock.seconds_until(10) is None
    clock.run()
    wall.now += 60
    assert clock.now() == 60_000
    clock.stop()
    wall.now += 600  # a long pause: exercise time does not move
    assert clock.now() == 60_000
    clock.run()
    clock.set_speed(10)
    wall.now += 6
    assert clock.now() == 120_000
    assert clock.seconds_until(180_000) == pytest.approx(6.0)
    clock.jump(1_000_000)
    assert clock.now() == 1_000_000
    wall.now += 1
    assert clock.now() == 1_010_000


def live_exercise(tmp_path: Path, wall: FakeWall, sleeps: list[float | None]) -> LiveExercise:
    loaded = load_file(FIXTURE)
    scenario = loaded.require()
    roster = default_roster(scenario)
    log = EventLog.create(
        tmp_path / "live.db",
        scenario_text=loaded.text,
        scenario_sha256=loaded.sha256,
        scenario_name="fixture",
        seed=scenario.seed,
        roster=roster,
    )

    async def fake_wait(wake: asyncio.Event, delay: float | None) -> None:
        sleeps.append(delay)
        if wake.is_set():
            return
        if delay is None:
            await wake.wait()
            return
        wall.now += delay

    return LiveExercise(Exercise(scenario, roster), log, Clock(wall), wait=fake_wait)


async def test_live_driver_sleeps_until_the_next_event_and_delivers_on_time(tmp_path: Path) -> None:
    wall = FakeWall()
    sleeps: list[float | None] = []
    published: list[tuple[int, str]] = []
    live = live_exercise(tmp_path, wall, sleeps)
    live._publish = lambda events: published.extend((e.t, e.kind) for e in events)
    runner = asyncio.create_task(live.run())
    assert (await live.submit(c.Start())).ok
    while not any(kind == "delivered" for _, kind in published):
        await asyncio.sleep(0)
    assert (10 * M, "delivered") in published
    assert sleeps[0] == 600.0  # slept exactly ten minutes of wall time to the first inject
    live.stop()
    await runner
    logged = [(e.t, e.kind) for e in live.log.events()]
    assert logged == published
    live.log.close()


async def test_pause_freezes_the_schedule_and_resume_shifts_it(tmp_path: Path) -> None:
    wall = FakeWall()
    sleeps: list[float | None] = []
    live = live_exercise(tmp_path, wall, sleeps)
    assert (await _step_submit(live, c.Start())).ok
    wall.now += 5 * 60
    assert (await _step_submit(live, c.Pause())).ok
    assert live.exercise.now == 5 * M
    wall.now += 3600  # an hour of pause
    assert live.step() is None, "paused: nothing to wake up for"
    assert live.exercise.now == 5 * M and live.clock.now() == 5 * M
    assert (await _step_submit(live, c.Resume())).ok
    assert live.step() == pytest.approx(300.0)  # A1 still five minutes away
    wall.now += 299
    live.step()
    assert not [e for e in live.exercise.drain() if e.kind == "delivered"]
    assert not any(e.kind == "delivered" for e in live.log.events())
    wall.now += 1
    live.step()
    delivered = [e for e in live.log.events() if e.kind == "delivered"]
    assert [(e.t, e.payload["inject"]) for e in delivered] == [(10 * M, "A1")]
    live.log.close()


async def test_speed_reanchors_and_jump_skips_ahead(tmp_path: Path) -> None:
    wall = FakeWall()
    live = live_exercise(tmp_path, wall, [])
    assert (await _step_submit(live, c.Start())).ok
    wall.now += 60
    assert (await _step_submit(live, c.SetSpeed(speed=60))).ok
    assert live.exercise.now == M
    assert live.step() == pytest.approx(9.0)  # nine exercise minutes at 60× take nine seconds
    assert (await _step_submit(live, c.Jump(to=41 * M))).ok
    assert live.clock.now() == 41 * M and live.exercise.now == 41 * M
    kinds = [(e.t, e.payload.get("inject")) for e in live.log.events() if e.kind == "delivered"]
    assert kinds[0] == (10 * M, "A1") and kinds[-1] == (40 * M, "C1")
    live.log.close()


async def test_inputs_are_stamped_with_the_clock_and_rejections_are_not_logged(
    tmp_path: Path,
) -> None:
    wall = FakeWall()
    live = live_exercise(tmp_path, wall, [])
    assert (await _step_submit(live, c.Start())).ok
    wall.now += 11 * 60
    live.step()
    ok = await _step_submit(
        live, c.Respond(team="a", member="ann", expectation="A1.d", choice="good")
    )
    bad = await _step_submit(
        live, c.Respond(team="a", member="bob", expectation="A1.d", choice="bad")
    )
    assert ok.ok and not bad.ok
    responds = [e for e in live.log.events() if e.kind == "respond"]
    assert [(e.t, e.payload["member"]) for e in responds] == [(11 * M, "ann")]
    live.log.close()


async def _step_submit(live: LiveExercise, cmd: c.Command) -> Outcome:
    """Queue a command and run one synchronous batch, as the loop would."""
    task = asyncio.ensure_future(live.submit(cmd))
    await asyncio.sleep(0)
    live.step()
    return await task
