"""``sitroom wall URL``: the wall, for the room's projector (read-only).

The same flow as ``sitroom join`` (:mod:`tui.commands.join`), but it insists on a
wall code: another seat's code gets a message saying which command opens it,
rather than a control room on a screen the whole room reads. ``sitroom join`` with
a wall code opens the same screen (so does the browser gateway). The code is read
as ``join`` reads it (``SITROOM_CODE``, ``--code-file``, the login screen, or
``--code``).
"""

from __future__ import annotations

import argparse
import asyncio

from tui.commands.join import add_code_arguments, main
from tui.commands.options import SERVER_URL, inherit


def add_arguments(parser: argparse.ArgumentParser) -> None:
    inherit(parser, SERVER_URL)
    add_code_arguments(parser, "wall")
    parser.set_defaults(name=None)


def run(args: argparse.Namespace) -> int:
    return asyncio.run(main(args, "wall"))
