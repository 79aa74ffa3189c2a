"""The scenario library that ships with sitroom: bundled scenarios, found by name.

The scenarios live in ``scenarios/`` at the top of the checkout, where planners, the
docs and the tests name them. ``engine/library/scenarios`` is a link to that folder,
so a wheel carries the library as this package's data (``pyproject.toml`` lists it),
and an installed sitroom finds it through :mod:`importlib.resources` wherever pip put
it, with no checkout beside it (issue 12: ``sitroom demo`` installed with pip used to
look for ``site-packages/scenarios/``).

A command that takes a scenario takes a file or the name of a bundled one
(:func:`resolve`): ``summit-flagship``, or ``summit-flagship.yaml``. A file that exists
wins over a bundled name, so a planner's own ``summit-flagship.yaml`` in the current
folder is the one used.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from engine.scenario import load_file

DEFAULT = "summit-deepfake"
"""The scenario ``sitroom demo`` plays when none is named."""
SUFFIX = ".yaml"
ROSTER_SUFFIX = ".roster.csv"
"""A bundled scenario's roster, when it has one, sits beside it: ``NAME.roster.csv``."""


def folder() -> Path:
    """The folder of bundled scenarios, as installed (or in the checkout)."""
    found = files(__name__).joinpath("scenarios")
    # A wheel installs into a folder (pip never installs zipped), so this is a real path;
    # the loaders, the preview's reload and the messages all need one.
    return Path(str(found))


def names() -> list[str]:
    """Every bundled scenario's name (its file name without ``.yaml``), sorted."""
    return sorted(p.name.removesuffix(SUFFIX) for p in folder().glob(f"*{SUFFIX}"))


def bundled(name: str) -> Path | None:
    """The bundled scenario called ``name`` (with or without ``.yaml``), if there is one."""
    stem = name.removesuffix(SUFFIX)
    if not stem or "/" in stem or "\\" in stem or stem.startswith("."):
        return None
    path = folder() / f"{stem}{SUFFIX}"
    return path if path.is_file() else None


def default() -> Path:
    path = bundled(DEFAULT)
    assert path is not None, f"the library lost {DEFAULT}{SUFFIX}"
    return path


def resolve(text: str | Path) -> Path:
    """A scenario argument as a path: the file when it exists, else the bundled scenario of
    that name, else the argument unchanged (its loader then says it does not exist)."""
    given = Path(text)
    if given.exists():
        return given
    return bundled(str(text)) or given


def roster_of(scenario: Path) -> Path | None:
    """The roster shipped beside a scenario (``NAME.roster.csv``), if any."""
    path = scenario.with_name(scenario.name.removesuffix(SUFFIX) + ROSTER_SUFFIX)
    return path if path.is_file() else None


@dataclass(frozen=True, slots=True)
class Entry:
    """One bundled scenario, as ``sitroom scenarios`` lists it."""

    name: str
    path: Path
    title: str
    roles: tuple[str, ...]
    injects: int
    duration_ms: int
    roster: Path | None
    problems: int
    """Errors found when loading it (0 for every scenario the library ships)."""


def entries() -> list[Entry]:
    """Every bundled scenario, loaded and summarised, in name order."""
    out: list[Entry] = []
    for name in names():
        path = folder() / f"{name}{SUFFIX}"
        loaded = load_file(path)
        sc = loaded.scenario
        errors = sum(1 for p in loaded.problems if p.severity == "error")
        if sc is None:
            out.append(Entry(name, path, "", (), 0, 0, roster_of(path), max(1, errors)))
            continue
        roles = tuple(t.id for t in sc.teams)
        out.append(
            Entry(
                name, path, sc.title, roles, len(sc.injects), sc.duration, roster_of(path), errors
            )
        )
    return out
