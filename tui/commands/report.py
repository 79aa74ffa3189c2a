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
from engine.i18n import N_, _, word_for
from engine.i18n.forms import grouped
from engine.i18n.phrase import said
from scoring.report.build import report_of_log
from scoring.report.model import Report
from scoring.report.render import RENDERERS
from scoring.source import read_log
from tui.commands.common import fail, say, utf8_stdout

_STAGES = {
    "reading": N_("reading"),
    "scoring": N_("scoring"),
    "assembling": N_("assembling"),
    "writing": N_("writing"),
}
"""The report's stages (named by scoring in English) as the progress line says them."""


class _Progress:
    """Progress on stderr, only for a terminal and only once a report takes a while."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.started = time.monotonic()
        self.shown = False
        self.lang = i18n.current()  # the reader's, also while the JSON is built in English

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled or time.monotonic() - self.started < 0.5:
            return
        self.shown = True
        with i18n.using(self.lang):
            figure = _("{done} of {total} events") if total > 1 else ""
            counts = figure.format(done=grouped(done), total=grouped(total))
            line = f"\r{word_for(_STAGES, stage)} {counts}"
        sys.stderr.write(line.ljust(60))
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
        say("sitroom: " + _("warning: {warning}").format(warning=said(warning)), file=sys.stderr)
    # The JSON is data for other tools: sitroom's own sentences in it (findings, the
    # timeline) are English whatever the reader's language, as its reasons and triggers
    # are; the scenario's text is in the language read (--lang). People read the others.
    reports: dict[str, Report] = {}
    written = []
    utf8_stdout()
    for fmt in formats:
        lang = i18n.LANGUAGES[0] if fmt == "json" else i18n.current()
        with i18n.using(lang):
            if lang not in reports:
                reports[lang] = report_of_log(logged, progress)
            progress("writing", 0, 1)
            text = RENDERERS[fmt](reports[lang])
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
