"""Small helpers shared by the command modules: error output in one style, stable stdout,
and one way to print people's text (:func:`say`: control, bidi and invisible characters
made visible, so a scenario or a log cannot drive the terminal it is printed to)."""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import sys
from pathlib import Path
from typing import TextIO

from engine.i18n import _
from engine.problems import Problem
from engine.textsafe import visible
from tui.commands import CommandError


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
        where = f"{problem.path}: " if problem.path else ""
        return f"{problem.file}: {problem.tag}{where}{problem.message}"
    return problem.format()


def scenario_arg(
    args: argparse.Namespace, default: Path | None = None, *, must_exist: bool = True
) -> Path:
    """The scenario a command was given (``options.SCENARIO``): a file, or a bundled
    scenario's name, as the first argument or ``--scenario``. Raises :class:`CommandError`
    when none was given (and there is no ``default``), two different ones were, or the
    name is neither a file nor a bundled scenario (unless ``must_exist`` is false: the
    preview watches a file that may not be written yet)."""
    from engine import library

    positional, option = args.file, getattr(args, "scenario_option", None)
    if positional is not None and option is not None and positional != option:
        raise CommandError(
            _("two scenarios given ({first} and {second}): name one").format(
                first=positional, second=option
            ),
            2,
        )
    text = positional if positional is not None else option
    if text is None:
        if default is not None:
            return default
        raise CommandError(
            _("name a scenario: a file, or a bundled one (sitroom scenarios lists them)"), 2
        )
    path = library.resolve(text)
    if must_exist and not path.exists():
        raise CommandError(
            _(
                "{name}: no such scenario file, and no bundled scenario of that name "
                "(bundled: {bundled})"
            ).format(name=text, bundled=", ".join(library.names()))
        )
    return path


def need_terminal(command: str) -> None:
    """Refuse to start a console whose keyboard is not a terminal.

    Textual's input thread waits for stdin to be readable, then reads it: stdin at its
    end (``< /dev/null``, a finished pipe, a script with no terminal) is always
    readable and always empty, so a console started that way spins at 100% CPU
    until killed, showing nothing anyone can answer. A console under ``sitroom web``
    (textual-serve sets ``TEXTUAL_DRIVER``) reads its keys from the browser instead.
    """
    if os.environ.get("TEXTUAL_DRIVER") or (sys.stdin is not None and sys.stdin.isatty()):
        return
    raise CommandError(
        _(
            "{command} is a console and needs a terminal to read keys from; its input is "
            "not one (run it in a terminal, or in tmux)"
        ).format(command=command)
    )


def program() -> str:
    """How to run this sitroom again from a shell, for the commands sitroom prints
    (join lines, "write its report with: …").

    ``sitroom`` when that name on PATH is this installation's script; otherwise the
    script's full path (after ``make demo`` the venv is not on PATH, and ``sitroom join``
    pasted from ``serve`` said "command not found"); otherwise this interpreter
    running the module (``python -m tui.cli``).
    """
    script = Path(sys.executable).parent / "sitroom"
    if script.is_file():
        found = shutil.which("sitroom")
        if found is not None and os.path.samefile(found, script):
            return "sitroom"
        return shlex.quote(str(script.absolute()))
    return shlex.join([sys.executable, "-m", "tui.cli"])
