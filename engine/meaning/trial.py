"""Trying a rubric before the day (``sitroom rubric``): answers in, grades out.

A planner writes the answers she expects (good, half right, wrong, in French...) in a
CSV with a ``text`` column, or one per line, and sees what the meaning grader gives
each: points, and the verdict per element, as the engine would record it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from typing import Any

from engine import sheetfile
from engine.grading import status_of_points, status_text
from engine.i18n import N_, _, ngettext, word_for
from engine.i18n.forms import grouped
from engine.meaning.intake import grade
from engine.meaning.verdict import TextVerdict
from engine.scenario.expectations import TextExpectation


class TrialError(ValueError):
    """The answers cannot be read (a CSV without a ``text`` column); ``row``, the sheet's
    row it is on (1: the header), or 0; ``column``, the cell (1-based), or 0."""

    def __init__(self, message: str, row: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.row = row
        self.column = column


def read_answers(data: str, *, table: bool) -> list[str]:
    """The answers of a sheet with a ``text`` column (``table``), or one per non-blank line.

    The sheet is read as :mod:`engine.sheetfile` reads every sheet: UTF-8 or UTF-16
    (decoded by the caller), cells between commas, semicolons or tabs, told by its first
    row. A first row with none (``text`` alone) makes a sheet of one column: the commas
    and semicolons of an answer stay in it. Refused, located: a row with a cell right of
    the last column (an answer that held the separator, not quoted, cut in two), a row
    that ends before the text column (the rest of a row a line break cut, not quoted)
    and a quote never closed (the rest of the sheet would be read as one answer).
    """
    if not table:
        return [line.strip() for line in data.splitlines() if line.strip()]
    rows: list[list[str]] = []
    sep = sheetfile.delimiter(data, header=True)
    try:
        for row in sheetfile.rows(data, sep):
            rows.append(row)
    except sheetfile.UnclosedQuote as exc:
        raise TrialError(
            sheetfile.unclosed_reason(),
            exc.row,
            exc.column,
        ) from None
    except csv.Error as exc:
        raise TrialError(
            _("cannot read this row as CSV ({error})").format(error=exc), len(rows) + 1
        ) from None
    header = rows[0][: sheetfile.width(rows[0])] if rows else []
    columns = {name.strip().lower(): i for i, name in enumerate(header)}
    if "text" not in columns:
        found = sheetfile.shown(", ".join(n for n in header if n) or _("none"))
        raise TrialError(
            _("the CSV has no 'text' column (its columns: {found})").format(found=found), 1
        )
    key = columns["text"]
    for number, row in enumerate(rows[1:], start=2):
        extra = sheetfile.past(row, len(header))
        if extra is not None:
            cut = sheetfile.cut_reason(header[-1].strip(), sep)
            raise TrialError(cut, number, extra + 1)
        if key >= len(row) and any(cell.strip() for cell in row):
            # the rest of a row a line break cut, not quoted (a carriage return alone too)
            short = _(
                "this row ends before the 'text' column (column {column}): a cell that holds a "
                "line break must be quoted, or its row is cut in two"
            )
            raise TrialError(short.format(column=key + 1), number, len(row))
    cells = (row[key].strip() if key < len(row) else "" for row in rows[1:])
    return [answer for answer in cells if answer]


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
