"""``sitroom facilitate URL``: the facilitator console (the control room).

The same flow as ``sitroom join`` (:mod:`tui.commands.join`), but it insists on a
facilitator's code: a team's or evaluator's code gets a message saying which
command opens it, rather than a console that cannot do what was asked. The code is
read as ``join`` reads it (``SITROOM_CODE``, ``--code-file``, the login screen, or
``--code``).
"""

from __future__ import annotations

import argparse
import asyncio

from engine.i18n import _
from tui.commands.join import add_code_arguments, main
from tui.commands.options import SERVER_URL, inherit


def add_arguments(parser: argparse.ArgumentParser) -> None:
    inherit(parser, SERVER_URL)
    add_code_arguments(parser, "facilitator")
    parser.add_argument("--name", metavar="NAME", help=_("your name, as the log records it"))


def run(args: argparse.Namespace) -> int:
    return asyncio.run(main(args, "facilitate"))
