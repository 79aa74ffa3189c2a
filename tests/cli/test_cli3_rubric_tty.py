"""``sitroom rubric`` with no CSV on a terminal says what it waits for.

A planner who forgot the answers file used to see nothing: the command sat reading
the terminal. On a terminal it now says, once, on stderr and before reading, that it
reads answers one per line until Ctrl+D; on a pipe it says nothing.
"""

from __future__ import annotations

import os
import selectors
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.meaning  # the answer typed is graded, as sitroom rubric grades

ROOT = Path(__file__).resolve().parents[2]
HINT = b"reading answers from the terminal, one per line; end with Ctrl+D"
COMMAND = [sys.executable, "-m", "tui.cli", "rubric", "summit-deepfake", "I-13.holding"]


def _read_until(fd: int, wanted: bytes, seconds: float) -> bytes:
    """What ``fd`` gives until ``wanted`` is in it; what it gave when it ends first or
    ``seconds`` pass (no sleeping: select waits for the bytes)."""
    got = b""
    deadline = time.monotonic() + seconds
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while wanted not in got:
            left = deadline - time.monotonic()
            if left <= 0 or not selector.select(left):
                break
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            got += chunk
    return got


def test_on_a_terminal_it_says_what_it_waits_for_then_reads_until_eof() -> None:
    master, slave = os.openpty()
    proc = subprocess.Popen(
        COMMAND, stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT
    )
    os.close(slave)
    try:
        assert proc.stderr is not None
        said = _read_until(proc.stderr.fileno(), HINT, 60)
        assert HINT in said, said
        # One answer, then Ctrl+D at the start of a line: the end of the input.
        os.write(master, b"No shutdown of the power grid is planned.\n\x04")
        out, rest = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    assert proc.returncode == 0, rest
    assert (said + rest).count(HINT) == 1
    assert out.decode().startswith("#1  "), out


def test_on_a_pipe_it_says_nothing_before_reading() -> None:
    out = subprocess.run(COMMAND, input=b"", capture_output=True, cwd=ROOT, timeout=120)
    assert (out.returncode, out.stderr) == (0, b"no answers read\n")
