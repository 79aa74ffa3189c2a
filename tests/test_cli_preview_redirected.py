"""Issue 12, bug 10: ``sitroom preview`` with its output redirected, and consoles whose
input is not a terminal, run as ``python -m tui.cli`` in a child process.

Before the fix ``preview`` started its app whatever the output was: with stdin at its
end (``< /dev/null``, a script) Textual's input thread read "nothing" in a tight loop
at 100% CPU until killed; with only stdout redirected the app waited for keys while
the planner waited for a file. Every run here has a deadline, so a hang fails.
"""

from __future__ import annotations

import asyncio
import os
import pty
import subprocess
import sys
from pathlib import Path

from tests.engine.conftest import FIXTURE
from tests.server.conftest import server_process

ROOT = Path(__file__).resolve().parents[1]
DEADLINE = 60


def sitroom(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "tui.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=DEADLINE,
        stdin=subprocess.DEVNULL,
        **kwargs,
    )


def test_preview_to_a_file_prints_the_views_and_exits() -> None:
    out = sitroom("preview", str(FIXTURE))
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "\x1b" not in text, "escape codes in a plain-text preview"
    first = text.splitlines()[0]
    assert first.startswith(f"{FIXTURE} · Engine fixture · 2h") and "✓ valid" in first
    for heading in ("Timeline of every role", "Branches (what leads where)", "Load per 15"):
        assert f"\n{heading}" in text, heading
    assert "Problems: none" in text
    # Every inject of the fixture is on the timeline, with its earliest time.
    assert "  0:10  A1 " in text


def test_preview_redirected_from_a_terminal_prints_too() -> None:
    """``sitroom preview FILE > preview.txt`` typed in a terminal: keys and the screen
    are a terminal, the output is a file: the planner wants the text in the file."""
    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "tui.cli", "preview", str(FIXTURE)],
            cwd=ROOT,
            stdin=follower,
            stderr=follower,
            stdout=subprocess.PIPE,
            text=True,
            timeout=DEADLINE,
        )
    finally:
        os.close(follower)
        os.close(leader)
    assert done.returncode == 0
    assert "Timeline of every role" in done.stdout and "\x1b" not in done.stdout


def test_a_broken_scenario_prints_its_problems_with_the_lines_around(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        FIXTURE.read_text(encoding="utf-8").replace("duration: 2h", "duration: soon", 1),
        encoding="utf-8",
    )
    out = sitroom("preview", str(broken))
    assert out.returncode == 1
    assert "✗ 1 error" in out.stdout.splitlines()[0]
    assert "duration: 'soon' is not a duration" in out.stdout
    assert "│ duration: soon" in out.stdout and "^" in out.stdout


def test_text_on_demand_and_by_bundled_name() -> None:
    out = sitroom("preview", "summit-deepfake", "--text")
    assert out.returncode == 0, out.stderr
    assert "Deepfake at the summit" in out.stdout.splitlines()[0]


def test_the_demo_without_a_terminal_says_so_at_once(tmp_path: Path) -> None:
    out = sitroom("demo", "--dir", str(tmp_path))
    assert out.returncode == 1
    assert out.stderr.startswith("sitroom: sitroom demo is a console and needs a terminal")
    assert "Traceback" not in out.stderr
    assert not list(tmp_path.iterdir()), "nothing is started, so nothing is left behind"


async def test_a_joined_console_without_a_terminal_says_so_at_once(tmp_path: Path) -> None:
    """``SITROOM_CODE=… sitroom join URL < /dev/null``: the code is good and the seat is
    joined, but there is no keyboard: one line, not a console spinning unseen."""
    async with server_process(tmp_path) as server:
        out = await asyncio.to_thread(
            sitroom,
            "join",
            server.url,
            "--name",
            "Ada",
            env={**os.environ, "SITROOM_CODE": server.codes()["team:a-01"]},
        )
    assert out.returncode == 1
    assert out.stderr == (
        "sitroom: sitroom join is a console and needs a terminal to read keys from; its input "
        "is not one (run it in a terminal, or in tmux)\n"
    )
