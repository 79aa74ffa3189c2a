"""``sitroom dry-run`` through the command line, as a planner runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from engine.eventlog import EventLog
from engine.replay import rebuild
from tests.engine.conftest import FIXTURE

ROOT = Path(__file__).resolve().parents[2]


def sitroom(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *args], cwd=ROOT, capture_output=True, text=True
    )


def test_text_summary_has_every_section() -> None:
    out = sitroom("dry-run", str(FIXTURE), "--teams", "4", "--seed", "5")
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert text.startswith("engine-fixture · Engine fixture · 2h · seed 5\n")
    assert "8 teams (a ×4, b ×4) · profile mix" in text
    for heading in (
        "Timeline",
        "Inject load per team, per 15 minutes",
        "Branches",
        "Deadlines missed",
    ):
        assert f"\n{heading}" in text
    assert "   0:10:00  A1 " in text
    assert "8/8" in text


def test_json_summary_and_log_that_replays(tmp_path: Path) -> None:
    db = tmp_path / "rehearsal.db"
    out = sitroom(
        "dry-run",
        str(FIXTURE),
        "--teams",
        "a=3,b=1",
        "--profile",
        "diligent,silent",
        "--format",
        "json",
        "--log",
        str(db),
    )
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["teams"] == 4 and doc["profile"] == "diligent,silent"
    by_id = {row["id"]: row for row in doc["injects"]}
    assert by_id["A1"]["delivered"] == 4 and by_id["A1"]["first_ms"] == 600_000
    assert by_id["K1"]["delivered"] == 0 and by_id["K1"]["untriggered"] == 4
    assert {b["id"] for b in doc["branches"]} == {"B-good", "B-bad", "C2", "C3", "T2", "T3", "ANS"}
    # Silent teams (every other one) never answer, so their deadlines pass.
    assert doc["missed"]["A1.d"] >= 2
    with EventLog.open(db) as log:
        assert rebuild(log).events == doc["events"]


def test_bad_arguments_get_clear_errors(tmp_path: Path) -> None:
    out = sitroom("dry-run", str(FIXTURE), "--profile", "lazy")
    assert out.returncode == 1
    assert "unknown profile 'lazy'" in out.stderr
    out = sitroom("dry-run", str(FIXTURE), "--teams", "zz=3")
    assert out.returncode == 1 and "unknown role 'zz'; roles are a, b" in out.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\n")
    out = sitroom("dry-run", str(bad))
    assert out.returncode == 1 and "title: required field is missing" in out.stdout
    db = tmp_path / "x.db"
    db.write_text("occupied")
    out = sitroom("dry-run", str(FIXTURE), "--log", str(db))
    assert out.returncode == 1 and "already exists" in out.stderr


def test_every_branch_is_reachable_across_seeds() -> None:
    """With enough teams and a few seeds, bots walk every non-contingency inject."""
    from engine.bots import profile_for
    from engine.dryrun import dry_run
    from engine.roster import roster_from_counts
    from engine.scenario import load_file

    scenario = load_file(FIXTURE).require()
    roster = roster_from_counts(scenario, 8)
    reached: set[str] = set()
    for seed in (1, 2, 3):
        profiles = {s.id: profile_for(i, "mix") for i, s in enumerate(roster.teams)}
        result = dry_run(scenario, roster, profiles, seed=seed)
        reached |= {inj for inj, row in result.reach().items() if row["delivered"]}
    assert reached == {i.id for i in scenario.injects if not i.contingency}
