"""The recorded grade of a text answer: points and a verdict per element.

It travels inside the ``respond`` command (:class:`engine.commands.Respond`), filled
in by the engine when the answer is taken, so the log holds the grade itself and not
only the text it came from: floats from an embedding model can differ across BLAS
builds, and a replay must come out the same everywhere.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

How = Literal["keyword", "meaning", "contradicted", "missing", "said"]
"""How an element was decided: found by a keyword or pattern, found by meaning,
contradicted (the answer states its opposite or casts doubt on it), missing; for a
forbidden element, ``said``."""

MAX_EVIDENCE = 300
"""Longest evidence clause kept in a verdict (characters)."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class ElementVerdict(_Frozen):
    """One rubric element: its name (the term's label), how it was decided, its credit."""

    name: str = Field(max_length=1_000)
    how: How
    credit: float = Field(ge=0, le=1)
    """Share of the element's weight earned (required); 1 for a forbidden one said."""
    cosine: float = Field(0.0, ge=-1, le=1)
    """The best similarity found (rounded to 3 decimals; 0 when decided by keyword alone)."""
    evidence: str = Field("", max_length=MAX_EVIDENCE)
    """The clause of the answer that decided it (empty when missing)."""


class TextVerdict(_Frozen):
    """The grade of one text answer, as the engine recorded it when the answer was taken."""

    grader: str = Field(max_length=100)
    """Which grader and version of its rules made it (e.g. ``use-m3/2``)."""
    points: float = Field(ge=0)
    max_points: float = Field(ge=0)
    required: list[ElementVerdict] = Field(default_factory=list, max_length=200)
    forbidden: list[ElementVerdict] = Field(default_factory=list, max_length=200)
    """The forbidden elements the answer said (the others are not listed)."""
    words: int = Field(0, ge=0)
    length: float = Field(1.0, ge=0, le=1)
    """The length factor: 1 within min_words..max_words, less in proportion outside."""
    relevance: float = Field(1.0, ge=0, le=1)
    """The factor applied to the credit found by meaning when the whole answer is far
    from the model answer (1 when close to it); already in the elements' credit."""

    @property
    def share(self) -> float:
        return self.points / self.max_points if self.max_points else 0.0

    def found(self) -> list[str]:
        """Required elements the answer makes (at least half their credit)."""
        return [v.name for v in self.required if v.credit >= 0.5]

    def missed(self) -> list[str]:
        """Required elements it misses, contradicts or only brushes against."""
        return [v.name for v in self.required if v.credit < 0.5]

    @property
    def unsure(self) -> float:
        """How unsure the grader was: 1 when an element sits exactly on the line between
        found and missed, 0 when every element was decided outright.

        The line is the one :meth:`found` and :meth:`missed` draw (and the team console
        shows): half an element's credit. An element's credit is already its score placed
        on the grader's thresholds (the cosine ramp from ``lo`` to ``hi`` of
        :class:`engine.meaning.rubric.Params`, times the relevance factor), so the measure
        is the smallest distance of any required element's credit to that line,
        ``1 - min |2 credit - 1|``. It reads only what the verdict records, not the knobs
        of today's rules: the same figure on every machine, in every replay and for an old
        log, so two evaluators' queues agree. An element decided by a rule rather than a
        ramp (a keyword or pattern, a contradiction, nothing close) has credit 0 or 1 and
        counts as sure; forbidden elements said are left out (the verdict does not keep
        how close a forbidden one came). No required element: sure (0).
        """
        if not self.required:
            return 0.0
        return round(1.0 - min(abs(2.0 * v.credit - 1.0) for v in self.required), 6)
