"""Small helpers shared by the command modules: error output in one style, stable stdout."""

from __future__ import annotations

import sys

from engine.problems import Problem


def fail(message: str, code: int = 1) -> int:
    print(f"sitroom: {message}", file=sys.stderr)
    return code


def utf8_stdout() -> None:
    """Write stdout in UTF-8 with ``\\n`` line ends, whatever the locale or the platform.

    For output that must be the same bytes for the same input wherever it runs (a
    dry-run's summary, a report: the same bytes as the file ``--out`` writes). A
    stream without ``reconfigure`` (a test's ``StringIO``) is left as it is.
    """
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(encoding="utf-8", newline="\n")


def print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        print(problem.format())
