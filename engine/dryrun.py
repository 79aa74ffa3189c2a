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
from itertools import pairwise

from engine import commands as c
from engine.bots import BotTeams, Planned, Profile, facilitate
from engine.durations import format_clock
from engine.eventlog import EventLog
from engine.events import Deadline, Delivered, Discussion, Event, Skipped
from engine.exercise import Exercise
from engine.i18n import N_
from engine.i18n.phrase import Phrase
from engine.roster import Roster
from engine.scenario.model import Scenario

BUCKET = 15 * 60_000
FLOOD_WINDOW = 10 * 60_000
IDLE_AFTER = 20 * 60_000
"""A team that gets no inject for longer than this sits idle at its table: a pacing
problem the planner wants named (a track with nothing to do for half an hour)."""
Progress = Callable[[int, int], None]
"""Called with (exercise ms played, scenario duration ms)."""


@dataclass(frozen=True, slots=True)
class IdleStretch:
    """Overlapping stretches in which teams of a role got no inject (bots' answers and
    jitter make the teams of one role differ by a few minutes: one finding, not five)."""

    role: str
    start: int
    """ms from the start: the earliest of the stretches."""
    end: int
    """ms: the latest end of the stretches (a delivery, or the scenario's end)."""
    shortest: int
    longest: int
    """ms: the shortest and the longest stretch of one team."""
    teams: int
    """Teams of the role idle in it."""
    of: int
    """Teams playing the role."""

    def describe(self) -> Phrase:
        """The finding in words: English in ``--format json``, said where it is printed."""
        low, high = -(-self.shortest // 60_000), -(-self.longest // 60_000)
        length = (
            Phrase(N_("{low} min"), low=low)
            if low == high
            else Phrase(N_("{low}-{high} min"), low=low, high=high)
        )
        return Phrase(
            N_(
                "role {role}: no inject for {length} between {start} and {end} "
                "({teams} of {of} teams)"
            ),
            role=self.role,
            length=length,
            start=format_clock(self.start),
            end=format_clock(self.end),
            teams=self.teams,
            of=self.of,
        )


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

    def discussions(self) -> list[tuple[int, Discussion]]:
        """Each module's discussion that paused play: (exercise ms, what was announced)."""
        return [(e.t, e.body) for e in self.events if isinstance(e.body, Discussion)]

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
            audience = len(self.roster.audience(self.scenario, inj))
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

    def load_by_role(self) -> dict[str, list[float]]:
        """Per role, in the scenario's order: mean injects per team of the role in each
        15-minute bucket (the buckets of :meth:`load`)."""
        role_of = {seat.id: seat.role for seat in self.roster.teams}
        sizes = Counter(role_of.values())
        n_buckets = -(-self.scenario.duration // BUCKET)
        counts: dict[str, list[int]] = {
            role: [0] * n_buckets for role in self.scenario.role_ids if sizes[role]
        }
        for t, _inject, team, _cause in self.deliveries():
            bucket = min(t // BUCKET, n_buckets - 1)
            counts[role_of[team]][bucket] += 1
        return {role: [n / sizes[role] for n in row] for role, row in counts.items()}

    def idle(self) -> list[IdleStretch]:
        """Stretches of more than :data:`IDLE_AFTER` in which a team got no inject (from
        the start to its first inject, between two, or from its last to the end), the
        overlapping ones of a role's teams merged; in role order, then by start."""
        times: dict[str, list[int]] = defaultdict(list)
        for t, _inject, team, _cause in self.deliveries():
            times[team].append(t)
        sizes = Counter(seat.role for seat in self.roster.teams)
        per_role: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
        for seat in self.roster.teams:
            marks = [0, *sorted(times.get(seat.id, ())), self.scenario.duration]
            for before, after in pairwise(marks):
                if after - before > IDLE_AFTER:
                    per_role[seat.role].append((before, after, seat.id))
        out = []
        for role in self.scenario.role_ids:
            stretches = sorted(per_role.get(role, ()))
            while stretches:
                start, end, _ = stretches[0]
                group = []
                while stretches and stretches[0][0] < end:
                    group.append(stretches.pop(0))
                    end = max(end, group[-1][1])
                lengths = [b - a for a, b, _ in group]
                out.append(
                    IdleStretch(
                        role,
                        start,
                        end,
                        min(lengths),
                        max(lengths),
                        len({team for _, _, team in group}),
                        sizes[role],
                    )
                )
        return out

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
        """What a planner should look at, in words: English data (``--format json``), each
        a :class:`~engine.i18n.phrase.Phrase` said in the reader's language where printed."""
        out: list[str] = []
        for team, peak in sorted(self.flooded().items()):
            out.append(
                Phrase(
                    N_("team {team} received {peak} injects within 10 minutes (threshold {limit})"),
                    team=team,
                    peak=peak,
                    limit=self.scenario.settings.flood_threshold,
                )
            )
        for inject_id, row in self.reach().items():
            inj = self.scenario.inject_by_id[inject_id]
            if row["delivered"] == 0 and not inj.contingency:
                out.append(Phrase(N_("{inject} reached no team"), inject=inject_id))
        out.extend(stretch.describe() for stretch in self.idle())
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
            for plan in [*bots.react(event), *facilitate(event)]:
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
