"""``sitroom preview``: watch a scenario file (timeline, branches, load, problems)."""

from __future__ import annotations

import argparse
from pathlib import Path

from tui.commands.common import fail


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", metavar="FILE", help="the scenario; the preview reloads when it is saved"
    )
    parser.add_argument(
        "--poll", type=float, default=1.0, metavar="SECONDS", help="how often to check the file"
    )


def run(args: argparse.Namespace) -> int:
    if Path(args.file).is_dir():
        return fail(f"{args.file} is a folder: preview one scenario file")
    if args.poll < 0:
        return fail("--poll must be 0 (never) or more seconds")
    from tui.preview.app import make_preview_app

    make_preview_app(args.file, poll=args.poll).run()
    return 0
