"""The exercise: a scenario played to a roster of teams on a SimPy clock.

One class serves a live exercise, a dry-run and a replay. Time is exercise time in
milliseconds on a plain ``simpy.Environment``; nothing here reads the wall clock
or the global ``random``. Jitter comes from a keyed hash of (exercise
seed, inject, team), so it does not depend on the order things happen in.

Ordering rule, relied on by replay: :meth:`advance_to` runs every scheduled event
at or before ``t``; an input stamped ``t`` is applied after them. Everything the
exercise produces goes to :attr:`outbox` in order; callers drain it.

Scheduling is grouped: teams that fire an inject at the same moment share one
SimPy event, so 1,000 teams receiving an inject at 10:00 cost one event, not 1,000.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar, cast

import simpy
from pydantic import BaseModel

from engine import commands as c
from engine.conditions import holds, passes
from engine.durations import format_clock
from engine.events import (
    Cause,
    Deadline,
    Delivered,
    Discussion,
    Ended,
    Event,
    Scored,
    Skipped,
)
from engine.grading import Answer, decide
from engine.i18n import N_
from engine.i18n.phrase import Phrase
from engine.meaning.intake import assess
from engine.roster import Roster
from engine.scenario.expectations import (
    AnyExpectation,
    ChecklistExpectation,
    DecisionExpectation,
    TextExpectation,
)
from engine.scenario.injects import Inject, Test
from engine.scenario.model import Scenario
from engine.scenario.modules import Talk, talks
from engine.teamstate import TeamState

Status = Literal["ready", "running", "paused", "ended"]
_Out = TypeVar("_Out", bound=BaseModel)
_AFTER_ALL = simpy.events.EventPriority(2)
"""Below SimPy's normal priority: a discussion waits for what else falls at its moment."""
_NO_ANSWERS: list[Answer] = []
_NO_GRADES: dict[str, float] = {}
"""What :meth:`Exercise._rescore` passes for a team with no answers or grades yet: one
shared empty list and dict (only read), not a new one per answer."""


class Rejected(Exception):
    """A command that makes no sense now; the reason is for the person who sent it.

    The reason is a :class:`Phrase`: English text for the log, replay and tests, that
    a console still says in its reader's language (the server sends its template).
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# What a refusal may name in its ``{what}`` and ``{status}`` slots, marked here for the
# catalog so that the accepted path passes plain strings (no call per command).
_SAID_IN_REFUSALS = (
    N_("a jump"),
    N_("a release"),
    N_("holding or cancelling an inject"),
    N_("a broadcast"),
    N_("answering"),
    N_("writing to an actor"),
    N_("opening an inject"),
    N_("ready"),
    N_("running"),
    N_("paused"),
    N_("ended"),
)


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result of :meth:`Exercise.submit`: accepted (with the events it made) or not."""

    ok: bool
    reason: str = ""
    events: tuple[Event, ...] = ()

    @property
    def input(self) -> Event:
        """The logged input of an accepted command. Not always the first event: what fell
        due on the way to the command's time comes before it."""
        return next(event for event in self.events if event.is_input)


class Exercise:
    """A scenario in play: commands enter by :meth:`submit`, time moves by :meth:`advance_to`."""

    def __init__(
        self,
        scenario: Scenario,
        roster: Roster,
        seed: int | None = None,
        *,
        recorded: bool = False,
    ) -> None:
        self.scenario = scenario
        self.recorded = recorded
        """True while replaying a log: text answers carry the verdict recorded when they
        were taken (or none, in a log from before the meaning grader: keywords grade
        them), and are never graded again. False: each text answer is graded now."""
        self.roster = roster
        self.seed = scenario.seed if seed is None else seed
        self.env = simpy.Environment()
        self.status: Status = "ready"
        self.speed = 1.0
        self.started_at: int | None = None
        self.paused_by: c.Pause | None = None
        """The pause in force (its message and planned end), while paused."""
        self.outbox: list[Event] = []
        self._landing: int | None = None
        """While a jump ``at_landing`` runs: where it lands (deliveries on the way wait)."""
        self.teams: dict[str, TeamState] = {
            seat.id: TeamState(seat.id, seat.role, seat.members) for seat in roster.teams
        }
        self._audience: dict[str, list[str]] = {
            inj.id: roster.audience(scenario, inj) for inj in scenario.injects
        }
        self._audience_set = {k: frozenset(v) for k, v in self._audience.items()}
        self._index = {seat.id: i for i, seat in enumerate(roster.teams)}
        self._tallies: dict[int, tuple[int, int]] = {}
        """World tests counted during the current firing (see :meth:`tally`)."""
        self._grade_rule = scenario.settings.grade_rule
        self._by_ref = scenario.expectation_by_ref
        """The scenario's expectations by ref, at hand (every answer looks one up twice)."""
        self._max_points = {
            ref: exp.max_points() for ref, (_, exp) in scenario.expectation_by_ref.items()
        }
        self._after_inject: dict[str, list[Inject]] = {}
        self._after_response: dict[str, list[Inject]] = {}
        self._escalations: dict[str, list[Inject]] = {}
        for inj in scenario.injects:
            if inj.after is not None and inj.after.inject is not None:
                self._after_inject.setdefault(inj.after.inject, []).append(inj)
            elif inj.after is not None and inj.after.response is not None:
                self._after_response.setdefault(inj.after.response, []).append(inj)
            if inj.if_no_response is not None:
                self._escalations.setdefault(inj.if_no_response.expectation, []).append(inj)
        self._across: dict[str, list[list[str]]] = _across_cells(scenario, roster)
        self._talks: list[Talk] = talks(scenario)
        """The modules' discussions (:mod:`engine.scenario.modules`), in time order."""
        self._talks_due: list[int] = []
        """When each discussion still to come falls due (exercise ms), soonest first."""
        """Per inject whose anchor is another role's team in the cell (``after`` or
        ``if_no_response`` with ``role``), for each team in roster order: the teams of
        its cell the inject goes to when the anchor happens at that team's table
        (legal's answer sets off communications' call in the same organisation)."""
        self._jitter_keys: dict[str, hashlib.blake2b] = {}
        """Per jittered inject, its :func:`jitter_key` (see :meth:`_jitter_key`)."""

    def _reached(self, dep: Inject, teams: list[str]) -> list[str]:
        """The teams ``dep`` goes to when its anchor happened for ``teams``: those in its
        audience; with an anchor ``role``, the cells' teams in its audience instead."""
        across = self._across.get(dep.id)
        if across is None:
            audience = self._audience_set[dep.id]
            return [t for t in teams if t in audience]
        out: list[str] = []
        for team in teams:
            for other in across[self._index[team]]:
                if other not in out:
                    out.append(other)
        return out

    def tally(self, test: Test) -> tuple[int, int]:
        """See :meth:`engine.conditions.World.tally`. Counted once per firing: every team
        an inject fires for reads the same world (a thousand teams would otherwise
        count a thousand teams each); :meth:`_fire` forgets the counts."""
        found = self._tallies.get(id(test))
        if found is None:
            inject_id = test.expectation.partition(".")[0]
            teams = [
                team
                for team in (self.teams[t] for t in self._audience[inject_id])
                if (test.role is None or team.role == test.role)
                and team.delivered_at(inject_id) is not None
            ]
            found = (sum(1 for team in teams if passes(test, team, self.met)), len(teams))
            self._tallies[id(test)] = found
        return found

    def peer(self, team: TeamState, role: str) -> TeamState | None:
        """The team playing ``role`` in ``team``'s cell (itself for its own role)."""
        if role == team.role:
            return team
        other = self.roster.peer(team.id, role)
        return None if other is None else self.teams[other]

    # ------------------------------------------------------------------ time

    @property
    def now(self) -> int:
        return int(self.env.now)

    @property
    def ended(self) -> bool:
        return self.status == "ended"

    def advance_to(self, t: int) -> None:
        """Run every scheduled event at or before ``t`` and leave the clock at ``t``."""
        env = self.env
        if t > env.now:
            env.run(until=t)
        while env.peek() <= t:
            env.step()

    def next_event_time(self) -> int | None:
        """When the next scheduled event falls, or None if nothing is scheduled."""
        when = self.env.peek()
        return None if when == float("inf") else int(when)

    def drain(self) -> list[Event]:
        """Everything produced since the last drain, in order."""
        out, self.outbox = self.outbox, []
        return out

    # -------------------------------------------------------------- commands

    def submit(self, cmd: c.Command, t: int) -> Outcome:
        """Advance to ``t`` and apply ``cmd``; a rejected command changes nothing."""
        mark = len(self.outbox)
        refused = self.apply(cmd, t)
        if refused is not None:
            return Outcome(False, refused)
        return Outcome(True, "", tuple(self.outbox[mark:]))

    def apply(self, cmd: c.Command, t: int) -> str | None:
        """:meth:`submit` without its :class:`Outcome`: the reason ``cmd`` is refused, or
        None once applied (replay's path: it reads what was made from :meth:`drain`)."""
        env = self.env
        now = int(env.now)
        if t < now:
            t = now
        if t > now or env.peek() <= t:
            self.advance_to(t)  # the clock is now at t
        kind = cmd.type
        handler = self._handlers.get(kind)
        assert handler is not None, kind
        try:
            handler(self, cmd, True)
        except Rejected as exc:
            return exc.reason
        # By its type, not isinstance(): a pydantic class's isinstance() that fails
        # costs more than the rest of a check.
        if kind == "respond":
            if not self.recorded:
                cmd = self._assess(cast(c.Respond, cmd))
        elif kind == "jump":
            cmd = self._landing_of(cast(c.Jump, cmd))
        self.outbox.append(Event(cmd, t))  # the log entry of the accepted command
        handler(self, cmd, False)
        return None

    def _require_live(self, what: str) -> None:
        if self.status == "ended":
            raise Rejected(
                Phrase(
                    N_("the exercise has ended: {what} is no longer possible"), what=Phrase(what)
                )
            )
        if self.status == "ready":
            raise Rejected(
                Phrase(
                    N_("the exercise has not started yet: {what} waits for the start"),
                    what=Phrase(what),
                )
            )

    def _team(self, team_id: str) -> TeamState:
        team = self.teams.get(team_id)
        if team is None:
            raise Rejected(Phrase(N_("unknown team {team!r}"), team=team_id))
        return team

    def _inject(self, inject_id: str) -> Inject:
        inject = self.scenario.inject_by_id.get(inject_id)
        if inject is None:
            raise Rejected(Phrase(N_("unknown inject {inject!r}"), inject=inject_id))
        return inject

    def _expectation(self, ref: str) -> tuple[Inject, AnyExpectation]:
        found = self.scenario.expectation_by_ref.get(ref)
        if found is None:
            raise Rejected(Phrase(N_("unknown expectation {expectation!r}"), expectation=ref))
        return found

    # Each handler runs twice: with dry=True it only checks (raising Rejected);
    # with dry=False it applies. Checks come first so a rejection changes nothing.

    def _on_start(self, cmd: c.Start, dry: bool) -> None:
        if self.status != "ready":
            raise Rejected(
                Phrase(N_("the exercise is already {status}"), status=Phrase(self.status))
            )
        if dry:
            return
        self.status = "running"
        self.started_at = self.now
        for inj in self.scenario.injects:
            if inj.at is not None:
                self._trigger(inj, self._audience[inj.id], self.now + inj.at, "at")
        end = self.env.timeout(self.scenario.duration)
        end.callbacks.append(lambda _ev: self._end("duration"))
        for talk in self._talks:
            self._schedule_talk(talk)

    def _on_pause(self, cmd: c.Pause, dry: bool) -> None:
        if self.status != "running":
            raise Rejected(
                Phrase(
                    N_("only a running exercise can be paused (it is {status})"),
                    status=Phrase(self.status),
                )
            )
        if not dry:
            self.status = "paused"
            self.paused_by = cmd

    def _on_resume(self, cmd: c.Resume, dry: bool) -> None:
        if self.status != "paused":
            raise Rejected(
                Phrase(
                    N_("only a paused exercise can be resumed (it is {status})"),
                    status=Phrase(self.status),
                )
            )
        if not dry:
            self.status = "running"
            self.paused_by = None

    def _on_set_speed(self, cmd: c.SetSpeed, dry: bool) -> None:
        if self.status == "ended":
            raise Rejected(Phrase(N_("the exercise has ended")))
        if not dry:
            self.speed = cmd.speed

    def _end_time(self) -> int:
        """When the exercise ends by itself: its start plus the scenario's duration."""
        return (self.started_at or 0) + self.scenario.duration

    def _on_jump(self, cmd: c.Jump, dry: bool) -> None:
        self._require_live("a jump")
        if cmd.to <= self.now:
            raise Rejected(
                Phrase(
                    N_("can only jump ahead: {to} is not after now ({now})"),
                    to=format_clock(cmd.to),
                    now=format_clock(self.now),
                )
            )
        end = self._end_time()
        if cmd.to > end:
            raise Rejected(
                Phrase(
                    N_("{to} is after the exercise ends ({end}): jump to the end at most"),
                    to=format_clock(cmd.to),
                    end=format_clock(end),
                )
            )
        if dry:
            return
        to = self.bound(cmd.to)  # a module's discussion on the way stops the jump there
        self._landing = to if cmd.at_landing else None
        try:
            self.advance_to(to)
        finally:
            self._landing = None

    def _landing_of(self, cmd: c.Jump) -> c.Jump:
        """The jump as it lands: a module's discussion on the way stops it there, and
        the logged jump says so, so every console's clock (and a report) that reads the
        log lands where the engine did."""
        to = self.bound(cmd.to)
        return cmd if to == cmd.to else cmd.model_copy(update={"to": to})

    def _on_end(self, cmd: c.End, dry: bool) -> None:
        if self.status == "ended":
            raise Rejected(Phrase(N_("the exercise has already ended")))
        if not dry:
            self._end(cmd.reason or "ended by the facilitator")

    def _targets(self, inject: Inject, teams: list[str] | None) -> list[str]:
        audience = self._audience[inject.id]
        if teams is None:
            return audience
        allowed = self._audience_set[inject.id]
        for team in teams:
            self._team(team)
            if team not in allowed:
                raise Rejected(
                    Phrase(
                        N_("{inject} is not addressed to team {team!r}"),
                        inject=inject.id,
                        team=team,
                    )
                )
        return list(dict.fromkeys(teams))

    def _on_release(self, cmd: c.Release, dry: bool) -> None:
        self._require_live("a release")
        inject = self._inject(cmd.inject)
        targets = self._targets(inject, cmd.teams)
        done = [t for t in targets if self.teams[t].status_of(inject.id) == "delivered"]
        if cmd.teams is not None and done:
            raise Rejected(
                Phrase(
                    N_("{inject} was already delivered to {teams}"),
                    inject=inject.id,
                    teams=", ".join(done),
                )
            )
        todo = [t for t in targets if t not in set(done)]
        if not todo:
            raise Rejected(
                Phrase(N_("{inject} was already delivered to every team"), inject=inject.id)
            )
        if cmd.at is not None and cmd.at < self.now:
            raise Rejected(
                Phrase(
                    N_("release time {at} is in the past (now {now})"),
                    at=format_clock(cmd.at),
                    now=format_clock(self.now),
                )
            )
        end = self._end_time()
        if cmd.at is not None and cmd.at > end:
            raise Rejected(
                Phrase(
                    N_("release time {at} is after the exercise ends ({end})"),
                    at=format_clock(cmd.at),
                    end=format_clock(end),
                )
            )
        if dry:
            return
        when = self.now if cmd.at is None else cmd.at
        if when == self.now:
            self._deliver(inject, todo, "release")
        else:
            self._schedule(inject, todo, when, "release", jitter=False)

    def _hold_or_cancel(
        self, cmd: c.Hold | c.Cancel, dry: bool, status: Literal["held", "cancelled"]
    ) -> None:
        self._require_live("holding or cancelling an inject")
        inject = self._inject(cmd.inject)
        targets = self._targets(inject, cmd.teams)
        open_ = [
            t
            for t in targets
            if self.teams[t].status_of(inject.id) in ("pending", "scheduled", "held")
        ]
        if not open_ or (cmd.teams is not None and len(open_) < len(targets)):
            closed = [t for t in targets if t not in set(open_)]
            if not closed:
                raise Rejected(
                    Phrase(N_("{inject} is no longer pending for any team"), inject=inject.id)
                )
            raise Rejected(
                Phrase(
                    N_("{inject} is no longer pending for {teams}"),
                    inject=inject.id,
                    teams=", ".join(closed),
                )
            )
        if dry:
            return
        for team in open_:
            self.teams[team].cell(inject.id).status = status

    def _on_hold(self, cmd: c.Hold, dry: bool) -> None:
        self._hold_or_cancel(cmd, dry, "held")

    def _on_cancel(self, cmd: c.Cancel, dry: bool) -> None:
        self._hold_or_cancel(cmd, dry, "cancelled")

    def _on_broadcast(self, cmd: c.Broadcast, dry: bool) -> None:
        self._require_live("a broadcast")
        for team in cmd.teams or ():
            self._team(team)
        if cmd.actor is not None and cmd.actor not in self.scenario.actor_by_id:
            raise Rejected(Phrase(N_("unknown actor {actor!r}"), actor=cmd.actor))

    def _on_respond(self, cmd: c.Respond, dry: bool) -> None:
        if not dry:
            self._answer(cmd)
            return
        if self.status != "running":
            self._require_live("answering")
        # The lookups of _team and _expectation inline (every answer passes here).
        team = self.teams.get(cmd.team) or self._team(cmd.team)
        found = self._by_ref.get(cmd.expectation)
        inject, exp = found or self._expectation(cmd.expectation)
        cell = team.cells.get(inject.id)
        if cell is None or cell.status != "delivered":
            raise Rejected(
                Phrase(
                    N_("{inject} has not been delivered to team {team}"),
                    inject=inject.id,
                    team=team.id,
                )
            )
        _check_answer_shape(exp, cmd)
        previous = team.answers.get(cmd.expectation, ())
        answer_by = exp.answer_by
        if answer_by == "any" and previous:
            first = previous[0]
            raise Rejected(
                Phrase(
                    N_("{expectation} was already answered by {member}"),
                    expectation=cmd.expectation,
                    member=first.member,
                )
            )
        if answer_by == "all" and any(a.member == cmd.member for a in previous):
            raise Rejected(
                Phrase(
                    N_("{member} has already answered {expectation}"),
                    member=cmd.member,
                    expectation=cmd.expectation,
                )
            )

    def _assess(self, cmd: c.Respond) -> c.Respond:
        """Grade a text answer as it is taken, and record the verdict in the input.

        The grade is decided here, once, rather than at every replay: an embedding
        model's floats can differ across machines, and the engine branches on "met".
        The logged ``respond`` carries it, so a replay anywhere reads the same points
        without the model. A verdict the sender supplied is never kept.
        """
        exp = self.scenario.expectation_by_ref[cmd.expectation][1]
        verdict = assess(exp, cmd.text or "") if isinstance(exp, TextExpectation) else None
        if verdict is None and cmd.verdict is None:
            return cmd
        return cmd.model_copy(update={"verdict": verdict})

    def _answer(self, cmd: c.Respond) -> None:
        """Apply an answer :meth:`_on_respond` accepted (the hot path: checks ran once)."""
        team = self.teams[cmd.team]
        ref = cmd.expectation
        inject, exp = self._by_ref[ref]
        member = cmd.member
        if member not in team.joined:  # (a member already counted needs no call)
            self._member(team, member)
        now = int(self.env.now)
        items = cmd.items
        answer = Answer(
            member, now, cmd.choice, () if items is None else tuple(items), cmd.text, cmd.verdict
        )
        answers = team.answers.get(ref)
        if answers is None:
            answers = team.answers[ref] = []
        answers.append(answer)
        completes = False
        if ref not in team.completed:
            if exp.answer_by != "all":
                completes = True
            else:
                everyone = team.members()
                completes = not everyone or set(everyone) <= {a.member for a in answers}
            if completes:
                self._complete(team, ref)
        self._rescore(team, ref, completes, inject, exp)

    def _complete(self, team: TeamState, ref: str) -> None:
        """Record the completion (announced by the ``scored`` that follows) and start
        what waits for it; conditions see the figures as they were before this answer."""
        now = team.completed[ref] = int(self.env.now)
        for dep in self._after_response.get(ref, ()):
            reached = self._reached(dep, [team.id])
            if reached:
                assert dep.after is not None
                self._trigger(dep, reached, now + dep.after.delay, "after")

    def _member(self, team: TeamState, member: str) -> None:
        """A member joined or acted; a team answering as a whole may now count one more."""
        if not team.add_member(member):
            return
        for ref in team.answers:
            if self.scenario.expectation(ref).answer_by == "all":
                self._rescore(team, ref)

    def _rescore(
        self,
        team: TeamState,
        ref: str,
        completes: bool = False,
        inject: Inject | None = None,
        exp: AnyExpectation | None = None,
    ) -> None:
        """Decide the team's figures for ``ref`` again; announce them if they changed,
        or if this answer ``completes`` the expectation (the announcement says so).
        ``inject`` and ``exp`` are ``ref``'s, when the caller has them at hand."""
        if inject is None or exp is None:
            inject, exp = self.scenario.expectation_by_ref[ref]
        delivered = team.delivered_at(inject.id)
        assert delivered is not None
        top = self._max_points[ref]
        decision = decide(
            exp,
            delivered,
            team.answers.get(ref, _NO_ANSWERS),
            team.size(),
            team.grades.get(ref, _NO_GRADES),
            self._grade_rule,
            top,
        )
        if not completes and decision == team.decision(ref):
            return
        team.decisions[ref] = decision
        scored = _SCORED_FROM(
            {
                "team": team.id,
                "expectation": ref,
                "auto": decision.auto,
                "points": decision.points,
                "max_points": top,
                "status": decision.status,
                "members": decision.members,
                "late_ms": decision.late_ms,
                "factor": decision.factor,
                "completed": True if completes else None,
            }
        )
        self.outbox.append(Event(scored, int(self.env.now)))

    def _on_ask(self, cmd: c.Ask, dry: bool) -> None:
        self._require_live("writing to an actor")
        self._team(cmd.team)
        if cmd.actor not in self.scenario.actor_by_id:
            raise Rejected(Phrase(N_("unknown actor {actor!r}"), actor=cmd.actor))
        if not dry:
            self._member(self.teams[cmd.team], cmd.member)

    def _on_reply(self, cmd: c.Reply, dry: bool) -> None:
        if self.status == "ready":
            raise Rejected(Phrase(N_("the exercise has not started yet")))
        self._team(cmd.team)
        if cmd.actor not in self.scenario.actor_by_id:
            raise Rejected(Phrase(N_("unknown actor {actor!r}"), actor=cmd.actor))

    def _on_grade(self, cmd: c.Grade, dry: bool) -> None:
        team = self._team(cmd.team)
        inject, exp = self._expectation(cmd.expectation)
        if team.delivered_at(inject.id) is None:
            raise Rejected(
                Phrase(
                    N_("{inject} has not been delivered to team {team}"),
                    inject=inject.id,
                    team=team.id,
                )
            )
        if cmd.points > exp.max_points():
            raise Rejected(
                Phrase(
                    N_("{points} points is more than {expectation}'s maximum ({most})"),
                    points=f"{cmd.points:g}",
                    expectation=cmd.expectation,
                    most=f"{exp.max_points():g}",
                )
            )
        if not dry:
            grades = team.grades.setdefault(cmd.expectation, {})
            grades.pop(cmd.evaluator, None)
            grades[cmd.evaluator] = cmd.points
            self._rescore(team, cmd.expectation)

    def _on_rate(self, cmd: c.Rate, dry: bool) -> None:
        self._team(cmd.team)
        if cmd.objective not in self.scenario.objective_by_id:
            raise Rejected(Phrase(N_("unknown objective {objective!r}"), objective=cmd.objective))

    def _on_note(self, cmd: c.Note, dry: bool) -> None:
        if cmd.team is not None:
            self._team(cmd.team)
        if cmd.objective is not None and cmd.objective not in self.scenario.objective_by_id:
            raise Rejected(Phrase(N_("unknown objective {objective!r}"), objective=cmd.objective))

    def _on_team_note(self, cmd: c.TeamNote, dry: bool) -> None:
        team = self._team(cmd.team)
        if not dry:
            self._member(team, cmd.member)

    def _on_open(self, cmd: c.Open, dry: bool) -> None:
        if not dry:
            team = self.teams[cmd.team]
            if cmd.member not in team.joined:
                self._member(team, cmd.member)
            team.cells[cmd.inject].opened = int(self.env.now)
            return
        team = self.teams.get(cmd.team) or self._team(cmd.team)
        if self.status != "running":
            self._require_live("opening an inject")
        cell = team.cells.get(cmd.inject)
        if cell is None:
            self._inject(cmd.inject)  # an unknown inject is named as such
        if cell is None or cell.status != "delivered":
            raise Rejected(
                Phrase(
                    N_("{inject} has not been delivered to team {team}"),
                    inject=cmd.inject,
                    team=team.id,
                )
            )
        if cell.opened is not None:
            raise Rejected(
                Phrase(
                    N_("{inject} was already opened by team {team}"),
                    inject=cmd.inject,
                    team=team.id,
                )
            )

    def _on_join(self, cmd: c.Join, dry: bool) -> None:
        team = self._team(cmd.team)
        if not dry:
            self._member(team, cmd.member)

    def _on_tracks(self, cmd: c.Tracks, dry: bool) -> None:
        """Tracks name roles or tags the teams carry; anything else would match nobody."""
        seats = self.roster.seats(self.scenario)
        known = {seat.role for seat in seats}.union(*(seat.tags for seat in seats))
        unknown = [track for track in cmd.tracks if track not in known]
        if unknown:
            raise Rejected(
                Phrase(
                    N_("no team plays or carries {tracks}: a track is a role or a tag ({known})"),
                    tracks=", ".join(map(repr, unknown)),
                    known=", ".join(sorted(known)),
                )
            )

    def _on_pass_question(self, cmd: c.PassQuestion, dry: bool) -> None:
        """The engine keeps no questions (their sequence numbers are the log's): the
        sim cell's fold (``scoring.questions``) ignores a pass of no open question."""
        if self.status == "ready":
            raise Rejected(Phrase(N_("the exercise has not started yet")))

    def _on_feedback(self, cmd: c.Feedback, dry: bool) -> None:
        """A member's feedback form: taken once the exercise has ended (it asks about the
        whole exercise), never before. A second form from the member replaces the first
        in the report; the engine keeps nothing of it (no decision depends on it)."""
        if self.status != "ended":
            raise Rejected(
                Phrase(N_("the feedback form opens when the exercise ends: send it after the end"))
            )
        self._team(cmd.team)
        texts = [*cmd.strengths, *cmd.improvements]
        if any(not text.strip() for text in texts):
            raise Rejected(
                Phrase(N_("a strength or an area for improvement is blank: fill it in or drop it"))
            )
        if not texts and not cmd.ratings:
            raise Rejected(
                Phrase(N_("the form is empty: rate a statement or write a strength or an area"))
            )

    _handlers: dict[str, Callable[..., None]] = {
        "start": _on_start,
        "pause": _on_pause,
        "resume": _on_resume,
        "set_speed": _on_set_speed,
        "jump": _on_jump,
        "end": _on_end,
        "release": _on_release,
        "hold": _on_hold,
        "cancel": _on_cancel,
        "broadcast": _on_broadcast,
        "respond": _on_respond,
        "ask": _on_ask,
        "reply": _on_reply,
        "grade": _on_grade,
        "rate": _on_rate,
        "note": _on_note,
        "team_note": _on_team_note,
        "open": _on_open,
        "join": _on_join,
        "tracks": _on_tracks,
        "pass_question": _on_pass_question,
        "feedback": _on_feedback,
    }

    # ------------------------------------------------------------ scheduling

    def _jitter(self, inject: Inject, team: str) -> int:
        if not inject.jitter:
            return 0
        return jitter_from(self._jitter_key(inject), team, inject.jitter)

    def _jitter_key(self, inject: Inject) -> hashlib.blake2b:
        """:func:`jitter_key` of the inject, made once per exercise."""
        key = self._jitter_keys.get(inject.id)
        if key is None:
            key = self._jitter_keys[inject.id] = jitter_key(self.seed, inject.id)
        return key

    def _trigger(self, inject: Inject, teams: Iterable[str], base: int, cause: Cause) -> None:
        """The inject's trigger came for ``teams``: schedule it (with jitter), or keep it held."""
        open_teams = []
        for team in teams:
            cell = self.teams[team].cell(inject.id)
            if cell.status == "pending":
                open_teams.append(team)
            elif cell.status == "held" and cell.at is None:
                cell.at = base + self._jitter(inject, team)
        if open_teams:
            self._schedule(inject, open_teams, base, cause, jitter=True)

    def _schedule(
        self, inject: Inject, teams: list[str], base: int, cause: Cause, *, jitter: bool
    ) -> None:
        groups: dict[int, list[str]] = {}
        most = inject.jitter if jitter else 0
        key = self._jitter_key(inject) if most else None
        for team in teams:
            when = base if key is None else base + jitter_from(key, team, most)
            cell = self.teams[team].cell(inject.id)
            cell.status, cell.at, cell.cause = "scheduled", when, cause
            groups.setdefault(when, []).append(team)
        for when, group in groups.items():
            event = self.env.timeout(when - self.now)
            event.callbacks.append(_Fire(self, inject, group, when, cause))

    def _fire(
        self, inject: Inject, teams: list[str], when: int, cause: Cause, landed: bool = False
    ) -> None:
        if self.status == "ended":
            return
        if self._landing is not None and not landed:
            self._wait_for_landing(inject, teams, when, cause, self._landing)
            return
        due: list[str] = []
        skipped: list[str] = []
        self._tallies.clear()
        for team_id in teams:
            team = self.teams[team_id]
            cell = team.cells[inject.id]
            if cell.status != "scheduled" or cell.at != when:
                continue
            if (
                cause != "release"
                and inject.when is not None
                and not holds(inject.when, team, self)
            ):
                cell.status = "skipped"
                skipped.append(team_id)
            else:
                due.append(team_id)
        if skipped:
            self.outbox.append(Event(_SKIPPED(inject=inject.id, teams=skipped), self.now))
        if due:
            self._deliver(inject, due, cause)

    def _wait_for_landing(
        self, inject: Inject, teams: list[str], when: int, cause: Cause, landing: int
    ) -> None:
        """A jump ``at_landing`` passes this delivery: it fires at the landing instead.

        Fired again at the landing (conditions are read then), after whatever was due
        before it on the way: each deferral is a new timer, created in the order the
        jump reaches them, and SimPy runs timers of one moment in creation order. So the
        delivery, its deadlines and what follows it all count from the landing.
        """
        group = []
        for team in teams:
            cell = self.teams[team].cells[inject.id]
            if cell.status == "scheduled" and cell.at == when:
                cell.at = landing
                group.append(team)
        if group:
            event = self.env.timeout(landing - self.now)
            event.callbacks.append(_Fire(self, inject, group, landing, cause, landed=True))

    def _deliver(self, inject: Inject, teams: list[str], cause: Cause) -> None:
        now = self.now
        for team in teams:
            cell = self.teams[team].cell(inject.id)
            cell.status, cell.at, cell.cause = "delivered", now, cause
        delivered = _DELIVERED(inject=inject.id, teams=teams, cause=cause)
        self.outbox.append(Event(delivered, now))
        for exp in inject.expects:
            if exp.due is not None:
                ref = f"{inject.id}.{exp.id}"
                event = self.env.timeout(exp.due)
                event.callbacks.append(_Deadline(self, ref, teams))
        for dep in self._after_inject.get(inject.id, ()):
            reached = self._reached(dep, teams)
            if reached:
                assert dep.after is not None
                self._trigger(dep, reached, now + dep.after.delay, "after")

    def _deadline(self, ref: str, teams: list[str]) -> None:
        if self.status == "ended":
            return
        missed = []
        for team_id in teams:
            team = self.teams[team_id]
            if ref not in team.completed:
                team.expired.add(ref)
                missed.append(team_id)
        if not missed:
            return
        missed_it = _DEADLINE(expectation=ref, teams=missed)
        self.outbox.append(Event(missed_it, self.now))
        for dep in self._escalations.get(ref, ()):
            reached = self._reached(dep, missed)
            if reached:
                assert dep.if_no_response is not None
                self._trigger(dep, reached, self.now + dep.if_no_response.delay, "escalation")

    # ------------------------------------------------------------- modules

    def bound(self, t: int) -> int:
        """The furthest play may go by ``t``: the moment of the next module's discussion,
        if one falls due by then. A driver advances to this, never past it: the
        discussion pauses the exercise, and exercise time stands still until the
        facilitator resumes, so no inject fires during it."""
        due = self._talks_due
        return min(t, due[0]) if due and self.status != "ended" else t

    def _schedule_talk(self, talk: Talk) -> None:
        """A discussion falls after everything else due at its moment (the phase's last
        inject, at the same time, is delivered first): a lower priority than SimPy's."""
        when = self.now + talk.at
        self._talks_due.append(when)
        self._talks_due.sort()
        event = simpy.Event(self.env)
        event._ok = True
        event._value = None
        event.callbacks.append(lambda _ev: self._discuss(talk, when))
        self.env.schedule(event, _AFTER_ALL, talk.at)

    def _discuss(self, talk: Talk, when: int) -> None:
        self._talks_due.remove(when)
        if self.status == "ended":
            return
        self.status = "paused"
        self.paused_by = c.Pause(reason=f"{talk.label} discussion")
        phase, discussion = talk.phase, talk.phase.discussion
        assert discussion is not None
        body = Discussion(
            phase=phase.id,
            number=talk.number,
            title=phase.title,
            questions=list(discussion.questions),
            minutes=discussion.minutes,
        )
        self.outbox.append(Event(body, self.now))

    def _end(self, reason: str) -> None:
        if self.status == "ended":
            return
        self.status = "ended"
        self.outbox.append(Event(Ended(reason=reason), self.now))

    # ---------------------------------------------------------------- grading

    def points(self, team: TeamState, ref: str) -> float | None:
        """The points that count for a team's answer (evaluators' grade if any), or None."""
        return team.decision(ref).points

    def met(self, team: TeamState, ref: str) -> bool:
        """Whether the team's answer to ``ref`` reached the expectation's pass mark."""
        return team.decision(ref).status == "met"

    def audience(self, inject_id: str) -> list[str]:
        """Team ids an inject is addressed to, in roster order."""
        return self._audience[inject_id]


def _across_cells(scenario: Scenario, roster: Roster) -> dict[str, list[list[str]]]:
    """See ``Exercise._across``: for each inject anchored on a role's team, per team,
    the teams of its cell in the inject's audience when the team plays that role."""
    out: dict[str, list[list[str]]] = {}
    cells = roster.cells()
    for inj in scenario.injects:
        role = (inj.after.role if inj.after is not None else None) or (
            inj.if_no_response.role if inj.if_no_response is not None else None
        )
        if role is None:
            continue
        audience = set(roster.audience(scenario, inj))
        out[inj.id] = [
            [mate for mate in cells[roster.cell_of(seat.id)] if mate in audience]
            if seat.role == role
            else []
            for seat in roster.teams
        ]
    return out


def _maker(cls: type[_Out]) -> Callable[..., _Out]:
    """A fast constructor of an output the engine made itself (pydantic's validator
    called directly: half the cost of ``cls(...)``, and still checked)."""
    validate = cls.__pydantic_validator__.validate_python

    def make(**fields: Any) -> _Out:
        return validate(fields)  # type: ignore[no-any-return]

    return make


_SCORED_FROM: Callable[[dict[str, Any]], Scored] = Scored.__pydantic_validator__.validate_python
"""Scored's validator, given the fields as one dict (every answer makes one: no
keyword arguments gathered on the way)."""
_DELIVERED = _maker(Delivered)
_SKIPPED = _maker(Skipped)
_DEADLINE = _maker(Deadline)


def jitter_key(seed: int, inject_id: str) -> hashlib.blake2b:
    """The (seed, inject) part of a team's jitter, hashed once per inject; each team's
    name is fed to a copy (:func:`jitter_from`: cheaper than hashing the whole text
    again for each of a thousand teams).

    A keyed hash rather than a ``random.Random`` per draw: as deterministic, order-
    independent and portable, and several times cheaper: the BLAKE2b of
    ``"{seed}/{inject}/{team}"``."""
    return hashlib.blake2b(f"{seed}/{inject_id}/".encode(), digest_size=8)


def jitter_from(key: hashlib.blake2b, team: str, jitter: int) -> int:
    """A whole number of seconds in [0, jitter], fixed by (seed, inject, team): the
    team's name fed to a copy of its inject's :func:`jitter_key`."""
    digest = key.copy()
    digest.update(team.encode())
    return int.from_bytes(digest.digest(), "big") % (jitter // 1000 + 1) * 1000


class _Fire:
    """Callback of a delivery timer (a class, not a closure: cheap and picklable).

    ``landed``: a delivery a jump deferred to its landing (it fires there, not again later).
    """

    __slots__ = ("cause", "ex", "inject", "landed", "teams", "when")

    def __init__(
        self,
        ex: Exercise,
        inject: Inject,
        teams: list[str],
        when: int,
        cause: Cause,
        landed: bool = False,
    ) -> None:
        self.ex, self.inject, self.teams, self.when, self.cause = ex, inject, teams, when, cause
        self.landed = landed

    def __call__(self, _event: Any) -> None:
        self.ex._fire(self.inject, self.teams, self.when, self.cause, self.landed)


class _Deadline:
    __slots__ = ("ex", "ref", "teams")

    def __init__(self, ex: Exercise, ref: str, teams: list[str]) -> None:
        self.ex, self.ref, self.teams = ex, ref, teams

    def __call__(self, _event: Any) -> None:
        self.ex._deadline(self.ref, self.teams)


_CHOICE = (True, False, False)
_ITEMS = (False, True, False)
_TEXT = (False, False, True)
_NOTHING_GIVEN = (False, False, False)


def _check_answer_shape(exp: AnyExpectation, cmd: c.Respond) -> None:
    """The answer carries what its expectation's kind takes, and nothing else."""
    # Which of choice, items and text the answer carries (checked on every answer).
    given = (cmd.choice is not None, cmd.items is not None, cmd.text is not None)
    if isinstance(exp, DecisionExpectation):
        if given != _CHOICE:
            raise Rejected(
                Phrase(
                    N_("{expectation} is a decision: answer with one choice"),
                    expectation=cmd.expectation,
                )
            )
        choice = cmd.choice
        for option in exp.options:  # a loop, not any(): no generator on every answer
            if option.id == choice:
                break
        else:
            options = ", ".join(o.id for o in exp.options)
            raise Rejected(
                Phrase(
                    N_("{expectation} has no option {choice!r}; options are {options}"),
                    expectation=cmd.expectation,
                    choice=choice,
                    options=options,
                )
            )
    elif isinstance(exp, ChecklistExpectation):
        if given != _ITEMS:
            raise Rejected(
                Phrase(
                    N_("{expectation} is a checklist: answer with the items done"),
                    expectation=cmd.expectation,
                )
            )
        known = {i.id for i in exp.items}
        unknown = [i for i in cmd.items or () if i not in known]
        if unknown:
            raise Rejected(
                Phrase(
                    N_("{expectation} has no item {item!r}"),
                    expectation=cmd.expectation,
                    item=unknown[0],
                )
            )
    elif isinstance(exp, TextExpectation):
        if given != _TEXT or not (cmd.text or "").strip():
            raise Rejected(
                Phrase(N_("{expectation} asks for a written answer"), expectation=cmd.expectation)
            )
    elif given not in (_TEXT, _NOTHING_GIVEN):
        raise Rejected(
            Phrase(
                N_("{expectation} is graded by an evaluator: answer with text, if any"),
                expectation=cmd.expectation,
            )
        )
