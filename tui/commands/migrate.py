"""``sitroom migrate``: convert an exercise log written by an older sitroom."""

from __future__ import annotations

import argparse
import sys

from engine.eventlog import LogError
from engine.i18n import _
from engine.i18n.forms import grouped
from engine.migrate import migrate


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", metavar="OLD.db", help=_("the log of an older format (only read)"))
    parser.add_argument("new", metavar="NEW.db", help=_("where to write the converted log"))


def run(args: argparse.Namespace) -> int:
    try:
        done = migrate(args.old, args.new)
    except LogError as exc:
        print(f"sitroom migrate: {exc}", file=sys.stderr)  # the log's own words
        return 1
    for reason in done.reasons:
        print("  " + _("left out: {reason}").format(reason=reason), file=sys.stderr)
    figures = {"path": args.new, "inputs": grouped(done.inputs), "events": grouped(done.events)}
    if done.rejected:
        said = _(
            "wrote {path}: {inputs} inputs replayed, {events} events, {left} left out "
            "(listed above)"
        ).format(left=grouped(done.rejected), **figures)
    else:
        said = _("wrote {path}: {inputs} inputs replayed, {events} events").format(**figures)
    print(said, file=sys.stderr)
    return 0
