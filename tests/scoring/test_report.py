"""The after-action report: its content, determinism, live logs, escaping, the command line."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from engine import commands as c
from engine.eventlog import EventLog
from engine.exercise import Exercise
from engine.roster import default_roster
from engine.scenario import load_file
from engine.storyclock import story_clock
from scoring.report.build import report_of_log
from scoring.report.csvout import COLUMNS, render_csv
from scoring.report.html import render_html
from scoring.report.jsonout import render_json
from scoring.report.markdown import render_markdown
from scoring.report.model import Report
from scoring.source import read_log
from tests.scoring.conftest import DELIVERED, FIXTURE, M, respond
from tests.scoring.logs import HOSTILE, ROOT, create, dry_run_log, hand_log, largest_scenario

SECTIONS = (
    "overview",
    "summary",
    "timeline",
    "ratings",
    "findings",
    "plan",
    "times",
    "evaluators",
    "hotwash",
    "feedback",
    "scorecards",
)


def report_of(path: Path) -> Report:
    logged = read_log(path)
    return report_of_log(logged)


@pytest.fixture(scope="module")
def hand(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return hand_log(tmp_path_factory.mktemp("hand") / "hand.db")


@pytest.fixture(scope="module")
def dry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return dry_run_log(tmp_path_factory.mktemp("dry") / "dry.db", largest_scenario(), 2)


def test_the_report_holds_the_exercise(hand: Path) -> None:
    report = report_of(hand)
    ov = report.overview
    assert (ov.scenario_id, ov.status, ov.ended_reason, ov.teams) == (
        "scoring-fixture",
        "ended",
        "hotwash",
        2,
    )
    assert ov.evaluators == ["e1", "e2"]
    assert ov.note_authors == ["e1", "e2", "facilitator", "observer"]
    a = report.team("a")
    assert (a.rank, a.points) == (1, 10 + 5 + 4)
    brief = next(r for r in a.results if r.ref == "M.brief")
    assert (brief.points, brief.spread is not None, brief.spread and brief.spread.agree) == (
        4.0,
        True,
        False,
    )
    b_full = next(r for r in report.team("b").results if r.ref == "D.full")
    assert (b_full.auto_points, b_full.override, b_full.status) == (0.0, 4.0, "partial")
    rated = next(o for o in a.objectives if o.objective == "obj")
    assert (rated.rated, rated.rating, rated.source) == ("S", "S", "evaluator")
    assert report.agreement.items == 1
    assert report.agreement.overrides == 1
    assert [n.text for n in report.hotwash] == [HOSTILE]
    assert [n.text for n in report.observations] == ["Room was noisy."]
    kinds = [t.kind for t in report.timeline]
    assert kinds[0] == "control" and "inject" in kinds
    assert any(t.text == "Paused: lunch" for t in report.timeline)
    assert any(
        t.text.startswith("Broadcast to every addressed team: Reminder") for t in report.timeline
    )


def test_strengths_improvements_and_the_plan(hand: Path) -> None:
    report = report_of(hand)
    noted = [f for f in report.findings if f.source == "e1"]
    assert [(f.kind, f.observation, f.recommendation) for f in noted] == [
        (
            "improvement",
            "Team B: Team B did not verify before answering.",
            "add a verification step",
        )
    ]
    assert any(f.source == "e2" and f.kind == "strength" for f in report.findings)
    first = report.plan[0]
    assert (first.issue, first.action, first.owner, first.due, first.objective) == (
        "Team B: Team B did not verify before answering.",
        "add a verification step",
        "Team B lead",
        "next quarter",
        "obj",
    )
    from_results = [p for p in report.plan if p.source == "results"]
    assert from_results, "missed expectations fill the plan too"
    assert all(p.owner for p in from_results)


def test_json_is_byte_identical_twice(dry: Path) -> None:
    first = render_json(report_of(dry)).encode()
    second = render_json(report_of(dry)).encode()
    assert first == second
    data = json.loads(first)
    assert data["format"] == "sitroom-report"
    assert len(data["teams"]) == len(read_log(dry).roster)


def test_every_format_is_deterministic_and_has_every_section(dry: Path) -> None:
    report = report_of(dry)
    again = report_of(dry)
    for render in (render_markdown, render_html, render_csv, render_json):
        assert render(report) == render(again)
    html = render_html(report)
    for section in SECTIONS:
        assert f'<section id="{section}"' in html
    md = render_markdown(report)
    for title in (
        "Exercise overview",
        "Timeline",
        "Objective ratings",
        "Improvement plan",
        "Response times",
        "Hotwash and observations",
        "team scorecards",
    ):
        assert title in md


def test_html_is_self_contained(dry: Path) -> None:
    html = render_html(report_of(dry))
    lowered = html.lower()
    for needle in ("<script", "<link", "<img", "@import", "url(", "src=", "http://", "https://"):
        if needle in ("http://",):
            lowered_checked = lowered.replace('xmlns="http://www.w3.org/2000/svg"', "")
            assert needle not in lowered_checked
        else:
            assert needle not in lowered, needle
    assert "<svg" in html and "@media print" in html


def test_player_text_is_escaped(hand: Path) -> None:
    report = report_of(hand)
    html = render_html(report)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    md = render_markdown(report)
    assert "\\<script\\>" in md and "\\| \\*\\*bold\\*\\*" in md
    rows = list(csv.reader(io.StringIO(render_csv(report))))
    answers = [row[COLUMNS.index("answer")] for row in rows]
    assert any(a.startswith("'<script>") for a in answers) is False
    assert HOSTILE in answers


def test_csv_has_one_row_per_team_and_expectation(hand: Path) -> None:
    report = report_of(hand)
    rows = list(csv.DictReader(io.StringIO(render_csv(report))))
    assert len(rows) == sum(len(c.results) for c in report.teams)
    row = next(r for r in rows if r["team"] == "b" and r["expectation"] == "D.full")
    assert (row["status"], row["points"], row["automatic_points"], row["evaluator_points"]) == (
        "partial",
        "4",
        "0",
        "4",
    )
    assert row["evaluators"] == "e1=4"


def test_a_formula_in_an_answer_stays_text(tmp_path: Path) -> None:
    scenario = load_file(FIXTURE).require()
    ex = Exercise(scenario, default_roster(scenario))
    with create(tmp_path / "f.db", FIXTURE, ex.roster, 1) as log:
        ex.submit(c.Start(), 0)
        ex.submit(respond("a", "T.say", text="=HYPERLINK(1)"), DELIVERED + M)
        log.append(ex.drain())
    rows = list(csv.DictReader(io.StringIO(render_csv(report_of(tmp_path / "f.db")))))
    assert (
        next(r for r in rows if r["expectation"] == "T.say" and r["team"] == "a")["answer"]
        == "'=HYPERLINK(1)"
    )


def test_a_live_log_reports_what_is_there_so_far(tmp_path: Path) -> None:
    scenario = load_file(FIXTURE).require()
    ex = Exercise(scenario, default_roster(scenario))
    log = create(tmp_path / "live.db", FIXTURE, ex.roster, 1)
    try:
        ex.submit(c.Start(), 0)
        ex.submit(respond("a", "D.full", choice="good"), DELIVERED + M)
        log.append(ex.drain())
        report = report_of(tmp_path / "live.db")
        assert report.overview.status == "in progress"
        assert report.overview.played_ms == DELIVERED + M
        assert report.team("a").points == 10.0
        ex.submit(respond("b", "D.full", choice="good"), DELIVERED + 2 * M)
        log.append(ex.drain())
        assert report_of(tmp_path / "live.db").team("b").points == 10.0
    finally:
        log.close()


# ---------------------------------------------------------------- command line


def sitroom(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("fmt", ["md", "html", "json", "csv"])
def test_cli_writes_each_format(dry: Path, tmp_path: Path, fmt: str) -> None:
    out = sitroom("report", str(dry), "--format", fmt, "--out", str(tmp_path))
    assert out.returncode == 0, out.stderr
    target = tmp_path / f"dry.{fmt}"
    assert out.stdout.strip() == str(target)
    text = target.read_text(encoding="utf-8")
    marker = {
        "md": "## 1. Exercise overview",
        "html": '<section id="overview"',
        "json": '"format": "sitroom-report"',
        "csv": ",".join(COLUMNS),
    }[fmt]
    assert marker in text
    again = sitroom("report", str(dry), "--format", fmt)
    assert again.returncode == 0
    assert again.stdout == text


def test_cli_all_formats_need_a_folder(dry: Path, tmp_path: Path) -> None:
    out = sitroom("report", str(dry), "--format", "all")
    assert out.returncode == 1 and "--out" in out.stderr
    out = sitroom("report", str(dry), "--format", "all", "--out", str(tmp_path / "r"))
    assert out.returncode == 0, out.stderr
    assert sorted(p.name for p in (tmp_path / "r").iterdir()) == [
        "dry.csv",
        "dry.feedback.csv",
        "dry.html",
        "dry.json",
        "dry.md",
    ]


def test_cli_errors_are_clear(tmp_path: Path) -> None:
    missing = sitroom("report", str(tmp_path / "nope.db"))
    assert missing.returncode == 1
    assert "no such log" in missing.stderr and "Traceback" not in missing.stderr

    text = tmp_path / "notes.txt"
    text.write_text("not a database, just text\n" * 100)
    wrong = sitroom("report", str(text))
    assert wrong.returncode == 1
    assert "not a sitroom event log" in wrong.stderr and "Traceback" not in wrong.stderr

    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    assert "not a sitroom event log" in sitroom("report", str(other)).stderr

    newer = hand_log(tmp_path / "newer.db")
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE header SET value = '99' WHERE key = 'format_version'")
    out = sitroom("report", str(newer))
    assert out.returncode == 1
    assert "newer sitroom" in out.stderr and "Traceback" not in out.stderr

    folder = sitroom("report", str(tmp_path))
    assert folder.returncode == 1 and "Traceback" not in folder.stderr


def test_read_log_opens_read_only(hand: Path) -> None:
    with EventLog.open(hand) as log:
        count = log.count()
    logged = read_log(hand)
    assert len(logged.events) == count
    assert logged.scenario.id == "scoring-fixture"


def test_the_timeline_gives_the_story_time_the_consoles_showed(dry: Path, hand: Path) -> None:
    """A scenario with a start (and story jumps) has its story's time beside each moment
    of the timeline, as the one story clock gives it; one without has no such column."""
    report = report_of(dry)
    story = story_clock(load_file(largest_scenario()).require())
    assert story is not None and report.timeline
    assert [r.story for r in report.timeline] == [story.text(r.t) for r in report.timeline]
    # The first moment is the scenario's start as its file writes it (not via the clock).
    start = load_file(largest_scenario()).require().start
    assert start is not None and report.timeline[0].t == 0
    assert report.timeline[0].story == start.strftime("%a %H:%M")
    assert "| Time | Story time | Type | What happened | Result |" in render_markdown(report)
    plain = report_of(hand)
    assert plain.timeline and not any(r.story for r in plain.timeline)
    assert "Story time" not in render_markdown(plain)
