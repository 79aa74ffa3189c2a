"""Small helpers shared by the command modules: error output in one style, stable stdout,
and one way to print people's text (:func:`say`: control, bidi and invisible characters
made visible, so a scenario or a log cannot drive the terminal it is printed to)."""

from __future__ import annotations

import sys
from typing import TextIO

from engine.problems import Problem
from engine.textsafe import visible


def say(text: str = "", *, file: TextIO | None = None) -> None:
    """Print lines that may hold scenario or participant text: control, bidi and
    invisible characters (tabs too) shown as visible stand-ins, newlines kept."""
    print("\n".join(visible(line, one_line=True) for line in text.split("\n")), file=file)


def fail(message: str, code: int = 1) -> int:
    say(f"sitroom: {message}", file=sys.stderr)
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
        say(format_problem(problem))


def format_problem(problem: Problem) -> str:
    """``file:line:column: message``, or ``--option: message`` for a command-line argument
    (it has no line or column to point at)."""
    if problem.file.startswith("-") and not problem.line and not problem.column:
        tag = "" if problem.severity == "error" else "warning: "
        where = f"{problem.path}: " if problem.path else ""
        return f"{problem.file}: {tag}{where}{problem.message}"
    return problem.format()
