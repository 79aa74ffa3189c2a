"""Issue 15, "dry-run that helps judge pacing": per role, the injects in each quarter
hour, and the stretches over 20 minutes in which a role's teams get nothing (merged
over the role's teams), in the text summary, the warnings and the JSON."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

SCENARIO = """\
id: pacing
title: Pacing
duration: 1h
seed: 1
objectives:
  - {id: obj, title: Everything}
teams:
  - {id: busy, name: Busy}
  - {id: quiet, name: Quiet}
actors:
  - {id: x, name: Actor X}
injects:
  - {id: ALL, at: 5m, to: all, channel: email, from: x, title: Everyone}
  - {id: B1, at: 15m, to: busy, channel: email, from: x, title: Busy one}
  - {id: B2, at: 30m, to: busy, channel: email, from: x, title: Busy two}
  - {id: B3, at: 45m, to: busy, channel: email, from: x, title: Busy three}
  - {id: Q1, at: 40m, jitter: 4m, to: quiet, channel: email, from: x, title: Quiet one}
"""


def dry_run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "pacing.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", "dry-run", str(path), "--teams", "3", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_json_names_each_idle_stretch_once_per_role(tmp_path: Path) -> None:
    out = dry_run(tmp_path, "--format", "json")
    assert out.returncode == 0, out.stderr
    summary = json.loads(out.stdout)
    idle = summary["idle"]
    # The quiet role waits from its first inject (0:05) to its second (0:40 plus up to
    # 4 minutes of jitter, different for each of its three teams): one finding, three
    # teams. From there to the end is 16 to 20 minutes: not over 20. The busy role
    # never waits over 20 minutes.
    assert [s["role"] for s in idle] == ["quiet"]
    (stretch,) = idle
    assert (stretch["from_ms"], stretch["teams"], stretch["of"]) == (5 * 60_000, 3, 3)
    assert 40 * 60_000 <= stretch["to_ms"] <= 44 * 60_000
    assert 35 * 60_000 <= stretch["shortest_ms"] <= stretch["longest_ms"] <= 39 * 60_000
    assert stretch["to_ms"] - stretch["from_ms"] == stretch["longest_ms"]
    by_role = summary["load_by_role"]
    assert list(by_role) == ["busy", "quiet"]
    assert by_role["busy"] == [1.0, 1.0, 1.0, 1.0]
    assert by_role["quiet"] == [1.0, 0.0, 1.0, 0.0]
    role_warnings = [w for w in summary["warnings"] if w.startswith("role ")]
    assert len(role_warnings) == 1
    assert re.fullmatch(
        r"role quiet: no inject for 3\d(-3\d)? min between 0:05:00 and 0:4\d:\d\d "
        r"\(3 of 3 teams\)",
        role_warnings[0],
    ), role_warnings


def test_the_text_shows_the_load_per_role_and_warns_of_idle_tables(tmp_path: Path) -> None:
    out = dry_run(tmp_path)
    assert out.returncode == 0, out.stderr
    text = out.stdout
    _, found, section = text.partition(
        "\nInject load per role (mean per team, per 15 minutes; · none)\n"
    )
    assert found, text
    header, busy, quiet = section.splitlines()[:3]
    assert header.split() == ["0:00", "0:15", "0:30", "0:45"]
    assert busy.split() == ["busy", "1.0", "1.0", "1.0", "1.0"]
    assert quiet.split() == ["quiet", "1.0", "·", "1.0", "·"]
    warnings = [line for line in text.splitlines() if line.startswith("  ! role ")]
    assert len(warnings) == 1, text
    assert warnings[0].startswith("  ! role quiet: no inject for 3"), warnings
    assert "between 0:05:00 and 0:4" in warnings[0] and warnings[0].endswith("(3 of 3 teams)")


STATEMENT = """\
id: statement
title: Statement
duration: 1h
seed: 2
teams: [{id: comms, name: Communications}]
actors: [{id: x, name: Reporter}]
injects:
  - id: S-01
    at: 5m
    to: all
    channel: email
    from: x
    title: The reporter wants a statement
    expects:
      - id: say
        kind: text
        prompt: Write the statement.
        min_words: 150
        due: DUE
        required: [statement]
"""


DILIGENT_JSON = ("--teams", "3", "--profile", "diligent", "--format", "json")


@pytest.mark.parametrize(("due", "missed"), [("5m", 3), ("40m", 0)])
def test_bots_take_the_time_the_task_needs(tmp_path: Path, due: str, missed: int) -> None:
    """150 words take a team about eight minutes to agree: diligent bots miss a
    five-minute deadline (the dry-run tells the planner it is too tight), and meet a
    forty-minute one."""
    path = tmp_path / "statement.yaml"
    path.write_text(STATEMENT.replace("DUE", due), encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "tui.cli", "dry-run", str(path), *DILIGENT_JSON],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["missed"].get("S-01.say", 0) == missed
