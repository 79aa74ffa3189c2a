"""``sitroom new``: a commented starter scenario that validates as written."""

from __future__ import annotations

import argparse
import sys
from importlib.resources import files
from pathlib import Path

from engine.i18n import _


def starter_text() -> str:
    return files("tui.templates").joinpath("starter.yaml").read_text(encoding="utf-8")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", nargs="?", help=_("where to write it (default: stdout)"))
    parser.add_argument("--force", action="store_true", help=_("overwrite FILE if it exists"))


def run(args: argparse.Namespace) -> int:
    text = starter_text()
    if not args.file:
        sys.stdout.write(text)
        return 0
    target = Path(args.file)
    if target.exists() and not args.force:
        print(
            "sitroom new: " + _("{file} exists; use --force to overwrite it").format(file=target),
            file=sys.stderr,
        )
        return 1
    target.write_text(text, encoding="utf-8")
    print(
        _("wrote {file}; check it with: sitroom validate {file}").format(file=target),
        file=sys.stderr,
    )
    return 0
