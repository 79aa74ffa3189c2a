"""Arguments several commands share, declared once as argparse parent parsers.

``parents=[...]`` copies a parent's arguments when a parser is constructed, but a
command's parser is constructed by :mod:`tui.cli` before the command's module is
imported (so ``sitroom validate`` does not load Textual). A command therefore takes
its parents with :func:`inherit`, which does what ``parents=`` does, at the place in
its list of arguments where they belong (so ``--help`` lists them in that order).

Only argparse (and engine.i18n, the standard library's gettext) is imported here.
"""

from __future__ import annotations

import argparse

from engine.i18n import _


def _parent() -> argparse.ArgumentParser:
    return argparse.ArgumentParser(add_help=False)


TEAMS = _parent()
"""``--teams`` and ``--roster``: the teams that play (``dry-run``, ``serve``)."""
TEAMS.add_argument(
    "--teams",
    metavar="N|ROLE=N,…",
    help=_("teams per role: a number for every role, or counts per role"),
)
TEAMS.add_argument("--roster", metavar="CSV", help=_("a roster (team,role,name,members)"))

SCENARIO = _parent()
"""The scenario a command reads: a file, or the name of a bundled one (``summit-flagship``),
given as the first argument or as ``--scenario`` (see :func:`tui.commands.common.scenario_arg`)."""
SCENARIO.add_argument(
    "file",
    nargs="?",
    metavar="SCENARIO",
    help=_("a scenario file, or the name of a bundled one (sitroom scenarios lists them)"),
)
SCENARIO.add_argument(
    "--scenario", dest="scenario_option", metavar="SCENARIO", help=_("the same, as an option")
)

SERVER_URL = _parent()
"""The exercise server a console connects to (``join``, ``facilitate``)."""
SERVER_URL.add_argument(
    "url", nargs="?", metavar="URL", help=_("the server, e.g. http://host:8470")
)


def inherit(parser: argparse.ArgumentParser, *parents: argparse.ArgumentParser) -> None:
    """Add the parents' arguments (and defaults) to ``parser``, as ``parents=`` would."""
    for parent in parents:
        parser._add_container_actions(parent)
        parser.set_defaults(**parent._defaults)
