"""``sitroom rubric SCENARIO REF [ANSWERS.csv]``: try a text rubric on answers.

Reads answers from a CSV with a ``text`` column, or one per line on standard input,
and prints what the meaning grader gives each (points, verdict per element); with
``--format json``, a JSON array, one object per answer in input order. The grading
is :mod:`engine.meaning.trial`'s; this module only reads arguments and prints.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from engine import sheetfile
from engine.i18n import _
from engine.textfile import NotUtf8, utf8_text
from engine.textsafe import encodable


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", metavar="SCENARIO", help=_("a scenario file or a bundled name"))
    parser.add_argument("ref", metavar="REF", help=_("a text expectation, e.g. I-13.holding"))
    parser.add_argument(
        "answers",
        nargs="?",
        metavar="ANSWERS.csv",
        help=_("a CSV with a 'text' column (default: one answer per line on stdin)"),
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")


def run(args: argparse.Namespace) -> int:
    from engine import library
    from engine.commands import MAX_TEXT
    from engine.meaning.trial import TrialError, as_json, as_lines, read_answers, try_rubric
    from engine.scenario import load_file
    from engine.scenario.expectations import TextExpectation
    from tui.commands import CommandError
    from tui.commands.common import print_problems, say, utf8_stdout

    path = library.resolve(args.scenario)
    if not path.exists():
        raise CommandError(
            _("{name}: no such scenario file, and no bundled scenario").format(name=args.scenario)
        )
    loaded = load_file(path)
    if loaded.scenario is None:
        print_problems(loaded.problems)
        return 1
    scenario = loaded.scenario
    found = scenario.expectation_by_ref.get(args.ref)
    if found is None:
        texts = [r for r, (_, e) in scenario.expectation_by_ref.items() if e.kind == "text"]
        raise CommandError(
            _("{scenario} has no expectation {ref}; its text expectations: {refs}").format(
                scenario=scenario.id, ref=repr(args.ref), refs=", ".join(texts) or _("none")
            ),
            2,
        )
    exp = found[1]
    if not isinstance(exp, TextExpectation):
        raise CommandError(
            _("{ref} is a {kind} expectation, not a text one").format(ref=args.ref, kind=exp.kind),
            2,
        )
    if args.answers is None:
        name, table = "<stdin>", False
        data = _stdin(name)
    else:
        name, table = args.answers, True
        try:
            data = _decoded(Path(args.answers).read_bytes(), name, sheet=True)
        except OSError as exc:
            raise CommandError(f"{args.answers}: {exc.strerror or exc}") from None
    try:
        answers = read_answers(data, table=table)
    except TrialError as exc:
        where = f"{name}:{exc.row}:{exc.column}" if exc.row else name
        raise CommandError(f"{where}: {exc}") from None
    for number, answer in enumerate(answers, start=1):
        if len(answer) > MAX_TEXT:
            raise CommandError(
                _(
                    "{name}: answer {number} has {count} characters; a console takes at most "
                    "{most} (the engine refuses a longer answer)"
                ).format(name=name, number=number, count=len(answer), most=MAX_TEXT)
            )
    graded = try_rubric(exp, answers)
    utf8_stdout()
    if args.format == "json":
        json.dump(as_json(graded), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    say("\n".join(as_lines(graded)))
    if not answers:
        say(_("no answers read"), file=sys.stderr)
    return 0


def _stdin(name: str) -> str:
    """Standard input's text, read as bytes where it has them (its own decoding would
    turn a stray byte into a lone surrogate, or fail with a traceback). On a terminal,
    says first what it waits for: a planner who forgot the CSV would see nothing."""
    if sys.stdin is None:
        return ""
    if sys.stdin.isatty():
        key = "Ctrl+Z, Enter" if os.name == "nt" else "Ctrl+D"
        hint = _("reading answers from the terminal, one per line; end with {key}")
        print(hint.format(key=key), file=sys.stderr, flush=True)
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:
        return encodable(sys.stdin.read())
    return _decoded(buffer.read(), name)


def _decoded(raw: bytes, name: str, *, sheet: bool = False) -> str:
    """The answers as text, or a CommandError saying where they are not what sitroom
    reads: a byte that is not UTF-8 would otherwise be graded as a stray character, or
    stop the command with a traceback (a spreadsheet saved in its own code page). A
    ``sheet`` (the answers CSV) is read as every sheet is (:func:`engine.sheetfile.decode`:
    UTF-16 behind its byte-order mark too); standard input is UTF-8."""
    from tui.commands import CommandError

    try:
        return sheetfile.decode(raw, name) if sheet else utf8_text(raw, name)
    except NotUtf8 as exc:
        raise CommandError(str(exc)) from None
