"""What the consoles show, asked of a running exercise: inboxes, the MSEL, the clock.

Read-only views computed from the engine's state. They serve snapshots (a
console that reconnects too late to catch up event by event) and the server's
health pages; consoles otherwise fold the events they receive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Literal

from engine.durations import format_duration
from engine.exercise import Exercise
from engine.scenario.injects import Inject

ExpStatus = Literal["open", "overdue", "answered", "late"]
TeamInjectStatus = Literal[
    "pending", "scheduled", "held", "cancelled", "skipped", "delivered", "answered", "overdue"
]


@dataclass(frozen=True, slots=True)
class ExpectationView:
    ref: str
    kind: str
    prompt: str
    due_at: int | None
    status: ExpStatus
    answered_at: int | None


@dataclass(frozen=True, slots=True)
class InboxItem:
    inject: str
    title: str
    channel: str
    sender: str
    priority: str
    delivered_at: int
    expectations: list[ExpectationView] = field(default_factory=list)

    @property
    def open_due(self) -> int | None:
        """The nearest deadline still open, for sorting by urgency."""
        dues = [
            e.due_at
            for e in self.expectations
            if e.status in ("open", "overdue") and e.due_at is not None
        ]
        return min(dues) if dues else None


def expectation_views(ex: Exercise, team_id: str, inject: Inject) -> list[ExpectationView]:
    team = ex.teams[team_id]
    delivered = team.delivered_at(inject.id)
    views = []
    for exp in inject.expects:
        ref = f"{inject.id}.{exp.id}"
        due_at = delivered + exp.due if delivered is not None and exp.due is not None else None
        answered = team.completed.get(ref)
        status: ExpStatus
        if answered is not None:
            status = "late" if due_at is not None and answered > due_at else "answered"
        elif due_at is not None and ex.now >= due_at:
            status = "overdue"
        else:
            status = "open"
        views.append(ExpectationView(ref, exp.kind, exp.prompt, due_at, status, answered))
    return views


def inbox(
    ex: Exercise, team_id: str, order: Literal["newest", "urgency"] = "newest"
) -> list[InboxItem]:
    """The injects delivered to a team, newest first (or most urgent first)."""
    team = ex.teams[team_id]
    items = []
    for inject_id, cell in team.cells.items():
        if cell.status != "delivered" or cell.at is None:
            continue
        inject = ex.scenario.inject_by_id[inject_id]
        items.append(
            InboxItem(
                inject.id,
                inject.title,
                inject.channel,
                inject.from_,
                inject.priority,
                cell.at,
                expectation_views(ex, team_id, inject),
            )
        )
    items.sort(key=lambda i: (-i.delivered_at, i.inject))
    if order == "urgency":
        items.sort(key=lambda i: (i.open_due is None, i.open_due or 0))
    return items


def team_inject_status(ex: Exercise, team_id: str, inject: Inject) -> TeamInjectStatus:
    cell = ex.teams[team_id].cells.get(inject.id)
    if cell is None:
        return "pending"
    if cell.status != "delivered":
        return cell.status
    views = expectation_views(ex, team_id, inject)
    if any(v.status == "overdue" for v in views):
        return "overdue"
    if views and all(v.status in ("answered", "late") for v in views):
        return "answered"
    return "delivered"


@dataclass(frozen=True, slots=True)
class MselRow:
    inject: str
    title: str
    trigger: str
    contingency: bool
    teams: dict[str, TeamInjectStatus]
    next_at: int | None
    """The earliest time it is scheduled for some team, if any."""


def describe_trigger(inject: Inject) -> str:
    if inject.at is not None:
        text = f"at {format_duration(inject.at)}"
    elif inject.after is not None:
        anchor = inject.after.inject or f"answer to {inject.after.response}"
        text = f"{format_duration(inject.after.delay)} after {anchor}"
    elif inject.if_no_response is not None:
        text = f"if {inject.if_no_response.expectation} goes unanswered"
    else:
        text = "on release"
    if inject.jitter:
        text += f" (+ up to {format_duration(inject.jitter)})"
    if inject.when is not None:
        text += ", if its condition holds"
    return text


def msel(ex: Exercise) -> list[MselRow]:
    """Every inject with its status per addressed team, in scenario order."""
    rows = []
    for inject in ex.scenario.injects:
        statuses = {t: team_inject_status(ex, t, inject) for t in ex.audience(inject.id)}
        scheduled = [
            ex.teams[t].cells[inject.id].at for t, s in statuses.items() if s == "scheduled"
        ]
        next_at = min((a for a in scheduled if a is not None), default=None)
        rows.append(
            MselRow(
                inject.id,
                inject.title,
                describe_trigger(inject),
                inject.contingency,
                statuses,
                next_at,
            )
        )
    return rows


def clock(ex: Exercise) -> dict[str, Any]:
    """The clock as consoles show it: elapsed, in-world time, status, speed."""
    start = ex.scenario.start
    in_world = (start + timedelta(milliseconds=ex.now)).isoformat() if start else None
    return {
        "now": ex.now,
        "status": ex.status,
        "speed": ex.speed,
        "duration": ex.scenario.duration,
        "in_world": in_world,
    }


def team_progress(ex: Exercise, team_id: str) -> dict[str, int]:
    """Counts for the facilitator's team grid."""
    counts = {"delivered": 0, "answered": 0, "overdue": 0, "open": 0}
    for inject_id, cell in ex.teams[team_id].cells.items():
        if cell.status != "delivered":
            continue
        counts["delivered"] += 1
        for view in expectation_views(ex, team_id, ex.scenario.inject_by_id[inject_id]):
            key = "answered" if view.status in ("answered", "late") else view.status
            counts[key] += 1
    return counts
