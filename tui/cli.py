"""The ``sitroom`` command line.

Only argparse is imported at start-up. Each command's module in
:mod:`tui.commands` declares the command's arguments (``add_arguments``) beside
its handler (``run``), and is imported only when that command is parsed: its
imports (pydantic, SimPy, aiohttp or Textual) load then, so ``sitroom validate``
starts in a fraction of a second, and a command whose module cannot be imported
leaves the others working. ``sitroom --help`` lists the commands from
:data:`COMMANDS` without importing any of them.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from engine import i18n
from engine.i18n import N_, _
from engine.i18n.argparse_words import speak

Handler = Callable[[argparse.Namespace], int]


class Command(NamedTuple):
    module: str
    """Its module in :mod:`tui.commands`: ``add_arguments(parser)`` and ``run(args)``."""
    help: str
    """Its line in ``sitroom --help`` (English, marked for translation: shown with ``_``)."""


COMMANDS: dict[str, Command] = {
    "validate": Command("validate", N_("check scenario files and report every problem")),
    "schema": Command("schema", N_("write the scenario JSON Schema (for editors)")),
    "new": Command("new", N_("write a commented starter scenario that validates")),
    "dry-run": Command("dryrun", N_("rehearse a scenario with bot teams, faster than real time")),
    "serve": Command("serve", N_("run a live exercise server and print the join codes")),
    "join": Command(
        "join", N_("open your console: team, evaluator or observer (asks what is missing)")
    ),
    "facilitate": Command("facilitate", N_("open the facilitator console (the control room)")),
    "wall": Command(
        "wall", N_("show the exercise on the room's projector (clock, headlines, breaks)")
    ),
    "demo": Command(
        "demo", N_("a live exercise in one command: you play one team, bots the others")
    ),
    "web": Command("web", N_("serve the consoles in a browser (each tab asks for its code)")),
    "cards": Command("cards", N_("print join cards: one a seat, with its code and a QR code")),
    "report": Command("report", N_("write the after-action report of an exercise log")),
    "migrate": Command("migrate", N_("convert an exercise log written by an older sitroom")),
    "msel": Command("msel", N_("the scenario as an MSEL spreadsheet (CSV), and back")),
    "preview": Command("preview", N_("watch a scenario: timeline, branches, load, problems")),
    "scenarios": Command(
        "scenarios", N_("list the bundled scenarios (a name works where a file does)")
    ),
    "rubric": Command("rubric", N_("try a text expectation's rubric on answers (CSV or stdin)")),
}


class CommandParser(argparse.ArgumentParser):
    """A command's parser: its module declares its arguments when it is first used.

    Options and positionals may come in any order (argparse's intermixed parsing):
    plain argparse matches the positionals it sees before the first option at once,
    so an optional one is taken as absent, and the file after
    ``sitroom rubric SCENARIO REF --format json ANSWERS.csv`` was "unrecognized".
    """

    def __init__(self, *args: Any, module: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._module = module
        self._intermixing = False

    def declare(self) -> None:
        """Import the command's module; add its arguments and its handler (once)."""
        if self._module is None:
            return
        mod = importlib.import_module(f"tui.commands.{self._module}")
        self._module = None
        mod.add_arguments(self)
        handler: Handler = mod.run
        self.set_defaults(handler=handler)

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
        self.declare()
        if self._intermixing or not self._intermixable(args):
            return super().parse_known_args(args, namespace)
        # parse_known_intermixed_args parses twice, through this method: options first,
        # then what is left for the positionals. Its usage in errors, which it would cut
        # out of format_usage() by the length of the English "usage: ", is set here.
        usage = self.usage
        self._intermixing = True
        try:
            if usage is None:
                self.usage = self._usage_alone()
            return self.parse_known_intermixed_args(args, namespace)
        finally:
            self._intermixing = False
            self.usage = usage

    def _intermixable(self, args: Any) -> bool:
        """Whether intermixed parsing keeps what argparse does: not for a command with
        actions of its own (``msel export``, ``msel import`` are parsed intermixed by
        their own parsers) or a positional in a mutually exclusive group (argparse refuses
        both), nor after a ``--`` (it would read what follows as options)."""
        if args is not None and "--" in args:
            return False
        positionals = self._get_positional_actions()
        grouped = {a for group in self._mutually_exclusive_groups for a in group._group_actions}
        return not any(
            a.nargs in (argparse.PARSER, argparse.REMAINDER) or a in grouped for a in positionals
        )

    def _usage_alone(self) -> str:
        """This parser's usage without its "usage: " prefix, as ``usage=`` takes it (its
        lines wrapped as argparse wraps them after the prefix in the language it speaks)."""
        prefix: str = getattr(argparse, "_")("usage: ")  # noqa: B009 (see argparse_words)
        formatter = self._get_formatter()
        formatter.add_usage(None, self._actions, self._mutually_exclusive_groups, prefix=prefix)
        return formatter.format_help().strip("\n")[len(prefix) :].replace("%", "%%")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sitroom",
        description=_("Cyber-crisis tabletop exercises about AI-security incidents."),
        epilog=_(
            "Language: SITROOM_LANG=fr (or a French locale, LANG=fr_FR.UTF-8) puts sitroom "
            "in French; a scenario written in several languages is read in any of them "
            "(join --lang, report --lang)."
        ),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=CommandParser)
    sub.required = True
    for name, command in COMMANDS.items():
        sub.add_parser(name, help=_(command.help), module=command.module)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        # Read again here, not only at import: a bad SITROOM_LANG is the person's mistake,
        # said as an error rather than silently ignored.
        i18n.activate(i18n.language_from_environ())
    except ValueError as exc:
        print(f"sitroom: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # an install without its compiled catalogs
        print(f"sitroom: warning: {exc}; the messages stay in English", file=sys.stderr)
    speak()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.handler(args)
    except KeyboardInterrupt:
        print(_("interrupted"), file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        # Parsing imported the command's module, so its package is loaded by now; importing
        # it earlier would load it for ``sitroom --help`` too.
        from tui.commands import CommandError
        from tui.commands.common import say

        if not isinstance(exc, CommandError):
            raise
        say(f"sitroom: {exc}", file=sys.stderr)
        return exc.code
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
