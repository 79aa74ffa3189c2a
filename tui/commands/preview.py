"""``sitroom preview``: watch a scenario file (timeline, branches, load, problems).

In a terminal it is an app that reloads the file when it is saved. When its output
is not a terminal (``> preview.txt``, ``| less``), or with ``--text``, it prints the
same views once as plain text and exits: an app with nobody to watch it would wait
for ever, and with its input at an end it used to spin at full CPU until killed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from engine.i18n import _
from tui.commands.common import fail, scenario_arg, utf8_stdout
from tui.commands.options import SCENARIO, inherit


def add_arguments(parser: argparse.ArgumentParser) -> None:
    inherit(parser, SCENARIO)
    parser.add_argument(
        "--poll", type=float, default=1.0, metavar="SECONDS", help=_("how often to check the file")
    )
    parser.add_argument(
        "--text",
        action="store_true",
        help=_(
            "print the preview once as plain text (the default when the output is not a "
            "terminal); exit 1 when the scenario has errors"
        ),
    )


def interactive() -> bool:
    """Whether the app can run: keys come from a terminal and the screen is one
    (Textual draws on stderr; stdout redirected means the planner wants the text)."""
    streams = (sys.stdin, sys.stdout, sys.stderr)
    return all(stream is not None and stream.isatty() for stream in streams)


def run(args: argparse.Namespace) -> int:
    path = scenario_arg(args, must_exist=False)
    name = str(args.file or getattr(args, "scenario_option", None) or path)
    if path.is_dir():
        return fail(_("{name} is a folder: preview one scenario file").format(name=name))
    if args.poll < 0:
        return fail(_("--poll must be 0 (never) or more seconds"))
    if args.text or not interactive():
        return print_preview(path, name)
    from tui.preview.app import make_preview_app

    make_preview_app(path, poll=args.poll, name=name).run()
    return 0


def print_preview(path: Path, name: str) -> int:
    """The preview as plain text on stdout; 1 when the scenario has errors."""
    from engine.scenario import load_file
    from engine.scenario.preview import build_preview
    from tui.preview.text import preview_text

    preview = build_preview(load_file(path, display_name=name))
    utf8_stdout()
    sys.stdout.write(preview_text(preview))
    sys.stdout.flush()
    return 1 if preview.errors else 0
