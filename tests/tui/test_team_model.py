"""The team console's model folds server events into what a team sees."""

from __future__ import annotations

from engine.scenario import load_file
from engine.views import exercise_for_team, inject_for_team
from tui.model.team import TeamModel

SCENARIO = load_file("tests/engine/fixture.yaml").require()
M = 60_000


def delivered(seq: int, t: int, inject: str) -> dict:
    content = inject_for_team(SCENARIO, SCENARIO.inject_by_id[inject])
    return {
        "type": "event",
        "seq": seq,
        "t": t,
        "kind": "delivered",
        "team": "a",
        "payload": {"inject": content, "cause": "at"},
    }


def model() -> TeamModel:
    m = TeamModel()
    m.welcome({"team": "a", "name": "ann", "exercise": exercise_for_team(SCENARIO)})
    return m


def test_deliveries_fill_the_inbox_with_deadlines_and_no_scoring_keys() -> None:
    m = model()
    assert m.apply(delivered(1, 10 * M, "A1")) == {"inbox"}
    entry = m.inbox["A1"]
    exp = entry.expectations[0]
    assert exp.ref == "A1.d" and exp.due_at == 20 * M
    assert exp.options == [("good", "Good"), ("bad", "Bad")]
    assert exp.status(15 * M) == "open" and exp.status(21 * M) == "overdue"
    assert entry.next_due(15 * M) == 20 * M and m.unread() == 1


def test_answers_results_and_deadlines() -> None:
    m = model()
    m.apply(delivered(1, 10 * M, "A1"))
    m.apply(
        {
            "type": "event",
            "seq": 2,
            "t": 12 * M,
            "kind": "respond",
            "team": "a",
            "payload": {
                "expectation": "A1.d",
                "member": "bo",
                "choice": "good",
                "result": {"points": 10, "max": 10},
            },
        }
    )
    exp = m.inbox["A1"].expectations[0]
    assert exp.status(30 * M) == "answered" and exp.answered_by == "bo"
    assert exp.describe_answer() == "Good"
    assert m.score() == (10, 10)
    m.apply(delivered(3, 40 * M, "C1"))
    m.apply(
        {
            "type": "event",
            "seq": 4,
            "t": 50 * M,
            "kind": "deadline",
            "team": "a",
            "payload": {"expectation": "C1.list"},
        }
    )
    assert m.inbox["C1"].expectations[0].status(51 * M) == "expired"


def test_duplicates_by_sequence_are_ignored_and_feeds_split_out() -> None:
    m = model()
    m.apply(delivered(5, 15 * M, "A2"))
    assert m.apply(delivered(5, 15 * M, "A2")) == set()
    assert [e.inject for e in m.feed()] == ["A2"]  # A2 is a news item


def test_messages_and_clock() -> None:
    m = model()
    m.apply({"type": "event", "seq": 1, "t": 0, "kind": "start", "payload": {}})
    assert m.clock.status == "running"
    m.apply(
        {
            "type": "event",
            "seq": 2,
            "t": M,
            "kind": "ask",
            "team": "a",
            "payload": {"member": "ann", "actor": "x", "text": "Hello?"},
        }
    )
    m.apply(
        {
            "type": "event",
            "seq": 3,
            "t": 2 * M,
            "kind": "reply",
            "team": "a",
            "payload": {"actor": "x", "text": "Hi."},
        }
    )
    assert [(msg.kind, msg.author) for msg in m.messages] == [("ask", "ann"), ("reply", "Actor X")]
    m.apply({"type": "event", "seq": 4, "t": 3 * M, "kind": "pause", "payload": {}})
    assert m.clock.status == "paused" and m.clock.now() == 3 * M


def test_a_jump_replayed_to_a_late_joiner_does_not_pull_the_clock_back() -> None:
    """The server's ``clock`` message (7:40 in) comes before the catch-up of past events."""
    m = model()
    m.clock.update(460_000, "running", 1.0)
    jump = {"type": "event", "seq": 3, "t": 60_000, "kind": "jump", "payload": {"to": 265_000}}
    assert m.apply(jump) == {"clock"}
    assert m.clock.now_ms == 460_000
    later = {"type": "event", "seq": 9, "t": 470_000, "kind": "jump", "payload": {"to": 600_000}}
    m.apply(later)
    assert m.clock.now_ms == 600_000


def test_the_control_room_clock_folds_clock_events_as_the_team_clock_does() -> None:
    from tui.model.staff import StaffModel

    staff = StaffModel()
    staff.clock.update(460_000, "running", 1.0)
    events = [
        {"type": "event", "seq": 3, "t": 60_000, "kind": "jump", "payload": {"to": 265_000}},
        {"type": "event", "seq": 4, "t": 460_000, "kind": "set_speed", "payload": {"speed": 5}},
        {"type": "event", "seq": 5, "t": 470_000, "kind": "pause", "payload": {}},
    ]
    for event in events:
        staff.apply(event)
    assert (staff.clock.now_ms, staff.clock.speed, staff.clock.status) == (470_000, 5.0, "paused")
