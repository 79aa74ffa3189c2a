"""Who an inject is addressed to: roles, specific teams, cells and tags.

An inject's ``to`` is ``all`` or a list of addresses. A bare id names a role (every
team playing it, as before); ``team:ID`` names one fielded team, ``cell:ID`` every
team of one cell (organisation), ``tag:NAME`` every team carrying that tag (given
by the roster's ``tags`` column, or by its role's ``tags`` in the scenario). They
mix freely: ``to: [legal, team:soc-03, tag:finance]`` reaches the union.

Teams and cells exist only once a roster is known, so the scenario alone checks the
form of an address; :func:`engine.roster.address_problems` checks the names against a
roster (and says it in the planner's language).
This module is the one place that turns addresses into teams: the engine's
audience, dry-run counts and the report read it through :meth:`Roster.audience`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from engine.i18n import _
from engine.scenario.common import ID_PATTERN
from engine.scenario.messages import pattern_hint

AddressKind = Literal["role", "team", "cell", "tag"]
PREFIXES: tuple[AddressKind, ...] = ("team", "cell", "tag")
"""The written prefixes (``team:``, ``cell:``, ``tag:``); a bare id is a role."""
_ID = re.compile(ID_PATTERN)
FORMS = "a role id, team:TEAM, cell:CELL, tag:TAG, or all"


@dataclass(frozen=True, slots=True)
class Address:
    """One parsed address: its kind and the id it names."""

    kind: AddressKind
    name: str

    def __str__(self) -> str:
        return self.name if self.kind == "role" else f"{self.kind}:{self.name}"


def parse_address(text: str) -> Address:
    """``legal`` → a role, ``team:soc-03`` → a team; raises ValueError saying what is
    wrong (an unknown prefix, a name that is not an id)."""
    kind, sep, name = text.partition(":")
    if not sep:
        if not _ID.match(text):
            # As for every other id (a role's is one); the prefixes are in the guide.
            raise ValueError(pattern_hint(ID_PATTERN, repr(text)))
        return Address("role", text)
    kind = kind.strip()
    if kind not in PREFIXES:
        raise ValueError(
            _(
                "{text!r}: unknown kind of address {kind!r}; write a role id, team:TEAM, "
                "cell:CELL, tag:TAG, or all"
            ).format(text=text, kind=kind + ":")
        )
    name = name.strip()
    if not _ID.match(name):
        example = {"team": "soc-03", "cell": "bank-03", "tag": "finance"}[kind]
        raise ValueError(
            _(
                "{text!r}: after {kind}: give an id (letters, digits, - and _), e.g. {example}"
            ).format(text=text, kind=kind, example=f"{kind}:{example}")
        )
    return Address(kind, name)


def parse_to(to: str | Sequence[str]) -> list[Address] | None:
    """The addresses of an inject's ``to`` (None for ``all``)."""
    if isinstance(to, str):
        return None if to == "all" else [parse_address(to)]
    return [parse_address(a) for a in to]


def written_roles(to: str | Sequence[str]) -> list[str]:
    """The roles ``to`` names outright (``all``: none here; see :func:`possible_roles`)."""
    return [a.name for a in parse_to(to) or () if a.kind == "role"]


def possible_roles(to: str | Sequence[str], roles: Sequence[str]) -> list[str]:
    """The roles whose teams may receive an inject, with no roster known: those named
    (as written); every role, in the scenario's order, once a team, cell or tag is.

    A tag counts for every role, not only those whose scenario ``tags`` carry it: the
    roster can tag any team, and the lint must never call an inject unreachable that a
    roster would deliver."""
    addresses = parse_to(to)
    if addresses is None or any(a.kind != "role" for a in addresses):
        return list(roles)
    return [a.name for a in addresses]


@dataclass(frozen=True, slots=True)
class Seat:
    """What an address can match on one fielded team."""

    id: str
    role: str
    cell: str
    tags: frozenset[str]


def matches(addresses: Sequence[Address] | None, seat: Seat) -> bool:
    """Whether any address reaches this team (``None``: ``all``, every team)."""
    if addresses is None:
        return True
    for address in addresses:
        value = {"role": seat.role, "team": seat.id, "cell": seat.cell}.get(address.kind)
        if value == address.name or (address.kind == "tag" and address.name in seat.tags):
            return True
    return False
