"""What a team is expected to do about an inject, and how it is graded.

Four kinds, told apart by ``kind``: a *decision* (choose one option), a
*checklist* (tick the actions taken), a *text* (write a statement, checked for
required and forbidden terms) and *manual* (an evaluator grades it). Each has a
deadline relative to delivery and a timeliness rule for late answers.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, ValidationInfo, field_validator, model_validator
from pydantic.json_schema import SkipJsonSchema

from engine.durations import Duration
from engine.i18n import _
from engine.scenario.common import MAX_POINTS, FieldError, Id, Model, Points, one_of_text
from engine.scenario.lang import Text, TextRequired, with_other_languages


class Timeliness(Model):
    """How a late answer is scored.

    ``late: full`` keeps full points; ``decay`` falls linearly from full points at the
    deadline to ``floor`` at ``over`` after it; ``steps`` applies the factor of the
    last step reached; ``fail`` gives zero after the deadline.
    """

    late: Literal["full", "decay", "steps", "fail"] = "decay"
    floor: float = Field(0.5, ge=0, le=1, description="Lowest share of points a late answer keeps")
    over: Duration = Field(
        1_800_000, description="How long the decay takes to reach the floor (at most 30 days)"
    )
    steps: list[LateStep] = Field(default_factory=list)

    @model_validator(mode="after")
    def _steps_when_stepped(self) -> Timeliness:
        if self.late == "steps" and not self.steps:
            raise FieldError(
                "late",
                _("late: steps needs a list of steps, e.g. steps: [{after: 5m, factor: 0.5}]"),
            )
        if self.late != "steps" and self.steps:
            raise FieldError(
                "steps",
                _("steps are only read with late: steps, not with late: {late}").format(
                    late=self.late
                ),
            )
        if self.late == "decay" and self.over <= 0:
            raise FieldError("over", _("over must be longer than 0 for late: decay"))
        return self


class LateStep(Model):
    """From ``after`` past the deadline on, the answer keeps ``factor`` of its points."""

    after: Duration
    factor: float = Field(ge=0, le=1)


class Option(Model):
    """One choice of a decision."""

    id: Id
    label: TextRequired
    points: Points = 0
    feedback: Text = Field(
        "", description="Shown to the team after it decides, if results are shown"
    )


class ChecklistItem(Model):
    """One action of a checklist; negative points make it a penalty item."""

    id: Id
    label: TextRequired
    points: Points = 1


class Term(Model):
    """A term a text answer is checked for: a phrase, synonyms, or a regular expression."""

    any: list[str] = Field(default_factory=list, description="Synonyms: one of them suffices")
    pattern: str | None = Field(None, description="A regular expression (case-insensitive)")
    label: Text = Field("", description="How the term is named in feedback and reports")

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, pattern: str | None) -> str | None:
        if pattern is not None:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(
                    _("not a valid regular expression: {reason}").format(reason=exc)
                ) from None
        return pattern

    @field_validator("any")
    @classmethod
    def _no_blank_synonyms(cls, words: list[str]) -> list[str]:
        for word in words:
            _not_blank(word)
        return words

    @model_validator(mode="after")
    def _one_form(self) -> Term:
        if self.any and self.pattern is not None:
            raise FieldError(
                "pattern", _("a term is a list of synonyms (any) or a pattern, not both")
            )
        if not self.any and self.pattern is None:
            raise ValueError(_("a term needs any (a list of synonyms) or pattern"))
        return self

    @property
    def name(self) -> str:
        if self.label:
            return self.label
        return self.any[0] if self.any else f"/{self.pattern}/"


def _not_blank(text: str) -> str:
    if not text.strip():
        raise ValueError(_("a term cannot be blank"))
    return text


def term_name(term: str | Term) -> str:
    """How a rubric term is named in a verdict, feedback and reports: its label, else its
    first synonym or its pattern; a plain phrase is its own name."""
    return term if isinstance(term, str) else term.name


TermSpec = one_of_text(Annotated[str, AfterValidator(_not_blank)], "term-text", Term, "term-map")
"""A plain phrase, or a :class:`Term` with synonyms or a pattern."""


class _ExpectationBase(Model):
    id: Id
    prompt: Text = Field("", description="The question or task as the team sees it")
    objective: Id | None = Field(None, description="The objective this expectation feeds")
    weight: float = Field(1.0, ge=0, le=MAX_POINTS, description="Weight in its objective's roll-up")
    due: Duration | None = Field(
        None, description="Deadline after delivery; none means no deadline"
    )
    timeliness: Timeliness = Field(default_factory=Timeliness)
    answer_by: Literal["any", "all"] = Field(
        "any", description="any: one member answers for the team; all: every member answers"
    )
    pass_mark: float = Field(
        0.7, ge=0, le=1, description="Share of the maximum points at which the expectation is met"
    )
    rubric: Text = Field("", description="Guidance for evaluators")

    def max_points(self) -> float:
        raise NotImplementedError


class DecisionExpectation(_ExpectationBase):
    """Choose one option; it earns that option's points."""

    kind: Literal["decision"]
    options: list[Option] = Field(min_length=2)

    def max_points(self) -> float:
        return max(0.0, *(o.points for o in self.options))


class ChecklistExpectation(_ExpectationBase):
    """Tick the actions taken; each item earns (or, if negative, costs) its points."""

    kind: Literal["checklist"]
    items: list[ChecklistItem] = Field(min_length=1)

    def max_points(self) -> float:
        return sum(i.points for i in self.items if i.points > 0)


class TextExpectation(_ExpectationBase):
    """Write a statement; points for required terms found, penalties for forbidden ones."""

    kind: Literal["text"]
    points: float = Field(10, ge=0, le=MAX_POINTS)
    model_answer: Text = Field(
        "", description="A good answer, shown to evaluators and in the report"
    )
    required: list[TermSpec] = Field(default_factory=list)  # type: ignore[valid-type]
    forbidden: list[TermSpec] = Field(default_factory=list)  # type: ignore[valid-type]
    forbidden_penalty: float = Field(
        0.5, ge=0, le=1, description="Share of the points lost for each forbidden term used"
    )
    min_words: int = Field(0, ge=0)
    max_words: int | None = Field(None, ge=1)
    model_answer_also: SkipJsonSchema[list[str]] = Field(
        default_factory=list, exclude=True, repr=False
    )
    """The model answer in the scenario's other languages (filled by sitroom from a
    ``{en: …, fr: …}`` model answer, read by the grader, never written by an author)."""

    @model_validator(mode="before")
    @classmethod
    def _model_answer_languages(cls, data: Any, info: ValidationInfo) -> Any:
        return with_other_languages(data, "model_answer", info)

    def grading_key(self) -> str:
        """Everything a grade depends on, as text (a cache key): the rubric as dumped, and
        the model answer in the other languages, which dumps leave out."""
        return self.model_dump_json() + json.dumps(self.model_answer_also, ensure_ascii=False)

    @model_validator(mode="after")
    def _bounds(self) -> TextExpectation:
        if self.max_words is not None and self.max_words < self.min_words:
            raise FieldError(
                "max_words",
                _("max_words ({most}) is smaller than min_words ({least})").format(
                    most=self.max_words, least=self.min_words
                ),
            )
        return self

    def max_points(self) -> float:
        return self.points


class ManualExpectation(_ExpectationBase):
    """Graded by an evaluator, up to ``max_points``."""

    kind: Literal["manual"]
    max_points_: float = Field(10, ge=0, le=MAX_POINTS, alias="max_points")

    def max_points(self) -> float:
        return self.max_points_


Expectation = Annotated[
    DecisionExpectation | ChecklistExpectation | TextExpectation | ManualExpectation,
    Field(discriminator="kind"),
]
AnyExpectation = DecisionExpectation | ChecklistExpectation | TextExpectation | ManualExpectation

Timeliness.model_rebuild()
