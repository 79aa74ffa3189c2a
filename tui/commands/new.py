"""``sitroom new``: a commented starter scenario that validates as written."""

from __future__ import annotations

import argparse
import sys
from importlib.resources import files
from pathlib import Path


def starter_text() -> str:
    return files("tui.templates").joinpath("starter.yaml").read_text(encoding="utf-8")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", nargs="?", help="where to write it (default: stdout)")
    parser.add_argument("--force", action="store_true", help="overwrite FILE if it exists")


def run(args: argparse.Namespace) -> int:
    text = starter_text()
    if not args.file:
        sys.stdout.write(text)
        return 0
    target = Path(args.file)
    if target.exists() and not args.force:
        print(f"sitroom new: {target} exists; use --force to overwrite it", file=sys.stderr)
        return 1
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}; check it with: sitroom validate {target}", file=sys.stderr)
    return 0
