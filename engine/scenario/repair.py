"""Checking the meaning of a scenario whose shape is still wrong, so one pass finds all.

The semantic lint needs a :class:`Scenario`, which only a schema-valid document
gives. Without this module a planner fixes a misspelt key, validates again, and
only then learns that a condition names an option that does not exist (issue 15:
"a bad option appears only after the other problems are fixed"), and an MSEL
import, which checks its YAML with the same loader, has the same two rounds.

So when the schema fails, a copy of the document is *repaired* just enough to
build a scenario: a misspelt key whose close match is missing is renamed (``titel``
→ ``title``), any other unknown key is dropped, a bad optional value is dropped,
and an inject that still cannot be built is left out. The lint then runs on what
remains, and only its errors that owe nothing to a repair are reported: none at
or under a repaired place, none that mention an inject left out or whose
expectations were touched. Timing and reachability need the whole scenario and
wait until the schema is right. A document whose top level cannot be repaired
(no teams, a bad duration) gets its schema errors only, as before.
"""

from __future__ import annotations

import copy
import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from engine.scenario.lang import validate
from engine.scenario.lint_refs import Finding
from engine.scenario.locate import walk
from engine.scenario.model import Scenario
from engine.scenario.yamlsrc import Path

ROUNDS = 8
"""Repairs tried before giving up: each round can only remove or rename keys, so a
document needs about one round per level of nesting of its worst error."""


@dataclass
class Repaired:
    """A scenario built from a repaired copy, and what the repair touched (original paths)."""

    scenario: Scenario
    kept: list[int]
    """Original index of each inject the scenario holds (the others were left out)."""
    touched: list[Path] = field(default_factory=list)
    damaged: set[str] = field(default_factory=set)
    """Ids of injects left out, or whose id or expectations were changed."""
    nameless: bool = False
    """Whether an inject left out had no usable id: any unknown inject may be it."""

    def original(self, path: Path) -> Path:
        """A path in the repaired scenario as a path in the planner's document."""
        if len(path) >= 2 and path[0] == "injects" and isinstance(path[1], int):
            return ("injects", self.kept[path[1]], *path[2:])
        return path

    def trusts(self, finding: Finding) -> bool:
        """Whether a lint finding stands on its own, not on something the repair changed."""
        path = self.original(finding.path)
        for place in self.touched:
            if path[: len(place)] == place or place[: len(path)] == path:
                return False
        if self.nameless and finding.unknown == "inject":
            return False
        return not any(_mentions(finding.message, ident) for ident in self.damaged)


def _mentions(message: str, ident: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(ident)}(?:'|\.)", message) is not None


def repair(data: Any, exc: ValidationError) -> Repaired | None:
    """A scenario from a repaired copy of ``data`` (left untouched), or None."""
    if not isinstance(data, dict):
        return None
    doc: dict[str, Any] = copy.deepcopy(data)
    injects = doc.get("injects")
    count = len(injects) if isinstance(injects, list) else 0
    dropped: set[int] = set()
    touched: list[Path] = []
    for _ in range(ROUNDS):
        kept = [i for i in range(count) if i not in dropped]
        errors = exc.errors(include_url=False)
        placed = [(err["type"], *walk(doc, _in_document(err["loc"], kept))) for err in errors]
        missing: dict[Path, list[str]] = {}
        for kind, path, rest, _ in placed:
            name = _missing_name(rest)
            if kind == "missing" and name is not None:
                missing.setdefault(path, []).append(name)
        placed.sort(key=lambda item: item[0] != "extra_forbidden")  # renames first
        for kind, path, rest, _ in placed:
            inject = _inject_of(path)
            if inject is not None and inject in dropped:
                continue
            if kind == "extra_forbidden":
                _drop_or_rename(doc, path, missing.get(path[:-1], []), touched)
                continue
            if kind == "missing":
                parent, name = _at(doc, path), _missing_name(rest)
                if parent is None or (isinstance(parent, dict) and name in parent):
                    continue  # already removed, or supplied by a rename this round
                target = path
            else:
                target = _key_path(path)
                if _at(doc, target) is None:
                    continue  # already removed this round
            if not _give_up_on(doc, target, inject, dropped, touched):
                return None
        kept = [i for i in range(count) if i not in dropped]
        attempt = dict(doc)
        if isinstance(injects, list):
            attempt["injects"] = [doc["injects"][i] for i in kept]
        try:
            scenario = validate(attempt)
        except ValidationError as again:
            exc = again
            continue
        damaged, nameless = _damaged(data, dropped, touched)
        return Repaired(scenario, kept, touched, damaged, nameless)
    return None


def _missing_name(rest: list[int | str]) -> str | None:
    return next((s for s in reversed(rest) if isinstance(s, str)), None)


def _in_document(loc: tuple[int | str, ...], kept: list[int]) -> tuple[int | str, ...]:
    """An error location in the filtered injects, as a location in the whole document."""
    if len(loc) >= 2 and loc[0] == "injects" and isinstance(loc[1], int) and loc[1] < len(kept):
        return ("injects", kept[loc[1]], *loc[2:])
    return loc


def _inject_of(path: Path) -> int | None:
    if len(path) >= 2 and path[0] == "injects" and isinstance(path[1], int):
        return path[1]
    return None


def _at(doc: Any, path: Path) -> Any:
    node = doc
    for seg in path:
        found = (isinstance(node, dict) and seg in node) or (
            isinstance(node, list) and isinstance(seg, int) and 0 <= seg < len(node)
        )
        if not found:
            return None
        node = node[seg]
    return node


def _key_path(path: Path) -> Path:
    """``path`` cut after its last key: a bad list element spoils the whole list."""
    for cut in range(len(path), 0, -1):
        if isinstance(path[cut - 1], str):
            return path[:cut]
    return ()


def _drop_or_rename(
    doc: dict[str, Any], path: Path, missing: list[str], touched: list[Path]
) -> bool:
    parent = _at(doc, path[:-1])
    key = path[-1]
    if not isinstance(parent, dict) or key not in parent:
        return False
    value = parent.pop(key)
    touched.append(path)
    close = difflib.get_close_matches(str(key), missing, n=1, cutoff=0.6)
    if close and close[0] not in parent:
        parent[close[0]] = value
        touched.append((*path[:-1], close[0]))
    return True


def _give_up_on(
    doc: dict[str, Any],
    path: Path,
    inject: int | None,
    dropped: set[int],
    touched: list[Path],
) -> bool:
    """Remove the key that holds what is wrong at ``path``; False when that cannot leave
    a usable scenario.

    For a missing field, ``path`` is the mapping that lacks it, so the key holding
    that mapping goes. An inject whose own required field is missing or bad is left
    out whole. Outside injects only a field of something is removed: without its
    teams, actors or objectives every reference to them would look wrong.
    """
    key_path = _key_path(path)
    if inject is not None:
        if len(key_path) < 3 or (len(key_path) == 3 and key_path[2] in _REQUIRED_INJECT):
            dropped.add(inject)
            touched.append(("injects", inject))
            return True
    elif not _removable(key_path):
        return False
    parent = _at(doc, key_path[:-1])
    if not isinstance(parent, dict) or key_path[-1] not in parent:
        return False
    del parent[key_path[-1]]
    touched.append(key_path)
    return True


_REQUIRED_INJECT = frozenset({"id", "title", "channel", "from", "to"})
_KEEP_TOP = frozenset(
    {"id", "title", "duration", "teams", "actors", "objectives", "phases", "injects"}
)


def _removable(key_path: Path) -> bool:
    """Whether removing this key (outside injects) leaves the rest checkable."""
    if len(key_path) >= 3:
        return True
    if len(key_path) == 2:
        return key_path[0] in ("references", "settings")
    return len(key_path) == 1 and key_path[0] not in _KEEP_TOP


def _damaged(data: dict[str, Any], dropped: set[int], touched: list[Path]) -> tuple[set[str], bool]:
    """The ids of injects left out or changed, and whether one left out had no id."""
    injects = data.get("injects")
    if not isinstance(injects, list):
        return set(), False
    hurt = set(dropped)
    for place in touched:
        if len(place) >= 3 and place[0] == "injects" and place[2] in ("id", "expects"):
            hurt.add(int(place[1]))
    out: set[str] = set()
    nameless = False
    for index in hurt:
        item = injects[index] if 0 <= index < len(injects) else None
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            out.add(item["id"])
        elif index in dropped:
            nameless = True
    return out, nameless
