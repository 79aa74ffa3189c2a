"""The story clock (issue 15): a scenario's start, phases that jump the world's time
forward, one clock every surface reads, and lint on times that inject texts quote."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from subprocess import CompletedProcess

import pytest

from engine.scenario import load_bytes, load_file
from engine.storyclock import from_wire, story_clock
from engine.views import exercise_for_team
from tests.engine.conftest import validate_text
from tui.model.clock import ConsoleClock

ROOT = Path(__file__).resolve().parents[2]
M = 60_000

BASE = """\
id: story
title: Story
duration: 3h
start: 2025-09-25T07:00:00
teams: [{id: ops, name: Operations}]
actors: [{id: ic, name: Incident commander}]
phases:
  - {id: morning, title: Morning}
PHASE
injects:
  - {id: A, at: 1h45m, to: all, channel: email, from: ic, title: "Publish the update by 10:45"}
  - {id: B, at: 1h48m, to: all, channel: email, from: ic, title: "Time jump: it is now 13:20"}
  - {id: C, at: 2h, to: all, channel: email, from: ic, title: "The bank closes at 15:00"}
"""
JUMP = "  - {id: afternoon, title: Afternoon, at: 1h48m, story: 2025-09-25T13:20:00}"


def validate(tmp_path: Path, text: str) -> CompletedProcess[str]:
    return validate_text(tmp_path, text, "story.yaml")


def test_a_quoted_now_the_story_clock_contradicts_is_a_warning(tmp_path: Path) -> None:
    out = validate(tmp_path, BASE.replace("PHASE\n", ""))
    assert out.returncode != 0
    assert (
        'B says "it is now 13:20", but the story clock reads 08:48 when it arrives '
        "(1h48m into the exercise)" in out.stdout
    ), out.stdout
    # "by 10:45" at 08:45 is still ahead of the clock: nothing to say.
    assert "A asks" not in out.stdout


def test_a_phase_that_jumps_the_clock_makes_it_agree(tmp_path: Path) -> None:
    out = validate(tmp_path, BASE.replace("PHASE", JUMP))
    assert out.returncode == 0, out.stdout + out.stderr


def test_a_deadline_already_passed_on_arrival_is_a_warning(tmp_path: Path) -> None:
    text = BASE.replace("PHASE", JUMP).replace("The bank closes at 15:00", "Pay by 13:00")
    out = validate(tmp_path, text)
    assert 'C asks for something "by 13:00", but the story clock already reads 13:32' in (
        out.stdout
    ), out.stdout


def test_a_jump_back_is_a_warning_and_a_story_needs_at(tmp_path: Path) -> None:
    back = JUMP.replace("13:20", "06:00")
    out = validate(tmp_path, BASE.replace("PHASE", back))
    assert "phase afternoon sets the story clock back, from 2025-09-25 08:48" in out.stdout
    no_at = JUMP.replace("at: 1h48m, ", "")
    out = validate(tmp_path, BASE.replace("PHASE", no_at))
    assert "a story jump needs at" in out.stdout


@pytest.mark.parametrize(
    ("ms", "shown"),
    [(0, "Thu 07:00"), (107 * M, "Thu 08:47"), (108 * M, "Thu 13:20"), (120 * M, "Thu 13:32")],
)
def test_consoles_show_the_clock_the_scenario_defines(ms: int, shown: str) -> None:
    scenario = load_bytes(BASE.replace("PHASE", JUMP), "story.yaml").require()
    clock = story_clock(scenario)
    assert clock is not None and clock.text(ms) == shown
    # What a console is sent on joining gives it the same clock.
    info = exercise_for_team(scenario)
    console = ConsoleClock()
    console.story = from_wire(info.start, info.story_jumps)
    console.update(ms, "paused", 1.0)
    assert console.in_world_text() == shown


def test_the_library_scenario_jumps_where_its_notes_said() -> None:
    scenario = load_file(ROOT / "scenarios" / "agent-excessive-agency.yaml").require()
    clock = story_clock(scenario)
    assert clock is not None
    assert clock.at(108 * M) == datetime(2025, 9, 25, 13, 20)
