"""``sitroom schema``: write the scenario JSON Schema for editors."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from engine.i18n import _
from engine.scenario.schema import schema_text
from tui.commands.common import fail


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", "-o", metavar="FILE", help=_("write to FILE instead of stdout"))


def run(args: argparse.Namespace) -> int:
    text = schema_text()
    if args.out:
        try:
            Path(args.out).write_text(text, encoding="utf-8")
        except OSError as exc:
            return fail(
                _("{file}: cannot write: {error}").format(file=args.out, error=exc.strerror or exc)
            )
        print(_("wrote {file}").format(file=args.out), file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
