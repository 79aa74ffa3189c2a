"""Issue 12, bug 10: the README promises a score spread from ``sitroom dry-run``; it prints
one, and its figures are the after-action report's for the same log (one fold decides
points, shares and ranks)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from tests.engine.conftest import FIXTURE

ROOT = Path(__file__).resolve().parents[1]
RUN = [str(FIXTURE), "--teams", "a=2,b=2", "--profile", "diligent,silent", "--seed", "3"]


def sitroom(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_text_summary_ends_with_the_score_spread() -> None:
    out = sitroom("dry-run", *RUN)
    assert out.returncode == 0, out.stderr
    _, found, section = out.stdout.partition(
        "\nScore spread (share of the points available to each team: min · median · max)\n"
    )
    assert found, out.stdout
    rows = {line.split("×")[0].strip(): line for line in section.splitlines() if "×" in line}
    assert set(rows) == {
        "all teams",
        "profile diligent",
        "profile silent",
        "role a",
        "role b",
        "objective obj",
    }
    assert "×4" in rows["all teams"] and "×2" in rows["profile silent"]
    # Silent bots answer nothing: 0% at best; diligent bots score well.
    assert percents(rows["profile silent"]) == [0, 0, 0]
    low, median, high = percents(rows["profile diligent"])
    assert 50 < low <= median <= high <= 100
    assert percents(rows["all teams"]) == [0, 0, high]


def percents(line: str) -> list[int]:
    """min, median and max of a spread row, in whole percent."""
    return [int(p) for p in re.findall(r"(\d+)%", line)]


def test_the_json_scores_are_the_reports(tmp_path: Path) -> None:
    db = tmp_path / "rehearsal.db"
    out = sitroom("dry-run", *RUN, "--format", "json", "--log", str(db))
    assert out.returncode == 0, out.stderr
    scores = json.loads(out.stdout)["scores"]
    report = sitroom("report", str(db), "--format", "json")
    assert report.returncode == 0, report.stderr
    cards = {card["id"]: card for card in json.loads(report.stdout)["teams"]}
    assert len(scores["teams"]) == len(cards) == 4
    for team in scores["teams"]:
        card = cards[team["team"]]
        assert (team["points"], team["max_points"], team["rank"]) == (
            card["points"],
            card["max_points"],
            card["rank"],
        )
    spread = {row["group"]: row for row in scores["spread"]}
    shares = sorted(c["share"] for c in cards.values())
    assert spread["all teams"]["min"] == round(shares[0], 6)
    assert spread["all teams"]["max"] == round(shares[-1], 6)
    assert spread["profile silent"]["max"] == 0
    # An objective's spread is the report's objective shares, over the teams it reached.
    objective_shares = sorted(
        o["share"]
        for card in cards.values()
        for o in card["objectives"]
        if o["objective"] == "obj" and o["share"] is not None
    )
    assert objective_shares
    assert spread["objective obj"]["teams"] == len(objective_shares)
    assert spread["objective obj"]["min"] == round(objective_shares[0], 6)
    assert spread["objective obj"]["max"] == round(objective_shares[-1], 6)
