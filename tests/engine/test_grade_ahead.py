"""A live server grades text answers in its grading thread, not on its event loop.

The meaning grader takes 10-40 ms an answer; on the loop, sixty tables answering at
once would freeze every console. These tests put a grader in the process that records
its thread and can be held, so they see without any timing that:

- the grade is made once, in the ``sitroom-grader`` thread, and the logged answer
  carries its verdict (the engine's own grade is a cache lookup);
- while an answer is being graded the loop keeps applying other commands;
- two text answers join the queue in the order they came, though the second is
  graded at once (the first answer of a team is the one that counts).
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest

from engine import commands as c
from engine.clock import Clock
from engine.events import Deadline, Scored
from engine.exercise import Exercise, Outcome
from engine.live import LiveExercise
from engine.meaning import intake
from engine.meaning.verdict import TextVerdict
from engine.roster import roster_from_counts
from engine.scenario import load_file
from engine.scenario.expectations import TextExpectation
from tests.engine.conftest import FIXTURE, new_log
from tests.engine.test_clock_live import FakeWall


class HeldGrader:
    """Grades every answer 7 points, in whatever thread calls it; an answer whose text
    holds "hold" waits until :attr:`release` is set."""

    name = "held/1"

    def __init__(self) -> None:
        self.threads: list[tuple[str, str]] = []
        self.release = threading.Event()
        self.started = threading.Event()

    def grade(self, exp: TextExpectation, text: str) -> TextVerdict:
        self.threads.append((text, threading.current_thread().name))
        if "hold" in text:
            self.started.set()
            assert self.release.wait(3), "the test never released the grade"
        return TextVerdict(grader=self.name, points=7.0, max_points=exp.points)


HELD = HeldGrader()
"""The grader of the test running (``held`` sets it), for helpers that wait on it."""


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> HeldGrader:
    global HELD
    grader = HELD = HeldGrader()
    monkeypatch.setenv(intake.ENV, "meaning")
    monkeypatch.setattr(intake, "_grader", grader)
    monkeypatch.setattr(intake, "_cache", {})
    return grader


async def _running(
    tmp_path: Path, wall: FakeWall | None = None
) -> tuple[LiveExercise, asyncio.Task[None], str]:
    """A live exercise past T1 (a text expectation, answer_by any), its driver, a team
    (its clock on ``wall``, if given)."""
    loaded = load_file(FIXTURE)
    scenario = loaded.require()
    roster = roster_from_counts(scenario, 1)
    log = new_log(tmp_path / "live.db", loaded.text, scenario, roster, "fixture")
    live = LiveExercise(Exercise(scenario, roster), log, Clock(wall or FakeWall()))
    runner = asyncio.create_task(live.run())
    team = roster.teams[0].id
    assert (await live.submit(c.Start())).ok
    assert (await live.submit(c.Release(inject="T1", teams=[team]))).ok
    return live, runner, team


async def _stop(live: LiveExercise, runner: asyncio.Task[None]) -> None:
    live.stop()
    await runner
    live.log.close()


def _answer(team: str, member: str, text: str) -> c.Respond:
    return c.Respond(team=team, member=member, expectation="T1.s", text=text)


async def test_a_text_answer_is_graded_once_in_the_grading_thread(
    tmp_path: Path, held: HeldGrader
) -> None:
    live, runner, team = await _running(tmp_path)
    outcome = await live.submit(_answer(team, "ana", "The grid runs; the video is a fake."))
    assert outcome.ok, outcome.reason
    assert held.threads == [("The grid runs; the video is a fake.", "sitroom-grader_0")]
    logged = outcome.events[0].body
    assert isinstance(logged, c.Respond) and logged.verdict is not None
    assert logged.verdict.grader == "held/1" and logged.verdict.points == 7.0
    await _stop(live, runner)


async def test_the_loop_applies_other_commands_while_an_answer_is_graded(
    tmp_path: Path, held: HeldGrader
) -> None:
    live, runner, team = await _running(tmp_path)
    answer = asyncio.create_task(live.submit(_answer(team, "ana", "hold: grid fine")))
    assert await asyncio.to_thread(held.started.wait, 10)
    note = await asyncio.wait_for(live.submit(c.Broadcast(text="Coffee in ten minutes")), 5)
    assert note.ok, note.reason
    assert not answer.done()
    held.release.set()
    assert (await asyncio.wait_for(answer, 10)).ok
    kinds = [e.kind for e in live.log.events()]
    assert kinds.index("broadcast") < kinds.index("respond")
    await _stop(live, runner)


async def test_text_answers_join_the_queue_in_the_order_they_came(
    tmp_path: Path, held: HeldGrader
) -> None:
    live, runner, team = await _running(tmp_path)
    intake.grade(live.exercise.scenario.expectation_by_ref["T1.s"][1], "second, cached")  # type: ignore[arg-type]
    first = asyncio.create_task(live.submit(_answer(team, "ana", "hold: the first")))
    assert await asyncio.to_thread(held.started.wait, 10)
    second = asyncio.create_task(live.submit(_answer(team, "ben", "second, cached")))
    await asyncio.sleep(0)
    held.release.set()
    assert (await asyncio.wait_for(first, 10)).ok
    refused = await asyncio.wait_for(second, 10)
    assert not refused.ok and "already answered by ana" in refused.reason
    await _stop(live, runner)


async def _near_the_deadline(
    tmp_path: Path,
) -> tuple[LiveExercise, asyncio.Task[None], str, FakeWall, int, asyncio.Task[Outcome]]:
    """A live exercise one second before T1's deadline for a team, whose text answer
    has just arrived and is being graded (held)."""
    wall = FakeWall()
    live, runner, team = await _running(tmp_path, wall)
    delivered = live.exercise.teams[team].delivered_at("T1")
    assert delivered is not None
    due = delivered + 10 * 60_000
    wall.now += (due - live.exercise.now) / 1000 - 1
    answer = asyncio.create_task(live.submit(_answer(team, "ana", "hold: grid fine")))
    assert await asyncio.to_thread(HELD.started.wait, 10)
    return live, runner, team, wall, due, answer


async def test_an_answer_is_taken_when_it_arrived_however_long_its_grade(
    tmp_path: Path, held: HeldGrader
) -> None:
    """An answer that arrives a second before its deadline is on time, though its grade
    finishes half a minute later: the clock waits at its arrival meanwhile, and what
    arrived after it (a broadcast) waits too, then is taken at its own time."""
    live, runner, _team, wall, due, answer = await _near_the_deadline(tmp_path)
    wall.now += 30
    live.poke()
    note = asyncio.create_task(live.submit(c.Broadcast(text="Meanwhile"), "control/x/7"))
    await asyncio.sleep(0.05)
    assert not note.done() and live.exercise.now == due - 1000
    held.release.set()
    taken = await asyncio.wait_for(answer, 10)
    assert taken.ok, taken.reason
    (respond,) = [e for e in taken.events if e.kind == "respond"]
    assert respond.t == due - 1000
    scored = [e.body for e in taken.events if isinstance(e.body, Scored)]
    assert scored and scored[0].late_ms == 0
    after = await asyncio.wait_for(note, 10)
    (broadcast,) = [e for e in after.events if e.kind == "broadcast"]
    assert after.ok and broadcast.t == due + 29_000  # when it came
    # What fell due on the way came first; the input is still the one marked as sent.
    assert after.events[0].kind == "delivered" and after.input is broadcast
    (logged,) = [e for e in live.log.events() if e.kind == "broadcast"]
    assert logged.origin == "control/x/7" and logged.seq == broadcast.seq
    assert not [e for e in live.log.events() if e.kind == "deadline"]
    await _stop(live, runner)


async def test_a_hold_does_not_put_another_teams_late_answer_on_time(
    tmp_path: Path, held: HeldGrader
) -> None:
    """A second team's text answer, come after the deadline while the first is being
    graded, is late: each answer keeps its own time."""
    live, runner, team, wall, due, answer = await _near_the_deadline(tmp_path)
    other = next(t for t in live.exercise.teams if t != team)
    assert await live.submit(c.Release(inject="T1", teams=[other]))
    other_due = live.exercise.teams[other].delivered_at("T1")
    assert other_due is not None
    wall.now += (other_due + 10 * 60_000 - (due - 1000)) / 1000 + 29
    late = asyncio.create_task(live.submit(_answer(other, "bo", "grid fine, late")))
    await asyncio.sleep(0.05)
    held.release.set()
    assert (await asyncio.wait_for(answer, 10)).ok
    taken = await asyncio.wait_for(late, 10)
    assert taken.ok, taken.reason
    scored = [e.body for e in taken.events if isinstance(e.body, Scored)]
    assert scored and scored[0].late_ms == 29_000
    missed = [e.body for e in live.log.events() if isinstance(e.body, Deadline)]
    assert [m.teams for m in missed if m.expectation == "T1.s"] == [[other]]
    await _stop(live, runner)


async def test_a_jump_waits_for_the_answer_being_graded(tmp_path: Path, held: HeldGrader) -> None:
    """A jump (or an end) sent while an answer is graded comes after it: the answer is
    on time, then the clock jumps."""
    live, runner, _team, _wall, due, answer = await _near_the_deadline(tmp_path)
    jump = asyncio.create_task(live.submit(c.Jump(to=due + 5 * 60_000)))
    await asyncio.sleep(0.05)
    held.release.set()
    taken = await asyncio.wait_for(answer, 10)
    (respond,) = [e for e in taken.events if e.kind == "respond"]
    assert taken.ok and respond.t == due - 1000
    assert (await asyncio.wait_for(jump, 10)).ok
    assert live.exercise.now == due + 5 * 60_000
    kinds = [e.kind for e in live.log.events()]
    assert kinds.index("respond") < kinds.index("jump")
    assert "deadline" not in kinds
    await _stop(live, runner)
