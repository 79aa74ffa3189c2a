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
from engine.exercise import Exercise
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


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> HeldGrader:
    grader = HeldGrader()
    monkeypatch.setenv(intake.ENV, "meaning")
    monkeypatch.setattr(intake, "_grader", grader)
    monkeypatch.setattr(intake, "_cache", {})
    return grader


async def _running(tmp_path: Path) -> tuple[LiveExercise, asyncio.Task[None], str]:
    """A live exercise past T1 (a text expectation, answer_by any), its driver, a team."""
    loaded = load_file(FIXTURE)
    scenario = loaded.require()
    roster = roster_from_counts(scenario, 1)
    log = new_log(tmp_path / "live.db", loaded.text, scenario, roster, "fixture")
    live = LiveExercise(Exercise(scenario, roster), log, Clock(FakeWall()))
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
