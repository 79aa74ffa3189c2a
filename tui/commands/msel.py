"""``sitroom msel export|import``: the scenario as an MSEL spreadsheet (CSV), and back.

The conversion lives in :mod:`engine.msel`; this module only reads and writes
files and prints problems, one per line, ``msel.csv:ROW:COLUMN: …`` for an
import and ``scenario.yaml:LINE:COL: …`` for an export of a broken scenario.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from engine import library
from engine.i18n import _, ngettext
from engine.i18n.forms import grouped
from engine.msel import export_csv, import_csv, leading_comments
from engine.problems import errors
from engine.scenario import load_file
from tui.commands.common import fail, say

BOM = "\ufeff"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    export = actions.add_parser(
        "export", help=_("write a scenario's MSEL as CSV (HSEEP columns + sitroom's)")
    )
    export.add_argument(
        "file", metavar="SCENARIO", help=_("the scenario (YAML), or a bundled scenario's name")
    )
    export.add_argument("--out", "-o", metavar="CSV", help=_("write to CSV instead of stdout"))
    export.add_argument(
        "--bom", action="store_true", help=_("UTF-8 byte-order mark and CRLF, for Excel")
    )
    load = actions.add_parser("import", help=_("build a scenario (YAML) from an MSEL sheet (CSV)"))
    load.add_argument("file", metavar="CSV", help=_("the sheet, from sitroom or a HSEEP template"))
    load.add_argument("--out", "-o", metavar="FILE", help=_("write to FILE instead of stdout"))
    load.add_argument(
        "--start", metavar="HH:MM", help=_("start time of day, for clock times such as 09:30")
    )
    load.add_argument("--quiet", "-q", action="store_true", help=_("print problems only"))


def run(args: argparse.Namespace) -> int:
    if args.action == "export":
        return _export(args)
    return _import(args)


def _export(args: argparse.Namespace) -> int:
    result = load_file(library.resolve(args.file))
    for problem in errors(result.problems):
        say(problem.format(), file=sys.stderr)
    if not result.ok or result.scenario is None:
        return fail(_("{file} has errors: fix them before exporting").format(file=args.file))
    if len(result.languages) > 1:
        # A sheet holds one language: say so before a planner edits it and imports it
        # over a scenario written in several.
        say(
            _(
                "{file}: the sheet holds the {first} text only; the other languages "
                "({others}) stay in the YAML, and an import writes {first} alone"
            ).format(
                file=args.file,
                first=result.languages[0],
                others=", ".join(result.languages[1:]),
            ),
            file=sys.stderr,
        )
    comments = leading_comments(result.text)  # the control-room brief, kept on import
    included = result.included  # "#included" rows: which ids came from which file
    if args.bom:
        text = BOM + export_csv(
            result.scenario, line_end="\r\n", comments=comments, included=included
        )
    else:
        text = export_csv(result.scenario, comments=comments, included=included)
    return _write(text, args.out, newline="")


def _import(args: argparse.Namespace) -> int:
    try:
        raw = Path(args.file).read_bytes()
    except OSError as exc:
        return fail(
            _("cannot read {file}: {error}").format(file=args.file, error=exc.strerror or exc)
        )
    # Attachment files are named relative to where the scenario goes.
    folder = Path(args.out).resolve().parent if args.out else Path(args.file).resolve().parent
    result = import_csv(raw, args.file, start=args.start, folder=folder)
    for problem in result.problems:
        say(problem.format(), file=sys.stderr)
    # Nothing was read (not text, no table): leave -o's file as it was.
    code = _write(result.yaml, args.out) if result.yaml else 0
    n_err = len(errors(result.problems))
    n_warn = len(result.problems) - n_err
    read = ngettext("{n} inject read", "{n} injects read", result.injects).format(
        n=grouped(result.injects)
    )
    if n_err or n_warn:
        summary = _("{file}: {read}; {errors}, {warnings}").format(
            file=args.file,
            read=read,
            errors=ngettext("{n} error", "{n} errors", n_err).format(n=grouped(n_err)),
            warnings=ngettext("{n} warning", "{n} warnings", n_warn).format(n=grouped(n_warn)),
        )
    else:
        summary = _("{file}: {read}").format(file=args.file, read=read)
    if not args.quiet:
        print(summary, file=sys.stderr)
    return 1 if n_err else code


def _write(text: str, out: str | None, newline: str | None = None) -> int:
    if out is None:
        sys.stdout.write(text)
        return 0
    try:
        with open(out, "w", encoding="utf-8", newline=newline) as handle:
            handle.write(text)
    except OSError as exc:
        return fail(_("cannot write {file}: {error}").format(file=out, error=exc.strerror or exc))
    return 0
