"""The CLI run in process, as the French tests read it."""

from __future__ import annotations

import pytest

from tui.cli import main


def sitroom(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``sitroom ARGS`` in this process: its exit code, standard output and error."""
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err
