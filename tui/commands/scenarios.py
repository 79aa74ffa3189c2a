"""``sitroom scenarios``: the bundled scenario library, one line per scenario.

Every command that takes a scenario file also takes one of these names
(``sitroom dry-run summit-flagship``, ``sitroom demo --scenario llmjacking``), in a
checkout or in a tool install alike (:mod:`engine.library`).
"""

from __future__ import annotations

import argparse
import json
import sys

from engine import library
from engine.durations import format_duration
from engine.i18n import _
from tui.commands.common import say, utf8_stdout


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--paths", action="store_true", help=_("also print where each file is installed")
    )


def run(args: argparse.Namespace) -> int:
    entries = library.entries()
    utf8_stdout()
    if args.format == "json":
        doc = [
            {
                "name": e.name,
                "title": e.title,
                "roles": list(e.roles),
                "injects": e.injects,
                "duration_ms": e.duration_ms,
                "length": format_duration(e.duration_ms),
                "roster": e.roster.name if e.roster else None,
                "path": str(e.path),
                "ok": e.problems == 0,
            }
            for e in entries
        ]
        json.dump(doc, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    width = max((len(e.name) for e in entries), default=4)
    for e in entries:
        if e.problems:
            say(f"{e.name:<{width}}  (does not load: sitroom validate {e.path})")
            continue
        roster = f" · roster {e.roster.name}" if e.roster else ""
        say(
            f"{e.name:<{width}}  {e.title}\n{'':<{width}}  {len(e.roles)} roles "
            f"({', '.join(e.roles)}) · {e.injects} injects · {format_duration(e.duration_ms)}"
            f"{roster}"
        )
        if args.paths:
            say(f"{'':<{width}}  {e.path}")
    say(
        f"\n{len(entries)} scenarios. Use a name wherever a scenario file goes, e.g. "
        f"sitroom dry-run {library.DEFAULT} --teams 2",
        file=sys.stderr,
    )
    return 0
