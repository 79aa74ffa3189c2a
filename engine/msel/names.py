"""Teams, actors, phases and objectives named in the table, turned into ids.

A sheet exported by sitroom names them by id and defines them above the table.
A sheet written from a HSEEP template names them in words (``National CERT``)
and defines nothing: then each new name becomes a definition whose id is
derived from the name (``national-cert``), and the import reports it, so the
planner checks it rather than discovering it later. When the sheet does define
some (``#team`` rows), a name that matches none of them is a mistake, reported
as such, not a new definition.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from engine.i18n import _
from engine.msel.report import Cell, Report

ALL_WORDS = frozenset({"all", "all teams", "all players", "everyone", "all participants"})


def slug(name: str) -> str:
    """``"National CERT (Paris)"`` → ``national-cert-paris``: an id derived from a name."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return text[:64].rstrip("-")


@dataclass
class Names:
    """The definitions of one kind, and the names the table used for them."""

    kind: str
    """``team``, ``actor``, ``phase`` or ``objective``: for messages."""
    label: str
    """The field holding the name: ``name`` (teams, actors) or ``title``."""
    defined: list[dict[str, Any]]
    derived: list[dict[str, Any]] = field(default_factory=list)
    derived_cells: list[Cell] = field(default_factory=list)

    def resolve(self, text: str, cell: Cell, report: Report) -> str:
        """The id for ``text``: a defined id or name, else a derived definition.

        Returns ``text`` unchanged when it names nothing and cannot be derived,
        after reporting why; the scenario check then agrees it is unknown.
        """
        name = " ".join(text.split())
        for item in [*self.defined, *self.derived]:
            if item.get("id") == name:
                return name
        folded = name.casefold()
        for item in [*self.defined, *self.derived]:
            if "id" not in item:
                continue  # a #team row without an id: reported there, matches nothing
            spellings = (str(item["id"]), str(item.get(self.label, "")))
            if folded in (text.casefold() for text in spellings):
                return str(item["id"])
        if self.defined:
            known = [str(i["id"]) for i in self.defined if "id" in i]
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            if close:
                said = _(
                    "unknown {kind} {name!r} (did you mean {close!r}?); {kind}s are the "
                    "#{kind} rows"
                )
            else:
                said = _("unknown {kind} {name!r}; {kind}s are the #{kind} rows")
            report.error(
                cell, said.format(kind=self.kind, name=name, close=close[0] if close else "")
            )
            return text
        ident = slug(name)
        if not ident:
            report.error(
                cell,
                _("cannot derive a {kind} id from {name!r}: name it in words").format(
                    kind=self.kind, name=name
                ),
            )
            return text
        clash = next((d for d in self.derived if d["id"] == ident), None)
        if clash is not None:
            report.error(
                cell,
                _(
                    "{kind} {name!r} and {other!r} both give the id {ident!r}: "
                    "name them apart, or define them in #{kind} rows"
                ).format(kind=self.kind, name=name, other=clash[self.label], ident=ident),
            )
            return text
        self.derived.append({"id": ident, self.label: name})
        self.derived_cells.append(cell)
        report.warn(
            cell,
            _(
                "{kind} {name!r} is not defined above the table: added with the id "
                "{ident!r}, made from its name"
            ).format(kind=self.kind, name=name, ident=ident),
        )
        return ident

    @property
    def all(self) -> list[dict[str, Any]]:
        return [*self.defined, *self.derived]
