"""Strengths, areas for improvement and the improvement plan.

Two sources, as HSEEP asks: the results (an expectation most teams met is a
strength; one most teams missed, or let expire, is an area for improvement) and
the evaluators' notes (category ``strength`` or ``improvement``). Each finding is
written as observation, analysis and recommendation; the analysis names the most
common reason (the option chosen instead, the checklist items left out, the terms
missing from statements, the deadlines let pass).

Improvement-plan rows come from every ``improvement`` note and every area for
improvement found in the results. A note may set the plan's columns with lines
``Action: …``, ``Owner: …`` and ``Due: …``; otherwise the owner is the team the note
is about and the due date is left to the after-action meeting.
"""

from __future__ import annotations

import re
from collections import Counter

from engine.durations import format_duration, format_seconds
from engine.i18n import N_, _, ngettext
from engine.i18n.forms import grouped, listed
from engine.roster import Roster
from engine.scenario.expectations import (
    AnyExpectation,
    ChecklistExpectation,
    DecisionExpectation,
    ManualExpectation,
    TextExpectation,
)
from engine.scenario.model import Scenario
from scoring.chronicle import Chronicle, NoteEntry
from scoring.fold import Scoreboard
from scoring.report.model import ExpectationSummary, Finding, InjectRow, PlanRow
from scoring.results import ExpectationResult

STRENGTH_SHARE = 0.75
"""An expectation met by at least this share of the teams it reached is a strength."""
WEAK_SHARE = 0.5
"""One met by less than this share is an area for improvement."""
EXPIRED_SHARE = 0.25
"""One whose deadline this share of teams let pass is an area for improvement too."""
TO_AGREE = N_("To be agreed")

_FIELD = re.compile(r"^\s*(action|owner|due)\s*:\s*(.+?)\s*$", re.IGNORECASE | re.MULTILINE)


def findings_and_plan(
    scenario: Scenario,
    roster: Roster,
    board: Scoreboard,
    chronicle: Chronicle,
    injects: list[InjectRow],
) -> tuple[list[Finding], list[PlanRow]]:
    per_ref: dict[str, list[ExpectationResult]] = {}
    for result in board.all_results():
        per_ref.setdefault(result.ref, []).append(result)
    role_names = {t.id: t.name for t in scenario.teams}
    team_names = {s.id: s.name for s in roster.teams}
    capability = {o.id: o.capability for o in scenario.objectives}

    from_results: list[Finding] = []
    plan_results: list[PlanRow] = []
    for row in injects:
        for summary in row.expectations:
            exp = scenario.expectation(summary.ref)
            results = per_ref.get(summary.ref, [])
            finding = _result_finding(summary, exp, results)
            if finding is None:
                continue
            from_results.append(finding)
            if finding.kind == "improvement":
                missed_roles = Counter(
                    roster.get(r.team).role  # type: ignore[union-attr]
                    for r in results
                    if r.status not in ("met", "pending")
                    or r.expired_at is not None
                    or r.closed_unanswered
                )
                owner = listed(
                    f"{role_names.get(role, role)} ("
                    + ngettext("{n} team", "{n} teams", n).format(n=grouped(n))
                    + ")"
                    for role, n in sorted(missed_roles.items())
                )
                plan_results.append(
                    PlanRow(
                        finding.observation,
                        finding.recommendation,
                        exp.objective,
                        capability.get(exp.objective or "", ""),
                        owner,
                        _(TO_AGREE),
                        "results",
                    )
                )

    from_notes: list[Finding] = []
    plan_notes: list[PlanRow] = []
    for note in chronicle.notes:
        if note.category not in ("strength", "improvement"):
            continue
        fields, text = _fields(note)
        who = f"{team_names.get(note.team, note.team)}: " if note.team else ""
        from_notes.append(
            Finding(
                note.objective,
                note.category,
                who + text,
                "",
                fields.get("action", ""),
                note.author,
                [],
                note.team,
            )
        )
        if note.category == "improvement":
            owner = fields.get("owner") or (
                team_names.get(note.team, note.team) if note.team else _("Exercise planning team")
            )
            plan_notes.append(
                PlanRow(
                    who + text,
                    fields.get("action", _(TO_AGREE)),
                    note.objective,
                    capability.get(note.objective or "", ""),
                    owner,
                    fields.get("due", _(TO_AGREE)),
                    note.author,
                )
            )

    order = {o.id: n for n, o in enumerate(scenario.objectives)}

    def key(f: Finding) -> tuple[int, int]:
        return (order.get(f.objective or "", len(order)), 0 if f.kind == "strength" else 1)

    findings = sorted(from_results + from_notes, key=key)
    return findings, plan_notes + plan_results


def _fields(note: NoteEntry) -> tuple[dict[str, str], str]:
    fields = {m.group(1).lower(): m.group(2) for m in _FIELD.finditer(note.text)}
    text = " ".join(_FIELD.sub("", note.text).split())
    return fields, text or note.text.strip()


def _result_finding(
    summary: ExpectationSummary, exp: AnyExpectation, results: list[ExpectationResult]
) -> Finding | None:
    counts = summary.counts
    decided = summary.teams - counts["pending"]
    if decided <= 0:
        return None
    met = counts["met"]
    expired = sum(1 for r in results if r.expired_at is not None or r.closed_unanswered)
    share = met / decided
    prompt = _short(exp.prompt).rstrip(".")
    name = f"{summary.ref} ({prompt})" if prompt else summary.ref
    figures = {"met": met, "share": f"{share:.0%}", "name": name, "n": grouped(decided)}
    if share >= STRENGTH_SHARE and expired / decided < EXPIRED_SHARE:
        return Finding(
            exp.objective,
            "strength",
            ngettext(
                "{met} of {n} team ({share}) met {name}.",
                "{met} of {n} teams ({share}) met {name}.",
                decided,
            ).format(**figures),
            _strength_analysis(exp, results, summary),
            _("Sustain: keep this practice in plans and rehearse it in the next exercise."),
            "results",
            [summary.ref],
        )
    if share < WEAK_SHARE or expired / decided >= EXPIRED_SHARE:
        silent = sum(1 for r in results if not r.answers and r.status == "expired")
        if share < WEAK_SHARE:
            parts = [
                ngettext(
                    "Only {met} of {n} team ({share}) met {name}.",
                    "Only {met} of {n} teams ({share}) met {name}.",
                    decided,
                ).format(**figures)
            ]
        else:
            parts = [
                ngettext(
                    "{met} of {n} team ({share}) met {name}, but not all in time.",
                    "{met} of {n} teams ({share}) met {name}, but not all in time.",
                    decided,
                ).format(**figures)
            ]
        if expired and exp.due:
            due = format_duration(exp.due)
            if silent:
                missed = ngettext(
                    "{n} team missed the {due} deadline, {silent} of them never answered.",
                    "{n} teams missed the {due} deadline, {silent} of them never answered.",
                    expired,
                )
            else:
                missed = ngettext(
                    "{n} team missed the {due} deadline.",
                    "{n} teams missed the {due} deadline.",
                    expired,
                )
            parts.append(missed.format(n=grouped(expired), due=due, silent=silent))
        elif silent:
            parts.append(
                ngettext("{n} team never answered.", "{n} teams never answered.", silent).format(
                    n=grouped(silent)
                )
            )
        analysis, recommendation = _weakness(exp, results, expired / decided)
        return Finding(
            exp.objective,
            "improvement",
            " ".join(parts),
            analysis,
            recommendation,
            "results",
            [summary.ref],
        )
    return None


def _short(text: str, limit: int = 70) -> str:
    words = " ".join(text.split())
    return words if len(words) <= limit else words[: limit - 1].rstrip() + "…"


def _strength_analysis(
    exp: AnyExpectation, results: list[ExpectationResult], summary: ExpectationSummary
) -> str:
    parts = []
    if isinstance(exp, DecisionExpectation):
        chosen = Counter(a.choice for r in results for a in r.answers[:1])
        if chosen:
            choice, n = sorted(chosen.items(), key=lambda kv: (-kv[1], str(kv[0])))[0]
            label = next((o.label for o in exp.options if o.id == choice), choice)
            parts.append(
                ngettext(
                    "The most frequent choice ({n} team) was “{label}”.",
                    "The most frequent choice ({n} teams) was “{label}”.",
                    n,
                ).format(n=grouped(n), label=label)
            )
    if summary.times.median is not None:
        median = format_seconds(summary.times.median)
        if exp.due:
            parts.append(
                _("Median response {median} against a {due} deadline.").format(
                    median=median, due=format_duration(exp.due)
                )
            )
        else:
            parts.append(_("Median response {median}.").format(median=median))
    return " ".join(parts)


def _weakness(
    exp: AnyExpectation, results: list[ExpectationResult], expired_share: float
) -> tuple[str, str]:
    answered = [r for r in results if r.answers and r.status != "met"]
    analysis: list[str] = []
    recommendation = ""
    if isinstance(exp, DecisionExpectation):
        best = max(exp.options, key=lambda o: o.points)
        chosen = Counter(r.answers[0].choice for r in answered)
        others = [(c, n) for c, n in chosen.items() if c != best.id]
        if others:
            choice, n = sorted(others, key=lambda kv: (-kv[1], str(kv[0])))[0]
            label = next((o.label for o in exp.options if o.id == choice), choice)
            analysis.append(
                ngettext(
                    "The most frequent other choice was “{label}” ({n} team).",
                    "The most frequent other choice was “{label}” ({n} teams).",
                    n,
                ).format(label=label, n=grouped(n))
            )
        recommendation = _("Write into plans and rehearse: “{label}”.").format(label=best.label)
    elif isinstance(exp, ChecklistExpectation):
        left_out: Counter[str] = Counter()
        penalties: Counter[str] = Counter()
        for r in answered:
            ticked = {i for a in r.answers for i in a.items}
            for item in exp.items:
                if item.points > 0 and item.id not in ticked:
                    left_out[item.label] += 1
                elif item.points < 0 and item.id in ticked:
                    penalties[item.label] += 1
        top = [label for label, _n in sorted(left_out.items(), key=lambda kv: (-kv[1], kv[0]))[:3]]
        if top:
            analysis.append(_("Most often left out: {items}.").format(items=listed(top)))
        if penalties:
            label, n = sorted(penalties.items(), key=lambda kv: (-kv[1], kv[0]))[0]
            analysis.append(
                ngettext(
                    "{n} team also did what should be avoided: {label}.",
                    "{n} teams also did what should be avoided: {label}.",
                    n,
                ).format(n=grouped(n), label=label)
            )
        recommendation = (
            _("Add to the response checklist: {items}.").format(items=listed(top))
            if top
            else _("Review the response checklist with the teams.")
        )
    elif isinstance(exp, TextExpectation):
        missing: Counter[str] = Counter()
        forbidden: Counter[str] = Counter()
        for r in answered:
            missing.update(r.answers[0].missing)
            forbidden.update(r.answers[0].forbidden)
        top = [t for t, _n in sorted(missing.items(), key=lambda kv: (-kv[1], kv[0]))[:3]]
        if top:
            analysis.append(_("Statements most often missed: {items}.").format(items=listed(top)))
        if forbidden:
            term, n = sorted(forbidden.items(), key=lambda kv: (-kv[1], kv[0]))[0]
            analysis.append(
                ngettext("{n} statement used “{term}”.", "{n} statements used “{term}”.", n).format(
                    n=grouped(n), term=term
                )
            )
        recommendation = (
            _("Keep ready-to-use statement templates that cover: {items}.").format(
                items=listed(top)
            )
            if top
            else _("Keep ready-to-use statement templates for this situation.")
        )
    elif isinstance(exp, ManualExpectation):
        graded = [r.points for r in results if r.override is not None]
        if graded:
            analysis.append(
                _("Mean evaluator grade {mean} of {max}.").format(
                    mean=f"{sum(graded) / len(graded):.1f}", max=f"{exp.max_points():g}"
                )
            )
        rubric = _short(exp.rubric, 240)
        recommendation = (
            _("Brief teams on what good looks like (the rubric: {rubric})").format(rubric=rubric)
            if rubric
            else _("Review the evaluators' notes with the teams and agree what good looks like.")
        )
    late = [r for r in results if r.late_ms > 0]
    if late:
        analysis.append(
            ngettext(
                "{n} answer came after the deadline.",
                "{n} answers came after the deadline.",
                len(late),
            ).format(n=grouped(len(late)))
        )
    if expired_share >= EXPIRED_SHARE and exp.due:
        recommendation += " " + _(
            "Assign an owner and a time budget so that it is answered within {due}."
        ).format(due=format_duration(exp.due))
    return " ".join(analysis), recommendation.strip()
