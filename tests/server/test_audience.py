"""Each event's shape per audience: staff see all of it, a team only what concerns it.

Driven through the real engine so every kind of event occurs, then checked
kind by kind against the table in ``engine/server/audience.py``.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from engine import commands as c
from engine.events import INPUT_KINDS, OUTPUT_KINDS, Event
from engine.exercise import Exercise
from engine.protocol import SERVER_ADAPTER
from engine.roster import roster_from_counts
from engine.scenario import load_file
from engine.server.audience import STAFF, Shaper
from tests.server.conftest import FIXTURE, TEAMS, M

STAFF_ONLY = {"skipped", "release", "hold", "cancel", "rate", "note"}
EVERY_TEAM = {"start", "pause", "resume", "set_speed", "jump", "end", "ended"}


def play() -> tuple[Shaper, list[Event]]:
    scenario = load_file(FIXTURE).require()
    ex = Exercise(scenario, roster_from_counts(scenario, "2"))
    shaper = Shaper(ex)
    events: list[Event] = []

    def run(cmd: c.Command, t: int) -> None:
        outcome = ex.submit(cmd, t)
        assert outcome.ok, (cmd, outcome.reason)
        batch = ex.drain()
        for event in batch:
            event.seq = len(events) + 1
            events.append(event)
        shaper.note_results(batch)

    run(c.Join(team="a-01", member="amira"), 0)
    run(c.SetSpeed(speed=10), 0)
    run(c.Start(), 0)
    run(c.Hold(inject="C1", teams=["b-02"]), 1 * M)
    run(c.Respond(team="a-01", member="amira", expectation="A1.d", choice="good"), 11 * M)
    run(c.Respond(team="a-02", member="al", expectation="A1.d", choice="bad"), 12 * M)
    run(c.Ask(team="a-01", member="amira", actor="x", text="is it real?"), 13 * M)
    run(c.Reply(team="a-01", actor="x", text="no comment"), 14 * M)
    run(c.TeamNote(team="a-01", member="amira", text="called the ministry"), 15 * M)
    run(c.Broadcast(text="to a-01 only", teams=["a-01"]), 16 * M)
    run(c.Broadcast(text="to everyone", actor="x"), 17 * M)
    run(c.Pause(reason="coffee"), 30 * M)
    run(c.Resume(), 30 * M)
    run(c.Release(inject="K1", teams=["a-02"]), 31 * M)
    run(c.Cancel(inject="T1", teams=["b-01"]), 32 * M)
    run(c.Jump(to=62 * M), 33 * M)
    run(c.Grade(evaluator="lead", team="a-01", expectation="T1.m", points=4), 63 * M)
    run(c.Rate(evaluator="lead", team="a-01", objective="obj", rating="S"), 64 * M)
    run(c.Note(author="lead", text="good call", team="a-01"), 65 * M)
    run(c.End(reason="done"), 70 * M)
    return shaper, events


@pytest.fixture(scope="module")
def played() -> tuple[Shaper, list[Event]]:
    return play()


def test_the_play_produces_every_kind_of_event(played: tuple[Shaper, list[Event]]) -> None:
    _, events = played
    kinds = {e.kind for e in events}
    assert kinds >= OUTPUT_KINDS | INPUT_KINDS, (OUTPUT_KINDS | INPUT_KINDS) - kinds


def concerns(event: Event, team: str) -> bool:
    """An independent statement of who may see what (the design's table)."""
    if event.kind in STAFF_ONLY:
        return False
    if event.kind in EVERY_TEAM:
        return True
    if event.kind in ("delivered", "deadline"):
        return team in event.payload["teams"]
    if event.kind == "broadcast":
        return event.payload.get("teams") is None or team in event.payload["teams"]
    return bool(event.payload.get("team") == team)


def test_staff_see_every_event_as_logged(played: tuple[Shaper, list[Event]]) -> None:
    shaper, events = played
    for event in events:
        text = shaper.text_for(event, STAFF, 1.0)
        assert text is not None
        msg = json.loads(text)
        assert msg["payload"] == event.payload and msg["seq"] == event.seq
        SERVER_ADAPTER.validate_json(text)


@pytest.mark.parametrize("team", TEAMS)
def test_a_team_sees_only_what_concerns_it(played: tuple[Shaper, list[Event]], team: str) -> None:
    shaper, events = played
    others = [t for t in TEAMS if t != team]
    for event in events:
        text = shaper.text_for(event, team, 1.0)
        assert (text is not None) == concerns(event, team), (team, event.describe())
        if text is None:
            continue
        SERVER_ADAPTER.validate_json(text)
        for other in others:
            assert other not in text, (team, other, text)
        msg: dict[str, Any] = json.loads(text)
        assert msg["team"] in (None, team)


def test_a_delivery_shows_the_inject_not_the_scoring_key(
    played: tuple[Shaper, list[Event]],
) -> None:
    shaper, events = played
    first = next(e for e in events if e.kind == "delivered" and e.payload["inject"] == "A1")
    msg = json.loads(shaper.text_for(first, "a-01", 1.0) or "{}")
    content = msg["payload"]["inject"]
    assert content["title"] == "Opening decision"
    assert content["expects"][0]["options"] == [
        {"id": "good", "label": "Good"},
        {"id": "bad", "label": "Bad"},
    ]
    assert "points" not in json.dumps(content) and "teams" not in msg["payload"]


def test_one_text_serves_every_team_a_delivery_reaches(
    played: tuple[Shaper, list[Event]],
) -> None:
    shaper, events = played
    first = next(e for e in events if e.kind == "delivered" and e.payload["inject"] == "A1")
    views = shaper.team_views(first)
    assert len(views) == 1 and set(views[0].teams or ()) == set(TEAMS)


def test_answers_carry_the_teams_own_result(played: tuple[Shaper, list[Event]]) -> None:
    shaper, events = played
    answer = next(e for e in events if e.kind == "respond" and e.team == "a-01")
    msg = json.loads(shaper.text_for(answer, "a-01", 1.0) or "{}")
    assert msg["payload"]["result"] == {"points": 10.0, "max": 10.0}
    assert msg["payload"]["complete"] is True
    grade = next(e for e in events if e.kind == "grade")
    shown = json.loads(shaper.text_for(grade, "a-01", 1.0) or "{}")["payload"]
    assert shown == {"expectation": "T1.m", "points": 4.0, "max": 6.0}
    assert shaper.text_for(grade, "a-02", 1.0) is None
