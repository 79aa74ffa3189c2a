"""``sitroom validate``: check scenario files and folders, one line per problem."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from engine import library
from engine.i18n import _, ngettext
from engine.i18n.forms import grouped
from engine.problems import Problem
from engine.scenario import LoadResult, load_file

SCENARIO_SUFFIXES = (".yaml", ".yml")


def expand(paths: list[str], skipped: list[str] | None = None) -> tuple[list[Path], list[Problem]]:
    """Files named (or bundled scenarios named), plus the scenario files under folders
    named (sorted).

    A file named with another suffix (``scenarios/*`` also matches the schema and a
    roster), or a folder without scenarios among several names (the library's
    ``media``), is left out and added to ``skipped``, rather than read as YAML and
    reported as a broken scenario.
    """
    files: list[Path] = []
    problems: list[Problem] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.suffix in SCENARIO_SUFFIXES
                and p.is_file()
                and not any(part.startswith(".") for part in p.parts)
            )
            if not found and paths != [raw]:
                # A glob over the library also names its media folder: not a scenario.
                if skipped is not None:
                    skipped.append(raw)
            elif not found:
                empty = _("no .yaml or .yml files in this folder")
                problems.append(Problem(raw, 0, 0, "", empty))
            files.extend(found)
        elif path.exists() and path.suffix.lower() not in SCENARIO_SUFFIXES and paths != [raw]:
            if skipped is not None:
                skipped.append(raw)
        elif path.exists():
            files.append(path)
        elif (named := library.bundled(raw)) is not None:
            files.append(named)  # a bundled scenario's name, as preview and dry-run take
        else:
            problems.append(Problem(raw, 0, 0, "", _("no such file or folder")))
    return files, problems


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="FILE|DIR", help=_("scenario files or folders"))
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--strict", action="store_true", help=_("treat warnings as errors"))
    parser.add_argument("--quiet", "-q", action="store_true", help=_("print problems only"))
    parser.add_argument(
        "--roster",
        metavar="CSV",
        help=_("also check a roster against each scenario, and note the roles it leaves unstaffed"),
    )


def run(args: argparse.Namespace) -> int:
    from tui.commands.common import print_problems, say  # parsing alone loads this module only

    skipped: list[str] = []
    files, missing = expand(args.paths, skipped)
    for name in skipped:
        say(_("{name}: skipped: not a .yaml or .yml scenario").format(name=name), file=sys.stderr)
    results = [load_file(f) for f in files]
    results, libraries = _without_libraries(files, results)
    if args.roster:
        for result in results:
            result.problems.extend(roster_problems(result, args.roster))
    failed = bool(missing) or any(_fails(r, args.strict) for r in results)
    if args.format == "json":
        doc = {
            "ok": not failed,
            "files": [
                {
                    "file": r.name,
                    "ok": not _fails(r, args.strict),
                    "problems": [p.to_dict() for p in r.problems],
                }
                for r in results
            ]
            + [{"file": p.file, "ok": False, "problems": [p.to_dict()]} for p in missing]
            + [
                {"file": name, "ok": True, "included_by": by, "problems": []}
                for name, by in libraries.items()
            ],
        }
        json.dump(doc, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 1 if failed else 0
    print_problems(missing)
    for result in results:
        print_problems(result.problems)
    if not args.quiet:
        for library, scenario in libraries.items():
            say(
                _("{library}: included by {scenario}: checked with it").format(
                    library=library, scenario=scenario
                ),
                file=sys.stderr,
            )
        print(_summary(results, missing, len(libraries)), file=sys.stderr)
    return 1 if failed else 0


def _without_libraries(
    files: list[Path], results: list[LoadResult]
) -> tuple[list[LoadResult], dict[str, str]]:
    """The results of the files that are scenarios, and each file that another file
    checked here includes (a library of actors or injects, checked as part of it, not
    as a scenario of its own: it has no id, teams or duration) with who includes it."""
    by_real = {os.path.realpath(f): r for f, r in zip(files, results, strict=True)}
    includers: dict[str, list[LoadResult]] = {}
    for result in results:
        for included in result.files:
            found = by_real.get(os.path.realpath(included))
            if found is not None and found is not result:
                includers.setdefault(found.name, []).append(result)
    libraries: dict[str, str] = {}
    for name, by in includers.items():
        # Named after a scenario that includes it and is itself checked as one. Files
        # that only include each other (a cycle) have no such scenario: they stay, with
        # their errors.
        roots = [r for r in by if r.name not in includers]
        if roots:
            libraries[name] = roots[0].name
    return [r for r in results if r.name not in libraries], dict(sorted(libraries.items()))


def roster_problems(result: LoadResult, roster_path: str) -> list[Problem]:
    """The roster's errors against a valid scenario, or its warnings (a column it ignores)
    and a note per role it leaves unstaffed."""
    from engine.roster import RosterError, read_roster
    from engine.scenario.staffing import unstaffed_roles

    if not result.ok or result.scenario is None:
        return []
    try:
        roster = read_roster(roster_path, result.scenario)
    except RosterError as exc:
        return exc.problems
    return [*roster.notes, *unstaffed_roles(result.scenario, roster.by_role, roster_path)]


def _fails(result: LoadResult, strict: bool) -> bool:
    if not result.ok:
        return True
    return strict and any(p.severity == "warning" for p in result.problems)


def _summary(results: list[LoadResult], missing: list[Problem], libraries: int = 0) -> str:
    n_err = sum(1 for r in results for p in r.problems if p.severity == "error") + len(missing)
    n_warn = sum(1 for r in results for p in r.problems if p.severity == "warning")
    bad = sum(1 for r in results if not r.ok) + len(missing)
    files = len(results) + len(missing)
    checked = ngettext("{n} file checked", "{n} files checked", files).format(n=grouped(files))
    if libraries:
        checked += " " + ngettext(
            "(and {n} included file)", "(and {n} included files)", libraries
        ).format(n=grouped(libraries))
    summary = _("{checked}: {result}")  # French puts a space before the colon
    if not n_err and not n_warn:
        return summary.format(checked=checked, result=_("all valid"))
    counts = ", ".join(
        (
            # English says "invalid" either way; French agrees it ("1 invalide", "2 invalides").
            ngettext("{n} invalid", "{n} invalid", bad).format(n=grouped(bad)),
            ngettext("{n} error", "{n} errors", n_err).format(n=grouped(n_err)),
            ngettext("{n} warning", "{n} warnings", n_warn).format(n=grouped(n_warn)),
        )
    )
    return summary.format(checked=checked, result=counts)
