"""Every trigger type, per-team branching, escalations and contingency control."""

from __future__ import annotations

from engine import commands as c
from engine.exercise import Exercise
from engine.roster import roster_from_counts
from engine.scenario import Scenario
from tests.engine.conftest import M, answer, delivered_to, deliveries, started


def test_at_delivers_once_to_every_addressed_team_as_one_event(scenario: Scenario) -> None:
    ex = started(scenario)
    ex.advance_to(10 * M - 1)
    assert deliveries(ex.drain()) == []
    ex.advance_to(10 * M)
    assert deliveries(ex.drain()) == [(10 * M, "A1", ["a", "b"], "at")]


def test_after_an_inject_waits_its_delay_plus_seeded_jitter(scenario: Scenario) -> None:
    roster = roster_from_counts(scenario, 20)
    ex = started(scenario, roster)
    ex.advance_to(30 * M)
    times = {
        team: t for t, inj, teams, _ in deliveries(ex.drain()) if inj == "A2" for team in teams
    }
    assert len(times) == 40
    assert all(15 * M <= t <= 17 * M and t % 1000 == 0 for t in times.values())
    assert len(set(times.values())) > 5, "jitter should spread teams out"
    again = started(scenario, roster)
    again.advance_to(30 * M)
    assert {
        team: t for t, inj, teams, _ in deliveries(again.drain()) if inj == "A2" for team in teams
    } == times
    other_seed = started(scenario, roster, seed=99)
    other_seed.advance_to(30 * M)
    assert {
        team: t
        for t, inj, teams, _ in deliveries(other_seed.drain())
        if inj == "A2"
        for team in teams
    } != times


def test_each_team_follows_its_own_branch(scenario: Scenario) -> None:
    ex = started(scenario)
    ex.advance_to(10 * M)
    ex.drain()
    answer(ex, "a", "A1.d", 12 * M, choice="good")
    answer(ex, "b", "A1.d", 13 * M, choice="bad")
    ex.advance_to(20 * M)
    events = ex.drain()
    assert ("B-good", ["a"]) in [(i, t) for _, i, t, _ in deliveries(events)]
    assert [(t, i, tm, cause) for t, i, tm, cause in deliveries(events) if i.startswith("B-")] == [
        (13 * M, "B-good", ["a"], "after"),
        (14 * M, "B-bad", ["b"], "after"),
    ]
    skipped = [
        (e.t, e.payload["inject"], e.payload["teams"]) for e in events if e.kind == "skipped"
    ]
    assert skipped == [(13 * M, "B-bad", ["a"]), (14 * M, "B-good", ["b"])]


def test_a_missed_deadline_is_an_event_and_fires_the_escalation(scenario: Scenario) -> None:
    ex = started(scenario)
    ex.advance_to(10 * M)
    answer(ex, "a", "A1.d", 15 * M, choice="good")
    ex.advance_to(25 * M)
    events = ex.drain()
    assert [(e.t, e.payload) for e in events if e.kind == "deadline"] == [
        (20 * M, {"expectation": "A1.d", "teams": ["b"]})
    ]
    assert (22 * M, "ESC", ["b"], "escalation") in deliveries(events)
    assert "ESC" not in delivered_to(events, "a")


def test_a_late_answer_still_counts_but_the_escalation_already_fired(scenario: Scenario) -> None:
    ex = started(scenario)
    ex.advance_to(21 * M)
    answer(ex, "b", "A1.d", 21 * M, choice="bad")
    ex.advance_to(30 * M)
    events = ex.drain()
    assert "ESC" in delivered_to(events, "b")
    assert "B-bad" in delivered_to(events, "b")
    assert ex.teams["b"].expired == {"A1.d"}


def test_checklist_conditions_with_all_any_not(scenario: Scenario) -> None:
    ex = started(scenario)
    ex.advance_to(40 * M)
    ex.drain()
    answer(ex, "a", "C1.list", 41 * M, items=["x", "y"])
    answer(ex, "b", "C1.list", 42 * M, items=["x", "pen"])
    ex.advance_to(55 * M)
    events = ex.drain()
    assert delivered_to(events, "a") == ["C2"]
    assert "C2" not in delivered_to(events, "b") and "C3" not in delivered_to(events, "b")


def test_missed_condition(scenario: Scenario) -> None:
    ex = started(scenario)
    ex.advance_to(56 * M)
    events = ex.drain()
    assert ("C3", ["a", "b"]) in [(i, t) for _, i, t, _ in deliveries(events)]


def test_met_depends_on_the_graded_answer_and_its_pass_mark(scenario: Scenario) -> None:
    ex = started(scenario)
    ex.advance_to(60 * M)
    answer(ex, "a", "T1.s", 61 * M, text="The GRID video is a Deepfake.")
    answer(ex, "b", "T1.s", 62 * M, text="No comment about the grid.")
    ex.advance_to(80 * M)
    events = ex.drain()
    assert "T2" in delivered_to(events, "a") and "T3" not in delivered_to(events, "a")
    assert "T3" in delivered_to(events, "b") and "T2" not in delivered_to(events, "b")
    assert ex.points(ex.teams["a"], "T1.s") == 10
    assert ex.points(ex.teams["b"], "T1.s") == 0  # half the terms, minus the forbidden one


def test_evaluator_grade_overrides_the_automatic_result_for_branching(scenario: Scenario) -> None:
    ex = started(scenario)
    ex.advance_to(60 * M)
    answer(ex, "b", "T1.s", 62 * M, text="No comment.")
    ok = ex.submit(
        c.Grade(
            evaluator="e1", team="b", expectation="T1.s", points=9, reason="said it well aloud"
        ),
        63 * M,
    )
    assert ok.ok
    ex.advance_to(80 * M)
    assert "T2" in delivered_to(ex.drain(), "b")


def test_answered_false_condition(scenario: Scenario) -> None:
    ex = started(scenario)
    ex.advance_to(90 * M)
    assert "ANS" in delivered_to(ex.drain(), "b")
    ex2 = started(scenario)
    ex2.advance_to(10 * M)
    answer(ex2, "b", "A1.d", 11 * M, choice="good")
    ex2.advance_to(90 * M)
    assert "ANS" not in delivered_to(ex2.drain(), "b")


def test_contingency_waits_for_a_release_to_chosen_teams(scenario: Scenario) -> None:
    ex = started(scenario)
    ex.advance_to(100 * M)
    assert "K1" not in [i for _, i, _, _ in deliveries(ex.drain())]
    outcome = ex.submit(c.Release(inject="K1", teams=["b"]), 101 * M)
    assert outcome.ok
    assert deliveries(list(outcome.events)) == [(101 * M, "K1", ["b"], "release")]
    again = ex.submit(c.Release(inject="K1"), 102 * M)
    assert deliveries(list(again.events)) == [(102 * M, "K1", ["a"], "release")]
    assert not ex.submit(c.Release(inject="K1"), 103 * M).ok


def test_release_at_a_later_time(scenario: Scenario) -> None:
    ex = started(scenario)
    assert ex.submit(c.Release(inject="K1", at=30 * M), 5 * M).ok
    ex.advance_to(29 * M)
    assert "K1" not in [i for _, i, _, _ in deliveries(ex.drain())]
    ex.advance_to(30 * M)
    assert (30 * M, "K1", ["a", "b"], "release") in deliveries(ex.drain())


def test_hold_keeps_a_scheduled_inject_until_released(scenario: Scenario) -> None:
    ex = started(scenario)
    assert ex.submit(c.Hold(inject="A1", teams=["a"]), 5 * M).ok
    ex.advance_to(30 * M)
    events = ex.drain()
    assert "A1" not in delivered_to(events, "a") and "A1" in delivered_to(events, "b")
    assert ex.teams["a"].cells["A1"].status == "held"
    release = ex.submit(c.Release(inject="A1", teams=["a"]), 31 * M)
    assert deliveries(list(release.events)) == [(31 * M, "A1", ["a"], "release")]
    ex.drain()
    ex.advance_to(38 * M)
    assert "A2" in delivered_to(ex.drain(), "a"), "dependents follow the late delivery"


def test_hold_before_the_trigger_and_cancel(scenario: Scenario) -> None:
    ex = started(scenario)
    assert ex.submit(c.Hold(inject="A2", teams=["a"]), 1 * M).ok
    assert ex.submit(c.Cancel(inject="C1"), 2 * M).ok
    ex.advance_to(60 * M)
    events = ex.drain()
    assert "A2" not in delivered_to(events, "a") and "A2" in delivered_to(events, "b")
    assert "C1" not in [i for _, i, _, _ in deliveries(events)]
    assert ex.teams["a"].cells["A2"].status == "held"
    assert ex.teams["a"].cells["A2"].at is not None  # when it would have fired
    assert ex.teams["b"].cells["C1"].status == "cancelled"


def test_jump_delivers_everything_on_the_way_in_order(scenario: Scenario) -> None:
    ex = started(scenario)
    outcome = ex.submit(c.Jump(to=45 * M), 1 * M)
    assert outcome.ok
    events = list(outcome.events)
    assert events[0].kind == "jump"
    times = [e.t for e in events[1:]]
    assert times == sorted(times) and times[-1] == 40 * M
    assert ex.now == 45 * M
    # Same as running there step by step.
    slow = started(scenario)
    slow.advance_to(45 * M)
    assert [e.identity() for e in slow.drain()] == [e.identity() for e in events[1:]]


def test_the_exercise_ends_at_its_duration_and_nothing_fires_after(scenario: Scenario) -> None:
    ex = started(scenario)
    ex.advance_to(3 * 60 * M)
    events = ex.drain()
    assert events[-1].kind == "ended" and events[-1].t == 120 * M
    assert ex.status == "ended"
    assert not ex.submit(c.Release(inject="K1"), 121 * M).ok


def test_whole_team_answers_complete_when_every_member_answered() -> None:
    from engine.roster import Roster, TeamSeat
    from engine.scenario import load_bytes

    text = """
id: all-members
title: All members
duration: 1h
teams: [{id: t, name: T}]
actors: [{id: x, name: X}]
objectives: [{id: o, title: O}]
injects:
  - id: I
    at: 1m
    to: all
    channel: email
    from: x
    title: Everyone answers
    expects:
      - {id: e, kind: decision, objective: o, answer_by: all, due: 10m,
         options: [{id: y, label: "Yes", points: 4}, {id: n, label: "No", points: 0}]}
  - id: J
    after: {response: I.e, delay: 0}
    to: all
    channel: email
    from: x
    title: After everyone
"""
    scenario = load_bytes(text).require()
    roster = Roster((TeamSeat("t", "t", "T", ("ann", "bob")),))
    ex = Exercise(scenario, roster)
    assert ex.submit(c.Start(), 0).ok
    ex.advance_to(M)
    assert ex.submit(c.Respond(team="t", member="ann", expectation="I.e", choice="y"), 2 * M).ok
    assert not ex.submit(c.Respond(team="t", member="ann", expectation="I.e", choice="n"), 2 * M).ok
    ex.advance_to(3 * M)
    assert "J" not in delivered_to(ex.drain(), "t")
    assert ex.points(ex.teams["t"], "I.e") == 2  # ann's 4 over two members
    assert ex.submit(c.Respond(team="t", member="bob", expectation="I.e", choice="n"), 4 * M).ok
    ex.advance_to(4 * M)
    assert "J" in delivered_to(ex.drain(), "t")
