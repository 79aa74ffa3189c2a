"""Trying a rubric before the day (``sitroom rubric``): answers in, grades out.

A planner writes the answers she expects (good, half right, wrong, in French...) in a
CSV with a ``text`` column, or one per line, and sees what the meaning grader gives
each: points, and the verdict per element, as the engine would record it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from engine.grading import status_of_points, status_text
from engine.i18n import N_, _, ngettext, word_for
from engine.i18n.forms import grouped
from engine.meaning.intake import grade
from engine.meaning.verdict import TextVerdict
from engine.scenario.expectations import TextExpectation


class TrialError(ValueError):
    """The answers cannot be read (a CSV without a ``text`` column)."""


def read_answers(data: str, *, table: bool) -> list[str]:
    """The answers of a CSV with a ``text`` column (``table``), or one per non-blank line."""
    if not table:
        return [line.strip() for line in data.splitlines() if line.strip()]
    reader = csv.DictReader(io.StringIO(data))
    columns = {(name or "").strip().lower(): name for name in reader.fieldnames or ()}
    if "text" not in columns:
        found = ", ".join(n for n in reader.fieldnames or () if n) or _("none")
        raise TrialError(
            _("the CSV has no 'text' column (its columns: {found})").format(found=found)
        )
    key = columns["text"]
    return [(row.get(key) or "").strip() for row in reader if (row.get(key) or "").strip()]


@dataclass(frozen=True, slots=True)
class Graded:
    text: str
    verdict: TextVerdict
    status: str
    """met, partial or failed, by the expectation's pass mark."""


def try_rubric(exp: TextExpectation, answers: list[str]) -> list[Graded]:
    """Each answer graded as the engine would grade it when taken."""
    out = []
    for text in answers:
        verdict = grade(exp, text)
        out.append(Graded(text, verdict, status_of_points(verdict.points, exp, exp.points)))
    return out


def as_json(graded: list[Graded]) -> list[dict[str, Any]]:
    """One object per answer, in input order."""
    return [
        {
            "text": g.text,
            "points": g.verdict.points,
            "max_points": g.verdict.max_points,
            "share": round(g.verdict.share, 6),
            "status": g.status,
            "required": [v.model_dump() for v in g.verdict.required],
            "forbidden": [v.model_dump() for v in g.verdict.forbidden],
            "words": g.verdict.words,
            "length": g.verdict.length,
            "relevance": g.verdict.relevance,
            "grader": g.verdict.grader,
        }
        for g in graded
    ]


# A status and how an element was decided are data (the JSON's ``status`` and ``how``);
# the lines a planner reads say them in her language (translated when shown).
_HOW_WORDS = {
    "keyword": N_("keyword"),
    "meaning": N_("meaning"),
    "contradicted": N_("contradicted"),
    "missing": N_("missing"),
    "said": N_("said"),
}


def as_lines(graded: list[Graded]) -> list[str]:
    """Per answer: its points and status, then one line per element (active language)."""
    lines: list[str] = []
    for i, g in enumerate(graded, 1):
        v = g.verdict
        head = g.text if len(g.text) <= 70 else g.text[:69] + "…"
        status = status_text(g.status)
        lines.append(f"#{i}  {v.points:g} / {v.max_points:g}  {status}  {head}")
        for e in v.required:
            mark = "+" if e.credit >= 0.5 else "-"
            what = f"{word_for(_HOW_WORDS, e.how)} {e.credit:.2f}"
            if e.how in ("meaning", "contradicted", "missing"):
                what += f" (cos {e.cosine:.2f})"
            evidence = f": {e.evidence}" if e.evidence else ""
            lines.append(f"    {mark} {e.name}: {what}{evidence}")
        for e in v.forbidden:
            said = _("! forbidden, said: {name}: {evidence}").format(
                name=e.name, evidence=e.evidence
            )
            lines.append("    " + said)
        if v.length < 1:
            length = ngettext("length {n} words: x{factor}", "length {n} words: x{factor}", v.words)
            lines.append("    " + length.format(n=grouped(v.words), factor=f"{v.length:.2f}"))
        if v.relevance < 1:
            far = _("far from the model answer: credit by meaning x{factor}")
            lines.append("    " + far.format(factor=f"{v.relevance:.2f}"))
    return lines
