"""The scenario: metadata, objectives, teams (roles), actors and injects.

A :class:`Scenario` is immutable once loaded. The lookups the engine needs on
every event (an inject by id, an expectation by reference) are computed once and
cached on the instance.
"""

from __future__ import annotations

from datetime import datetime
from functools import cached_property
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator, model_validator

from engine.durations import Duration
from engine.feedback import MAX_PROMPT_CHARS, MAX_PROMPTS
from engine.i18n import N_, _
from engine.scenario.common import FieldError, Id, Model, References, split_ref
from engine.scenario.expectations import AnyExpectation
from engine.scenario.injects import Inject
from engine.scenario.lang import PICK, Lang, Text, TextRequired, check_languages
from engine.scenario.modules import Discussion, PhaseAfterField

MAX_BRIEFING = 8_000
"""Most characters of a briefing (the scenario's, or one role's): read on one screen
before play, and sent to every team member who joins."""

Briefing = Annotated[str, StringConstraints(max_length=MAX_BRIEFING), PICK]
"""A briefing's text (Markdown, as an inject's body); empty when there is none."""

HotwashPrompt = Annotated[str, StringConstraints(min_length=1, max_length=MAX_PROMPT_CHARS), PICK]
"""A question the facilitator puts to the room in the hotwash ("What surprised you?")."""

Rating = Literal["P", "S", "M", "U"]
RATINGS: tuple[Rating, ...] = ("P", "S", "M", "U")
RATING_NAMES: dict[str, str] = {
    # English source text marked for translation, translated where shown (_()).
    "P": N_("Performed without challenges"),
    "S": N_("Performed with some challenges"),
    "M": N_("Performed with major challenges"),
    "U": N_("Unable to be performed"),
}


class Thresholds(Model):
    """Shares of an objective's maximum points at which each HSEEP rating starts.

    At or above ``P`` rates P, at or above ``S`` rates S, at or above ``M`` rates M,
    below ``M`` rates U.
    """

    P: float = Field(0.85, ge=0, le=1)
    S: float = Field(0.65, ge=0, le=1)
    M: float = Field(0.4, ge=0, le=1)

    @model_validator(mode="after")
    def _ordered(self) -> Thresholds:
        if not self.P >= self.S >= self.M:
            raise ValueError(
                _("thresholds must satisfy P >= S >= M (got P={p}, S={s}, M={m})").format(
                    p=self.P, s=self.S, m=self.M
                )
            )
        return self

    def rate(self, share: float) -> Rating:
        if share >= self.P:
            return "P"
        if share >= self.S:
            return "S"
        if share >= self.M:
            return "M"
        return "U"


class Objective(Model):
    """What the exercise tests, mapped to a capability and rated P/S/M/U."""

    id: Id
    title: TextRequired
    capability: Text = Field("", description="The capability (HSEEP core capability or your own)")
    description: Text = ""
    thresholds: Thresholds = Field(default_factory=Thresholds)


class Team(Model):
    """A team role in the scenario. An exercise fields one or more teams per role."""

    id: Id
    name: TextRequired
    role: Text = Field("", description="What this team does in the story")
    size: int | None = Field(None, ge=1, description="Expected number of members")
    tags: list[str] = Field(default_factory=list, description="Tracks or groupings")
    description: Text = ""
    briefing: Briefing = Field(
        "", description="What this role's players read before play, after the scenario's briefing"
    )


ActorKind = Literal[
    "press",
    "regulator",
    "vendor",
    "attacker",
    "public",
    "government",
    "partner",
    "internal",
    "law-enforcement",
    "other",
]


class Actor(Model):
    """Someone outside the room whom the control room plays: press, regulator, vendor…"""

    id: Id
    name: TextRequired
    kind: ActorKind = "other"
    description: Text = Field("", description="Who they are, for the controllers playing them")


class Phase(Model):
    """A phase or module of play (CISA tabletop packages play in modules).

    With ``at`` and ``story`` the phase moves the story clock: from ``at`` into the
    exercise, the world's time is ``story`` (:mod:`engine.storyclock`)."""

    id: Id
    title: TextRequired
    description: Text = ""
    at: Duration | None = Field(None, description="When in the exercise the phase starts")
    after: PhaseAfterField | None = Field(
        None,
        description="Start when another phase ends (at its discussion, if it has one), "
        "plus a delay: a phase id, or {phase, delay}",
    )
    story: datetime | None = Field(
        None,
        description="In-world date and time when the phase starts: the story clock jumps "
        "there (needs at or after, and the scenario's start)",
    )
    discussion: Discussion | None = Field(
        None,
        description="A pause at the end of the module: questions every team discusses; "
        "the facilitator resumes play (engine/scenario/modules.py)",
    )

    @model_validator(mode="after")
    def _story_needs_at(self) -> Phase:
        if self.at is not None and self.after is not None:
            raise FieldError(
                "after", _("a phase starts at a time or after another phase: keep one of them")
            )
        if self.story is not None and self.at is None and self.after is None:
            raise FieldError(
                "story",
                _("a story jump needs at or after: when in the exercise the phase starts"),
            )
        return self


class Settings(Model):
    """Knobs for checking and playing the scenario."""

    flood_threshold: int = Field(
        8, ge=1, description="Warn when a team gets more than this many injects in 10 minutes"
    )
    show_results: bool = Field(True, description="Show teams their result after they answer")
    grade_rule: Literal["mean", "latest", "lead"] = Field(
        "mean", description="How several evaluators' grades of one item combine"
    )


class Scenario(Model):
    """The script of an exercise."""

    id: Id
    title: TextRequired
    description: Text = ""
    languages: list[Lang] = Field(
        default_factory=list,
        description="The languages the scenario's text is written in, the default first: "
        "any text may then be given per language, {en: …, fr: …} (engine/scenario/lang.py)",
    )
    """Empty once loaded: the loader resolves the text to one language
    (``engine.scenario.lang.validate``) and says which the file has
    (``LoadResult.languages``)."""
    briefing: Briefing = Field(
        "", description="What every team reads before play: the setting, the rules, what to do"
    )
    version: str = "1"
    duration: Duration
    seed: int = 0
    start: datetime | None = Field(None, description="In-world date and time at the start")
    references: References = Field(default_factory=References)
    settings: Settings = Field(default_factory=Settings)
    phases: list[Phase] = Field(default_factory=list)
    objectives: list[Objective] = Field(default_factory=list)
    teams: list[Team] = Field(min_length=1)
    actors: list[Actor] = Field(default_factory=list)
    injects: list[Inject] = Field(default_factory=list)
    hotwash: list[HotwashPrompt] = Field(
        default_factory=list,
        max_length=MAX_PROMPTS,
        description="The facilitator's hotwash prompts after the end (default: what went "
        "well, what to improve, surprises, next steps)",
    )

    @field_validator("languages")
    @classmethod
    def _languages_once(cls, languages: list[str]) -> list[str]:
        return check_languages(languages)

    @field_validator("duration")
    @classmethod
    def _positive_duration(cls, duration: int) -> int:
        if duration <= 0:
            raise ValueError(_("duration must be longer than 0"))
        return duration

    @cached_property
    def inject_by_id(self) -> dict[str, Inject]:
        return {i.id: i for i in self.injects}

    @cached_property
    def expectation_by_ref(self) -> dict[str, tuple[Inject, AnyExpectation]]:
        return {f"{i.id}.{e.id}": (i, e) for i in self.injects for e in i.expects}

    @cached_property
    def role_ids(self) -> list[str]:
        return [t.id for t in self.teams]

    @cached_property
    def objective_by_id(self) -> dict[str, Objective]:
        return {o.id: o for o in self.objectives}

    @cached_property
    def actor_by_id(self) -> dict[str, Actor]:
        return {a.id: a for a in self.actors}

    def expectation(self, ref: str) -> AnyExpectation:
        return self.expectation_by_ref[ref][1]

    @cached_property
    def role_tags(self) -> dict[str, list[str]]:
        """Each role's tags: every team playing it carries them (``to: [tag:NAME]``)."""
        return {t.id: list(t.tags) for t in self.teams}

    def roles_of(self, inject: Inject) -> list[str]:
        """The roles whose teams may receive ``inject``; with teams or cells named, every
        role (only a roster says whose they are: ``Roster.audience`` does)."""
        return inject.addressed_roles(self.role_ids)

    def refs_of(self, inject: Inject) -> list[str]:
        return [f"{inject.id}.{e.id}" for e in inject.expects]


__all__ = ["Scenario", "split_ref"]
