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
from engine.i18n import _, ngettext
from engine.i18n.forms import grouped
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
            broken = _("(does not load: {command})").format(command=f"sitroom validate {e.path}")
            say(f"{e.name:<{width}}  {broken}")
            continue
        figures = [
            ngettext("{n} role ({roles})", "{n} roles ({roles})", len(e.roles)).format(
                n=grouped(len(e.roles)), roles=", ".join(e.roles)
            ),
            ngettext("{n} inject", "{n} injects", e.injects).format(n=grouped(e.injects)),
            format_duration(e.duration_ms),
        ]
        if e.roster:
            figures.append(_("roster {name}").format(name=e.roster.name))
        say(f"{e.name:<{width}}  {e.title}\n{'':<{width}}  " + " · ".join(figures))
        if args.paths:
            say(f"{'':<{width}}  {e.path}")
    say(
        "\n"
        + ngettext(
            "{n} scenario. Use a name wherever a scenario file goes, e.g. {example}",
            "{n} scenarios. Use a name wherever a scenario file goes, e.g. {example}",
            len(entries),
        ).format(n=grouped(len(entries)), example=f"sitroom dry-run {library.DEFAULT} --teams 2"),
        file=sys.stderr,
    )
    return 0
