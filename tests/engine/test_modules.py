"""Modules: phases that start after one another and end with a discussion (issue 15).

The loader names what is wrong (an unknown phase, a cycle, a discussion with no
questions); the engine pauses at the discussion's moment, delivers nothing while it
lasts, and goes on when the facilitator resumes; the live driver never lets exercise
time run past it; a logged dry-run (whose facilitator resumes at once) replays event
for event; the MSEL carries modules through a round trip.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path

import pytest

from engine import commands as c
from engine.clock import Clock
from engine.eventlog import EventLog
from engine.events import CLOCK_KINDS, Discussion
from engine.exercise import Exercise
from engine.live import LiveExercise
from engine.msel.export import export_csv
from engine.msel.importer import import_csv
from engine.replay import rebuild
from engine.roster import default_roster
from engine.scenario import load_bytes
from engine.scenario.model import Scenario
from engine.scenario.modules import phase_times
from engine.storyclock import story_clock
from tests.engine.conftest import M, deliveries, logged_dry_run
from tui.model.clock import ConsoleClock

MODULES = """\
id: modules
title: Two modules
duration: 2h
teams: [{id: soc, name: SOC}, {id: legal, name: Legal}]
actors: [{id: ceo, name: CEO}]
phases:
  - id: detect
    title: Detection
    at: 0m
    discussion:
      questions: ["Who do you call first?", "What do you tell staff?"]
      minutes: 15
      delay: 10m
  - id: escalate
    title: Escalation
    after: detect
    discussion: {questions: ["Do you pay?"], minutes: 10}
  - id: recover
    title: Recovery
    after: {phase: escalate, delay: 5m}
injects:
  - {id: A, title: First, channel: email, from: ceo, to: soc, at: 5m, phase: detect,
     expects: [{id: ack, kind: checklist, items: [{id: x, label: Acknowledge}]}]}
  - {id: B, title: Second, channel: email, from: ceo, to: all, at: 20m, phase: detect}
  - {id: C, title: Third, channel: email, from: ceo, to: legal, at: 31m, phase: escalate}
  - {id: D, title: Fourth, channel: email, from: ceo, to: all, at: 40m, phase: escalate}
  - {id: E, title: Fifth, channel: email, from: ceo, to: soc, at: 50m, phase: recover}
"""


def load(text: str) -> Scenario:
    return load_bytes(text, "modules.yaml").require()


def problems(text: str) -> list[str]:
    return [f"{p.path}: {p.message}" for p in load_bytes(text, "modules.yaml").problems]


def started(scenario: Scenario) -> Exercise:
    ex = Exercise(scenario, default_roster(scenario))
    assert ex.submit(c.Start(), 0).ok
    ex.drain()
    return ex


# ------------------------------------------------------------------ the format


def test_phases_start_after_others_and_discussions_fall_after_the_last_inject() -> None:
    times = phase_times(load(MODULES))
    # detect: last timed inject B at 20m, discussion 10m later; escalate starts then.
    assert (times["detect"].start, times["detect"].discussion) == (0, 30 * M)
    assert (times["escalate"].start, times["escalate"].discussion) == (30 * M, 40 * M)
    assert (times["recover"].start, times["recover"].end) == (45 * M, 50 * M)


def test_after_an_unknown_phase_is_an_error_naming_the_phases() -> None:
    text = MODULES.replace("after: detect", "after: detection")
    assert (
        "phases[1].after.phase: phase escalate starts after unknown phase 'detection' "
        "(phases: detect, escalate, recover)"
    ) in problems(text)


def test_a_cycle_of_phases_is_an_error_that_shows_the_loop() -> None:
    text = MODULES.replace("    at: 0m\n", "    after: recover\n", 1)
    found = problems(text)
    assert (
        "phases[0].after.phase: phase detect starts after itself, through a cycle: "
        "detect → recover → escalate → detect; start one of them at a time instead"
    ) in found
    assert len([p for p in found if "cycle" in p]) == 1, "one error per cycle"
    assert not [p for p in found if p.startswith("injects")], "no timing found in a cycle"
    assert not load_bytes(text, "modules.yaml").ok


def test_a_discussion_without_questions_and_a_phase_with_at_and_after_are_refused() -> None:
    no_questions = MODULES.replace('questions: ["Do you pay?"]', "questions: []")
    assert (
        "phases[1].discussion.questions: a discussion without questions: give the "
        "questions every table discusses"
    ) in problems(no_questions)
    both = MODULES.replace("    after: detect\n", "    after: detect\n    at: 30m\n")
    assert any("at a time or after another phase" in p for p in problems(both)), problems(both)


def test_a_discussion_after_the_end_is_a_warning() -> None:
    text = MODULES.replace("delay: 10m", "delay: 3h")
    found = load_bytes(text, "modules.yaml")
    assert [
        (p.severity, p.message) for p in found.problems if p.path == "phases[0].discussion"
    ] == [
        (
            "warning",
            "detect's discussion would fall at or after the exercise ends: it never happens",
        )
    ]


def test_a_module_after_another_can_jump_the_story_clock() -> None:
    text = MODULES.replace("duration: 2h\n", "duration: 2h\nstart: 2025-06-27T15:00:00\n")
    text = text.replace(
        "    after: {phase: escalate, delay: 5m}\n",
        "    after: {phase: escalate, delay: 5m}\n    story: 2025-06-28T09:00:00\n",
    )
    clock = story_clock(load(text))
    assert clock is not None
    assert clock.jumps == ((45 * M, datetime(2025, 6, 28, 9, 0)),)
    assert (clock.text(44 * M), clock.text(50 * M)) == ("Fri 15:44", "Sat 09:05")


# ------------------------------------------------------------------ the engine


def test_the_engine_pauses_at_the_discussion_and_nothing_fires_until_resumed() -> None:
    ex = started(load(MODULES))
    assert ex.bound(2 * 60 * M) == 30 * M, "no driver may go past a discussion to come"
    ex.advance_to(ex.bound(2 * 60 * M))
    events = ex.drain()
    assert [e.payload["inject"] for e in events if e.kind == "delivered"] == ["A", "B"]
    talk = events[-1]
    assert talk.t == 30 * M and isinstance(talk.body, Discussion)
    assert talk.body.model_dump(exclude={"type"}) == {
        "phase": "detect",
        "number": 1,
        "title": "Detection",
        "questions": ["Who do you call first?", "What do you tell staff?"],
        "minutes": 15,
    }
    assert (ex.status, ex.bound(2 * 60 * M)) == ("paused", 40 * M), "the next one"
    # Teams may still answer during it, at the discussion's moment.
    answer = c.Respond(team="soc", member="ana", expectation="A.ack", items=["x"])
    assert ex.submit(answer, ex.now).ok
    assert ex.submit(c.Resume(), 30 * M).ok
    assert ex.status == "running"
    ex.advance_to(ex.bound(2 * 60 * M))
    later = ex.drain()
    assert deliveries(later) == [
        (31 * M, "C", ["legal"], "at"),
        (40 * M, "D", ["soc", "legal"], "at"),
    ]
    assert isinstance(later[-1].body, Discussion) and later[-1].body.number == 2


def test_a_jump_over_a_discussion_lands_on_it() -> None:
    ex = started(load(MODULES))
    assert ex.submit(c.Jump(to=60 * M, at_landing=True), 0).ok
    events = ex.drain()
    assert ex.now == 30 * M and ex.status == "paused"
    assert [e.kind for e in events][-1] == "discussion"
    assert not any(e.kind == "delivered" and e.payload["inject"] == "C" for e in events)
    # The logged jump says where it landed: a console's clock, reconnecting, reads it.
    (jump,) = [e.body for e in events if isinstance(e.body, c.Jump)]
    assert jump.to == 30 * M and jump.at_landing
    clock = ConsoleClock()
    for event in events:
        if event.kind in CLOCK_KINDS or event.kind == "discussion":
            clock.apply(event.body, event.t)  # type: ignore[arg-type]
    assert clock.now_ms == 30 * M


def test_the_discussion_comes_after_an_inject_due_at_its_very_moment() -> None:
    text = MODULES.replace("delay: 10m", "delay: 0m")
    ex = started(load(text))
    ex.advance_to(ex.bound(60 * M))
    kinds = [(e.t, e.kind) for e in ex.drain()]
    assert kinds[-2:] == [(20 * M, "delivered"), (20 * M, "discussion")]


class FakeWall:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


async def test_the_live_driver_stops_the_clock_at_the_discussion(tmp_path: Path) -> None:
    """The wall clock runs past the discussion before the driver's next batch: the
    engine still stops at its moment, the clock is set back to it and stopped, and
    the inject due a minute after it waits for the resume."""
    scenario = load(MODULES)
    wall = FakeWall()
    ex = Exercise(scenario, default_roster(scenario))
    log = EventLog.create(
        tmp_path / "live.db",
        scenario_text=MODULES,
        scenario_sha256="x" * 64,
        scenario_name="modules.yaml",
        seed=0,
        roster=ex.roster,
    )
    live = LiveExercise(ex, log, Clock(wall, at=0, speed=1.0), epoch=wall)

    async def submit(cmd: c.Command) -> bool:
        task = asyncio.ensure_future(live.submit(cmd))
        await asyncio.sleep(0)
        live.step()
        return (await task).ok

    assert await submit(c.Start())
    wall.now += 35 * 60  # the clock reads 0:35, past the discussion at 0:30
    assert live.step() is None, "paused: nothing to wake for"
    assert (ex.now, ex.status, live.clock.running, live.clock.now()) == (
        30 * M,
        "paused",
        False,
        30 * M,
    )
    # An answer that arrives now is stamped with the discussion's moment, not 0:35.
    assert await submit(c.Respond(team="soc", member="ana", expectation="A.ack", items=["x"]))
    wall.now += 20 * 60  # twenty minutes of discussion on the wall clock
    assert await submit(c.Resume())
    wall.now += 60
    live.step()
    delivered = [(e.t, e.payload["inject"]) for e in log.events() if e.kind == "delivered"]
    assert delivered == [(5 * M, "A"), (20 * M, "B"), (31 * M, "C")]
    kinds = [(e.t, e.kind) for e in log.events() if e.kind in ("discussion", "respond", "resume")]
    assert kinds == [(30 * M, "discussion"), (30 * M, "respond"), (30 * M, "resume")]
    log.close()


def test_a_logged_dry_run_resumes_each_discussion_and_replays_exactly(tmp_path: Path) -> None:
    scenario = load(MODULES)
    result = logged_dry_run(tmp_path / "dry.db", MODULES, scenario, default_roster(scenario))
    assert [(t, d.phase) for t, d in result.discussions()] == [
        (30 * M, "detect"),
        (40 * M, "escalate"),
    ]
    resumes = [e.t for e in result.events if e.kind == "resume"]
    assert resumes == [30 * M, 40 * M]
    assert any(e.kind == "delivered" and e.payload["inject"] == "E" for e in result.events)
    with EventLog.open(tmp_path / "dry.db") as log:
        rebuilt = rebuild(log)  # raises at the first event that differs
    assert rebuilt.events == len(result.events) and rebuilt.pending == []


# ------------------------------------------------------------------ the MSEL


def test_modules_survive_the_msel_round_trip() -> None:
    scenario = load(MODULES)
    sheet = export_csv(scenario)
    assert '#phase,recover,Recovery,,,,"{phase: escalate, delay: 5m}",' in sheet
    table = [line.split(",")[:3] for line in sheet.splitlines()[-7:]]
    assert table == [
        ["A", "detect", "T+0:05"],
        ["B", "detect", "T+0:20"],
        ["## discussion", "detect", "T+0:30"],  # where play pauses; the import skips it
        ["C", "escalate", "T+0:31"],
        ["D", "escalate", "T+0:40"],
        ["## discussion", "escalate", "T+0:40"],
        ["E", "recover", "T+0:50"],
    ]
    back = import_csv(sheet)
    assert back.ok, back.problems
    assert back.scenario == scenario


@pytest.mark.parametrize("cell", ["{questions: [", "&a [1]"])
def test_a_broken_discussion_cell_is_located(cell: str) -> None:
    sheet = export_csv(load(MODULES)).replace(
        "\"{questions: ['Do you pay?'], minutes: 10}\"", f'"{cell}"'
    )
    back = import_csv(sheet)
    assert not back.ok
    assert any("discussion" in p.format() for p in back.problems), [
        p.format() for p in back.problems
    ]
