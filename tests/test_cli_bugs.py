"""Command-line bugs a newcomer hit (issue 12, bug 10), run as ``python -m tui.cli``."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from tests.engine.conftest import FIXTURE

ROOT = Path(__file__).resolve().parents[1]


def sitroom(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *args], cwd=ROOT, capture_output=True, text=True
    )


def test_schema_into_a_missing_folder_is_one_clear_line(tmp_path: Path) -> None:
    target = tmp_path / "nonexistent" / "dir" / "x.json"
    out = sitroom("schema", "-o", str(target))
    assert out.returncode == 1
    assert "Traceback" not in out.stderr, out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("sitroom: "), out.stderr
    assert str(target) in lines[0]
    assert out.stdout == ""


def test_an_argument_error_names_the_option_without_line_and_column() -> None:
    out = sitroom("dry-run", str(FIXTURE), "--teams", "bogus")
    assert out.returncode == 1
    shown = out.stdout + out.stderr
    assert "--teams: " in shown, shown
    assert ":0:0" not in shown, shown


def _log(tmp_path: Path) -> Path:
    log = tmp_path / "run.db"
    made = sitroom("dry-run", str(FIXTURE), "--teams", "1", "--log", str(log))
    assert made.returncode == 0, made.stderr
    return log


def test_html_report_to_a_terminal_is_written_beside_the_log(tmp_path: Path) -> None:
    log = _log(tmp_path)
    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "tui.cli", "report", str(log), "--format", "html"],
            cwd=ROOT,
            stdout=follower,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
        os.set_blocking(leader, False)
        try:
            shown = os.read(leader, 1 << 20).decode()
        except BlockingIOError:
            shown = ""
    finally:
        os.close(follower)
        os.close(leader)
    assert done.returncode == 0, done.stderr
    target = tmp_path / "run.html"
    assert target.exists()
    assert "<html" in target.read_text(encoding="utf-8").lower()
    assert "<html" not in shown.lower()
    assert str(target) in shown + done.stderr


def test_html_report_piped_still_goes_to_stdout(tmp_path: Path) -> None:
    log = _log(tmp_path)
    out = sitroom("report", str(log), "--format", "html")
    assert out.returncode == 0, out.stderr
    assert "<html" in out.stdout.lower()
    assert not (tmp_path / "run.html").exists()
