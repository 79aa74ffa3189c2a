"""``sitroom report``: the after-action report of an exercise, from its event log.

Works on any log, finished or still being written by a live server (it reports
what is committed so far). Writes Markdown to stdout by default; ``--out DIR``
writes ``DIR/<log name>.<format>``; ``--format all`` writes every format there.
HTML asked for on a terminal without ``--out`` is written beside the log instead.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from engine import i18n
from engine.eventlog import LogError
from engine.i18n import _
from scoring.report.build import report_of_log
from scoring.report.render import RENDERERS
from scoring.source import read_log
from tui.commands.common import fail, say, utf8_stdout


class _Progress:
    """Progress on stderr, only for a terminal and only once a report takes a while."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.started = time.monotonic()
        self.shown = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled or time.monotonic() - self.started < 0.5:
            return
        self.shown = True
        figure = f"{done:,} of {total:,} events" if total > 1 else ""
        sys.stderr.write(f"\r{stage} {figure}".ljust(60))
        sys.stderr.flush()

    def reading(self, done: int, total: int) -> None:
        self("reading", done, total)

    def clear(self) -> None:
        if self.shown:
            sys.stderr.write("\r" + " " * 60 + "\r")
            sys.stderr.flush()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "log", metavar="LOG.db", help=_("the event log (finished or still being written)")
    )
    parser.add_argument(
        "--format",
        choices=(*RENDERERS, "all"),
        default="md",
        help=_(
            "md (default), html (one self-contained file), json, csv (scores), "
            "feedback.csv (participants' feedback forms), or all (needs --out)"
        ),
    )
    parser.add_argument(
        "--out", "-o", metavar="DIR", help=_("write DIR/<log name>.<format> instead of stdout")
    )
    parser.add_argument(
        "--lang",
        metavar="LANG",
        help=_(
            "the language of the report: the scenario's text in it (a scenario written "
            "in several; default its first) and the headings (en, fr)"
        ),
    )


def run(args: argparse.Namespace) -> int:
    formats = list(RENDERERS) if args.format == "all" else [args.format]
    if len(formats) > 1 and not args.out:
        return fail(_("--format all writes several files: give a folder with --out DIR"))
    out_dir = Path(args.out) if args.out else None
    if out_dir is None and args.format == "html" and sys.stdout.isatty():
        # A page of HTML is no use in a terminal: write it beside the log and say where.
        out_dir = Path(args.log).resolve().parent
    if out_dir is not None and out_dir.exists() and not out_dir.is_dir():
        return fail(_("{path}: --out must be a folder").format(path=out_dir))
    if args.lang is not None and args.lang in i18n.LANGUAGES:
        i18n.activate(args.lang)
    progress = _Progress(sys.stderr.isatty())
    try:
        logged = read_log(args.log, progress.reading, lang=args.lang)
    except LogError as exc:
        progress.clear()
        return fail(str(exc))
    for warning in logged.warnings:
        say("sitroom: " + _("warning: {warning}").format(warning=warning), file=sys.stderr)
    report = report_of_log(logged, progress)
    written = []
    utf8_stdout()
    for fmt in formats:
        progress(f"writing {fmt}", 0, 1)
        text = RENDERERS[fmt](report)
        if out_dir is None:
            sys.stdout.write(text)
            continue
        out_dir.mkdir(parents=True, exist_ok=True)
        target = out_dir / f"{logged.path.stem}.{fmt}"
        target.write_text(text, encoding="utf-8", newline="")
        written.append(target)
    progress.clear()
    for target in written:
        print(target)
    if written and not args.out:
        say(
            "sitroom: "
            + _("wrote the HTML report to {path} (open it in a browser)").format(path=written[0]),
            file=sys.stderr,
        )
    return 0
