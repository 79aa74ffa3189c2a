"""What each audience may see of the scenario and of the events.

Teams get the content of the injects delivered to them and the questions asked,
never the scoring keys (points per option, required terms), the controllers'
notes, the timing or the branches. Staff (facilitators, evaluators, observers)
get the scenario itself and every event as logged.

A team's events are typed here (:data:`TeamBody`): the server's shaper builds
them, the client parses them once (:func:`team_event`), the team console folds
them. Most are the logged body itself (a clock command, the team's own questions
and notes, the engine's ``scored`` for that team); four are shaped: a delivery
carries the inject's team view, a deadline names only the expectation, an answer
carries its option's feedback where results are shown, and where results are
hidden a completion comes without its figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from engine import commands as c
from engine.durations import SECOND, format_countdown, format_time_of_day
from engine.events import Cause, Discussion, Ended, Scored
from engine.i18n import _
from engine.i18n.forms import grouped, size_text
from engine.meaning.verdict import TextVerdict
from engine.scenario.common import ExpectationRef
from engine.scenario.expectations import (
    AnyExpectation,
    ChecklistExpectation,
    DecisionExpectation,
    TextExpectation,
)
from engine.scenario.injects import Inject
from engine.scenario.model import Scenario
from engine.scenario.modules import module_label
from engine.storyclock import story_clock


class _View(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Choice(_View):
    """A decision's option or a checklist's item, as a team sees it (no points)."""

    id: str
    label: str


class ExpectationView(_View):
    id: str
    kind: str
    prompt: str
    due: int | None = None
    answer_by: Literal["any", "all"] = "any"
    options: list[Choice] = Field(default_factory=list)
    items: list[Choice] = Field(default_factory=list)
    min_words: int = 0
    max_words: int | None = None


class SenderView(_View):
    id: str
    name: str
    kind: str = "other"


class AttachmentView(_View):
    """An attachment as a team receives it: written text, or a file described (the
    console fetches its bytes from the exercise server by ``sha256`` when opened; a
    text file comes whole, as ``content``)."""

    name: str
    text: str = ""
    media: str | None = None
    size: int | None = None
    sha256: str | None = None
    content: str | None = None
    filename: str | None = None
    """The file's own name (``still.png``): what it is saved as, and its type."""

    @property
    def is_file(self) -> bool:
        return self.sha256 is not None

    def kind_text(self) -> str:
        """``image, 120 KB`` for a file; empty for written text."""
        if self.media is None or self.size is None:
            return ""
        return f"{self.media}, {size_text(self.size)}"

    @property
    def shown_text(self) -> str:
        """What the attachment says in words: a text file's text, else ``text``."""
        return self.content if self.content is not None else self.text


class InjectView(_View):
    """An inject as a team receives it."""

    id: str
    title: str
    channel: str
    sender: SenderView = Field(alias="from")
    priority: str
    body: str
    attachments: list[AttachmentView] = Field(default_factory=list)
    expects: list[ExpectationView] = Field(default_factory=list)

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


def expectation_for_team(exp: AnyExpectation) -> ExpectationView:
    options: list[Choice] = []
    items: list[Choice] = []
    min_words, max_words = 0, None
    if isinstance(exp, DecisionExpectation):
        options = [Choice(id=o.id, label=o.label) for o in exp.options]
    elif isinstance(exp, ChecklistExpectation):
        items = [Choice(id=i.id, label=i.label) for i in exp.items]
    elif isinstance(exp, TextExpectation):
        min_words, max_words = exp.min_words, exp.max_words
    return ExpectationView(
        id=exp.id,
        kind=exp.kind,
        prompt=exp.prompt,
        due=exp.due,
        answer_by=exp.answer_by,
        options=options,
        items=items,
        min_words=min_words,
        max_words=max_words,
    )


def inject_for_team(scenario: Scenario, inject: Inject) -> InjectView:
    """An inject as a team receives it."""
    actor = scenario.actor_by_id.get(inject.from_)
    return InjectView(
        id=inject.id,
        title=inject.title,
        channel=inject.channel,
        sender=SenderView(
            id=inject.from_,
            name=actor.name if actor else inject.from_,
            kind=actor.kind if actor else "other",
        ),
        priority=inject.priority,
        body=inject.body,
        attachments=[
            AttachmentView(
                name=a.name,
                text=a.text,
                media=a.media,
                size=a.size,
                sha256=a.sha256,
                content=a.content,
                filename=None if a.file is None else a.file.rsplit("/", 1)[-1],
            )
            for a in inject.attachments
        ],
        expects=[expectation_for_team(e) for e in inject.expects],
    )


class InjectShown(_View):
    """A delivery, as each team it reached sees it."""

    type: Literal["delivered"] = "delivered"
    inject: InjectView
    cause: Cause = "at"
    translations: dict[str, InjectView] | None = None
    """The inject in the scenario's other languages, by code (a scenario written in
    several): each member reads it in the language they chose."""

    def in_language(self, lang: str | None) -> InjectView:
        """The inject in ``lang``, or as played (the scenario's first language)."""
        if lang is None or not self.translations:
            return self.inject
        return self.translations.get(lang, self.inject)


class DeadlineShown(_View):
    """A deadline this team let pass (not who else did)."""

    type: Literal["deadline"] = "deadline"
    expectation: ExpectationRef


class AnswerShown(c.Respond):
    """A team's own answer as it sees it: the answer, and, when the scenario shows
    results, the feedback the author wrote for the option it chose (a decision).

    The feedback comes with the answer, never with the inject: an option's feedback
    tells what follows from it, so a team that could read every option's before
    deciding would know which one is right."""

    feedback: str | None = None
    """The chosen option's feedback, in the language the exercise is played in."""
    feedback_translations: dict[str, str] | None = None
    """The same feedback in the scenario's other languages, by code."""

    names_translations: dict[str, dict[str, str]] | None = None
    """A text answer's rubric elements as named in the scenario's other languages, by
    code: the verdict (as recorded) names them as played."""

    def feedback_in(self, lang: str | None) -> str:
        """The feedback in ``lang``, or as played; empty when there is none."""
        if lang is not None and self.feedback_translations and lang in self.feedback_translations:
            return self.feedback_translations[lang]
        return self.feedback or ""

    def verdict_in(self, lang: str | None) -> TextVerdict | None:
        """The verdict with its elements named in ``lang`` where the author named them
        there (what was found and missed, in the member's language), else as played."""
        names = (self.names_translations or {}).get(lang or "")
        if self.verdict is None or not names:
            return self.verdict
        return self.verdict.model_copy(
            update={
                part: [v.model_copy(update={"name": names.get(v.name, v.name)}) for v in found]
                for part, found in (
                    ("required", self.verdict.required),
                    ("forbidden", self.verdict.forbidden),
                )
            }
        )


class CompletedShown(_View):
    """The team completed an expectation, for a scenario that hides results: the
    ``scored`` that says so (with ``completed``) is not theirs to see."""

    type: Literal["completed"] = "completed"
    team: str
    expectation: ExpectationRef


AnyTeamBody = (
    InjectShown
    | DeadlineShown
    | c.Start
    | c.Pause
    | c.Resume
    | c.SetSpeed
    | c.Jump
    | c.End
    | Ended
    | Discussion
    | c.Broadcast
    | AnswerShown
    | c.Ask
    | c.Reply
    | c.TeamNote
    | c.Open
    | c.Join
    | CompletedShown
    | Scored
)
TeamBody = Annotated[AnyTeamBody, Field(discriminator="type")]
TEAM_BODY_ADAPTER: TypeAdapter[TeamBody] = TypeAdapter(TeamBody)


@dataclass(slots=True)
class TeamEvent:
    """One event as a team's console receives it."""

    body: AnyTeamBody
    t: int
    seq: int = 0
    wall: float | None = None

    @property
    def kind(self) -> str:
        return self.body.type


def team_body(kind: str, payload: dict[str, Any]) -> AnyTeamBody:
    """A team event's typed body from its wire form (raises ``ValidationError``)."""
    return TEAM_BODY_ADAPTER.validate_python({**payload, "type": kind})


def team_payload(body: AnyTeamBody) -> dict[str, Any]:
    """A team event's body in its wire form (no ``type``; the ``event`` message has ``kind``)."""
    return body.model_dump(mode="json", exclude={"type"}, exclude_none=True, by_alias=True)


class BriefingView(_View):
    """What a team reads before the first inject: the scenario's briefing for everyone,
    and its own role's (the team console adds how to answer and the channels)."""

    text: str = ""
    role: str = ""
    """The role's name in the scenario (``National CERT``)."""
    about: str = ""
    """What the role does in the story (the scenario team's ``role``)."""
    role_text: str = ""
    """The role's own briefing."""


class PhaseText(_View):
    """A phase's words in one language: what its discussion shows (the ``discussion``
    event carries them in the language the exercise is played in)."""

    title: str
    questions: list[str] = Field(default_factory=list)


class ExerciseInfo(_View):
    """The exercise as a team sees it on joining: who is who, not what will happen."""

    id: str
    title: str
    duration: int
    start: str | None = None
    story_jumps: list[tuple[int, str]] = Field(default_factory=list)
    """(exercise ms, in-world date and time): where the story clock jumps
    (:func:`engine.storyclock.from_wire` makes the clock of ``start`` and these)."""
    actors: list[SenderView] = Field(default_factory=list)
    show_results: bool = True
    team_name: str | None = None
    briefing: BriefingView = Field(default_factory=BriefingView)
    languages: list[str] | None = None
    """The languages the scenario is written in, the first as played (None: one)."""
    translations: dict[str, ExerciseInfo] | None = None
    """This view in each other language, by code."""
    phases: dict[str, PhaseText] | None = None
    """In a translation: each phase's words, by phase id."""

    def in_language(self, lang: str | None) -> ExerciseInfo:
        """The view in ``lang`` (its other languages kept, to switch again), or as is."""
        if lang is None or not self.translations or lang not in self.translations:
            return self
        return self.translations[lang].model_copy(
            update={"languages": self.languages, "translations": self.translations}
        )


class StaffExerciseInfo(ExerciseInfo):
    """The exercise as staff see it: the team view plus the scenario text and the roster."""

    scenario_text: str
    roster: list[dict[str, Any]]
    controllers: list[str] = []
    """The facilitator seats' names (``control-1``, …): whom a sim cell question can be
    passed to."""


def _jumps(scenario: Scenario) -> tuple[tuple[int, datetime], ...]:
    clock = story_clock(scenario)
    return clock.jumps if clock is not None else ()


def exercise_for_team(scenario: Scenario) -> ExerciseInfo:
    return ExerciseInfo(
        id=scenario.id,
        title=scenario.title,
        duration=scenario.duration,
        start=scenario.start.isoformat() if scenario.start else None,
        story_jumps=[(at, story.isoformat()) for at, story in _jumps(scenario)],
        actors=[SenderView(id=a.id, name=a.name, kind=a.kind) for a in scenario.actors],
        show_results=scenario.settings.show_results,
        briefing=BriefingView(text=scenario.briefing),
    )


def translated_info(scenario: Scenario) -> ExerciseInfo:
    """The team view of ``scenario`` in another language, with its phases' words."""
    return exercise_for_team(scenario).model_copy(
        update={
            "phases": {
                p.id: PhaseText(
                    title=p.title,
                    questions=[] if p.discussion is None else list(p.discussion.questions),
                )
                for p in scenario.phases
            }
        }
    )


def briefing_for_role(scenario: Scenario, role: str | None) -> BriefingView:
    """The briefing a team of ``role`` reads: the scenario's, and the role's own."""
    team = next((t for t in scenario.teams if t.id == role), None)
    if team is None:
        return BriefingView(text=scenario.briefing)
    return BriefingView(
        text=scenario.briefing, role=team.name, about=team.role, role_text=team.briefing
    )


def exercise_for_staff(
    scenario: Scenario,
    scenario_text: str,
    roster: list[dict[str, Any]],
    controllers: list[str] | None = None,
) -> StaffExerciseInfo:
    return StaffExerciseInfo(
        **exercise_for_team(scenario).model_dump(),
        scenario_text=scenario_text,
        roster=roster,
        controllers=controllers or [],
    )


class PauseView(_View):
    """The pause in force, as every console shows it: its message, and when play resumes
    if the control room planned it (``pause`` with ``until``; the live runner resumes by
    itself then). Folded from the clock events by :func:`pause_after`."""

    message: str = ""
    until: float | None = None
    """The planned end: a wall-clock instant, in seconds since the epoch."""
    discussion: Discussion | None = None
    """The module's discussion this pause is (the engine paused for it)."""
    since: float | None = None
    """When the discussion began: a wall-clock instant (its suggested length counts
    down from there); None when not known."""

    def discussion_left(self, wall_now: float) -> str | None:
        """``12:04`` of the discussion's suggested length left (``0:00`` once over, so
        the facilitator sees it is time to resume); None when not a discussion or its
        start is unknown."""
        if self.discussion is None or self.since is None:
            return None
        left = self.since + self.discussion.minutes * 60 - wall_now
        return format_countdown(max(0, -int(-left // 1)) * SECOND)

    def discussion_line(self, wall_now: float, *, staff: bool) -> str:
        """``Module 1 discussion — resume when done · 12:04 left of 15 min`` (staff), or
        ``Module 1 discussion: Detection · about 15 min`` (teams)."""
        talk = self.discussion
        assert talk is not None
        left = self.discussion_left(wall_now)
        label = _("{module} discussion").format(module=module_label(talk.number))
        of = _("{left} left of {minutes} min")
        if staff:
            timing = (
                of.format(left=left, minutes=talk.minutes)
                if left
                else _("{minutes} min").format(minutes=talk.minutes)
            )
            return _("{label} — resume when done · {timing}").format(label=label, timing=timing)
        timing = (
            of.format(left=left, minutes=talk.minutes)
            if left
            else _("about {minutes} min").format(minutes=talk.minutes)
        )
        return f"{label}: {talk.title} · {timing}"

    def seconds_left(self, wall_now: float) -> float | None:
        """Wall seconds until the planned end (0 once passed); None when none is planned."""
        return None if self.until is None else max(0.0, self.until - wall_now)

    def countdown(self, wall_now: float) -> str | None:
        """``12:04`` until the planned end (rounded up: it shows 0:00 only when it is over)."""
        left = self.seconds_left(wall_now)
        if left is None:
            return None
        return format_countdown(-int(-left // 1) * SECOND)

    def back_at(self, tz: tzinfo | None = None) -> str | None:
        """The planned end as a time of day (``11:15``) in ``tz`` (the local zone when None)."""
        if self.until is None:
            return None
        at = datetime.fromtimestamp(self.until, tz)
        return format_time_of_day(((at.hour * 60 + at.minute) * 60 + at.second) * SECOND)

    def headline(self, tz: tzinfo | None = None) -> str:
        """``Coffee break: back at 11:15``, ``Back at 11:15``, the message alone, or ``Paused``."""
        back = self.back_at(tz)
        if back is None:
            return self.message or _("Paused")
        if self.message:
            return _("{message}: back at {time}").format(message=self.message, time=back)
        return _("Back at {time}").format(time=back)

    def resumes_in(self, wall_now: float) -> str | None:
        """``resumes in 8 min`` (whole minutes, rounded up; seconds in the last minute),
        ``resuming…`` once the planned end has passed; None when none is planned."""
        left = self.seconds_left(wall_now)
        if left is None:
            return None
        if left <= 0:
            return _("resuming…")
        if left < 60:
            return _("resumes in {n} s").format(n=grouped(-int(-left // 1)))
        return _("resumes in {n} min").format(n=grouped(-int(-left // 60)))

    def status_line(self, wall_now: float, tz: tzinfo | None = None, *, staff: bool = False) -> str:
        """The pause on one line, as the team and staff consoles show it: ``Coffee break ·
        Break until 11:15 — resumes in 8 min``, ``Break until 11:15 — resumes in 8 min``,
        ``Paused: the message``, or ``Paused``; a module's discussion as
        :meth:`discussion_line` words it for ``staff`` or a team. The message is people's
        text: render it as text, never markup."""
        if self.discussion is not None:
            return self.discussion_line(wall_now, staff=staff)
        back = self.back_at(tz)
        if back is None:
            return (
                _("Paused: {message}").format(message=self.message) if self.message else _("Paused")
            )
        line = _("Break until {time} — {resumes}").format(
            time=back, resumes=self.resumes_in(wall_now)
        )
        return f"{self.message} · {line}" if self.message else line


def pause_after(
    body: BaseModel, current: PauseView | None, wall: float | None = None
) -> PauseView | None:
    """The pause in force after an event with ``body`` (a team's or staff's): a ``pause``
    or a module's ``discussion`` (which began at ``wall``, when known) starts one, a
    ``start``, ``resume`` or end ends it, anything else leaves it."""
    if isinstance(body, c.Pause):
        return PauseView(message=body.reason, until=body.until)
    if isinstance(body, Discussion):
        message = f"{module_label(body.number)} discussion: {body.title}"
        return PauseView(message=message, discussion=body, since=wall or None)
    if isinstance(body, c.Start | c.Resume | c.End | Ended):
        return None
    return current
