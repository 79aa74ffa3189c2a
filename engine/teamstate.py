"""What the engine knows of one team: where each inject stands, its answers, its grades.

Kept deliberately small and flat (slots, plain dicts): an exercise of 1,000 teams
holds 1,000 of these, and every delivery touches one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from engine.grading import NOTHING, Answer, Decision

CellStatus = Literal["pending", "scheduled", "held", "cancelled", "skipped", "delivered"]


@dataclass(slots=True)
class Cell:
    """One inject for one team. ``at`` is the scheduled or delivery time (ms)."""

    status: CellStatus = "pending"
    at: int | None = None
    cause: str = ""
    opened: int | None = None
    """When a member of the team first opened the delivered inject (ms), if anyone has."""


@dataclass(slots=True)
class TeamState:
    id: str
    role: str
    roster_members: tuple[str, ...] = ()
    joined: list[str] = field(default_factory=list)
    cells: dict[str, Cell] = field(default_factory=dict)
    answers: dict[str, list[Answer]] = field(default_factory=dict)
    completed: dict[str, int] = field(default_factory=dict)
    expired: set[str] = field(default_factory=set)
    grades: dict[str, dict[str, float]] = field(default_factory=dict)
    """Per expectation ref, each evaluator's latest grade (insertion order = grading order)."""
    decisions: dict[str, Decision] = field(default_factory=dict)
    """Per expectation ref, the figures last decided (and announced in a ``scored`` event)."""

    def cell(self, inject_id: str) -> Cell:
        found = self.cells.get(inject_id)
        if found is None:
            found = self.cells[inject_id] = Cell()
        return found

    def status_of(self, inject_id: str) -> CellStatus:
        """The inject's status for this team, without creating a cell (checks must not write)."""
        found = self.cells.get(inject_id)
        return "pending" if found is None else found.status

    def delivered_at(self, inject_id: str) -> int | None:
        found = self.cells.get(inject_id)
        return found.at if found is not None and found.status == "delivered" else None

    def members(self) -> tuple[str, ...]:
        """Members who must answer an ``answer_by: all`` expectation."""
        return self.roster_members or tuple(self.joined)

    def size(self) -> int:
        """How many members :meth:`members` names (without building the tuple: the
        engine asks on every answer)."""
        return len(self.roster_members) or len(self.joined)

    def add_member(self, member: str) -> bool:
        """Record a member who joined or acted; True if the team's size for whole-team
        answers changed (it counts who joined only when the roster names nobody)."""
        if member in self.joined:
            return False
        self.joined.append(member)
        return not self.roster_members

    def decision(self, ref: str) -> Decision:
        return self.decisions.get(ref, NOTHING)

    def items_done(self, ref: str) -> set[str]:
        return {item for a in self.answers.get(ref, ()) for item in a.items}
