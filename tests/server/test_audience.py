"""Each event's shape per audience: staff see all of it, a team only what concerns it.

Driven through the real engine so every kind of event occurs, then checked
kind by kind against the table in ``engine/net/server/audience.py``, through
the clients' own edge: every text parses as a server message, and its payload as
the typed body its reader expects (:func:`staff_event`, :func:`team_event`).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from engine import commands as c
from engine.events import INPUT_KINDS, OUTPUT_KINDS, Delivered, Event, Scored
from engine.exercise import Exercise
from engine.net.protocol import SERVER_ADAPTER, EventMsg, staff_event, team_event
from engine.net.server.audience import STAFF, Shaper
from engine.roster import roster_from_counts
from engine.scenario import Scenario, load_bytes, load_file
from engine.views import CompletedShown, DeadlineShown, InjectShown
from tests.server.conftest import FIXTURE, TEAMS, M

STAFF_ONLY = {
    "skipped",
    "release",
    "hold",
    "cancel",
    "grade",
    "rate",
    "note",
    "feedback",
    "tracks",
    "pass_question",
}
EVERY_TEAM = {"start", "pause", "resume", "set_speed", "jump", "end", "ended", "discussion"}
MODULE = """\
phases:
  - id: talk
    title: Module
    at: 62m
    discussion: {questions: [What now?], minutes: 5}
"""
"""A module whose discussion falls where the play below jumps to (62 min)."""


def play(scenario: Scenario | None = None) -> tuple[Shaper, list[Event]]:
    scenario = scenario or load_bytes(FIXTURE.read_text(encoding="utf-8") + MODULE).require()
    ex = Exercise(scenario, roster_from_counts(scenario, "2"))
    events: list[Event] = []

    def run(cmd: c.AnyCommand, t: int) -> None:
        outcome = ex.submit(cmd, t)
        assert outcome.ok, (cmd, outcome.reason)
        for event in ex.drain():
            event.seq = len(events) + 1
            events.append(event)

    run(c.Join(team="a-01", member="amira"), 0)
    run(c.SetSpeed(speed=10), 0)
    run(c.Start(), 0)
    run(c.Hold(inject="C1", teams=["b-02"]), 1 * M)
    run(c.Open(team="a-01", member="amira", inject="A1"), 11 * M)
    run(c.Respond(team="a-01", member="amira", expectation="A1.d", choice="good"), 11 * M)
    run(c.Respond(team="a-02", member="al", expectation="A1.d", choice="bad"), 12 * M)
    run(c.Ask(team="a-01", member="amira", actor="x", text="is it real?"), 13 * M)
    run(c.Tracks(controller="control", tracks=["a"], by="control"), 13 * M)
    asked = next(e.seq for e in events if e.kind == "ask")
    run(c.PassQuestion(question=asked, to="control-2", by="control", note="yours"), 13 * M)
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
    run(c.Feedback(team="a-01", member="amira", strengths=["calm"], ratings={"again": 4}), 71 * M)
    return Shaper(scenario), events


@pytest.fixture(scope="module")
def played() -> tuple[Shaper, list[Event]]:
    return play()


def test_the_play_produces_every_kind_of_event(played: tuple[Shaper, list[Event]]) -> None:
    _, events = played
    kinds = {e.kind for e in events}
    assert kinds >= OUTPUT_KINDS | INPUT_KINDS, (OUTPUT_KINDS | INPUT_KINDS) - kinds


def concerns(event: Event, team: str, *, show_results: bool = True) -> bool:
    """An independent statement of who may see what (the design's table)."""
    if event.kind in STAFF_ONLY:
        return False
    if event.kind in EVERY_TEAM:
        return True
    if event.kind == "scored" and not show_results:
        # Only that it completed the expectation, without the figures.
        return bool(event.payload.get("completed")) and event.payload["team"] == team
    if event.kind in ("delivered", "deadline"):
        return team in event.payload["teams"]
    if event.kind == "broadcast":
        return event.payload.get("teams") is None or team in event.payload["teams"]
    return bool(event.payload.get("team") == team)


def parsed(text: str | None) -> EventMsg:
    assert text is not None
    msg = SERVER_ADAPTER.validate_json(text)
    assert isinstance(msg, EventMsg)
    return msg


def test_staff_see_every_event_as_logged(played: tuple[Shaper, list[Event]]) -> None:
    shaper, events = played
    for event in events:
        msg = parsed(shaper.text_for(event, STAFF, 1.0))
        assert msg.payload == event.payload and msg.seq == event.seq and msg.kind == event.kind
        assert (msg.team, msg.actor) == (event.team, event.actor)
        assert staff_event(msg).body == event.body


@pytest.mark.parametrize("team", TEAMS)
def test_a_team_sees_only_what_concerns_it(played: tuple[Shaper, list[Event]], team: str) -> None:
    shaper, events = played
    others = [t for t in TEAMS if t != team]
    for event in events:
        text = shaper.text_for(event, team, 1.0)
        assert (text is not None) == concerns(event, team), (team, event.describe())
        if text is None:
            continue
        for other in others:
            assert other not in text, (team, other, text)
        msg = parsed(text)
        assert msg.team in (None, team) and msg.kind == event.kind
        team_event(msg)  # the payload is the team body of its kind


def test_a_teams_own_inputs_and_the_clock_come_as_logged(
    played: tuple[Shaper, list[Event]],
) -> None:
    shaper, events = played
    for event in events:
        if event.kind in EVERY_TEAM or event.kind in ("respond", "ask", "reply", "join"):
            for team in TEAMS:
                text = shaper.text_for(event, team, 1.0)
                if text is not None:
                    # An answer comes as AnswerShown: the logged fields, and a
                    # decision's feedback where results are shown.
                    as_seen = team_event(parsed(text)).body
                    fields = set(type(event.body).model_fields)
                    assert as_seen.model_dump(include=fields) == event.body.model_dump()


def test_a_delivery_shows_the_inject_not_the_scoring_key(
    played: tuple[Shaper, list[Event]],
) -> None:
    shaper, events = played
    first = next(e for e in events if isinstance(e.body, Delivered) and e.body.inject == "A1")
    msg = parsed(shaper.text_for(first, "a-01", 1.0))
    body = team_event(msg).body
    assert isinstance(body, InjectShown) and body.cause == "at"
    assert body.inject.title == "Opening decision"
    assert [(o.id, o.label) for o in body.inject.expects[0].options] == [
        ("good", "Good"),
        ("bad", "Bad"),
    ]
    content: dict[str, Any] = msg.payload["inject"]
    assert "points" not in json.dumps(content) and "teams" not in msg.payload
    assert content["from"]["name"] == "Actor X"  # the wire keeps the scenario's word


def test_a_deadline_names_the_expectation_not_who_else_missed_it(
    played: tuple[Shaper, list[Event]],
) -> None:
    shaper, events = played
    deadline = next(e for e in events if e.kind == "deadline" and len(e.teams) > 1)
    for team in deadline.teams:
        msg = parsed(shaper.text_for(deadline, team, 1.0))
        assert team_event(msg).body == DeadlineShown(expectation=deadline.payload["expectation"])
        assert msg.payload == {"expectation": deadline.payload["expectation"]}


def test_a_broadcast_to_some_teams_does_not_list_them(
    played: tuple[Shaper, list[Event]],
) -> None:
    shaper, events = played
    only = next(e for e in events if e.kind == "broadcast" and e.payload.get("teams"))
    msg = parsed(shaper.text_for(only, "a-01", 1.0))
    assert msg.payload == {"text": "to a-01 only", "title": ""}
    assert shaper.text_for(only, "a-02", 1.0) is None


def test_one_text_serves_every_team_a_delivery_reaches(
    played: tuple[Shaper, list[Event]],
) -> None:
    shaper, events = played
    first = next(e for e in events if e.kind == "delivered" and e.payload["inject"] == "A1")
    views = shaper.team_views(first)
    assert len(views) == 1 and set(views[0].teams or ()) == set(TEAMS)


def test_the_team_gets_the_engines_completion_and_score(
    played: tuple[Shaper, list[Event]],
) -> None:
    """What the engine decided reaches the team it concerns, as decided; a grade
    itself stays with the evaluators, its effect comes as a new ``scored``."""
    shaper, events = played
    answer = next(e for e in events if e.kind == "respond" and e.team == "a-01")
    after = events[answer.seq :]
    scored = next(e for e in after if isinstance(e.body, Scored))
    msg = parsed(shaper.text_for(scored, "a-01", 1.0))
    assert team_event(msg).body == scored.body and msg.team == "a-01"
    assert shaper.text_for(scored, "a-02", 1.0) is None
    assert isinstance(scored.body, Scored)
    assert (scored.body.points, scored.body.max_points, scored.body.status) == (10.0, 10.0, "met")
    assert scored.body.completed  # the answer completed it: the same event says so
    grade = next(e for e in events if e.kind == "grade")
    assert shaper.text_for(grade, "a-01", 1.0) is None
    regraded = next(e for e in events[grade.seq :] if isinstance(e.body, Scored))
    assert regraded.t == grade.t and regraded.payload["points"] == 4.0
    shown = team_event(parsed(shaper.text_for(regraded, "a-01", 1.0))).body
    assert isinstance(shown, Scored) and shown.points == 4.0 and shown.max_points == 6.0


def test_scores_stay_with_staff_when_the_scenario_hides_results() -> None:
    scenario = load_file(FIXTURE).require()
    hidden = scenario.model_copy(
        update={"settings": scenario.settings.model_copy(update={"show_results": False})}
    )
    shaper, events = play(hidden)
    assert not shaper.show_results
    scored = [e for e in events if e.kind == "scored"]
    assert scored
    for event in scored:
        assert isinstance(event.body, Scored)
        for team in TEAMS:
            text = shaper.text_for(event, team, 1.0)
            if text is not None:  # the completion alone, never a figure
                assert team == event.body.team and event.body.completed
                assert "points" not in text and "status" not in text
        assert shaper.text_for(event, STAFF, 1.0) is not None
    for event in events:
        for team in TEAMS:
            reaches = shaper.text_for(event, team, 1.0) is not None
            assert reaches == concerns(event, team, show_results=False), event.describe()
    # The completion still reaches the team, without the figures.
    completing = next(e for e in scored if isinstance(e.body, Scored) and e.body.completed)
    assert isinstance(completing.body, Scored)
    shown = team_event(parsed(shaper.text_for(completing, completing.body.team, 1.0))).body
    assert shown == CompletedShown(
        team=completing.body.team, expectation=completing.body.expectation
    )
