"""Dry-run: play a whole scenario with bot teams as fast as the CPU allows.

The same engine and the same ordering rule as a live exercise: events at or
before ``t`` run, then inputs stamped ``t``. Bots plan their answers from the
deliveries they see; the driver interleaves those planned inputs with the
engine's own schedule. With a log, the result replays exactly like a live one.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from engine import commands as c
from engine.bots import BotTeams, Planned, Profile
from engine.eventlog import EventLog
from engine.events import Deadline, Delivered, Event, Skipped
from engine.exercise import Exercise
from engine.roster import Roster
from engine.scenario.model import Scenario

BUCKET = 15 * 60_000
FLOOD_WINDOW = 10 * 60_000
Progress = Callable[[int, int], None]
"""Called with (exercise ms played, scenario duration ms)."""


@dataclass
class DryRun:
    """What a dry-run did: the events, and the figures a planner looks at."""

    scenario: Scenario
    roster: Roster
    seed: int
    events: list[Event]
    inputs: int = 0
    rejected: list[str] = field(default_factory=list)

    def deliveries(self) -> list[tuple[int, str, str, str]]:
        """(t, inject, team, cause) for every team an inject reached."""
        return [
            (e.t, e.body.inject, team, e.body.cause)
            for e in self.events
            if isinstance(e.body, Delivered)
            for team in e.body.teams
        ]

    def reach(self) -> dict[str, dict[str, int]]:
        """Per inject: teams it reached, teams that skipped it, teams never triggered."""
        delivered: Counter[str] = Counter()
        skipped: Counter[str] = Counter()
        for e in self.events:
            if isinstance(e.body, Delivered):
                delivered[e.body.inject] += len(e.body.teams)
            elif isinstance(e.body, Skipped):
                skipped[e.body.inject] += len(e.body.teams)
        out = {}
        for inj in self.scenario.injects:
            audience = len(self.roster.teams_of(self.scenario.roles_of(inj)))
            out[inj.id] = {
                "audience": audience,
                "delivered": delivered[inj.id],
                "skipped": skipped[inj.id],
                "untriggered": audience - delivered[inj.id] - skipped[inj.id],
            }
        return out

    def missed(self) -> dict[str, int]:
        """Per expectation, how many teams let the deadline pass unanswered."""
        counts: Counter[str] = Counter()
        for e in self.events:
            if isinstance(e.body, Deadline):
                counts[e.body.expectation] += len(e.body.teams)
        return dict(sorted(counts.items()))

    def load(self) -> list[tuple[int, float, int]]:
        """Per 15-minute bucket: (bucket start ms, mean injects per team, max for one team)."""
        per_team: dict[int, Counter[str]] = defaultdict(Counter)
        for t, _inject, team, _cause in self.deliveries():
            per_team[t // BUCKET][team] += 1
        n_teams = max(1, len(self.roster))
        buckets = range(0, -(-self.scenario.duration // BUCKET))
        return [
            (b * BUCKET, sum(per_team[b].values()) / n_teams, max(per_team[b].values(), default=0))
            for b in buckets
        ]

    def flooded(self) -> dict[str, int]:
        """Teams that got more than the scenario's flood threshold in some 10 minutes: the peak."""
        limit = self.scenario.settings.flood_threshold
        times: dict[str, list[int]] = defaultdict(list)
        for t, _inject, team, _cause in self.deliveries():
            times[team].append(t)
        out = {}
        for team, ts in times.items():
            ts.sort()
            peak, start = 0, 0
            for end, t in enumerate(ts):
                while t - ts[start] >= FLOOD_WINDOW:
                    start += 1
                peak = max(peak, end - start + 1)
            if peak > limit:
                out[team] = peak
        return out

    def warnings(self) -> list[str]:
        out = []
        for team, peak in sorted(self.flooded().items()):
            out.append(
                f"team {team} received {peak} injects within 10 minutes (threshold "
                f"{self.scenario.settings.flood_threshold})"
            )
        for inject_id, row in self.reach().items():
            inj = self.scenario.inject_by_id[inject_id]
            if row["delivered"] == 0 and not inj.contingency:
                out.append(f"{inject_id} reached no team")
        return out


def dry_run(
    scenario: Scenario,
    roster: Roster,
    profiles: dict[str, Profile],
    *,
    seed: int,
    log: EventLog | None = None,
    progress: Progress | None = None,
    chunk: int = 20_000,
) -> DryRun:
    """Play the scenario to its end with bots; optionally write every event to ``log``."""
    ex = Exercise(scenario, roster, seed)
    members = {seat.id: seat.members for seat in roster.teams if seat.members}
    bots = BotTeams(scenario, seed, profiles, members=members)
    planned: list[tuple[int, int, Planned]] = []
    order = 0
    events: list[Event] = []
    unlogged = 0
    rejected: list[str] = []
    inputs = 0
    last_report = -1

    def feed(produced: list[Event]) -> None:
        nonlocal order, unlogged
        for event in produced:
            for plan in bots.react(event):
                heapq.heappush(planned, (plan.t, order, plan))
                order += 1
        events.extend(produced)
        unlogged += len(produced)
        if log is not None and unlogged >= chunk:
            log.append(events[-unlogged:])
            unlogged = 0

    outcome = ex.submit(c.Start(), 0)
    assert outcome.ok, outcome.reason
    feed(ex.drain())
    while not ex.ended:
        t_env = ex.next_event_time()
        t_bot = planned[0][0] if planned else None
        if t_env is not None and (t_bot is None or t_env <= t_bot):
            ex.advance_to(t_env)
        elif t_bot is not None:
            _, _, plan = heapq.heappop(planned)
            outcome = ex.submit(plan.cmd, plan.t)
            inputs += 1
            if not outcome.ok:
                rejected.append(f"{plan.t} {plan.cmd.type}: {outcome.reason}")
        else:
            break
        feed(ex.drain())
        if progress is not None and ex.now * 100 // scenario.duration != last_report:
            last_report = ex.now * 100 // scenario.duration
            progress(ex.now, scenario.duration)
    # Evaluators keep grading after play ends; bots do too.
    for _t, _order, plan in sorted(planned):
        if plan.cmd.type == "grade":
            ex.submit(plan.cmd, max(plan.t, ex.now))
            inputs += 1
    feed(ex.drain())
    if log is not None and unlogged:
        log.append(events[-unlogged:])
    return DryRun(scenario, roster, seed, events, inputs, rejected)
