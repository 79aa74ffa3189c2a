"""The participant feedback form as an input: taken after the end only, bounded, logged,
replayed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from engine import commands as c
from engine.eventlog import EventLog
from engine.exercise import Exercise
from engine.feedback import MAX_ITEM_CHARS, QUESTIONS
from engine.replay import rebuild
from engine.roster import default_roster
from engine.scenario import Scenario
from tests.engine.conftest import FIXTURE, M, new_log, started
from tests.engine.test_rejections import fingerprint


def form(**fields: Any) -> c.Feedback:
    base: dict[str, Any] = {
        "team": "a",
        "member": "Ana",
        "strengths": ["Clear roles"],
        "improvements": ["Slow to verify"],
        "ratings": {"structured": 4, "again": 5},
    }
    return c.Feedback.model_validate({**base, **fields})


def ended(scenario: Scenario) -> Exercise:
    ex = started(scenario)
    ex.advance_to(20 * M)
    assert ex.submit(c.End(reason="done"), 20 * M).ok
    ex.drain()
    return ex


def test_refused_before_the_end_with_a_reason_and_changes_nothing(scenario: Scenario) -> None:
    ready = Exercise(scenario, default_roster(scenario))
    running = started(scenario)
    running.advance_to(5 * M)
    for ex in (ready, running):
        before = fingerprint(ex)
        outcome = ex.submit(form(), ex.now)
        assert not outcome.ok
        assert "opens when the exercise ends" in outcome.reason
        assert fingerprint(ex) == before


def test_taken_after_the_end_as_a_logged_input(scenario: Scenario) -> None:
    ex = ended(scenario)
    outcome = ex.submit(form(), 25 * M)
    assert outcome.ok, outcome.reason
    [event] = outcome.events
    assert event.kind == "feedback" and event.is_input and event.team == "a"
    assert event.body == form()
    # A second form from the member is taken too: the report keeps the latest.
    assert ex.submit(form(strengths=["Better the second time"]), 26 * M).ok


@pytest.mark.parametrize(
    ("fields", "why"),
    [
        ({"team": "zz"}, "unknown team"),
        ({"strengths": ["  "]}, "blank"),
        ({"strengths": [], "improvements": [], "ratings": {}}, "empty"),
    ],
)
def test_the_engine_refuses(scenario: Scenario, fields: dict[str, Any], why: str) -> None:
    ex = ended(scenario)
    outcome = ex.submit(form(**fields), ex.now)
    assert not outcome.ok and why in outcome.reason


@pytest.mark.parametrize(
    "fields",
    [
        {"ratings": {"again": 0}},
        {"ratings": {"again": 6}},
        {"ratings": {"again": "4"}},
        {"ratings": {"again": True}},
        {"ratings": {"again": 4.5}},
        {"ratings": {"no-such-question": 3}},
        {"strengths": ["one", "two", "three", "four"]},
        {"improvements": ["x" * (MAX_ITEM_CHARS + 1)]},
        {"improvements": [""]},
        {"anonymous": "maybe"},
        {"member": ""},
    ],
)
def test_the_command_is_bounded(fields: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        form(**fields)


def test_every_question_takes_every_rating() -> None:
    for qid, _text in QUESTIONS:
        for rating in (1, 5):
            assert form(ratings={qid: rating}).ratings == {qid: rating}


def test_a_log_with_feedback_replays(tmp_path: Path, scenario: Scenario) -> None:
    roster = default_roster(scenario)
    ex = Exercise(scenario, roster)
    path = tmp_path / "fb.db"
    text = FIXTURE.read_text(encoding="utf-8")
    with new_log(path, text, scenario, roster, FIXTURE.name) as log:
        assert ex.submit(c.Start(), 0).ok
        assert ex.submit(c.End(), 30 * M).ok
        assert ex.submit(form(anonymous=True), 31 * M).ok
        assert ex.submit(form(team="b", member="Bo", ratings={"role": 2}), 32 * M).ok
        log.append(ex.drain(), wall=1.0)
    with EventLog.open(path, readonly=True) as log:
        kinds = [e.kind for e in log.events()]
        assert kinds.count("feedback") == 2
        assert rebuild(log).events == len(kinds)
