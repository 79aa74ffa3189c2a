"""The scoreboard: scores folded from an exercise's events, one event at a time.

The same fold serves a live facilitator console (fed each event as it arrives)
and the after-action report (fed the whole log). It decides no points: each
result's figures are the engine's latest ``scored`` event for it (points, status,
whole-team divisor), so the scoreboard, the consoles and the report agree with
the branches the engine took. What it adds is its own: expiry, team totals,
ranks, objective roll-ups and ratings, response times, agreement, and the
answers and grades that explain each figure.

Every event costs O(1) per (team, expectation) it touches: a delivery to N teams
creates N × (its expectations) results, a ``scored`` event replaces one result's
figures and adjusts its team's totals and objective tallies by the difference.
Totals are integers of millionths of a point, so a total kept up to date event by
event is exactly the total computed from scratch.

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

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import assert_never

from engine.commands import (
    Ask,
    Broadcast,
    Cancel,
    End,
    Feedback,
    Grade,
    Hold,
    Join,
    Jump,
    Note,
    Open,
    PassQuestion,
    Pause,
    Rate,
    Release,
    Reply,
    Respond,
    Resume,
    SetSpeed,
    Start,
    TeamNote,
    Tracks,
)
from engine.events import Deadline, Delivered, Discussion, Ended, Event, Scored, Skipped
from engine.grading import Answer
from engine.roster import Roster, TeamSeat
from engine.scenario.expectations import AnyExpectation
from engine.scenario.model import Scenario
from scoring.evaluators import Agreement, RatingEntry, agreement
from scoring.objectives import ObjectiveResult, ObjectiveTally, objective_result
from scoring.results import STATUSES, ExpectationResult, GradeEntry, Status
from scoring.stats import (
    TimeStats,
    competition_ranks,
    from_micro,
    rank_label,
    standing,
    time_stats,
    to_micro,
)


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
    """Members who joined or acted, in order of first appearance (who took part)."""
    response_times: list[int] = field(default_factory=list)


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
        self._expects: dict[str, list[tuple[str, AnyExpectation, float]]] = {
            inject.id: [(f"{inject.id}.{e.id}", e, e.max_points()) for e in inject.expects]
            for inject in scenario.injects
            if inject.expects
        }
        """Per inject with expectations: (ref, expectation, maximum points) of each."""
        self._ranks: tuple[int, dict[str, int], dict[str, int], frozenset[str]] | None = None

    # ------------------------------------------------------------ feeding

    def apply(self, event: Event) -> Sequence[str]:
        """Fold one event in; returns the ids of the teams whose scores it may change."""
        self.events += 1
        t = event.t
        if t > self.now:
            self.now = t
        body = event.body
        match body:
            case Scored():
                return self._scored(body, t)
            case Respond():
                return self._respond(body, t)
            case Delivered():
                return self._delivered(body.inject, body.teams, t)
            case Deadline():
                return self._deadline(body.expectation, body.teams, t)
            case Grade():
                return self._grade(body, t)
            case Rate():
                return self._rate(body, t)
            case Join() | Ask() | TeamNote() | Open():
                self._joined(body.team, body.member)
                return ()
            case Ended():
                self.ended_reason = body.reason
                return self._ended()
            case Start() | Resume():
                self.status = "running"
                return ()
            case Pause() | Discussion():
                self.status = "paused"
                return ()
            case (
                Skipped()
                | SetSpeed()
                | Jump()
                | End()
                | Release()
                | Hold()
                | Cancel()
                | Broadcast()
                | Reply()
                | Note()
                | Tracks()
                | PassQuestion()
                | Feedback()
            ):
                return ()
            case _:
                assert_never(body)

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
        """The team's size for ``answer_by: all``, as the engine counts it: the roster's
        members, else the members who joined or acted."""
        t = self._teams[team]
        return t.seat.members or tuple(t.joined)

    def rostered(self, team: str) -> tuple[str, ...]:
        """The members the roster names for the team (none when it names no one)."""
        return self._teams[team].seat.members

    def present(self, team: str) -> tuple[str, ...]:
        """The members who took part: joined (or acted, which needs joining) at least once,
        in order of first appearance, whatever the roster says. A roster of 300 names
        of whom 2 came shows 2 here and 300 in :meth:`rostered`."""
        return tuple(self._teams[team].joined)

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
        """Rank of every team, best first: by the share of the points available to it,
        then by points (:func:`scoring.stats.standing`); ties share a rank."""
        return self._rankings()[1]

    def role_ranks(self) -> dict[str, int]:
        """Rank of every team among the teams playing the same role (same order)."""
        return self._rankings()[2]

    def tied(self) -> frozenset[str]:
        """Teams whose overall rank another team shares."""
        return self._rankings()[3]

    def rank_label(self, team: str) -> str:
        """A team's overall rank as every table shows it: ``3``, or ``3=`` when tied."""
        return rank_label(self.ranks()[team], team in self.tied())

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
        refs = self._expects.get(inject_id)
        if refs is None:
            return ()
        for team_id in teams:
            team = self._teams.get(team_id)
            if team is None:
                continue
            for ref, exp, max_points in refs:
                if ref in team.results:
                    continue
                team.results[ref] = ExpectationResult(team_id, ref, exp, t, max_points)
                team.max_points += to_micro(max_points)
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
            self._retally(team, result, before)
        self._changed()
        return teams

    def _scored(self, body: Scored, t: int) -> Sequence[str]:
        """The engine's new figures for one result: replace them, adjust the sums (and
        note when the team completed it, if this ``scored`` says it did)."""
        team = self._teams.get(body.team)
        result = team.results.get(body.expectation) if team is not None else None
        if team is None or result is None:
            return ()
        if body.completed and result.completed_at is None:
            result.completed_at = t
        before = _contribution(result)
        result.scored = body
        self._retally(team, result, before)
        self._changed()
        return (team.seat.id,)

    def _respond(self, body: Respond, t: int) -> Sequence[str]:
        """Keep the answer to explain the figures, and time the team's first answer."""
        team = self._teams.get(body.team)
        if team is None:
            return ()
        self._joined(body.team, body.member)
        result = team.results.get(body.expectation)
        if result is None:
            return (team.seat.id,)
        if result.exp.answer_by == "any" and result.given:
            return ()
        if not result.given:
            response = t - result.delivered_at
            team.response_times.append(response)
            self._by_inject.setdefault(result.inject, []).append(response)
        before = _contribution(result)
        result.add_answer(
            Answer(body.member, t, body.choice, tuple(body.items or ()), body.text, body.verdict),
            self.events,
        )
        self._retally(team, result, before)  # answered after expiring: pending until scored
        self._changed()
        return (team.seat.id,)

    def _grade(self, body: Grade, t: int) -> Sequence[str]:
        """Keep each evaluator's grade (for the why and the spread; the points are the engine's)."""
        team = self._teams.get(body.team)
        result = team.results.get(body.expectation) if team else None
        if team is None or result is None:
            return ()
        result.add_grade(GradeEntry(body.evaluator, body.points, body.reason, t, self.events))
        self._changed()
        return (team.seat.id,)

    def _rate(self, body: Rate, t: int) -> Sequence[str]:
        team = self._teams.get(body.team)
        objective = body.objective
        if team is None or objective not in self.scenario.objective_by_id:
            return ()
        entries = team.ratings.setdefault(objective, {})
        entries.pop(body.evaluator, None)
        entries[body.evaluator] = RatingEntry(body.evaluator, body.rating, body.reason, t)
        self._changed()
        return (team.seat.id,)

    def _joined(self, team_id: str, member: str) -> None:
        """Record a member who joined or acted (who took part; not what anyone scores)."""
        team = self._teams.get(team_id)
        if team is not None and member not in team.joined:
            team.joined.append(member)

    def _ended(self) -> Sequence[str]:
        self.status = "ended"
        for team in self._teams.values():
            for result in team.results.values():
                if result.status == "pending" and not result.given and not result.grades:
                    before = _contribution(result)
                    result.closed_unanswered = True
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

    def _rankings(self) -> tuple[int, dict[str, int], dict[str, int], frozenset[str]]:
        cached = self._ranks
        if cached is not None and cached[0] == self.version:
            return cached
        standings = {tid: standing(t.points, t.max_points) for tid, t in self._teams.items()}
        overall = competition_ranks(standings.items())
        by_role: dict[str, int] = {}
        for team_ids in self.roster.by_role.values():
            by_role.update(competition_ranks((tid, standings[tid]) for tid in team_ids))
        shared = Counter(overall.values())
        tied = frozenset(tid for tid, rank in overall.items() if shared[rank] > 1)
        self._ranks = (self.version, overall, by_role, tied)
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
