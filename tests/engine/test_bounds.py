"""Times and points stay within sane bounds on the wire, in the engine and in typed text.

Issue 11: a facilitator's jump to 2^63 ms was acknowledged and the next input
crashed the engine (an ``OverflowError`` writing the log), again after
``--resume``; the jump dialog read ``9999999999999999:00:00``; NaN and infinity
crossed the wire. Every exercise time is now at most :data:`MAX_TIME` (30 days)
and every number of points at most :data:`MAX_POINTS` (10^6), refused with a
reason where they enter.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from engine import commands as c
from engine.durations import DAY, HOUR, MAX_TIME, MINUTE, TimeError, parse_offset, parse_when
from engine.eventlog import EventLog
from engine.exercise import Exercise
from engine.replay import resume
from engine.roster import roster_from_counts
from engine.scenario import Scenario, load_file
from engine.scenario.common import MAX_POINTS
from tests.engine.conftest import FIXTURE, M, started
from tests.engine.test_rejections import fingerprint

GRADE = {"type": "grade", "evaluator": "e", "team": "a", "expectation": "A1.d"}
REPLY = {"type": "reply", "actor": "x", "team": "a", "text": "hi"}


def test_the_bounds_are_thirty_days_and_a_million_points() -> None:
    assert MAX_TIME == 30 * DAY
    assert MAX_POINTS == 1_000_000


# ---------------------------------------------------------------------- the wire


@pytest.mark.parametrize(
    "data",
    [
        {"type": "jump", "to": 2**63},
        {"type": "jump", "to": MAX_TIME + 1},
        {"type": "release", "inject": "A1", "at": 2**63},
        {"type": "release", "inject": "A1", "at": MAX_TIME + 1},
        {"type": "set_speed", "speed": float("nan")},
        {"type": "set_speed", "speed": float("inf")},
        {**GRADE, "points": 1e308},
        {**GRADE, "points": MAX_POINTS + 1},
        {**GRADE, "points": float("nan")},
        {**GRADE, "points": float("inf")},
        {**REPLY, "to_seq": 2**63},
    ],
    ids=lambda d: f"{d['type']}-{next(v for k, v in reversed(d.items()) if k != 'type')}",
)
def test_commands_out_of_bounds_are_refused_by_their_model(data: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        c.parse_command(data)


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_json_nan_and_infinity_are_refused(number: str) -> None:
    """Python's JSON reader accepts NaN and Infinity: the models must refuse them."""
    for text in (
        f'{{"type": "set_speed", "speed": {number}}}',
        f'{{"type": "grade", "evaluator": "e", "team": "a", "expectation": "A1.d", '
        f'"points": {number}}}',
    ):
        with pytest.raises(ValidationError):
            c.parse_command(json.loads(text))


def test_commands_at_the_bounds_are_accepted() -> None:
    assert c.parse_command({"type": "jump", "to": MAX_TIME}) == c.Jump(to=MAX_TIME)
    assert c.parse_command({**GRADE, "points": MAX_POINTS}) == c.Grade(
        evaluator="e", team="a", expectation="A1.d", points=MAX_POINTS
    )


# ---------------------------------------------------------------------- the engine


def test_a_jump_past_the_end_is_rejected_and_changes_nothing(scenario: Scenario) -> None:
    ex = started(scenario)
    before = fingerprint(ex)
    outcome = ex.submit(c.Jump(to=MAX_TIME), 0)
    assert not outcome.ok
    assert outcome.reason == (
        "720:00:00 is after the exercise ends (2:00:00): jump to the end at most"
    )
    assert fingerprint(ex) == before
    assert ex.submit(c.Jump(to=2 * 60 * M), 0).ok
    assert ex.status == "ended"


def test_a_release_after_the_end_is_rejected(scenario: Scenario) -> None:
    ex = started(scenario)
    before = fingerprint(ex)
    outcome = ex.submit(c.Release(inject="A1", at=2 * 60 * M + 1), 0)
    assert (outcome.ok, outcome.reason) == (
        False,
        "release time 2:00:00 is after the exercise ends (2:00:00)",
    )
    assert fingerprint(ex) == before


def test_the_furthest_jump_is_logged_with_the_next_input_and_resumes(tmp_path: Path) -> None:
    """The crash of the issue: a far jump, then any input, then ``--resume``."""
    loaded = load_file(FIXTURE)
    scenario = loaded.require()
    roster = roster_from_counts(scenario, 1)
    ex = Exercise(scenario, roster)
    db = tmp_path / "far.db"
    with EventLog.create(
        db,
        scenario_text=loaded.text,
        scenario_sha256=loaded.sha256,
        scenario_name=loaded.name,
        seed=scenario.seed,
        roster=roster,
    ) as log:
        assert ex.submit(c.Start(), 0).ok
        assert not ex.submit(c.Jump(to=MAX_TIME), 0).ok
        assert ex.submit(c.Jump(to=scenario.duration), 0).ok
        log.append(ex.drain())
        assert ex.submit(c.Note(author="f", text="after the end"), ex.now).ok
        log.append(ex.drain())
    log2, rebuilt = resume(db, expect_sha256=loaded.sha256)
    with log2:
        assert rebuilt.exercise.status == "ended"
        assert rebuilt.exercise.now == scenario.duration


# ---------------------------------------------------------------------- typed times


@pytest.mark.parametrize(
    "text",
    [
        "9999999999999999:00:00",
        "721:00:00",
        "31d",
        "+31d",
        "PT721H",
        "9" * 5000 + ":00",
        "+" + "9" * 5000 + "s",
        "1" + "0" * 400 + "h",
    ],
    ids=lambda t: t[:24],
)
def test_the_jump_dialog_refuses_times_past_thirty_days(text: str) -> None:
    with pytest.raises(TimeError, match=r"30 days|cannot read"):
        parse_when(text, 0)


def test_the_jump_dialog_reads_up_to_thirty_days() -> None:
    assert parse_when("720:00:00", 0) == MAX_TIME
    assert parse_when("30d", 0) == MAX_TIME
    assert parse_when("+1h", MAX_TIME - HOUR) == MAX_TIME
    with pytest.raises(TimeError, match="30 days"):
        parse_when("+1m", MAX_TIME)


def test_the_bound_is_said_in_the_dialogs_words() -> None:
    with pytest.raises(TimeError) as info:
        parse_when("9999999999999999:00:00", 0)
    assert str(info.value) == (
        "'9999999999999999:00:00' is past 30 days (720:00:00), the latest exercise time"
    )


@pytest.mark.parametrize(
    "text",
    ["D+31", "T+721:00", "T+43201", "H+721", "+31d", "T+" + "9" * 5000, "9" * 5000 + " min"],
    ids=lambda t: t[:24],
)
def test_msel_times_past_thirty_days_are_refused(text: str) -> None:
    with pytest.raises(TimeError):
        parse_offset(text)


def test_msel_times_up_to_thirty_days_are_read() -> None:
    assert parse_offset("D+30") == MAX_TIME
    assert parse_offset("T+720:00") == MAX_TIME
    assert parse_offset("D+29 H+23 M+59") == MAX_TIME - MINUTE
