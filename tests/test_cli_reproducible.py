"""``sitroom dry-run`` and ``sitroom report`` print the same bytes for the same input.

Each run is a separate process with its own string-hash seed, time zone and locale,
so output that depended on set order, the wall clock or the environment would
differ between the two. Formats come from the commands themselves: a new one is
covered without touching this file.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from scoring.report.render import RENDERERS
from tests.engine.conftest import FIXTURE
from tests.scoring.logs import hand_log
from tui.commands.dryrun import FORMATS

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "scenarios" / "summit-flagship.yaml"
ROSTER = ROOT / "scenarios" / "summit-flagship.roster.csv"

ENVIRONMENTS = (
    {"PYTHONHASHSEED": "1", "TZ": "UTC", "LC_ALL": "C.UTF-8"},
    {"PYTHONHASHSEED": "2", "TZ": "Pacific/Auckland", "LC_ALL": "C"},
)
"""Two different settings for the two runs that are compared."""

RUNS = {
    "teams": [str(FIXTURE), "--teams", "a=3,b=2", "--seed", "5"],
    "roster": [str(FLAGSHIP), "--roster", str(ROSTER), "--profile", "erratic,diligent"],
}


def sitroom(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        timeout=120,
    )


@pytest.mark.parametrize("run", sorted(RUNS))
@pytest.mark.parametrize("fmt", FORMATS)
def test_dry_run_prints_the_same_bytes_twice(fmt: str, run: str) -> None:
    outs = [sitroom("dry-run", *RUNS[run], "--format", fmt, env=env) for env in ENVIRONMENTS]
    for out in outs:
        assert out.returncode == 0, out.stderr.decode()
        # The wall-clock time is one line on stderr, not in the output.
        assert out.stderr.decode().startswith("dry-run took "), out.stderr.decode()
        assert b"elapsed" not in out.stdout and b" s\n" not in out.stdout.split(b"\n\n")[0]
    assert outs[0].stdout == outs[1].stdout
    assert len(outs[0].stdout) > 1000


def test_dry_run_logs_report_the_same(tmp_path: Path) -> None:
    """Two dry-runs written at different moments: the same report, in every format."""
    logs = []
    for i, env in enumerate(ENVIRONMENTS):
        db = tmp_path / str(i) / "rehearsal.db"
        db.parent.mkdir()
        out = sitroom("dry-run", *RUNS["teams"], "--log", str(db), env=env)
        assert out.returncode == 0, out.stderr.decode()
        logs.append(db)
    for fmt in RENDERERS:
        outs = [
            sitroom("report", str(log), "--format", fmt, env=env)
            for log, env in zip(logs, ENVIRONMENTS, strict=True)
        ]
        for out in outs:
            assert out.returncode == 0, out.stderr.decode()
        assert outs[0].stdout == outs[1].stdout, f"--format {fmt} differs"
        assert outs[0].stdout


def test_report_prints_the_same_bytes_twice(tmp_path: Path) -> None:
    """A log with notes, grades and ratings, reported to stdout and with --out, twice."""
    log = hand_log(tmp_path / "hand.db")
    written = {}
    for i, env in enumerate(ENVIRONMENTS):
        out = sitroom(
            "report", str(log), "--format", "all", "--out", str(tmp_path / str(i)), env=env
        )
        assert out.returncode == 0, out.stderr.decode()
        written[i] = {p.name: p.read_bytes() for p in (tmp_path / str(i)).iterdir()}
    assert sorted(written[0]) == sorted(f"hand.{fmt}" for fmt in RENDERERS)
    assert written[0] == written[1]
    for fmt in RENDERERS:
        outs = [sitroom("report", str(log), "--format", fmt, env=env) for env in ENVIRONMENTS]
        for out in outs:
            assert out.returncode == 0, out.stderr.decode()
        assert outs[0].stdout == outs[1].stdout == written[0][f"hand.{fmt}"]
