"""The console models fold typed events into what a team and the control room see.

Whether a question is answered, and its result, are the engine's decisions
(``completed`` and ``scored``): the models show them and never work them out.
"""

from __future__ import annotations

from typing import get_args

from engine import commands as c
from engine.events import CLOCK_KINDS, Event, Scored
from engine.exercise import Exercise
from engine.net.protocol import SERVER_ADAPTER, EventMsg, Welcome
from engine.net.server.audience import Shaper
from engine.roster import Roster, TeamSeat
from engine.scenario import load_file
from engine.views import (
    CompletedShown,
    DeadlineShown,
    InjectShown,
    TeamEvent,
    exercise_for_staff,
    exercise_for_team,
    inject_for_team,
)
from tui.evaluator.review import review_items
from tui.model.clock import ClockBody
from tui.model.staff import StaffModel
from tui.model.team import TeamModel

SCENARIO = load_file("tests/engine/fixture.yaml").require()
SHAPER = Shaper(SCENARIO)
M = 60_000


def sent(body: c.AnyCommand, t: int, seq: int, team: str = "a") -> EventMsg:
    """The ``event`` message the server sends ``team`` for a logged command: shaped by
    the server's own shaper, read back from its wire text as the client reads it."""
    msg = SERVER_ADAPTER.validate_json(SHAPER.text_for(Event(body, t, seq), team, 0.0) or "")
    assert isinstance(msg, EventMsg)
    return msg


def delivered(seq: int, t: int, inject: str) -> TeamEvent:
    return TeamEvent(
        InjectShown(inject=inject_for_team(SCENARIO, SCENARIO.inject_by_id[inject])), t, seq
    )


def model() -> TeamModel:
    m = TeamModel()
    m.welcome(
        Welcome(
            role="team",
            team="a",
            name="ann",
            exercise=exercise_for_team(SCENARIO).model_dump(),
            last_seq=0,
            resume="live",
        )
    )
    return m


def test_the_clock_folds_exactly_the_engines_clock_events() -> None:
    assert {cls.model_fields["type"].default for cls in get_args(ClockBody)} == CLOCK_KINDS


def test_deliveries_fill_the_inbox_with_deadlines_and_no_scoring_keys() -> None:
    m = model()
    assert m.apply(delivered(1, 10 * M, "A1")) == {"inbox"}
    entry = m.inbox["A1"]
    exp = entry.expectations[0]
    assert exp.ref == "A1.d" and exp.due_at == 20 * M
    assert exp.options == [("good", "Good"), ("bad", "Bad")]
    assert exp.status(15 * M) == "open" and exp.status(21 * M) == "overdue"
    assert entry.next_due(15 * M) == 20 * M and m.unread() == 1


def test_answers_results_and_deadlines_come_from_the_engine() -> None:
    m = model()
    m.apply(delivered(1, 10 * M, "A1"))
    answer = c.Respond(team="a", member="bo", expectation="A1.d", choice="good")
    m.receive(sent(answer, 12 * M, 2))
    exp = m.inbox["A1"].expectations[0]
    # The answer is shown, but the team has not completed it until the engine says so.
    assert exp.answered_by == "bo" and exp.describe_answer() == "Good"
    assert exp.status(13 * M) == "open" and m.score() == (0, 0)
    scored = Scored(team="a", expectation="A1.d", auto=10, points=10, max_points=10, status="met")
    m.apply(TeamEvent(scored, 12 * M, 3))
    assert exp.status(13 * M) == "open"  # figures, but not (yet) a completion
    assert m.score() == (10, 10)
    m.apply(TeamEvent(scored.model_copy(update={"completed": True}), 12 * M, 4))
    assert exp.status(30 * M) == "answered" and exp.answered_at == 12 * M
    # Where results are hidden the completion comes alone.
    hidden = model()
    hidden.apply(delivered(1, 10 * M, "A1"))
    hidden.apply(TeamEvent(CompletedShown(team="a", expectation="A1.d"), 14 * M, 2))
    assert hidden.inbox["A1"].expectations[0].status(30 * M) == "answered"
    assert hidden.score() == (0, 0)
    # An evaluator's grade changes the figures: the latest ``scored`` counts.
    regraded = scored.model_copy(update={"points": 4.0, "status": "partial"})
    m.apply(TeamEvent(regraded, 13 * M, 5))
    assert m.score() == (4, 10)
    m.apply(delivered(6, 40 * M, "C1"))
    m.apply(TeamEvent(DeadlineShown(expectation="C1.list"), 50 * M, 7))
    assert m.inbox["C1"].expectations[0].status(51 * M) == "expired"


def test_duplicates_by_sequence_are_ignored_and_feeds_split_out() -> None:
    m = model()
    m.apply(delivered(5, 15 * M, "A2"))
    assert m.apply(delivered(5, 15 * M, "A2")) == set()
    assert [e.inject for e in m.feed()] == ["A2"]  # A2 is a news item


def test_messages_and_clock() -> None:
    m = model()
    m.apply(TeamEvent(c.Start(), 0, 1))
    assert m.clock.status == "running"
    m.apply(TeamEvent(c.Ask(team="a", member="ann", actor="x", text="Hello?"), M, 2))
    m.apply(TeamEvent(c.Reply(team="a", actor="x", text="Hi."), 2 * M, 3))
    assert [(msg.kind, msg.author) for msg in m.messages] == [("ask", "ann"), ("reply", "Actor X")]
    m.apply(TeamEvent(c.Pause(), 3 * M, 4))
    assert m.clock.status == "paused" and m.clock.now() == 3 * M


def test_a_jump_replayed_to_a_late_joiner_does_not_pull_the_clock_back() -> None:
    """The server's ``clock`` message (7:40 in) comes before the catch-up of past events."""
    m = model()
    m.clock.update(460_000, "running", 1.0)
    assert m.apply(TeamEvent(c.Jump(to=265_000), 60_000, 3)) == {"clock"}
    assert m.clock.now_ms == 460_000
    m.apply(TeamEvent(c.Jump(to=600_000), 470_000, 9))
    assert m.clock.now_ms == 600_000


def test_the_control_room_clock_folds_clock_events_as_the_team_clock_does() -> None:
    staff = StaffModel()
    staff.clock.update(460_000, "running", 1.0)
    for event in (
        Event(c.Jump(to=265_000), 60_000, 3),
        Event(c.SetSpeed(speed=5), 460_000, 4),
        Event(c.Pause(), 470_000, 5),
    ):
        staff.apply(event)
    assert (staff.clock.now_ms, staff.clock.speed, staff.clock.status) == (470_000, 5.0, "paused")


# ------------------------------------------------------------------ control room

WHOLE = load_file("tests/scoring/fixture.yaml")


def whole_team_room() -> tuple[StaffModel, Exercise]:
    """The scoring fixture with three named members per team (``ALL.vote``: every one
    answers), welcomed by a staff model."""
    sc = WHOLE.require()
    roster = Roster(tuple(TeamSeat(t, t, f"Team {t}", ("ann", "bo", "cy")) for t in ("a", "b")))
    staff = StaffModel()
    staff.welcome(
        Welcome(
            role="facilitator",
            name="control",
            exercise=exercise_for_staff(sc, WHOLE.text, roster.to_list()).model_dump(),
            last_seq=0,
            resume="live",
        )
    )
    return staff, Exercise(sc, roster, sc.seed)


def feed(staff: StaffModel, ex: Exercise) -> None:
    for event in ex.drain():
        event.seq = staff.last_seq + 1
        staff.apply(event)


def test_a_whole_team_question_is_answered_in_the_msel_only_when_the_engine_says_so() -> None:
    staff, ex = whole_team_room()
    ex.submit(c.Start(), 0)
    ex.advance_to(10 * M)
    feed(staff, ex)
    assert staff.cells["ALL"] == {"a": "delivered", "b": "delivered"}
    for t, member in ((12 * M, "ann"), (13 * M, "bo")):
        ex.submit(c.Respond(team="a", member=member, expectation="ALL.vote", choice="good"), t)
        feed(staff, ex)
    assert dict(staff.cells["ALL"]) == {"a": "delivered", "b": "delivered"}
    assert staff.teams["a"].answered == 0
    # The deadline passes with one member still to answer: overdue, not answered.
    ex.advance_to(40 * M)
    feed(staff, ex)
    assert staff.cells["ALL"] == {"a": "overdue", "b": "overdue"}
    assert staff.teams["a"].overdue >= 1
    # The last member answers (late): the engine completes it, and so does the MSEL.
    ex.submit(c.Respond(team="a", member="cy", expectation="ALL.vote", choice="good"), 41 * M)
    feed(staff, ex)
    assert dict(staff.cells["ALL"]) == {"a": "answered", "b": "overdue"}
    assert staff.teams["a"].answered == 1
    assert ("a", "ALL.vote") in staff.completed and ("b", "ALL.vote") not in staff.completed


def test_the_evaluator_reviews_the_engines_figures_for_a_whole_team_question() -> None:
    """Two of three members answer: the automatic figure is the team's (20 / 3), as the
    engine decided it and the report counts it, not one member's 10."""
    staff, ex = whole_team_room()
    ex.submit(c.Start(), 0)
    ex.advance_to(10 * M)
    for t, member in ((12 * M, "ann"), (13 * M, "bo")):
        ex.submit(c.Respond(team="a", member=member, expectation="ALL.vote", choice="good"), t)
    feed(staff, ex)
    (item,) = [i for i in review_items(staff, "a") if i.ref == "ALL.vote"]
    decided = ex.teams["a"].decision("ALL.vote")
    assert item.result.auto_points == decided.auto == 20 / 3
    assert item.result.points == decided.points and item.result.status == decided.status
    assert [a.member for a in item.result.answers] == ["ann", "bo"]
