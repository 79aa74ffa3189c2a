"""The participants' feedback forms as CSV: one row per member's form, for spreadsheets.

A second file beside the scores' CSV (``sitroom report --format feedback.csv``),
since a form is not a team × expectation row. Ratings have one column per fixed
statement (:data:`engine.feedback.QUESTIONS`, by id), blank when not rated; the
member column is blank for an anonymous form.
"""

from __future__ import annotations

import csv
import io

from engine.feedback import MAX_ITEMS, QUESTIONS
from scoring.report.csvout import _text
from scoring.report.model import Report
from scoring.report.words import clock

COLUMNS = (
    "sent_at",
    "role",
    "team",
    "team_name",
    "member",
    *(f"rating_{qid}" for qid, _ in QUESTIONS),
    *(f"strength_{i}" for i in range(1, MAX_ITEMS + 1)),
    *(f"improvement_{i}" for i in range(1, MAX_ITEMS + 1)),
)


def _padded(texts: list[str]) -> list[str]:
    return [_text(t) for t in texts] + [""] * (MAX_ITEMS - len(texts))


def render_feedback_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in report.feedback.rows:
        writer.writerow(
            (
                clock(row.t),
                _text(row.role),
                row.team,
                _text(row.team_name),
                "" if row.member is None else _text(row.member),
                *(str(row.ratings.get(qid, "")) for qid, _ in QUESTIONS),
                *_padded(row.strengths),
                *_padded(row.improvements),
            )
        )
    return out.getvalue()
