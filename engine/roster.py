"""Who plays: the teams fielded for each role of a scenario.

Scenario teams are roles. An exercise fields one or more teams per role (thirty
crisis cells can play "national CERT" side by side), from a roster CSV, from a
count per role (``cert=3,comms=2``) or, by default, one team per role whose id is
the role's id.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from engine.problems import Problem
from engine.scenario.common import ID_PATTERN
from engine.scenario.model import Scenario

ROSTER_COLUMNS = ("team", "role", "name", "members", "cell")
_ID = re.compile(ID_PATTERN)


@dataclass(frozen=True, slots=True)
class TeamSeat:
    """One fielded team: its id, the scenario role it plays, its display name, members,
    and the cell (organisation) it belongs to, when the roster names one."""

    id: str
    role: str
    name: str
    members: tuple[str, ...] = ()
    cell: str = ""
    """Empty: the roster's default (see :class:`Roster`)."""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "role": self.role,
            "name": self.name,
            "members": list(self.members),
        }
        if self.cell:
            out["cell"] = self.cell
        return out


@dataclass(frozen=True)
class Roster:
    """The teams fielded, grouped into cells.

    A cell is one organisation's table group: one team per role ("bank-03" = soc-03,
    legal-03, comms-03). A scenario's conditions can test another role's answer in
    the same cell. A team the roster gives no cell joins the default one: the
    ``k``-th team of each role (in roster order) forms ``cell-k``, so ``--teams 3``
    makes three organisations and one team per role makes one.
    """

    teams: tuple[TeamSeat, ...]
    _by_id: dict[str, TeamSeat] = field(init=False, repr=False, compare=False)
    _cell: dict[str, str] = field(init=False, repr=False, compare=False)
    _members: dict[str, list[str]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {t.id: t for t in self.teams})
        counts: dict[str, int] = {}
        width = max(2, len(str(len(self.teams))))
        cells: dict[str, str] = {}
        members: dict[str, list[str]] = {}
        for seat in self.teams:
            counts[seat.role] = counts.get(seat.role, 0) + 1
            cell = seat.cell or f"cell-{counts[seat.role]:0{width}d}"
            cells[seat.id] = cell
            members.setdefault(cell, []).append(seat.id)
        object.__setattr__(self, "_cell", cells)
        object.__setattr__(self, "_members", members)

    def cell_of(self, team_id: str) -> str:
        """The cell (organisation) a team belongs to."""
        return self._cell[team_id]

    def cells(self) -> dict[str, list[str]]:
        """Every cell and its team ids, in roster order."""
        return {cell: list(ids) for cell, ids in self._members.items()}

    def peer(self, team_id: str, role: str) -> str | None:
        """The team playing ``role`` in ``team_id``'s cell (the first, if the roster put
        several there), or None: the cell has no such team."""
        for other in self._members[self._cell[team_id]]:
            if self._by_id[other].role == role:
                return other
        return None

    def __contains__(self, team_id: object) -> bool:
        return team_id in self._by_id

    def __len__(self) -> int:
        return len(self.teams)

    def get(self, team_id: str) -> TeamSeat | None:
        return self._by_id.get(team_id)

    @cached_property
    def by_role(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for team in self.teams:
            out.setdefault(team.role, []).append(team.id)
        return out

    def teams_of(self, roles: Iterable[str]) -> list[str]:
        """Team ids playing any of ``roles``, in roster order."""
        wanted = set(roles)
        return [t.id for t in self.teams if t.role in wanted]

    def to_list(self) -> list[dict[str, Any]]:
        return [t.to_dict() for t in self.teams]

    @classmethod
    def from_list(cls, rows: list[dict[str, Any]]) -> Roster:
        return cls(
            tuple(
                TeamSeat(
                    r["id"], r["role"], r["name"], tuple(r.get("members", ())), r.get("cell", "")
                )
                for r in rows
            )
        )


class RosterError(ValueError):
    """A roster that cannot be used; ``problems`` locate each bad row."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(p.format() for p in problems))


def default_roster(scenario: Scenario) -> Roster:
    """One team per role, with the role's id and name."""
    return Roster(tuple(TeamSeat(t.id, t.id, t.name) for t in scenario.teams))


def roster_from_counts(scenario: Scenario, spec: str | int) -> Roster:
    """``3`` fields three teams per role; ``cert=3,comms=2`` sets counts per role.

    Roles not named in a per-role spec get one team. Team ids are ``ROLE-NN``
    whenever a role has more than one team, else the role id itself.
    """
    counts = _parse_counts(scenario, spec)
    seats: list[TeamSeat] = []
    for role in scenario.teams:
        n = counts.get(role.id, 1)
        if n == 0:
            continue
        if n == 1:
            seats.append(TeamSeat(role.id, role.id, role.name))
            continue
        width = max(2, len(str(n)))
        for k in range(1, n + 1):
            seats.append(TeamSeat(f"{role.id}-{k:0{width}d}", role.id, f"{role.name} {k}"))
    if not seats:
        raise RosterError([Problem("--teams", 0, 0, "", "no teams: give at least one")])
    return Roster(tuple(seats))


def _parse_counts(scenario: Scenario, spec: str | int) -> dict[str, int]:
    roles = scenario.role_ids
    text = str(spec).strip()
    if text.isdigit():
        n = int(text)
        if n < 1:
            raise RosterError(
                [Problem("--teams", 0, 0, "", "the number of teams must be at least 1")]
            )
        return dict.fromkeys(roles, n)
    counts: dict[str, int] = {}
    problems: list[Problem] = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        role, sep, number = part.partition("=")
        role = role.strip()
        if not sep or not number.strip().isdigit():
            problems.append(
                Problem("--teams", 0, 0, "", f"{part!r}: write ROLE=COUNT, e.g. cert=3")
            )
        elif role not in roles:
            problems.append(
                Problem("--teams", 0, 0, "", f"unknown role {role!r}; roles are {', '.join(roles)}")
            )
        else:
            counts[role] = int(number)
    if problems:
        raise RosterError(problems)
    return counts


def read_roster(path: str | Path, scenario: Scenario) -> Roster:
    """Read a roster CSV (columns team, role, name, members; members split on ``;``)."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise RosterError([Problem(name, 0, 0, "", f"cannot read the roster: {exc}")]) from None
    return parse_roster(text, scenario, name)


def parse_roster(text: str, scenario: Scenario, name: str = "<roster>") -> Roster:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in ("team", "role") if c not in header]
    if missing:
        raise RosterError(
            [
                Problem(
                    name,
                    1,
                    1,
                    "",
                    f"missing column{'s' if len(missing) > 1 else ''}"
                    f" {', '.join(missing)}; the columns are "
                    f"{', '.join(ROSTER_COLUMNS)}",
                )
            ]
        )
    roles = set(scenario.role_ids)
    role_names = {t.id: t.name for t in scenario.teams}
    seats: list[TeamSeat] = []
    seen: dict[str, int] = {}
    problems: list[Problem] = []
    for row_no, row in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
        team, role = row.get("team", ""), row.get("role", "")
        if not team and not role:
            continue
        col_of = {c: header.index(c) + 1 for c in header}
        if not _ID.match(team):
            problems.append(
                Problem(
                    name,
                    row_no,
                    col_of["team"],
                    "team",
                    f"{team!r} is not a valid team id (letters, digits, - and _)",
                )
            )
            continue
        if team in seen:
            problems.append(
                Problem(
                    name,
                    row_no,
                    col_of["team"],
                    "team",
                    f"duplicate team {team!r} (first on row {seen[team]})",
                )
            )
            continue
        if role not in roles:
            problems.append(
                Problem(
                    name,
                    row_no,
                    col_of["role"],
                    "role",
                    f"unknown role {role!r}; the scenario's roles are "
                    f"{', '.join(scenario.role_ids)}",
                )
            )
            continue
        cell = row.get("cell", "")
        if cell and not _ID.match(cell):
            problems.append(
                Problem(
                    name,
                    row_no,
                    col_of["cell"],
                    "cell",
                    f"{cell!r} is not a valid cell id (letters, digits, - and _)",
                )
            )
            continue
        seen[team] = row_no
        members = tuple(m.strip() for m in row.get("members", "").split(";") if m.strip())
        seats.append(
            TeamSeat(team, role, row.get("name") or f"{role_names[role]} ({team})", members, cell)
        )
    if problems:
        raise RosterError(problems)
    if not seats:
        raise RosterError([Problem(name, 0, 0, "", "the roster lists no teams")])
    return Roster(tuple(seats))
