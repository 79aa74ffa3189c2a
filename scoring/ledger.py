"""The inject ledger: where each inject stands for each team, and how fast teams moved.

A delivery goes delivered → opened → answered, or expired (a deadline passed before
any answer), or never comes: skipped (its condition was false when it was due) or
cancelled by the control room. The facilitator watches it per inject and per team
(who has not even opened the regulator's call?), and the after-action report gives
per inject the time from delivery to opening and to the first answer.

This module decides those facts once, from the log's typed events: the control room
(:mod:`tui.model.staff`) and the report (:mod:`scoring.report`) read them here.
"Opened" is the team's first :class:`~engine.commands.Open` (a console sends it the
first time it shows the inject to a member; the engine keeps the first). "Answered" is
the team's first answer to any expectation of the inject; an inject with nothing to
answer stays "opened".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, assert_never

from engine import commands as c
from engine.events import (
    Deadline,
    Delivered,
    Discussion,
    Ended,
    Event,
    Scored,
    Skipped,
)
from engine.roster import Roster
from engine.scenario.model import Scenario
from scoring.stats import TimeStats, time_stats

Stage = Literal["delivered", "opened", "answered", "expired", "skipped", "cancelled"]
STAGES: tuple[Stage, ...] = ("delivered", "opened", "answered", "expired", "skipped", "cancelled")


@dataclass(slots=True)
class Entry:
    """One inject for one team (times in ms of exercise time)."""

    inject: str
    team: str
    delivered: int | None = None
    opened: int | None = None
    opened_by: str = ""
    answered: int | None = None
    expired: int | None = None
    skipped: Literal["", "skipped", "cancelled"] = ""

    @property
    def stage(self) -> Stage:
        if self.delivered is None:
            return self.skipped or "cancelled"
        if self.answered is not None:
            return "answered"
        if self.expired is not None:
            return "expired"
        return "opened" if self.opened is not None else "delivered"

    @property
    def why(self) -> str:
        """Why it never came, in words (empty when it came)."""
        if self.delivered is not None:
            return ""
        return {
            "skipped": "its condition was false when it was due",
            "cancelled": "cancelled by the control room",
            "": "",
        }[self.skipped]

    @property
    def to_open(self) -> int | None:
        if self.delivered is None or self.opened is None:
            return None
        return self.opened - self.delivered

    @property
    def to_answer(self) -> int | None:
        if self.delivered is None or self.answered is None:
            return None
        return self.answered - self.delivered


@dataclass(frozen=True, slots=True)
class InjectLedger:
    """One inject over every team: how many reached each stage, and how fast."""

    inject: str
    counts: dict[Stage, int]
    delivered: int
    """Teams it reached (whatever stage they are at now)."""
    opened: int
    """Teams that opened it (answered ones included)."""
    to_open: TimeStats | None
    to_answer: TimeStats | None


class Ledger:
    """Every delivery's stage, kept up to date by :meth:`apply`."""

    def __init__(self, scenario: Scenario, roster: Roster) -> None:
        self.scenario = scenario
        self._entries: dict[str, dict[str, Entry]] = {}
        """inject → team → entry (a control room of 1,000 teams reads one inject's row)."""
        self.roster = roster
        self.version = 0
        """Increases whenever an entry changes (for caches and redraws)."""

    # ------------------------------------------------------------ feeding

    def apply(self, event: Event) -> str | None:
        """Fold one event in; returns the inject whose entries changed, if any."""
        body = event.body
        t = event.t
        match body:
            case Delivered():
                for team in body.teams:
                    entry = self._entry(body.inject, team)
                    if entry.delivered is None:
                        entry.delivered, entry.skipped = t, ""
                return self._changed(body.inject)
            case c.Open():
                entry = self._entry(body.inject, body.team)
                if entry.opened is None:
                    entry.opened, entry.opened_by = t, body.member
                return self._changed(body.inject)
            case c.Respond():
                found = self.scenario.expectation_by_ref.get(body.expectation)
                if found is None:
                    return None
                entry = self._entry(found[0].id, body.team)
                if entry.answered is None and entry.delivered is not None:
                    entry.answered = t
                return self._changed(found[0].id)
            case Deadline():
                found = self.scenario.expectation_by_ref.get(body.expectation)
                if found is None:
                    return None
                for team in body.teams:
                    entry = self._entry(found[0].id, team)
                    if entry.expired is None:
                        entry.expired = t
                return self._changed(found[0].id)
            case Skipped():
                for team in body.teams:
                    self._never(body.inject, team, "skipped")
                return self._changed(body.inject)
            case c.Cancel():
                for team in body.teams or self._addressed(body.inject):
                    self._never(body.inject, team, "cancelled")
                return self._changed(body.inject)
            case (
                Scored()
                | Ended()
                | Discussion()
                | c.Start()
                | c.Pause()
                | c.Resume()
                | c.SetSpeed()
                | c.Jump()
                | c.End()
                | c.Release()
                | c.Hold()
                | c.Broadcast()
                | c.Ask()
                | c.Reply()
                | c.Grade()
                | c.Rate()
                | c.Note()
                | c.TeamNote()
                | c.Join()
                | c.Tracks()
                | c.PassQuestion()
                | c.Feedback()
            ):
                return None
            case _:
                assert_never(body)

    def apply_all(self, events: Iterable[Event]) -> None:
        for event in events:
            self.apply(event)

    def _entry(self, inject: str, team: str) -> Entry:
        row = self._entries.get(inject)
        if row is None:
            row = self._entries[inject] = {}
        found = row.get(team)
        if found is None:
            found = row[team] = Entry(inject, team)
        return found

    def _never(self, inject: str, team: str, why: Literal["skipped", "cancelled"]) -> None:
        entry = self._entry(inject, team)
        if entry.delivered is None:
            entry.skipped = why

    def _addressed(self, inject_id: str) -> list[str]:
        """The teams an inject is addressed to (the roster decides: roles, teams, cells,
        tags)."""
        inject = self.scenario.inject_by_id.get(inject_id)
        return [] if inject is None else list(self.roster.audience(self.scenario, inject))

    def _changed(self, inject: str) -> str:
        self.version += 1
        return inject

    # ------------------------------------------------------------ reading

    def entry(self, inject: str, team: str) -> Entry | None:
        return self._entries.get(inject, {}).get(team)

    def of_team(self, team: str) -> list[Entry]:
        """The team's entries in scenario order."""
        found = (self.entry(inject.id, team) for inject in self.scenario.injects)
        return [e for e in found if e is not None]

    def opened(self, inject: str) -> tuple[int, int]:
        """How many teams it reached opened it, and how many it reached: the control
        room's count, redrawn with every event (no times sorted)."""
        came = [e for e in self._entries.get(inject, {}).values() if e.delivered is not None]
        return sum(1 for e in came if e.opened is not None), len(came)

    def of_inject(self, inject: str) -> InjectLedger:
        entries = list(self._entries.get(inject, {}).values())
        counts: dict[Stage, int] = dict.fromkeys(STAGES, 0)
        for entry in entries:
            counts[entry.stage] += 1
        came = [e for e in entries if e.delivered is not None]
        opened, delivered = self.opened(inject)
        return InjectLedger(
            inject,
            counts,
            delivered,
            opened,
            time_stats(v for e in came if (v := e.to_open) is not None),
            time_stats(v for e in came if (v := e.to_answer) is not None),
        )
