"""``sitroom facilitate URL --code C``: the facilitator console (the control room).

The same flow as ``sitroom join`` (:mod:`tui.commands.join`), but it insists on a
facilitator's code: a team's or evaluator's code gets a message saying which
command opens it, rather than a console that cannot do what was asked.
"""

from __future__ import annotations

import argparse
import asyncio

from tui.commands.join import main
from tui.commands.options import SERVER_URL, inherit


def add_arguments(parser: argparse.ArgumentParser) -> None:
    inherit(parser, SERVER_URL)
    parser.add_argument("--code", metavar="CODE", help="the facilitator's join code")
    parser.add_argument("--name", metavar="NAME", help="your name, as the log records it")


def run(args: argparse.Namespace) -> int:
    return asyncio.run(main(args, "facilitate"))
