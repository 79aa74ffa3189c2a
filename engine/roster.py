"""Who plays: the teams fielded for each role of a scenario.

Scenario teams are roles. An exercise fields one or more teams per role (thirty
crisis cells can play "national CERT" side by side), from a roster CSV, from a
count per role (``cert=3,comms=2``) or, by default, one team per role whose id is
the role's id.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from engine import sheetfile
from engine.i18n import N_, _, ngettext
from engine.problems import Problem
from engine.scenario.address import Seat, matches, parse_to
from engine.scenario.common import ID_PATTERN
from engine.scenario.injects import Inject
from engine.scenario.model import Scenario
from engine.scenario.reach import Graph, analyse
from engine.textfile import NotUtf8

ROSTER_COLUMNS = ("team", "role", "name", "members", "cell", "tags")
_ID = re.compile(ID_PATTERN)


@dataclass(frozen=True, slots=True)
class TeamSeat:
    """One fielded team: its id, the scenario role it plays, its display name, members,
    the cell (organisation) it belongs to, when the roster names one, and its tags (an
    inject ``to: [tag:NAME]`` reaches the teams carrying NAME)."""

    id: str
    role: str
    name: str
    members: tuple[str, ...] = ()
    cell: str = ""
    """Empty: the roster's default (see :class:`Roster`)."""
    tags: tuple[str, ...] = ()
    """The roster's own tags; the team also carries its role's (``Roster.audience``)."""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "role": self.role,
            "name": self.name,
            "members": list(self.members),
        }
        if self.cell:
            out["cell"] = self.cell
        if self.tags:
            out["tags"] = list(self.tags)
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
    notes: tuple[Problem, ...] = field(default=(), repr=False, compare=False)
    """Warnings about the sheet it was read from (a column it ignores), for the commands
    that read it to print."""
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

    def seats(self, scenario: Scenario) -> list[Seat]:
        """What addresses match on each team, in roster order: its id, role, cell, and
        tags (the roster's, and its role's in the scenario)."""
        role_tags = scenario.role_tags
        return [
            Seat(t.id, t.role, self._cell[t.id], frozenset((*t.tags, *role_tags.get(t.role, ()))))
            for t in self.teams
        ]

    def audience(self, scenario: Scenario, inject: Inject) -> list[str]:
        """The team ids ``inject`` is addressed to, in roster order: the one reading of
        ``to`` (roles, ``team:``, ``cell:``, ``tag:``) the engine, dry-run and report use."""
        addresses = parse_to(inject.to)
        return [seat.id for seat in self.seats(scenario) if matches(addresses, seat)]

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
                    r["id"],
                    r["role"],
                    r["name"],
                    tuple(r.get("members", ())),
                    r.get("cell", ""),
                    tuple(r.get("tags", ())),
                )
                for r in rows
            )
        )


class RosterError(ValueError):
    """A roster that cannot be used; ``problems`` locate each bad row."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(p.format() for p in problems))


_NOT_FIELDED = {
    "team": N_(
        "{inject} is addressed to no team {name!r} in the roster (the roster's teams are {known})"
    ),
    "cell": N_(
        "{inject} is addressed to no cell {name!r} in the roster (the roster's cells are {known})"
    ),
    "tag": N_(
        "{inject} is addressed to no tag {name!r} in the roster (the roster's tags are {known})"
    ),
}
"""What :func:`address_problems` says of an address naming a team, cell or tag the
roster does not field, by kind, with what the roster does field."""
_NONE_FIELDED = {
    "team": N_("{inject} is addressed to no team {name!r} in the roster (the roster has no teams)"),
    "cell": N_("{inject} is addressed to no cell {name!r} in the roster (the roster has no cells)"),
    "tag": N_("{inject} is addressed to no tag {name!r} in the roster (the roster has no tags)"),
}
"""The same, when the roster fields no team, cell or tag at all."""


def address_problems(scenario: Scenario, roster: Roster, name: str) -> list[Problem]:
    """Injects addressed to a team, cell or tag this roster does not field, or whose
    named teams can never meet its condition: with the roster known, such an inject
    would silently reach nobody."""
    seats = roster.seats(scenario)
    problems: list[Problem] = []
    named = [i for i in scenario.injects if any(":" in a for a in i.to if i.to != "all")]
    for inject in named:
        for text in _not_fielded(inject, seats):
            problems.append(Problem(name, 0, 0, "", text))
    if named and not problems:
        problems.extend(_never_met(scenario, roster, named, name))
    return problems


def _not_fielded(inject: Inject, seats: Sequence[Seat]) -> Iterator[str]:
    """What is said of each team, cell and tag address of ``inject`` that names nothing
    the roster fields, with what it does field (roles are the scenario's to check, and a
    role left unstaffed is a note of its own)."""
    known: dict[str, set[str]] = {
        "team": {s.id for s in seats},
        "cell": {s.cell for s in seats},
        "tag": {t for s in seats for t in s.tags},
    }
    for address in parse_to(inject.to) or ():
        if address.kind == "role" or address.name in known[address.kind]:
            continue
        names = sorted(known[address.kind])
        if not names:
            yield _(_NONE_FIELDED[address.kind]).format(inject=inject.id, name=address.name)
            continue
        listed = ", ".join(names[:8]) + (", …" if len(names) > 8 else "")
        yield _(_NOT_FIELDED[address.kind]).format(
            inject=inject.id, name=address.name, known=listed
        )


def _never_met(
    scenario: Scenario, roster: Roster, named: list[Inject], name: str
) -> Iterator[Problem]:
    """The reachability of the scenario's lint, redone with the roles the roster's teams
    play: ``to: [team:soc-02]`` on a condition only legal can meet never fires."""
    role_of = {t.id: t.role for t in roster.teams}
    audience = {i.id: roster.audience(scenario, i) for i in scenario.injects}
    graph = Graph(scenario)
    before = analyse(scenario, graph)
    after = analyse(scenario, graph, lambda i: {role_of[t] for t in audience[i.id]})
    for inject in named:
        was, now = before.get(inject.id), after.get(inject.id)
        if was is None or now is None or not was.roles or now.roles or not audience[inject.id]:
            continue
        teams = ", ".join(f"{t} ({role_of[t]})" for t in audience[inject.id])
        roles = len({role_of[t] for t in audience[inject.id]})
        # One English text for both counts; a language may say "that role" for one.
        text = ngettext(
            "{inject} can never fire: it is addressed to {teams}, and no team of those roles "
            "can meet its condition or trigger (check to, when and after)",
            "{inject} can never fire: it is addressed to {teams}, and no team of those roles "
            "can meet its condition or trigger (check to, when and after)",
            roles,
        )
        yield Problem(name, 0, 0, "", text.format(inject=inject.id, teams=teams))


def checked(scenario: Scenario, roster: Roster, name: str) -> Roster:
    """``roster``, once every inject's team, cell and tag addresses name something in it."""
    problems = address_problems(scenario, roster, name)
    if problems:
        raise RosterError(problems)
    return roster


def default_roster(scenario: Scenario) -> Roster:
    """One team per role, with the role's id and name."""
    roster = Roster(tuple(TeamSeat(t.id, t.id, t.name) for t in scenario.teams))
    return checked(scenario, roster, _("the default roster (one team per role)"))


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
        raise RosterError([Problem("--teams", 0, 0, "", _("no teams: give at least one"))])
    return checked(scenario, Roster(tuple(seats)), "--teams")


def said_in(roster: Roster, played: Sequence[Scenario], read: Scenario) -> Roster:
    """``roster`` with the team names sitroom made from a role's name said from ``read``.

    A team the roster does not name is called after its role (:func:`default_roster`,
    :func:`roster_from_counts`, a CSV row with no name), in the language the exercise
    was played in; the log keeps that name. A reader of a bilingual scenario in
    another language (``report --lang fr``) should meet the role's name in theirs, so
    a name that is exactly one of those made names, in any language of ``played``, is
    made again from ``read``'s role; a name someone wrote is theirs and is kept.
    """
    target = {t.id: t.name for t in read.teams}
    seats = []
    for seat in roster.teams:
        name = seat.name
        if seat.role in target:
            name = _made_again(seat, played, target[seat.role]) or name
        seats.append(replace(seat, name=name))
    return Roster(tuple(seats))


def _made_again(seat: TeamSeat, played: Sequence[Scenario], name: str) -> str | None:
    """The name ``seat`` would have been made with from role name ``name``, if its own
    name is one sitroom made from its role's name in one of ``played``; else None."""
    k = seat.id.removeprefix(seat.role + "-")
    numbered = k != seat.id and k.isdigit()
    for scenario in played:
        role = next((t.name for t in scenario.teams if t.id == seat.role), None)
        if role is None:
            continue
        if seat.name == role:
            return name
        if seat.name == f"{role} ({seat.id})":
            return f"{name} ({seat.id})"
        if numbered and seat.name == f"{role} {int(k)}":
            return f"{name} {int(k)}"
    return None


def _parse_counts(scenario: Scenario, spec: str | int) -> dict[str, int]:
    roles = scenario.role_ids
    text = str(spec).strip()
    if text.isdigit():
        n = int(text)
        if n < 1:
            raise RosterError(
                [Problem("--teams", 0, 0, "", _("the number of teams must be at least 1"))]
            )
        return dict.fromkeys(roles, n)
    counts: dict[str, int] = {}
    problems: list[Problem] = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        role, sep, number = part.partition("=")
        role = role.strip()
        if not sep or not number.strip().isdigit():
            said = _("{part!r}: write ROLE=COUNT, e.g. cert=3").format(part=part)
            problems.append(Problem("--teams", 0, 0, "", said))
        elif role not in roles:
            said = _("unknown role {role!r}; roles are {roles}").format(
                role=role, roles=", ".join(roles)
            )
            problems.append(Problem("--teams", 0, 0, "", said))
        else:
            counts[role] = int(number)
    if problems:
        raise RosterError(problems)
    return counts


def read_roster(path: str | Path, scenario: Scenario) -> Roster:
    """Read a roster sheet (columns team, role, name, members, cell, tags, named in any
    case; members and tags split on ``;``), in any dialect :mod:`engine.sheetfile`
    reads: UTF-8 or UTF-16, cells between commas, semicolons or tabs."""
    name = str(path)
    try:
        text = sheetfile.decode(Path(path).read_bytes(), name)
    except OSError as exc:
        said = _("cannot read the roster: {error}").format(error=exc)
        raise RosterError([Problem(name, 0, 0, "", said)]) from None
    except NotUtf8 as exc:
        # UTF-16 is read whole, and its lines are not the bytes': the sheet, as the MSEL says
        line, column = (exc.line, exc.column) if exc.encoding == "UTF-8" else (0, 0)
        raise RosterError([Problem(name, line, column, "", exc.reason)]) from None
    return parse_roster(text, scenario, name)


def parse_roster(text: str, scenario: Scenario, name: str = "<roster>") -> Roster:
    """The roster in ``text``, or :class:`RosterError` saying what is wrong where: a
    quote never closed (the rest of the sheet would run into its cell), a row the csv
    module cannot read (a cell past its size limit) are among those. A carriage return
    alone outside quotes ends a row, as a line break does."""
    records = _Records(text)
    try:
        return _parse_roster(records, scenario, name)
    except sheetfile.UnclosedQuote as exc:
        reason = sheetfile.unclosed_reason()
        raise RosterError([Problem(name, exc.row, exc.column, "", reason)]) from None
    except csv.Error as exc:
        said = _("not a CSV roster: {error}").format(error=exc)
        raise RosterError([Problem(name, records.count + 1, 0, "", said)]) from None


class _Records:
    """The sheet's records, counted as read (the row a csv error is on is the next).

    The separator is told by the header line alone (:func:`engine.sheetfile.delimiter`
    with ``header``): the rows below hold names with commas and members between
    semicolons, which must not outvote it."""

    def __init__(self, text: str) -> None:
        self.sep = sheetfile.delimiter(text, header=True)
        self._rows = sheetfile.rows(text, self.sep)
        self.count = 0

    def __iter__(self) -> Iterator[list[str]]:
        for cells in self._rows:
            self.count += 1
            yield cells


def _header(cells: list[str], name: str, notes: list[Problem]) -> list[str]:
    """The roster's column names, lowercased and trimmed, one per column (``""``: a
    column with no name); or :class:`RosterError` when a name is missing or given twice.
    Empty cells ending the header are no column. A column that is not a roster's (a
    planner's own ``email``, a misspelt ``cells``) is read as no column, with a warning
    in ``notes``: never silently."""
    written = [c.strip() for c in cells[: sheetfile.width(cells)]]
    header = [c.lower() for c in written]
    missing = [c for c in ("team", "role") if c not in header]
    if missing:
        found = ", ".join(repr(h) for h in written if h)
        first_row = (
            _("the first row reads {found}").format(found=sheetfile.shown(found))
            if found
            else _("the first row reads nothing")
        )
        text = ngettext(
            "missing column {missing}; the columns are {columns}, between commas, semicolons "
            "or tabs ({first_row})",
            "missing columns {missing}; the columns are {columns}, between commas, semicolons "
            "or tabs ({first_row})",
            len(missing),
        ).format(missing=", ".join(missing), columns=", ".join(ROSTER_COLUMNS), first_row=first_row)
        raise RosterError([Problem(name, 1, 1, "", text)])
    problems: list[Problem] = []
    for index, column in enumerate(header):
        if column and column not in ROSTER_COLUMNS:
            notes.append(
                Problem(
                    name,
                    1,
                    index + 1,
                    "",
                    _(
                        "column {column!r} is not a roster column, so it is ignored (the "
                        "columns are {columns}; capitals do not matter)"
                    ).format(column=written[index], columns=", ".join(ROSTER_COLUMNS)),
                    severity="warning",
                )
            )
        elif column in header[:index]:
            problems.append(
                Problem(
                    name,
                    1,
                    index + 1,
                    "",
                    _(
                        "column {column!r} is given twice (column {other} is the other): keep one"
                    ).format(column=written[index], other=header.index(column) + 1),
                )
            )
    if problems:
        raise RosterError(problems)
    return header


def _parse_roster(records: _Records, scenario: Scenario, name: str) -> Roster:
    numbered = enumerate(records, start=1)
    first = next(numbered, (1, []))[1]
    notes: list[Problem] = []
    header = _header(first, name, notes)
    last = first[len(header) - 1].strip()
    roles = set(scenario.role_ids)
    role_names = {t.id: t.name for t in scenario.teams}
    seats: list[TeamSeat] = []
    seen: dict[str, int] = {}
    problems: list[Problem] = []
    col_of = {c: header.index(c) + 1 for c in header if c}
    unnamed = [i for i, c in enumerate(header) if not c]
    for row_no, cells in numbered:
        extra = sheetfile.past(cells, len(header))
        if extra is not None:
            reason = sheetfile.cut_reason(last, records.sep)
            problems.append(Problem(name, row_no, extra + 1, "", reason))
            continue
        lost = next((i for i in unnamed if i < len(cells) and cells[i].strip()), None)
        if lost is not None:
            problems.append(
                Problem(
                    name,
                    row_no,
                    lost + 1,
                    "",
                    _(
                        "a cell in column {column}, which the first row gives no name: name the "
                        "column, or empty the cell"
                    ).format(column=lost + 1),
                )
            )
            continue
        row = dict(zip(header, (c.strip() for c in cells), strict=False))
        team, role = row.get("team", ""), row.get("role", "")
        if not team and not role:
            continue
        if not _ID.match(team):
            problems.append(
                Problem(
                    name,
                    row_no,
                    col_of["team"],
                    "team",
                    _("{team!r} is not a valid team id (letters, digits, - and _)").format(
                        team=team
                    ),
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
                    _("duplicate team {team!r} (first on row {row})").format(
                        team=team, row=seen[team]
                    ),
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
                    _("unknown role {role!r}; the scenario's roles are {roles}").format(
                        role=role, roles=", ".join(scenario.role_ids)
                    ),
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
                    _("{cell!r} is not a valid cell id (letters, digits, - and _)").format(
                        cell=cell
                    ),
                )
            )
            continue
        tags = tuple(t.strip() for t in row.get("tags", "").split(";") if t.strip())
        bad = next((t for t in tags if not _ID.match(t)), None)
        if bad is not None:
            problems.append(
                Problem(
                    name,
                    row_no,
                    col_of["tags"],
                    "tags",
                    _(
                        "{tag!r} is not a valid tag (letters, digits, - and _; separate tags "
                        "with ;)"
                    ).format(tag=bad),
                )
            )
            continue
        seen[team] = row_no
        members = tuple(m.strip() for m in row.get("members", "").split(";") if m.strip())
        seats.append(
            TeamSeat(
                team, role, row.get("name") or f"{role_names[role]} ({team})", members, cell, tags
            )
        )
    if problems:
        raise RosterError(problems)
    if not seats:
        raise RosterError([Problem(name, 0, 0, "", _("the roster lists no teams"))])
    return checked(scenario, Roster(tuple(seats), tuple(notes)), name)
