"""The threat ids scenarios may cite: MITRE ATLAS tactics and techniques, OWASP LLM Top 10.

Why a catalogue at all: a scenario's ``references`` are only useful if every id in
them means something. ``sitroom validate`` checks each cited id against it (a typo
such as ``AML.T0511`` is an error, with the closest listed id suggested), and the
library's tables compute which OWASP categories and ATLAS tactics the library
covers, which needs each technique's tactics.

Why data: the ids live in ``catalog.yaml`` beside this module (shipped as package
data, read with :mod:`importlib.resources`), so adding a technique is an edit to a
list a planner can review, and its sources are documented there. It is read once,
when this module is first imported.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

import yaml

CATALOG_FILE = "catalog.yaml"


@dataclass(frozen=True, slots=True)
class Technique:
    """An ATLAS technique (or sub-technique): its name and the tactics ATLAS files it under."""

    id: str
    name: str
    tactics: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Catalog:
    """The parsed ``catalog.yaml``: three tables, in the file's order."""

    tactics: dict[str, str]
    techniques: dict[str, Technique]
    owasp_llm: dict[str, str]


class CatalogError(ValueError):
    """``catalog.yaml`` is malformed: a packaging or editing mistake, never a planner's."""


@cache
def catalog() -> Catalog:
    """The shipped catalogue (read and checked once per process)."""
    text = files("engine.scenario").joinpath(CATALOG_FILE).read_text(encoding="utf-8")
    return parse_catalog(text)


def parse_catalog(text: str) -> Catalog:
    """Read the catalogue's YAML; every technique's tactics must be listed tactics."""
    data: Any = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if not isinstance(data, dict):
        raise CatalogError(f"{CATALOG_FILE}: expected a mapping")
    tactics = _names(data, "atlas_tactics")
    owasp = _names(data, "owasp_llm")
    techniques: dict[str, Technique] = {}
    for tid, entry in _table(data, "atlas_techniques").items():
        if not (
            isinstance(entry, list) and len(entry) >= 2 and all(isinstance(e, str) for e in entry)
        ):
            raise CatalogError(f"{CATALOG_FILE}: {tid}: write [name, tactic, …]")
        name, *of = entry
        unknown = [t for t in of if t not in tactics]
        if unknown:
            raise CatalogError(f"{CATALOG_FILE}: {tid}: unknown tactic {', '.join(unknown)}")
        techniques[tid] = Technique(tid, name, tuple(of))
    return Catalog(tactics, techniques, owasp)


def _table(data: dict[str, Any], key: str) -> dict[str, Any]:
    table = data.get(key)
    if not isinstance(table, dict) or not table:
        raise CatalogError(f"{CATALOG_FILE}: {key} must be a mapping of ids")
    return {str(k): v for k, v in table.items()}


def _names(data: dict[str, Any], key: str) -> dict[str, str]:
    table = _table(data, key)
    if not all(isinstance(v, str) and v for v in table.values()):
        raise CatalogError(f"{CATALOG_FILE}: every {key} entry needs a name")
    return table


_PARENT = re.compile(r"^(AML\.T\d{4})\.\d{3}$")

ATLAS_TACTICS: dict[str, str] = catalog().tactics
"""The sixteen ATLAS tactics, in the matrix's left-to-right order: id → name."""
ATLAS_TECHNIQUES: dict[str, Technique] = catalog().techniques
"""ATLAS technique and sub-technique ids → name and tactics."""
OWASP_LLM: dict[str, str] = catalog().owasp_llm
"""OWASP Top 10 for LLM Applications (2025): id → category name."""


def is_known_atlas(atlas_id: str) -> bool:
    """True for a listed tactic, technique or sub-technique id."""
    cat = catalog()
    return atlas_id in cat.tactics or atlas_id in cat.techniques


def is_known_owasp_llm(owasp_id: str) -> bool:
    """True for one of the ten OWASP LLM Top 10 (2025) ids."""
    return owasp_id in catalog().owasp_llm


def atlas_name(atlas_id: str) -> str:
    """The name of a tactic or technique id (``KeyError`` if it is not listed)."""
    cat = catalog()
    if atlas_id in cat.tactics:
        return cat.tactics[atlas_id]
    return cat.techniques[atlas_id].name


def tactics_of(atlas_id: str) -> tuple[str, ...]:
    """The tactics an id stands for: itself for a tactic, ATLAS's tactics for a technique.

    An unlisted sub-technique of a listed technique takes its parent's tactics, as
    in ATLAS; anything else unknown has none.
    """
    cat = catalog()
    if atlas_id in cat.tactics:
        return (atlas_id,)
    technique = cat.techniques.get(atlas_id)
    if technique is not None:
        return technique.tactics
    parent = _PARENT.match(atlas_id)
    if parent and parent.group(1) in cat.techniques:
        return cat.techniques[parent.group(1)].tactics
    return ()


def closest_atlas(atlas_id: str) -> str | None:
    """The listed id a mistyped one most likely meant (with its name), if any is close.

    An unlisted sub-technique of a listed technique suggests the technique itself.
    """
    cat = catalog()
    parent = _PARENT.match(atlas_id)
    if parent and parent.group(1) in cat.techniques:
        return parent.group(1)
    close = difflib.get_close_matches(atlas_id, [*cat.tactics, *cat.techniques], n=1, cutoff=0.8)
    return close[0] if close else None
