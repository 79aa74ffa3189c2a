"""The command line's structure: each command declares its arguments in its own module.

``tui.cli`` lists the commands; ``tui/commands/X.py`` declares X's arguments
(``add_arguments``) beside its handler (``run``), and is imported only when X is
parsed, so ``sitroom --help`` and ``sitroom validate`` do not load the others.
"""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from tui.cli import COMMANDS, build_parser
from tui.commands.options import TEAMS

ROOT = Path(__file__).resolve().parent.parent


def python(script: str) -> str:
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


def test_every_command_module_declares_its_arguments_and_handles_them() -> None:
    files = {p.stem for p in (ROOT / "tui" / "commands").glob("*.py")}
    assert {c.module for c in COMMANDS.values()} == files - {"__init__", "common", "options"}
    for command in COMMANDS.values():
        module = importlib.import_module(f"tui.commands.{command.module}")
        assert callable(module.add_arguments) and callable(module.run)


def test_help_and_one_command_load_only_what_they_need() -> None:
    script = (
        "import sys\n"
        "from tui.cli import build_parser\n"
        "parser = build_parser()\n"
        "parser.format_help()\n"
        "print(sorted(m for m in sys.modules if m.startswith('tui.commands')))\n"
        "parser.parse_args(['validate', 'x.yaml'])\n"
        "print(sorted(m for m in sys.modules if m.startswith('tui.commands')))\n"
        "print('textual' in sys.modules)\n"
    )
    assert python(script).splitlines() == [
        "[]",
        "['tui.commands', 'tui.commands.validate']",
        "False",
    ]


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_its_help(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        build_parser().parse_args([name, "--help"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: sitroom {name} [-h]")


def test_shared_options_are_declared_once() -> None:
    parser = build_parser()
    for argv in (["dry-run", "s.yaml"], ["serve", "s.yaml", "--db", "x.db"]):
        args = parser.parse_args([*argv, "--teams", "2", "--roster", "r.csv"])
        assert (args.teams, args.roster) == ("2", "r.csv")
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        declared = sub.choices[argv[0]]._actions
        assert all(action in declared for action in TEAMS._actions), "the parent's own"
    args = parser.parse_args(["facilitate", "http://h:8470", "--code", "C"])
    assert (args.url, args.code, args.handler.__module__) == (
        "http://h:8470",
        "C",
        "tui.commands.facilitate",
    )
