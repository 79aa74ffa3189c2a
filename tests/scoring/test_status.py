"""Pending, expired, late answers after expiry, the end of play, team totals and ranks."""

from __future__ import annotations

from engine import commands as c
from engine.events import Event, Scored
from engine.scenario import Scenario
from scoring.fold import Scoreboard, score_events
from scoring.stats import competition_ranks, nearest_rank, time_stats
from tests.scoring.conftest import DELIVERED, M, play, respond


def test_pending_until_the_deadline_then_expired(scenario: Scenario) -> None:
    before = play(scenario, [], until=DELIVERED + 10 * M - 1)
    assert before.result("a", "D.decay").status == "pending"
    after = play(scenario, [], until=DELIVERED + 10 * M)
    result = after.result("a", "D.decay")
    assert (result.status, result.expired_at) == ("expired", DELIVERED + 10 * M)
    assert result.why() == ["no answer by the deadline (10m)"]


def test_a_late_answer_turns_expired_into_a_result(scenario: Scenario) -> None:
    played = play(scenario, [(DELIVERED + 30 * M, respond("a", "D.decay", choice="good"))])
    result = played.result("a", "D.decay")
    assert (result.status, result.points) == ("partial", 5.0)
    assert result.expired_at == DELIVERED + 10 * M


def test_unanswered_at_the_end_is_expired(scenario: Scenario) -> None:
    played = play(scenario, [], until=25 * M, end=True)
    result = played.result("a", "NODUE.q")
    assert result.status == "expired"
    assert result.closed_unanswered
    assert result.why() == ["no answer before the exercise ended"]
    assert played.board.ended


def test_undelivered_expectations_have_no_result(scenario: Scenario) -> None:
    played = play(scenario, [], until=DELIVERED)
    assert played.board.result("b", "NODUE.q") is None
    assert [r.ref for r in played.board.results("b")] == [
        "D.full",
        "D.decay",
        "D.steps",
        "D.fail",
        "C.list",
        "T.say",
        "M.brief",
        "ALL.vote",
    ]


def test_totals_counts_and_ranks(scenario: Scenario) -> None:
    played = play(
        scenario,
        [
            (DELIVERED + M, respond("a", "D.full", choice="good")),
            (DELIVERED + M, respond("b", "D.full", choice="ok")),
            (DELIVERED + 2 * M, respond("b", "C.list", items=["z"])),
        ],
    )
    board = played.board
    a, b = board.total("a"), board.total("b")
    assert (a.points, b.points) == (10.0, 7.0)
    assert a.max_points == 10 * 4 + 6 + 10 + 8 + 10
    assert a.counts == {"met": 1, "partial": 0, "failed": 0, "pending": 7, "expired": 0}
    assert b.counts["partial"] == 2
    assert board.ranks() == {"a": 1, "b": 2}
    assert board.role_ranks() == {"a": 1, "b": 1}


def test_ties_share_a_rank() -> None:
    ranks = competition_ranks([("a", 5), ("b", 7), ("c", 5), ("d", 1)])
    assert ranks == {"b": 1, "a": 2, "c": 2, "d": 4}


def test_nearest_rank_percentiles() -> None:
    assert nearest_rank([10, 20, 30, 40], 0.5) == 20
    assert nearest_rank([10, 20, 30, 40], 0.9) == 40
    stats = time_stats([40, 10, 30, 20, 50, 60, 70, 80, 90, 100])
    assert stats is not None
    assert (stats.median, stats.p90, stats.n) == (50, 90, 10)
    assert time_stats([]) is None


def test_timeliness_stats_per_team_and_inject(scenario: Scenario) -> None:
    played = play(
        scenario,
        [
            (DELIVERED + M, respond("a", "D.full", choice="good")),
            (DELIVERED + 3 * M, respond("a", "D.decay", choice="good")),
            (DELIVERED + 5 * M, respond("b", "D.full", choice="good")),
            (DELIVERED + 7 * M, respond("a", "C.list", items=["x"])),
        ],
    )
    board = played.board
    team_a = board.team_times("a")
    assert team_a is not None
    assert (team_a.n, team_a.median, team_a.p90) == (3, 3 * M, 7 * M)
    inject_d = board.inject_times("D")
    assert inject_d is not None
    assert (inject_d.n, inject_d.median, inject_d.p90) == (3, 3 * M, 5 * M)
    assert board.team_times("b") is not None
    assert board.inject_times("T") is None


def test_apply_returns_the_teams_touched(scenario: Scenario) -> None:
    played = play(scenario, [(DELIVERED + M, respond("a", "D.full", choice="good"))])
    board = Scoreboard(scenario, played.ex.roster)
    touched = [tuple(board.apply(e)) for e in played.events]
    kinds = [e.kind for e in played.events]
    assert touched[kinds.index("delivered")] == ("a", "b")
    assert touched[kinds.index("respond")] == ("a",)
    assert touched[kinds.index("scored")] == ("a",)
    assert touched[kinds.index("start")] == ()


def test_an_answer_alone_decides_nothing(scenario: Scenario) -> None:
    """The figures are the engine's ``scored`` event: an answer without one only waits."""
    played = play(scenario, [(DELIVERED + M, respond("a", "D.full", choice="good"))])
    board = Scoreboard(scenario, played.ex.roster)
    for event in played.events:
        if event.kind != "scored":
            board.apply(event)
    result = board.result("a", "D.full")
    assert result is not None
    assert (result.status, result.counted, result.auto_points) == ("pending", None, None)
    assert result.completed_at is None  # the completion comes with the figures
    assert result.answers[0].raw_points == 10.0  # the why can still be told
    assert board.total("a").points == 0.0


def test_events_for_unknown_teams_or_refs_are_ignored(scenario: Scenario) -> None:
    played = play(scenario, [], until=DELIVERED)
    board = score_events(scenario, played.ex.roster, played.events)
    before = board.totals()
    for body in (
        c.Respond(team="zz", member="m", expectation="D.full", choice="good"),
        c.Respond(team="a", member="m", expectation="NODUE.q", choice="good"),
        c.Grade(evaluator="e", team="a", expectation="X.y", points=1),
        Scored(team="zz", expectation="D.full", points=1, max_points=10, status="partial"),
        Scored(team="a", expectation="NODUE.q", points=4, max_points=4, status="met"),
        Scored(
            team="a", expectation="NODUE.q", points=4, max_points=4, status="met", completed=True
        ),
    ):
        assert board.apply(Event(body, DELIVERED)) in ((), ("a",))
    assert board.totals() == before
