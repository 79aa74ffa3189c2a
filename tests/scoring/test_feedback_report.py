"""The after-action report's participant feedback and hotwash, in every format."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from engine import commands as c
from engine.exercise import Exercise
from engine.feedback import DEFAULT_HOTWASH
from engine.roster import Roster, TeamSeat
from engine.scenario import load_file
from scoring.report.feedbackcsv import COLUMNS
from scoring.report.model import Report
from scoring.report.render import RENDERERS
from tests.scoring.conftest import FIXTURE, M
from tests.scoring.logs import HOSTILE, create
from tests.scoring.test_report import report_of

WELL, IMPROVE = DEFAULT_HOTWASH[0], DEFAULT_HOTWASH[1]

FORMS: list[c.Command] = [
    c.Feedback(
        team="a",
        member="Ana",
        strengths=["Clear roles"],
        improvements=["Verify before posting"],
        ratings={"structured": 5, "realistic": 4, "again": 5},
    ),
    c.Feedback(
        team="b",
        member="Bo",
        strengths=[HOSTILE],
        ratings={"structured": 2, "realistic": 4},
        anonymous=True,
    ),
    c.Feedback(team="a", member="Al", improvements=["More time"], ratings={"structured": 3}),
    # Ana again: her second form replaces her first.
    c.Feedback(
        team="a",
        member="Ana",
        strengths=["Clear roles", "Good log"],
        ratings={"structured": 4, "realistic": 4, "again": 4},
    ),
    c.Note(author="Fay", text="Improve the call tree", category="hotwash", prompt=IMPROVE),
    c.Note(author="lead", text="An evaluator's hotwash note", category="hotwash"),
    c.Note(author="Fay", text="Roles were clear", category="hotwash", prompt=WELL),
]


@pytest.fixture(scope="module")
def log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    scenario = load_file(FIXTURE).require()
    roster = Roster(
        (TeamSeat("a", "a", "Team A", ("Ana", "Al")), TeamSeat("b", "b", "Team B", ("Bo",)))
    )
    path = tmp_path_factory.mktemp("fb") / "fb.db"
    ex = Exercise(scenario, roster)
    with create(path, FIXTURE, roster, scenario.seed) as db:
        assert ex.submit(c.Start(), 0).ok
        assert ex.submit(c.End(reason="hotwash"), 30 * M).ok
        for n, cmd in enumerate(FORMS):
            outcome = ex.submit(cmd, 31 * M + n * 1000)
            assert outcome.ok, outcome.reason
        db.append(ex.drain(), wall=1.0)
    return path


@pytest.fixture(scope="module")
def report(log: Path) -> Report:
    return report_of(log)


def test_ratings_per_question_count_each_member_once(report: Report) -> None:
    fb = report.feedback
    assert (fb.forms, fb.anonymous) == (3, 1)
    figures = {q.id: (q.n, q.mean, q.counts) for q in fb.questions}
    assert figures == {
        "structured": (3, 3.0, [0, 1, 1, 1, 0]),  # Ana's latest 4, Bo 2, Al 3
        "realistic": (2, 4.0, [0, 0, 0, 2, 0]),
        "role": (0, None, [0, 0, 0, 0, 0]),
        "again": (1, 4.0, [0, 0, 0, 1, 0]),
    }


def test_remarks_grouped_by_role_and_team_anonymous_without_a_name(report: Report) -> None:
    fb = report.feedback
    assert [(r.team, r.member, r.text) for r in fb.strengths] == [
        ("a", "Ana", "Clear roles"),
        ("a", "Ana", "Good log"),
        ("b", None, HOSTILE),
    ]
    assert [(r.role, r.team_name, r.member, r.text) for r in fb.improvements] == [
        ("Team A", "Team A", "Al", "More time")
    ]


def test_hotwash_notes_follow_the_prompts(report: Report) -> None:
    assert report.hotwash_prompts == list(DEFAULT_HOTWASH)
    assert [(n.prompt, n.text) for n in report.hotwash] == [
        (WELL, "Roles were clear"),
        (IMPROVE, "Improve the call tree"),
        (None, "An evaluator's hotwash note"),
    ]


def test_every_format_carries_it(report: Report) -> None:
    md = RENDERERS["md"](report)
    assert re.search(r"^## \d+\. Participant feedback$", md, re.M)
    assert "3 members sent a feedback form (1 anonymously)" in md
    structured = "| The exercise was well structured and organised. | 3 | 3.00 |"
    assert structured + " 0 | 1 | 1 | 1 | 0 |" in md
    assert "| Team B | Team B | anonymous |" in md and "Bo" not in md
    assert "| Prompt |" in md and WELL in md
    html = RENDERERS["html"](report)
    assert 'id="feedback"' in html and "<script>alert" not in html and "Bo<" not in html
    data = json.loads(RENDERERS["json"](report))
    assert data["feedback"]["forms"] == 3
    assert data["feedback"]["strengths"][2]["member"] is None
    rows = list(csv.reader(io.StringIO(RENDERERS["feedback.csv"](report))))
    assert tuple(rows[0]) == COLUMNS
    by_member = {row[4]: row for row in rows[1:]}
    assert set(by_member) == {"Ana", "Al", ""}
    ana = dict(zip(COLUMNS, by_member["Ana"], strict=True))
    assert (ana["rating_structured"], ana["rating_role"], ana["strength_2"]) == (
        "4",
        "",
        "Good log",
    )
    assert by_member[""][COLUMNS.index("strength_1")].startswith("<script>")  # not a formula


def test_a_report_without_forms_says_so(tmp_path: Path) -> None:
    from tests.scoring.logs import hand_log

    report = report_of(hand_log(tmp_path / "hand.db"))
    assert report.feedback.forms == 0
    assert "No participant feedback forms were sent." in RENDERERS["md"](report)
    assert RENDERERS["feedback.csv"](report).count("\r\n") == 1
