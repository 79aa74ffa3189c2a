"""The report as CSV: one row per team × delivered expectation, for spreadsheets.

Teams in roster order, expectations in delivery order. Times are exercise times
in ``H:MM:SS`` and spans in seconds, so a spreadsheet can sort and sum them.
"""

from __future__ import annotations

import csv
import io

from engine.msel.cells import escape_formula
from engine.textsafe import visible
from scoring.report.model import Report
from scoring.report.words import clock

COLUMNS = (
    "team",
    "team_name",
    "role",
    "inject",
    "expectation",
    "kind",
    "objective",
    "status",
    "points",
    "max_points",
    "automatic_points",
    "evaluator_points",
    "evaluators",
    "delivered_at",
    "due_at",
    "answered_at",
    "response_s",
    "late_s",
    "timeliness_factor",
    "answer",
    "why",
)


def _text(value: str) -> str:
    """Free text as a spreadsheet shows it, never as a formula (players write these cells),
    its control, bidi and invisible characters made visible (newlines and tabs stay: a
    quoted cell holds them)."""
    return escape_formula(visible(value))


def _num(value: float | None) -> str:
    if value is None:
        return ""
    return f"{round(value, 6):g}" if abs(value) < 1e15 else str(value)


def render_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for card in report.teams:
        for r in card.results:
            writer.writerow(
                (
                    card.id,
                    _text(card.name),
                    card.role,
                    r.ref.partition(".")[0],
                    r.ref,
                    r.kind,
                    r.objective or "",
                    r.status,
                    _num(r.points),
                    _num(r.max_points),
                    _num(r.auto_points),
                    _num(r.override),
                    _text("; ".join(f"{g.evaluator}={_num(g.points)}" for g in r.grades)),
                    clock(r.delivered_at),
                    "" if r.due_at is None else clock(r.due_at),
                    "" if r.answered_at is None else clock(r.answered_at),
                    "" if r.response_ms is None else r.response_ms // 1000,
                    r.late_ms // 1000 if r.late_ms else "",
                    _num(r.factor) if r.answers else "",
                    _text(r.answer),
                    _text(" / ".join(r.why)),
                )
            )
    return out.getvalue()
