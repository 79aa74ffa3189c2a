"""Issue 12: ranks compare the share of the points available, not raw points; ties show as
ties; the report counts the members who joined apart from the members the roster names.

Both are decided once, in ``scoring`` (``Scoreboard.ranks``/``rank_label``,
``Scoreboard.present``/``rostered``); the report (read here through ``sitroom report``,
as a facilitator reads it) shows what the scoreboard decided.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from engine import commands as c
from engine.exercise import Exercise
from engine.roster import Roster, TeamSeat, roster_from_counts
from engine.scenario import Scenario, load_bytes
from scoring.fold import Scoreboard
from tests.scoring.conftest import FIXTURE, M, play, respond
from tests.scoring.logs import create

ROOT = Path(__file__).resolve().parents[2]

TWO_SIZES = """\
id: rank-fixture
title: Rank fixture
duration: 1h
seed: 1
teams:
  - {id: small, name: Small}
  - {id: big, name: Big}
actors:
  - {id: x, name: Actor X}
injects:
  - id: A
    at: 1m
    to: all
    channel: email
    from: x
    title: Everyone decides
    expects:
      - id: pick
        kind: decision
        options:
          - {id: good, label: Good, points: 10}
          - {id: bad, label: Bad, points: 0}
  - id: B
    at: 1m
    to: [big]
    channel: email
    from: x
    title: Only the big role decides again
    expects:
      - id: pick
        kind: decision
        options:
          - {id: good, label: Good, points: 10}
          - {id: bad, label: Bad, points: 0}
"""


def two_sizes() -> Scenario:
    return load_bytes(TWO_SIZES, "rank-fixture.yaml").require()


def test_ten_of_ten_ranks_above_ten_of_twenty_and_ties_show() -> None:
    scenario = two_sizes()
    roster = roster_from_counts(scenario, "small=2,big=1")
    ids = [t.id for t in roster.teams]
    small_1, small_2, big = ids
    answers = [
        (2 * M, respond(small_1, "A.pick", choice="good")),
        (2 * M, respond(small_2, "A.pick", choice="good")),
        (2 * M, respond(big, "A.pick", choice="good")),
        (3 * M, respond(big, "B.pick", choice="bad")),
    ]
    board = play(scenario, answers, roster=roster).board
    assert [(board.total(t).points, board.total(t).max_points) for t in ids] == [
        (10, 10),
        (10, 10),
        (10, 20),
    ]
    assert board.ranks() == {small_1: 1, small_2: 1, big: 3}
    assert [board.rank_label(t) for t in ids] == ["1=", "1=", "3"]
    # Within a role, too: the two small teams share first place.
    assert board.role_ranks() == {small_1: 1, small_2: 1, big: 1}


def test_at_the_same_share_more_points_rank_higher() -> None:
    scenario = two_sizes()
    roster = roster_from_counts(scenario, "small=1,big=1")
    small, big = (t.id for t in roster.teams)
    answers = [
        (2 * M, respond(small, "A.pick", choice="good")),
        (2 * M, respond(big, "A.pick", choice="good")),
        (3 * M, respond(big, "B.pick", choice="good")),
    ]
    board = play(scenario, answers, roster=roster).board
    assert board.total(small).share == board.total(big).share == 1.0
    assert board.ranks() == {big: 1, small: 2}
    assert board.rank_label(big) == "1" and board.rank_label(small) == "2"


def rostered(scenario: Scenario, size: int) -> Roster:
    """Team ``a`` with ``size`` named members; team ``b`` with none named."""
    members = tuple(f"member-{k:03d}" for k in range(size))
    return Roster(
        tuple(TeamSeat(t.id, t.id, t.name, members if t.id == "a" else ()) for t in scenario.teams)
    )


def test_present_is_who_joined_rostered_is_who_was_named(tmp_path: Path) -> None:
    scenario = load_bytes(FIXTURE.read_bytes(), "fixture.yaml").require()
    roster = rostered(scenario, 300)
    ex = Exercise(scenario, roster)
    board = Scoreboard(scenario, roster)
    db = tmp_path / "room.db"
    inputs: list[tuple[int, c.Command]] = [
        (0, c.Start()),
        (M, c.Join(team="a", member="member-000")),
        (M, c.Join(team="a", member="member-001")),
        (2 * M, c.Join(team="a", member="member-000")),  # back after a reconnect
        (3 * M, c.Join(team="b", member="bea")),
        (20 * M, c.End(reason="test")),
    ]
    with create(db, FIXTURE, roster, 1) as log:
        for t, cmd in inputs:
            assert ex.submit(cmd, t).ok
            events = ex.drain()
            log.append(events)
            board.apply_all(events)
    assert board.present("a") == ("member-000", "member-001")
    assert len(board.rostered("a")) == 300
    assert board.present("b") == ("bea",) and board.rostered("b") == ()
    # The whole-team divisor is still the engine's (the roster's 300 for team a).
    assert len(board.members("a")) == 300

    out = subprocess.run(
        [sys.executable, "-m", "tui.cli", "report", str(db), "--format", "md"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "3 team members joined (of 300 on the roster)" in text, text[:2000]
    assert "300 members" not in text and "301" not in text
    assert "members who joined: member-000, member-001 (2 of 300 on the roster)" in text
    assert "members who joined: bea ·" in text
