"""Building blocks shared by every scenario model: the base class and id types.

All models are frozen and forbid unknown fields, so a misspelt key is an error
with a suggestion rather than a silently ignored setting.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Discriminator, Field, StringConstraints, Tag

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"
REF_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}\.[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"
ATLAS_PATTERN = r"^AML\.TA?\d{4}(\.\d{3})?$"
OWASP_LLM_PATTERN = r"^LLM(0[1-9]|10)$"

MAX_POINTS = 1_000_000
"""Most points anything is worth: an option or a checklist item (either way: a penalty
is at least ``-MAX_POINTS``), a text or manual expectation, an evaluator's grade; also
the largest ``weight``. Sums over a whole exercise stay exact in millionths."""


class Model(BaseModel):
    """Base of every scenario model: immutable, strict about unknown keys."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        populate_by_name=True,
        str_strip_whitespace=False,
        allow_inf_nan=False,
        # Validators are built once, for Scenario as a whole, when it is first
        # used, instead of once per model class at import: faster start-up.
        defer_build=True,
    )


class FieldError(ValueError):
    """A rule checked on a whole model but broken by one field of it.

    Raised from a model validator, it lets the loader report the problem at that
    field's line (``at`` of an inject given two triggers) instead of at the
    start of the mapping.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


Points = Annotated[float, Field(ge=-MAX_POINTS, le=MAX_POINTS)]
"""Points that may be negative (a penalty): within ``±MAX_POINTS``."""

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
"""An identifier: letters, digits, ``-`` and ``_``; no dots (dots join references)."""

ExpectationRef = Annotated[str, StringConstraints(pattern=REF_PATTERN)]
"""``INJECT.EXPECTATION``: one expectation of one inject, e.g. ``I-01.verify``."""

AtlasId = Annotated[str, StringConstraints(pattern=ATLAS_PATTERN)]
OwaspLlmId = Annotated[str, StringConstraints(pattern=OWASP_LLM_PATTERN)]


class References(Model):
    """Threat references that ground the content: MITRE ATLAS and OWASP LLM Top 10 ids."""

    atlas: list[AtlasId] = Field(
        default_factory=list, description="MITRE ATLAS ids, e.g. AML.T0051"
    )
    owasp_llm: list[OwaspLlmId] = Field(
        default_factory=list, description="OWASP Top 10 for LLM Applications ids, e.g. LLM01"
    )
    incidents: list[str] = Field(
        default_factory=list, description="Real incidents the content draws on, in plain words"
    )

    def is_empty(self) -> bool:
        return not (self.atlas or self.owasp_llm or self.incidents)


def split_ref(ref: str) -> tuple[str, str]:
    """``"I-01.verify"`` → ``("I-01", "verify")``."""
    inject, _, expectation = ref.partition(".")
    return inject, expectation


def text_or_other(text_tag: str, other_tag: str) -> Discriminator:
    """A discriminator for ``str | something``: keeps error locations free of noise.

    A plain union reports every member's failure; tagging by Python type reports
    only the member the planner meant.
    """

    def pick(value: Any) -> str:
        return text_tag if isinstance(value, str) else other_tag

    return Discriminator(pick)


def one_of_text(text_type: Any, text_tag: str, other_type: Any, other_tag: str) -> Any:
    """``Annotated[text_type | other_type]`` told apart by whether the value is text."""
    return Annotated[
        Annotated[text_type, Tag(text_tag)] | Annotated[other_type, Tag(other_tag)],
        text_or_other(text_tag, other_tag),
    ]
