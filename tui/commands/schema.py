"""``sitroom schema``: write the scenario JSON Schema for editors."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from engine.scenario.schema import schema_text


def run(args: argparse.Namespace) -> int:
    text = schema_text()
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"wrote {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
