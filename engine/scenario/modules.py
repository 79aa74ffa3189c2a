"""Modules: phases that start after one another and end with a discussion.

CISA's tabletop packages play in *modules*: a stretch of injects, then a pause in
which every table discusses a few questions, then the next module. A phase is a
module: it starts ``at`` a time or ``after`` another phase (that phase's end, plus a
delay), and may end with a ``discussion``.

When a discussion falls due the engine pauses the exercise (:mod:`engine.exercise`
emits a ``discussion`` event) and the facilitator resumes it when the room is done.
Exercise time stands still during any pause, so a discussion takes no exercise time:
everything after it keeps its scripted exercise time, and the wall-clock length of
the exercise grows by the discussions' length. That is what makes the schedule
static, and so checkable by the lint and drawn by the preview before play:

* a discussion falls due ``delay`` after the phase's last timed inject is due (its
  ``at`` plus its ``jitter``: delivered to every team), or, in a phase with no timed
  inject, ``delay`` after the phase starts;
* a phase ends at its discussion when it has one, else when its last timed inject is
  due, else where it starts;
* ``after: {phase: P, delay: D}`` starts a phase D after P ends: when P has a
  discussion, the moment the facilitator resumes play after it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Protocol

from pydantic import BeforeValidator, Field, StringConstraints, WithJsonSchema, field_validator

from engine.durations import DURATION_PATTERN, Duration
from engine.i18n import _, ngettext
from engine.i18n.forms import grouped
from engine.scenario.common import ID_PATTERN, Id, Model
from engine.scenario.lang import PICK

if TYPE_CHECKING:
    from engine.scenario.lint_refs import Finding
    from engine.scenario.model import Phase, Scenario

MAX_QUESTIONS = 12
MAX_QUESTION = 500
"""Most characters of one discussion question: read at a table, on a phone too."""
MAX_MINUTES = 240

Question = Annotated[str, StringConstraints(min_length=1, max_length=MAX_QUESTION), PICK]


class Discussion(Model):
    """The pause that ends a module: questions every table discusses, for about
    ``minutes``; the facilitator resumes play when the room is done."""

    questions: list[Question] = Field(
        max_length=MAX_QUESTIONS,
        description="What every team discusses (a discussion needs at least one question)",
        json_schema_extra={"minItems": 1},
    )
    minutes: int = Field(15, ge=1, le=MAX_MINUTES, description="Suggested length, in minutes")
    delay: Duration = Field(
        0,
        description="How long after the phase's last timed inject is due the discussion "
        "starts (time for the teams to work that inject; at most 30 days)",
    )

    @field_validator("questions")
    @classmethod
    def _some_question(cls, questions: list[str]) -> list[str]:
        if not questions:
            raise ValueError(
                _("a discussion without questions: give the questions every table discusses")
            )
        return questions


def _phase_name_as_after(value: Any) -> Any:
    """``after: module-1`` reads as ``after: {phase: module-1}``."""
    return {"phase": value} if isinstance(value, str) else value


class PhaseAfter(Model):
    """A phase that starts when another ends (at its discussion, if it has one)."""

    phase: Id
    delay: Duration = Field(
        0, description="How long after that phase ends this one starts (at most 30 days)"
    )


PhaseAfterField = Annotated[
    PhaseAfter,
    BeforeValidator(_phase_name_as_after),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": ID_PATTERN, "description": "A phase id"},
                {
                    "type": "object",
                    "properties": {
                        "phase": {"type": "string", "pattern": ID_PATTERN},
                        "delay": {
                            "type": "string",
                            "pattern": DURATION_PATTERN,
                            "description": "A duration: 90s, 15m, 1h30m, or ISO 8601 such "
                            "as PT15M; at most 30 days.",
                        },
                    },
                    "required": ["phase"],
                    "additionalProperties": False,
                },
            ]
        }
    ),
]
"""``after: module-1`` or ``after: {phase: module-1, delay: 5m}``."""


@dataclass(frozen=True, slots=True)
class PhaseTimes:
    """One phase's place on the exercise's timeline, in exercise ms (None: not known
    before play, a phase with no start and no timed inject)."""

    start: int | None
    discussion: int | None
    end: int | None


@dataclass(frozen=True, slots=True)
class Talk:
    """A discussion on the exercise's timeline: what the engine schedules."""

    at: int
    number: int
    """The phase's place in the scenario's phases, from 1 ("Module 1")."""
    phase: Phase

    @property
    def label(self) -> str:
        return module_label(self.number)

    @property
    def title(self) -> str:
        return self.phase.title

    @property
    def questions(self) -> list[str]:
        return list(self._discussion.questions)

    @property
    def minutes(self) -> int:
        return self._discussion.minutes

    @property
    def _discussion(self) -> Discussion:
        assert self.phase.discussion is not None
        return self.phase.discussion


def module_label(number: int) -> str:
    return _("Module {number}").format(number=number)


class DiscussionLike(Protocol):
    """A discussion as the engine announces it (``engine.events.Discussion``)."""

    @property
    def number(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def questions(self) -> list[str]: ...
    @property
    def minutes(self) -> int: ...


def discussion_line(talk: DiscussionLike) -> str:
    """``Module 1 discussion: Detection (2 questions, 15 min suggested)``: the report's
    timeline, the preview's and the dry-run's."""
    n = len(talk.questions)
    return ngettext(
        "{module} discussion: {title} ({n} question, {minutes} min suggested)",
        "{module} discussion: {title} ({n} questions, {minutes} min suggested)",
        n,
    ).format(module=module_label(talk.number), title=talk.title, n=grouped(n), minutes=talk.minutes)


def _last_timed(sc: Scenario) -> dict[str, int]:
    last: dict[str, int] = {}
    for inject in sc.injects:
        if inject.phase is not None and inject.at is not None:
            due = inject.at + inject.jitter
            last[inject.phase] = max(last.get(inject.phase, due), due)
    return last


def phase_times(sc: Scenario) -> dict[str, PhaseTimes]:
    """Every phase's start, discussion and end; a phase in a cycle of ``after``, or after
    an unknown phase, has no start (the lint names both)."""
    by_id = {p.id: p for p in sc.phases}
    last = _last_timed(sc)
    broken = {p.id for p in sc.phases if not _reachable(sc, p)}
    done: dict[str, PhaseTimes] = {}
    visiting: set[str] = set()

    def times(pid: str) -> PhaseTimes:
        if pid in done:
            return done[pid]
        phase = by_id[pid]
        visiting.add(pid)
        start: int | None = phase.at
        if phase.after is not None:
            dep = phase.after.phase
            before = None
            if pid not in broken and dep not in visiting:
                before = times(dep).end
            start = None if before is None else before + phase.after.delay
        visiting.discard(pid)
        base = last.get(pid, start)
        talk = None
        if phase.discussion is not None and base is not None:
            talk = base + phase.discussion.delay
        end = talk if phase.discussion is not None else base
        done[pid] = PhaseTimes(start, talk, end)
        return done[pid]

    return {p.id: times(p.id) for p in sc.phases}


def talks(sc: Scenario) -> list[Talk]:
    """The scenario's discussions that fall within play, in time order (then in the
    phases' order): what the engine pauses for."""
    found = phase_times(sc)
    out = [
        Talk(t, n, phase)
        for n, phase in enumerate(sc.phases, 1)
        if (t := found[phase.id].discussion) is not None and t < sc.duration
    ]
    out.sort(key=lambda talk: (talk.at, talk.number))
    return out


def check_modules(sc: Scenario) -> Iterator[Finding]:
    """Unknown phases and cycles in ``after`` (errors); discussions with no time, or
    after the end, and injects timed before their phase starts (warnings)."""
    from engine.scenario.lint_refs import Finding

    by_id = {p.id: p for p in sc.phases}
    for i, phase in enumerate(sc.phases):
        if phase.after is None:
            continue
        dep = phase.after.phase
        if dep not in by_id:
            known = ", ".join(sorted(by_id)) or _("none")
            yield Finding(
                ("phases", i, "after", "phase"),
                _("phase {phase} starts after unknown phase {ident!r} (phases: {known})").format(
                    phase=phase.id, ident=dep, known=known
                ),
            )
            continue
        chain = [phase.id]
        step: str | None = dep
        while step is not None and step in by_id and step not in chain:
            chain.append(step)
            after = by_id[step].after
            step = after.phase if after is not None else None
        first = min(sc.phases.index(by_id[p]) for p in chain)
        if step == phase.id and first == i:  # one error per cycle, at its first phase
            loop = " → ".join([*chain, phase.id])
            yield Finding(
                ("phases", i, "after", "phase"),
                _(
                    "phase {phase} starts after itself, through a cycle: {loop}; start one of "
                    "them at a time instead"
                ).format(phase=phase.id, loop=loop),
            )
    found = phase_times(sc)
    for i, phase in enumerate(sc.phases):
        times = found[phase.id]
        if phase.discussion is not None and times.discussion is None and _reachable(sc, phase):
            yield Finding(
                ("phases", i, "discussion"),
                _(
                    "{phase}'s discussion has no time: give the phase at or after, or injects "
                    "of the phase with at"
                ).format(phase=phase.id),
            )
        elif times.discussion is not None and times.discussion >= sc.duration:
            yield Finding(
                ("phases", i, "discussion"),
                _(
                    "{phase}'s discussion would fall at or after the exercise ends: it never "
                    "happens"
                ).format(phase=phase.id),
                "warning",
            )
    for i, inject in enumerate(sc.injects):
        if inject.phase is None or inject.at is None or inject.phase not in by_id:
            continue
        phase = by_id[inject.phase]
        start = found[phase.id].start
        if phase.after is not None and start is not None and inject.at < start:
            yield Finding(
                ("injects", i, "at"),
                _(
                    "{inject} belongs to phase {phase}, which starts after {after}, but comes "
                    "before the phase starts"
                ).format(inject=inject.id, phase=phase.id, after=phase.after.phase),
                "warning",
            )


def _reachable(sc: Scenario, phase: Phase) -> bool:
    """Whether a phase's timing is only unknown, not broken (a cycle or an unknown phase
    has its own error)."""
    by_id = {p.id: p for p in sc.phases}
    seen: set[str] = set()
    step: Phase | None = phase
    while step is not None and step.after is not None:
        if step.id in seen:
            return False
        seen.add(step.id)
        step = by_id.get(step.after.phase)
        if step is None:
            return False
    return True
