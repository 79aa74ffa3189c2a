"""Options after the positionals, or between them, wherever argparse takes them.

Plain argparse matches the positionals it has seen when it meets the first option,
and takes an optional one it has not seen yet as absent: ``sitroom rubric SCENARIO
REF --format json ANSWERS.csv`` was refused ("unrecognized arguments: ANSWERS.csv"),
and so was ``sitroom validate A.yaml --strict B.yaml``. Every command's parser now
reads its options and positionals in any order (tui.cli.CommandParser).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from tests.engine.test_dryrun_cli import sitroom
from tui.cli import CommandParser, build_parser, main

SAMPLES = {"--track": "control-1=soc", "--allow-origin": "https://room.example"}
"""A value each option's type takes, where "2" (or its first choice) is not one."""


def _subparsers(parser: argparse.ArgumentParser) -> argparse._SubParsersAction | None:  # type: ignore[type-arg]
    return next((a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None)


def _commands() -> list[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every command's parser, its arguments declared; ``msel export`` and ``msel import``
    by their own."""
    found: list[tuple[tuple[str, ...], argparse.ArgumentParser]] = []
    sub = _subparsers(build_parser())
    assert sub is not None
    for name, parser in sub.choices.items():
        assert isinstance(parser, CommandParser)
        parser.declare()
        actions = _subparsers(parser)
        if actions is None:
            found.append(((name,), parser))
        else:
            found.extend(((name, action), inner) for action, inner in actions.choices.items())
    return found


def _tokens(action: argparse.Action) -> list[str]:
    """The option as a person types it, with a value its type takes."""
    option = max(action.option_strings, key=len)
    if action.nargs == 0:
        return [option]
    if option in SAMPLES:
        return [option, SAMPLES[option]]
    return [option, str(next(iter(action.choices))) if action.choices else "2"]


def _cases() -> list[tuple[tuple[str, ...], list[str], list[str], list[str]]]:
    """(command, positionals, the option, the required options) for each option of each
    command that has positionals."""
    cases = []
    for command, parser in _commands():
        positionals: list[str] = []
        for i, action in enumerate(parser._get_positional_actions()):
            many = action.nargs in ("+", "*")
            positionals += [f"P{i}a", f"P{i}b"] if many else [f"P{i}"]
        if not positionals:
            continue
        options = [
            a for a in parser._get_optional_actions() if not isinstance(a, argparse._HelpAction)
        ]
        required = [t for a in options if a.required for t in _tokens(a)]
        for action in options:
            if not action.required:
                cases.append((command, positionals, _tokens(action), required))
    return cases


CASES = _cases()


def test_the_commands_with_positionals_and_options_are_all_here() -> None:
    commands = {" ".join(c[0]) for c in CASES}
    assert commands >= {
        "rubric",
        "validate",
        "dry-run",
        "serve",
        "join",
        "facilitate",
        "wall",
        "report",
        "cards",
        "preview",
        "new",
        "msel export",
        "msel import",
    }


@pytest.mark.parametrize(
    ("command", "positionals", "option", "required"),
    CASES,
    ids=[f"{' '.join(c[0])} {c[2][0]}" for c in CASES],
)
def test_an_option_reads_the_same_wherever_it_stands(
    command: tuple[str, ...], positionals: list[str], option: list[str], required: list[str]
) -> None:
    first = build_parser().parse_args([*command, *required, *option, *positionals])
    for at in range(1, len(positionals) + 1):
        argv = [*command, *required, *positionals[:at], *option, *positionals[at:]]
        assert build_parser().parse_args(argv) == first, argv


def test_rubric_takes_format_between_ref_and_answers(tmp_path: Path) -> None:
    answers = tmp_path / "answers.csv"
    answers.write_text("team,text\n", encoding="utf-8")
    out = sitroom("rubric", "summit-deepfake", "I-13.holding", "--format", "json", str(answers))
    assert (out.returncode, out.stdout, out.stderr) == (0, "[]\n", "")


def test_validate_takes_an_option_between_its_files() -> None:
    files = ["scenarios/summit-deepfake.yaml", "scenarios/llmjacking.yaml"]
    out = sitroom("validate", files[0], "--format", "json", files[1])
    assert out.returncode == 0, out.stderr
    assert [f["file"] for f in json.loads(out.stdout)["files"]] == files


def test_a_double_dash_still_ends_the_options() -> None:
    """After ``--``, a file named like an option is a file (intermixed parsing would
    take it for an option: such a command line is parsed as argparse always did)."""
    args = build_parser().parse_args(["validate", "--quiet", "--", "--strict.yaml"])
    assert (args.paths, args.quiet, args.strict) == (["--strict.yaml"], True, False)


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize(
    "argv",
    [
        ["rubric", "summit-deepfake"],
        ["rubric", "summit-deepfake", "--format", "yaml"],
        ["validate", "--strict"],
        ["msel", "import", "-q"],
        ["dry-run", "summit-deepfake", "--seed", "x"],
    ],
    ids=" ".join,
)
def test_a_usage_error_shows_the_command_s_whole_usage(
    argv: list[str], lang: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Intermixed parsing parses twice; the usage an error prints is the command's own,
    wrapped as argparse wraps it in the language it speaks (French says "utilisation : ",
    not "usage: ")."""
    monkeypatch.setenv("SITROOM_LANG", lang)
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    prog = [w for w in argv if not w.startswith("-")][: 2 if argv[0] == "msel" else 1]
    parser = build_parser()
    sub = _subparsers(parser)
    assert sub is not None
    command = sub.choices[prog[0]]
    assert isinstance(command, CommandParser)
    command.declare()
    if len(prog) > 1:
        inner = _subparsers(command)
        assert inner is not None
        command = inner.choices[prog[1]]
    expected = command.format_usage()
    assert err.startswith(expected), err
    assert ("utilisation : " if lang == "fr" else "usage: ") in expected
