"""The scoreboard: scores folded from an exercise's events, one event at a time.

The same fold serves a live facilitator console (fed each event as it arrives)
and the after-action report (fed the whole log). Every event costs O(1) per
(team, expectation) it touches: a delivery to N teams creates N × (its
expectations) results, an answer or a grade recomputes one result and adjusts
its team's totals and objective tallies by the difference. Totals are integers of
millionths of a point, so a total kept up to date event by event is exactly the
total computed from scratch.

Reading is cheap too: a team's total and its objective ratings are O(1) (per
objective); ranks sort the teams once per change (cached until the next one).

Usage::

    board = Scoreboard(scenario, roster)
    for event in events:            # live: as each event arrives
        touched = board.apply(event)    # team ids whose scores may have changed
    board.total("cert-01").points
    board.ranks()["cert-01"]
    board.results("cert-01")        # ExpectationResult per delivered expectation
    board.objective("cert-01", "verify").rating
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from engine.events import DEADLINE, DELIVERED, ENDED, SKIPPED, Event
from engine.grading import Answer
from engine.roster import Roster, TeamSeat
from engine.scenario.model import Scenario
from scoring.evaluators import Agreement, RatingEntry, agreement
from scoring.objectives import ObjectiveResult, ObjectiveTally, objective_result
from scoring.results import STATUSES, ExpectationResult, GradeEntry, Status
from scoring.stats import TimeStats, competition_ranks, from_micro, time_stats, to_micro

_MEMBER_KINDS = frozenset({"respond", "ask", "team_note", "join"})


@dataclass(frozen=True, slots=True)
class TeamTotal:
    """A team's score so far: points over the maximum of what reached it, and counts."""

    team: str
    name: str
    role: str
    points: float
    max_points: float
    counts: dict[Status, int]

    @property
    def share(self) -> float | None:
        return self.points / self.max_points if self.max_points > 0 else None


@dataclass(slots=True)
class _Team:
    seat: TeamSeat
    results: dict[str, ExpectationResult] = field(default_factory=dict)
    points: int = 0
    max_points: int = 0
    counts: dict[Status, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    tallies: dict[str, ObjectiveTally] = field(default_factory=dict)
    ratings: dict[str, dict[str, RatingEntry]] = field(default_factory=dict)
    joined: list[str] = field(default_factory=list)
    whole_team: list[ExpectationResult] = field(default_factory=list)
    """Answered ``answer_by: all`` results, recomputed when the team's size changes."""
    response_times: list[int] = field(default_factory=list)

    def size(self) -> int:
        """How many members must answer an ``answer_by: all`` expectation (as the engine)."""
        return len(self.seat.members) or len(self.joined)


_Contribution = tuple[Status, int, int, int]
"""(status, points, weighted points, weighted max) a result adds to its team's sums."""


class Scoreboard:
    """Scores of every team, kept up to date by :meth:`apply`."""

    def __init__(self, scenario: Scenario, roster: Roster) -> None:
        self.scenario = scenario
        self.roster = roster
        self.rule = scenario.settings.grade_rule
        self.now = 0
        """Exercise time (ms) of the latest event applied."""
        self.status = "ready"
        """ready, running, paused or ended: as far as the events tell."""
        self.ended_reason = ""
        self.events = 0
        self.version = 0
        """Increases whenever a score may have changed (for caches and redraws)."""
        self._teams: dict[str, _Team] = {seat.id: _Team(seat) for seat in roster.teams}
        self._team_ids = tuple(self._teams)
        self._by_inject: dict[str, list[int]] = {}
        self._ranks: tuple[int, dict[str, int], dict[str, int]] | None = None

    # ------------------------------------------------------------ feeding

    def apply(self, event: Event) -> Sequence[str]:
        """Fold one event in; returns the ids of the teams whose scores it may change."""
        self.events += 1
        if event.t > self.now:
            self.now = event.t
        kind = event.kind
        payload = event.payload
        if kind == DELIVERED:
            return self._delivered(payload["inject"], payload["teams"], event.t)
        if kind == DEADLINE:
            return self._deadline(payload["expectation"], payload["teams"], event.t)
        if kind == "respond":
            return self._respond(payload, event.t)
        if kind == "grade":
            return self._grade(payload, event.t)
        if kind == "rate":
            return self._rate(payload, event.t)
        if kind in _MEMBER_KINDS:
            team = self._teams.get(payload.get("team", ""))
            if team is not None and self._joined(team, payload.get("member", "")):
                return (team.seat.id,)
            return ()
        if kind == ENDED:
            self.ended_reason = str(payload.get("reason", ""))
            return self._ended()
        if kind == "start":
            self.status = "running"
        elif kind == "pause":
            self.status = "paused"
        elif kind == "resume":
            self.status = "running"
        elif kind == SKIPPED:
            return ()
        return ()

    def apply_all(self, events: Iterable[Event]) -> None:
        for event in events:
            self.apply(event)

    # ------------------------------------------------------------ reading

    @property
    def ended(self) -> bool:
        return self.status == "ended"

    def team_ids(self) -> tuple[str, ...]:
        """Every team, in roster order."""
        return self._team_ids

    def seat(self, team: str) -> TeamSeat:
        return self._teams[team].seat

    def members(self, team: str) -> tuple[str, ...]:
        """Roster members, else the members who joined or acted (as the engine counts them)."""
        t = self._teams[team]
        return t.seat.members or tuple(t.joined)

    def total(self, team: str) -> TeamTotal:
        t = self._teams[team]
        return TeamTotal(
            team,
            t.seat.name,
            t.seat.role,
            from_micro(t.points),
            from_micro(t.max_points),
            dict(t.counts),
        )

    def totals(self) -> list[TeamTotal]:
        return [self.total(team) for team in self._team_ids]

    def points_micro(self, team: str) -> int:
        """A team's points in millionths (exact; what ranks compare)."""
        return self._teams[team].points

    def ranks(self) -> dict[str, int]:
        """Rank of every team by points, highest first; ties share a rank."""
        return self._rankings()[1]

    def role_ranks(self) -> dict[str, int]:
        """Rank of every team among the teams playing the same role."""
        return self._rankings()[2]

    def results(self, team: str) -> list[ExpectationResult]:
        """A team's results, one per delivered expectation, in delivery order."""
        return list(self._teams[team].results.values())

    def result(self, team: str, ref: str) -> ExpectationResult | None:
        return self._teams[team].results.get(ref)

    def all_results(self) -> Iterator[ExpectationResult]:
        """Every result, team by team in roster order."""
        for team in self._teams.values():
            yield from team.results.values()

    def objective(self, team: str, objective: str) -> ObjectiveResult:
        t = self._teams[team]
        return objective_result(
            self.scenario.objective_by_id[objective],
            t.tallies.get(objective),
            t.ratings.get(objective),
            self.rule,
        )

    def objectives(self, team: str) -> dict[str, ObjectiveResult]:
        """Every scenario objective for one team, in scenario order."""
        return {o.id: self.objective(team, o.id) for o in self.scenario.objectives}

    def team_times(self, team: str) -> TimeStats | None:
        """Delivery-to-first-answer times of one team."""
        return time_stats(self._teams[team].response_times)

    def inject_times(self, inject: str) -> TimeStats | None:
        """Delivery-to-first-answer times for one inject's expectations, over every team."""
        return time_stats(self._by_inject.get(inject, ()))

    def all_times(self) -> TimeStats | None:
        return time_stats(t for team in self._teams.values() for t in team.response_times)

    def agreement(self) -> Agreement:
        """Inter-rater agreement over every item two or more evaluators graded."""
        return agreement([r for r in self.all_results() if len(r.grades) > 1])

    # ------------------------------------------------------------ handlers

    def _delivered(self, inject_id: str, teams: list[str], t: int) -> Sequence[str]:
        inject = self.scenario.inject_by_id.get(inject_id)
        if inject is None or not inject.expects:
            return ()
        refs = [(f"{inject.id}.{exp.id}", exp) for exp in inject.expects]
        for team_id in teams:
            team = self._teams.get(team_id)
            if team is None:
                continue
            for ref, exp in refs:
                if ref in team.results:
                    continue
                result = ExpectationResult(team_id, ref, exp, t, exp.max_points())
                result.members = team.size()
                team.results[ref] = result
                team.max_points += to_micro(result.max_points)
                team.counts["pending"] += 1
                if exp.objective is not None:
                    tally = team.tallies.get(exp.objective)
                    if tally is None:
                        tally = team.tallies[exp.objective] = ObjectiveTally()
                    tally.pending += 1
        self._changed()
        return teams

    def _deadline(self, ref: str, teams: list[str], t: int) -> Sequence[str]:
        for team_id in teams:
            team = self._teams.get(team_id)
            result = team.results.get(ref) if team is not None else None
            if team is None or result is None:
                continue
            before = _contribution(result)
            result.expired_at = t
            result.refresh(self.rule)
            self._retally(team, result, before)
        self._changed()
        return teams

    def _respond(self, payload: dict[str, Any], t: int) -> Sequence[str]:
        team = self._teams.get(payload.get("team", ""))
        if team is None:
            return ()
        member = str(payload.get("member", ""))
        self._joined(team, member)
        result = team.results.get(payload.get("expectation", ""))
        if result is None:
            return (team.seat.id,)
        if result.exp.answer_by == "any" and result.answers:
            return ()
        before = _contribution(result)
        first = not result.answers
        result.add_answer(
            Answer(
                member,
                t,
                payload.get("choice"),
                tuple(payload.get("items") or ()),
                payload.get("text"),
            )
        )
        if first:
            response = t - result.delivered_at
            team.response_times.append(response)
            self._by_inject.setdefault(result.inject, []).append(response)
            if result.exp.answer_by == "all":
                team.whole_team.append(result)
        result.members = team.size()
        result.refresh(self.rule)
        self._retally(team, result, before)
        self._changed()
        return (team.seat.id,)

    def _grade(self, payload: dict[str, Any], t: int) -> Sequence[str]:
        team = self._teams.get(payload.get("team", ""))
        result = team.results.get(payload.get("expectation", "")) if team else None
        if team is None or result is None:
            return ()
        before = _contribution(result)
        result.add_grade(
            GradeEntry(
                str(payload.get("evaluator", "")),
                float(payload.get("points", 0.0)),
                str(payload.get("reason", "")),
                t,
            )
        )
        result.refresh(self.rule)
        self._retally(team, result, before)
        self._changed()
        return (team.seat.id,)

    def _rate(self, payload: dict[str, Any], t: int) -> Sequence[str]:
        team = self._teams.get(payload.get("team", ""))
        objective = payload.get("objective", "")
        if team is None or objective not in self.scenario.objective_by_id:
            return ()
        entries = team.ratings.setdefault(objective, {})
        evaluator = str(payload.get("evaluator", ""))
        entries.pop(evaluator, None)
        entries[evaluator] = RatingEntry(
            evaluator, payload["rating"], str(payload.get("reason", "")), t
        )
        self._changed()
        return (team.seat.id,)

    def _joined(self, team: _Team, member: str) -> bool:
        """Record a member who acted; True if the team's size for whole-team answers changed."""
        if not member or member in team.joined:
            return False
        team.joined.append(member)
        if team.seat.members:
            return False
        size = team.size()
        for result in team.whole_team:
            before = _contribution(result)
            result.members = size
            result.refresh(self.rule)
            self._retally(team, result, before)
        self._changed()
        return True

    def _ended(self) -> Sequence[str]:
        self.status = "ended"
        for team in self._teams.values():
            for result in team.results.values():
                if result.status == "pending" and not result.answers and not result.grades:
                    before = _contribution(result)
                    result.closed_unanswered = True
                    result.refresh(self.rule)
                    self._retally(team, result, before)
        self._changed()
        return self._team_ids

    # ------------------------------------------------------------ sums

    def _retally(self, team: _Team, result: ExpectationResult, before: _Contribution) -> None:
        after = _contribution(result)
        if after == before:
            return
        old_status, old_points, old_wp, old_wm = before
        new_status, new_points, new_wp, new_wm = after
        team.points += new_points - old_points
        team.counts[old_status] -= 1
        team.counts[new_status] += 1
        objective = result.exp.objective
        if objective is None:
            return
        tally = team.tallies[objective]
        tally.weighted_points += new_wp - old_wp
        tally.weighted_max += new_wm - old_wm
        was_decided, is_decided = old_status != "pending", new_status != "pending"
        tally.decided += is_decided - was_decided
        tally.pending += was_decided - is_decided
        tally.met += (new_status == "met") - (old_status == "met")

    def _changed(self) -> None:
        self.version += 1

    def _rankings(self) -> tuple[int, dict[str, int], dict[str, int]]:
        cached = self._ranks
        if cached is not None and cached[0] == self.version:
            return cached
        overall = competition_ranks((tid, t.points) for tid, t in self._teams.items())
        by_role: dict[str, int] = {}
        for team_ids in self.roster.by_role.values():
            by_role.update(competition_ranks((tid, self._teams[tid].points) for tid in team_ids))
        self._ranks = (self.version, overall, by_role)
        return self._ranks


def _contribution(result: ExpectationResult) -> _Contribution:
    points = to_micro(result.points)
    if result.status == "pending":
        return result.status, points, 0, 0
    weight = result.exp.weight
    return (
        result.status,
        points,
        round(weight * points),
        round(weight * to_micro(result.max_points)),
    )


def score_events(scenario: Scenario, roster: Roster, events: Iterable[Event]) -> Scoreboard:
    """A scoreboard with every event applied (the batch form of the fold)."""
    board = Scoreboard(scenario, roster)
    board.apply_all(events)
    return board
