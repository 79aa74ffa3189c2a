"""Bot teams that answer like people would, for rehearsals, load tests and the demo.

A profile sets how often a team answers, how fast (a log-normal delay relative to
the deadline), and how well (best options, required terms, penalty items). Every
draw comes from a generator seeded by (seed, team, expectation), so a dry-run is
the same on every machine and does not depend on the order of events.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from engine import commands as c
from engine.events import Delivered, Discussion, Event
from engine.scenario.expectations import (
    AnyExpectation,
    ChecklistExpectation,
    DecisionExpectation,
    ManualExpectation,
    Term,
    TextExpectation,
)
from engine.scenario.injects import Inject
from engine.scenario.model import Scenario

MINUTE = 60_000


@dataclass(frozen=True, slots=True)
class Profile:
    """How a bot team behaves."""

    name: str
    answers: float
    """Chance of answering an expectation at all."""
    delay: float
    """Median answer time as a share of the deadline (or of 10 minutes without one)."""
    spread: float
    """Log-normal sigma of the answer time."""
    quality: float
    """Chance of the best option, of each useful item, of each required term."""
    blunders: float
    """Chance of a penalty item or a forbidden term."""
    random_choice: bool = False
    """Choose options uniformly instead of by quality."""
    pace: float = 1.0
    """How long the task itself takes this team, against :func:`task_ms` (1: as long)."""


PROFILES: dict[str, Profile] = {
    "diligent": Profile("diligent", 0.98, 0.35, 0.35, 0.85, 0.03),
    "slow": Profile("slow", 0.9, 1.15, 0.45, 0.6, 0.1, pace=1.5),
    "erratic": Profile("erratic", 0.75, 0.6, 1.0, 0.45, 0.3, random_choice=True, pace=0.8),
    "silent": Profile("silent", 0.0, 1.0, 0.1, 0.0, 0.0),
}
READ_WPM = 200
"""Words a table reads a minute (the inject, the question, the options)."""
WRITE_WPM = 20
"""Words a team drafts a minute, together (a statement is agreed, not just typed)."""


def task_ms(inject: Inject, exp: AnyExpectation) -> int:
    """How long the task takes a table that works at an even pace: reading the inject
    and the question, then deciding (a minute), ticking a checklist (half a minute an
    item), writing (the words asked for) or doing a task an evaluator judges (three
    minutes). A bot takes at least this (times its profile's pace): a deadline
    shorter than the task shows in a dry-run as diligent teams answering late."""
    words = len(f"{inject.title} {inject.body} {exp.prompt}".split())
    if isinstance(exp, DecisionExpectation):
        words += sum(len(o.label.split()) for o in exp.options)
        work = MINUTE
    elif isinstance(exp, ChecklistExpectation):
        words += sum(len(i.label.split()) for i in exp.items)
        work = MINUTE * len(exp.items) // 2
    elif isinstance(exp, TextExpectation):
        work = max(exp.min_words, 40) * MINUTE // WRITE_WPM
    else:
        work = 3 * MINUTE
    return words * MINUTE // READ_WPM + work


MIX = ("diligent", "diligent", "slow", "erratic", "diligent", "erratic", "slow", "silent")
"""The profile rotation for ``--profile mix``: mostly engaged, some late, one in eight silent."""


def profile_for(team_index: int, spec: str) -> Profile:
    """The profile of the ``team_index``-th team for ``--profile`` (a name, ``mix``, or a list)."""
    names = MIX if spec == "mix" else tuple(p.strip() for p in spec.split(","))
    return PROFILES[names[team_index % len(names)]]


def check_profile_spec(spec: str) -> str | None:
    """None if the spec is usable, else what is wrong with it."""
    if spec == "mix":
        return None
    unknown = [p for p in (s.strip() for s in spec.split(",")) if p not in PROFILES]
    if unknown:
        return (
            f"unknown profile {unknown[0]!r}: choose from {', '.join(PROFILES)}, mix, or a "
            "comma-separated list"
        )
    return None


@dataclass(frozen=True, slots=True)
class Planned:
    """An input a bot will give at exercise time ``t``."""

    t: int
    cmd: c.Command


def facilitate(event: Event) -> list[Planned]:
    """What a rehearsal's facilitator does about one event: resume play at once after a
    module's discussion. Exercise time stands still during any pause, so waiting would
    change nothing but the wall clock; the discussion's minutes lengthen the room's
    day, not the exercise (dry-run says by how much)."""
    if isinstance(event.body, Discussion):
        return [Planned(event.t, c.Resume())]
    return []


class BotTeams:
    """Bots for some teams: they watch deliveries and plan answers."""

    def __init__(
        self,
        scenario: Scenario,
        seed: int,
        profiles: dict[str, Profile],
        *,
        evaluator: bool = True,
        members: dict[str, tuple[str, ...]] | None = None,
    ) -> None:
        self.scenario = scenario
        self.seed = seed
        self.profiles = profiles
        self.evaluator = evaluator
        self.members = members or {}
        """A team's named members (from the roster): each answers ``answer_by: all``
        expectations on their own; a team without names answers as ``TEAM-bot``."""

    def react(self, event: Event) -> list[Planned]:
        """What the bots will do about one event (deliveries, and answers to grade)."""
        body = event.body
        if isinstance(body, Delivered):
            inject = self.scenario.inject_by_id[body.inject]
            plans = []
            for team in body.teams:
                profile = self.profiles.get(team)
                if profile is None:
                    continue
                names = self.members.get(team) or (f"{team}-bot",)
                answers = []
                for exp in inject.expects:
                    ref = f"{inject.id}.{exp.id}"
                    for member in names if exp.answer_by == "all" else names[:1]:
                        plan = self._answer(team, member, profile, ref, exp, event.t)
                        if plan is not None:
                            answers.append(plan)
                opened = self._open(team, names[0], profile, inject, event.t, answers)
                plans.extend([opened, *answers] if opened is not None else answers)
            return plans
        if isinstance(body, c.Respond) and self.evaluator:
            return self._grade(body, event.t)
        return []

    def _open(
        self,
        team: str,
        member: str,
        profile: Profile,
        inject: Inject,
        delivered: int,
        answers: list[Planned],
    ) -> Planned | None:
        """When a member of the table opens the inject (the ledger's "opened"): after
        glancing at it (its title and first lines at :data:`READ_WPM`, at least ten
        seconds, times the profile's pace), and before the table's first answer. A
        silent table never opens anything."""
        if profile.answers <= 0:
            return None
        rng = self._rng(team, inject.id, "open")
        words = len(f"{inject.title} {inject.body}".split())
        glance = max(10_000, words * MINUTE // READ_WPM // 4) * profile.pace
        when = delivered + max(1_000, int(glance * math.exp(rng.gauss(0, 0.4))) // 1000 * 1000)
        if answers:
            when = min(when, min(a.t for a in answers) - 1_000)
        when = max(delivered, when)
        return Planned(when, c.Open(team=team, member=member, inject=inject.id))

    def _rng(self, *parts: object) -> random.Random:
        return random.Random("/".join(str(p) for p in (self.seed, *parts)))

    def _answer(
        self,
        team: str,
        member: str,
        profile: Profile,
        ref: str,
        exp: AnyExpectation,
        delivered: int,
    ) -> Planned | None:
        rng = self._rng(team, ref) if member == f"{team}-bot" else self._rng(team, ref, member)
        if rng.random() >= profile.answers:
            return None
        scale = exp.due if exp.due else 10 * MINUTE
        inject = self.scenario.inject_by_id[ref.partition(".")[0]]
        base = max(scale * profile.delay, task_ms(inject, exp) * profile.pace)
        delay = int(base * math.exp(rng.gauss(0, profile.spread)))
        when = delivered + max(15_000, delay) // 1000 * 1000
        if isinstance(exp, DecisionExpectation):
            return Planned(
                when,
                c.Respond(
                    team=team, member=member, expectation=ref, choice=_choose(exp, profile, rng)
                ),
            )
        if isinstance(exp, ChecklistExpectation):
            items = [
                i.id
                for i in exp.items
                if rng.random() < (profile.quality if i.points > 0 else profile.blunders)
            ]
            return Planned(when, c.Respond(team=team, member=member, expectation=ref, items=items))
        if isinstance(exp, TextExpectation):
            return Planned(
                when,
                c.Respond(
                    team=team, member=member, expectation=ref, text=_write(exp, profile, rng)
                ),
            )
        assert isinstance(exp, ManualExpectation)
        return Planned(
            when,
            c.Respond(
                team=team,
                member=member,
                expectation=ref,
                text=f"{team} has done this: see the team log.",
            ),
        )

    def _grade(self, answer: c.Respond, t: int) -> list[Planned]:
        ref = answer.expectation
        exp = self.scenario.expectation(ref)
        team = answer.team
        profile = self.profiles.get(team)
        if not isinstance(exp, ManualExpectation) or profile is None:
            return []
        rng = self._rng("grade", team, ref)
        share = min(1.0, max(0.0, rng.gauss(profile.quality, 0.15)))
        points = round(exp.max_points() * share * 2) / 2
        return [
            Planned(
                t + 5 * MINUTE,
                c.Grade(
                    evaluator="eval-bot",
                    team=team,
                    expectation=ref,
                    points=points,
                    reason=f"bot evaluator ({profile.name})",
                ),
            )
        ]


def _choose(exp: DecisionExpectation, profile: Profile, rng: random.Random) -> str:
    options = sorted(exp.options, key=lambda o: -o.points)
    if profile.random_choice or rng.random() >= profile.quality:
        return rng.choice(exp.options).id
    return options[0].id


def _term_text(term: str | Term) -> str:
    if isinstance(term, str):
        return term
    if term.any:
        return term.any[0]
    return term.label or "update"


def _write(exp: TextExpectation, profile: Profile, rng: random.Random) -> str:
    words = [_term_text(t) for t in exp.required if rng.random() < profile.quality]
    words += [_term_text(t) for t in exp.forbidden if rng.random() < profile.blunders]
    filler = (
        "we",
        "are",
        "working",
        "on",
        "this",
        "and",
        "will",
        "share",
        "an",
        "update",
        "with",
        "partners",
        "as",
        "soon",
        "as",
        "we",
        "can",
    )
    text = " ".join(words) or "We are looking into it."
    i = 0
    while len(text.split()) < max(exp.min_words, 6):
        text += " " + filler[i % len(filler)]
        i += 1
    if exp.max_words is not None:
        text = " ".join(text.split()[: exp.max_words])
    return text.strip().capitalize() + "."
