"""Building the report model: one pass over the events, then assembly.

The scoreboard (scores) and the chronicle (timeline, notes, participants) fold
the same events in a single pass; everything else is computed from them here,
once, and the renderers only format it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import replace

from engine.durations import format_clock
from engine.events import Event
from engine.feedback import hotwash_prompts
from engine.i18n import _, ngettext
from engine.i18n.forms import grouped
from engine.roster import Roster
from engine.scenario.model import RATINGS, Scenario
from engine.scenario.trigger import describe_trigger
from engine.storyclock import story_clock
from engine.views import AttachmentView, inject_for_team
from scoring.chronicle import BUCKET_MS, Chronicle, NoteEntry
from scoring.evaluators import grade_spread
from scoring.feedback import summarise
from scoring.fold import Scoreboard
from scoring.ledger import Ledger
from scoring.report.findings import findings_and_plan
from scoring.report.model import (
    REPORT_FORMAT,
    REPORT_VERSION,
    Agreement,
    AttachmentRow,
    ExpectationSummary,
    GradeRow,
    InjectRow,
    NoteRow,
    ObjectiveInfo,
    ObjectiveSummary,
    Overview,
    RatingCell,
    RatingEntryRow,
    Report,
    ResultRow,
    RoleInfo,
    Spread,
    Summary,
    TeamCard,
    TeamTimes,
    TimelineRow,
    times_of,
)
from scoring.results import STATUSES, ExpectationResult
from scoring.source import LoggedExercise
from scoring.stats import time_stats

Stage = Callable[[str, int, int], None]
"""Progress callback: (stage, done, total)."""


def fold(
    scenario: Scenario,
    roster: Roster,
    events: Iterable[Event],
    progress: Stage | None = None,
    total: int = 0,
) -> tuple[Scoreboard, Chronicle, Ledger]:
    """One pass over the events into the scoreboard, the chronicle and the inject ledger."""
    board = Scoreboard(scenario, roster)
    chronicle = Chronicle()
    ledger = Ledger(scenario, roster)
    apply_score, apply_story, apply_ledger = board.apply, chronicle.apply, ledger.apply
    for n, event in enumerate(events, start=1):
        apply_score(event)
        apply_story(event)
        apply_ledger(event)
        if progress is not None and n % 20_000 == 0:
            progress("scoring", n, total)
    return board, chronicle, ledger


def report_of_log(logged: LoggedExercise, progress: Stage | None = None) -> Report:
    """The report of an exercise read from its log: what ``sitroom report`` and the demo write."""
    return build_report(
        logged.scenario,
        logged.roster,
        logged.events,
        log_name=logged.path.name,
        seed=logged.seed,
        scenario_sha256=logged.scenario_sha256,
        warnings=logged.warnings,
        progress=progress,
    )


def build_report(
    scenario: Scenario,
    roster: Roster,
    events: list[Event],
    *,
    log_name: str = "",
    seed: int | None = None,
    scenario_sha256: str = "",
    warnings: Iterable[str] = (),
    progress: Stage | None = None,
) -> Report:
    """Fold the events and assemble the report."""
    board, chronicle, ledger = fold(scenario, roster, events, progress, len(events))
    if progress is not None:
        progress("assembling", 0, 1)
    teams = [_team_card(board, team) for team in board.team_ids()]
    injects = _inject_rows(board, chronicle, ledger)
    objectives = _objective_summaries(scenario, teams)
    findings, plan = findings_and_plan(scenario, roster, board, chronicle, injects)
    agreement = _agreement(board, teams)
    report = Report(
        REPORT_FORMAT,
        REPORT_VERSION,
        _overview(scenario, roster, board, chronicle, log_name, seed, scenario_sha256),
        _summary(board, chronicle, teams, agreement),
        _timeline(scenario, chronicle, injects),
        injects,
        teams,
        objectives,
        findings,
        plan,
        [
            (row.id, row.title, row.times, _first_due(scenario, row.id))
            for row in injects
            if row.times.n
        ],
        [TeamTimes(c.id, c.name, c.role, c.times) for c in teams],
        _intensity(scenario, chronicle),
        agreement,
        _hotwash(scenario, chronicle),
        [_note(n) for n in chronicle.notes if n.category == "observation"],
        list(warnings),
        summarise(scenario, roster, events),
        list(hotwash_prompts(scenario.hotwash)),
    )
    if progress is not None:
        progress("assembling", 1, 1)
    return report


def _overview(
    scenario: Scenario,
    roster: Roster,
    board: Scoreboard,
    chronicle: Chronicle,
    log_name: str,
    seed: int | None,
    sha: str,
) -> Overview:
    if board.ended:
        status = "ended"
    elif chronicle.started_at is None:
        status = "not started"
    else:
        status = "in progress"
    present: Counter[str] = Counter()
    rostered: Counter[str] = Counter()
    for seat in roster.teams:
        present[seat.role] += len(board.present(seat.id))
        rostered[seat.role] += len(board.rostered(seat.id))
    teams_by_role = {role: len(ids) for role, ids in roster.by_role.items()}
    roles = [
        RoleInfo(t.id, t.name, t.role, teams_by_role.get(t.id, 0), present[t.id], rostered[t.id])
        for t in scenario.teams
        if teams_by_role.get(t.id)
    ]
    played = chronicle.ended_at if chronicle.ended_at is not None else chronicle.last_t
    return Overview(
        scenario.id,
        scenario.title,
        scenario.version,
        scenario.description.strip(),
        log_name,
        sha,
        scenario.seed if seed is None else seed,
        status,
        chronicle.ended_reason,
        scenario.duration,
        played,
        scenario.start.isoformat() if scenario.start else None,
        [(p.id, p.title) for p in scenario.phases],
        [
            ObjectiveInfo(
                o.id,
                o.title,
                o.capability,
                o.description.strip(),
                {"P": o.thresholds.P, "S": o.thresholds.S, "M": o.thresholds.M},
            )
            for o in scenario.objectives
        ],
        roles,
        len(roster),
        sum(present.values()),
        sum(rostered.values()),
        sorted(chronicle.evaluators),
        sorted(chronicle.note_authors),
        list(scenario.references.atlas),
        list(scenario.references.owasp_llm),
        list(scenario.references.incidents),
        sum(chronicle.kinds.values()),
    )


def _result_row(board: Scoreboard, r: ExpectationResult) -> ResultRow:
    inject = board.scenario.inject_by_id[r.inject]
    spread = grade_spread(r)
    first = r.answers[0] if r.answers else None
    return ResultRow(
        r.ref,
        inject.title,
        r.exp.kind,
        r.exp.prompt.strip(),
        r.exp.objective,
        r.exp.weight,
        r.status,
        r.points,
        r.max_points,
        r.auto_points,
        r.override,
        [GradeRow(g.evaluator, g.points, g.reason, g.t) for g in r.grades.values()],
        None
        if spread is None
        else Spread(
            spread.evaluators, spread.low, spread.high, spread.range, spread.stdev, spread.agree
        ),
        r.delivered_at,
        r.due_at,
        r.first_answer_at,
        r.response_ms,
        r.late_ms,
        r.factor,
        r.expired_at is not None or r.closed_unanswered,
        len(r.answers),
        r.answer_summary(),
        list(first.matched) if first else [],
        list(first.missing) if first else [],
        list(first.forbidden) if first else [],
        r.why(),
        r.completed_at,
        r.expired_at,
    )


def _team_card(board: Scoreboard, team: str) -> TeamCard:
    total = board.total(team)
    objectives = []
    for obj_id, res in board.objectives(team).items():
        objectives.append(
            RatingCell(
                obj_id,
                res.share,
                res.computed,
                res.rated,
                res.rating,
                res.source,
                res.decided,
                res.pending,
                [RatingEntryRow(e.evaluator, e.rating, e.reason, e.t) for e in res.ratings],
            )
        )
    return TeamCard(
        team,
        total.name,
        total.role,
        list(board.present(team)),
        len(board.rostered(team)),
        total.points,
        total.max_points,
        total.share,
        board.ranks()[team],
        board.rank_label(team),
        board.role_ranks()[team],
        {k: total.counts[k] for k in STATUSES},
        times_of(board.team_times(team)),
        objectives,
        [_result_row(board, r) for r in board.results(team)],
    )


def _inject_rows(board: Scoreboard, chronicle: Chronicle, ledger: Ledger) -> list[InjectRow]:
    scenario = board.scenario
    per_ref: dict[str, list[ExpectationResult]] = {}
    for result in board.all_results():
        per_ref.setdefault(result.ref, []).append(result)
    rows = []
    for inject in scenario.injects:
        activity = chronicle.injects.get(inject.id)
        audience = len(board.roster.audience(scenario, inject))
        expectations = []
        for exp in inject.expects:
            ref = f"{inject.id}.{exp.id}"
            results = per_ref.get(ref, [])
            counts = Counter(r.status for r in results)
            decided = [r.points for r in results if r.status != "pending"]
            expectations.append(
                ExpectationSummary(
                    ref,
                    exp.kind,
                    exp.prompt.strip(),
                    exp.objective,
                    exp.max_points(),
                    len(results),
                    {k: counts.get(k, 0) for k in STATUSES},
                    sum(decided) / len(decided) if decided else None,
                    times_of(
                        time_stats(r.response_ms for r in results if r.response_ms is not None)
                    ),
                    chronicle.missed.get(ref, 0),
                )
            )
        actor = scenario.actor_by_id.get(inject.from_)
        opened = ledger.of_inject(inject.id)
        rows.append(
            InjectRow(
                inject.id,
                inject.title,
                inject.phase,
                inject.channel,
                actor.name if actor else inject.from_,
                describe_trigger(inject),
                inject.contingency,
                audience,
                activity.delivered if activity else 0,
                activity.skipped if activity else 0,
                activity.first_at if activity else None,
                activity.last_at if activity else None,
                dict(sorted(activity.causes.items())) if activity else {},
                times_of(board.inject_times(inject.id)),
                expectations,
                opened.opened,
                times_of(opened.to_open),
                tuple(_attachment_row(a) for a in inject_for_team(scenario, inject).attachments),
            )
        )
    return rows


def _attachment_row(attachment: AttachmentView) -> AttachmentRow:
    return AttachmentRow(attachment.name, attachment.kind_text() or "text", attachment.sha256)


def _objective_summaries(scenario: Scenario, teams: list[TeamCard]) -> list[ObjectiveSummary]:
    out = []
    for obj in scenario.objectives:
        counts = dict.fromkeys((*RATINGS, "-"), 0)
        computed = dict.fromkeys((*RATINGS, "-"), 0)
        rated = 0
        shares = []
        for card in teams:
            cell = next(c for c in card.objectives if c.objective == obj.id)
            counts[cell.rating or "-"] += 1
            computed[cell.computed or "-"] += 1
            rated += cell.rated is not None
            if cell.share is not None:
                shares.append(cell.share)
        refs = [
            f"{i.id}.{e.id}" for i in scenario.injects for e in i.expects if e.objective == obj.id
        ]
        out.append(
            ObjectiveSummary(
                obj.id,
                obj.title,
                obj.capability,
                counts,
                computed,
                rated,
                sum(shares) / len(shares) if shares else None,
                refs,
            )
        )
    return out


def _summary(
    board: Scoreboard, chronicle: Chronicle, teams: list[TeamCard], agreement: Agreement
) -> Summary:
    counts: dict[str, int] = dict.fromkeys(STATUSES, 0)
    for card in teams:
        for k, v in card.counts.items():
            counts[k] += v
    shares = [c.share for c in teams if c.share is not None]
    grades = sum(len(r.grades) for c in teams for r in c.results)
    ratings = sum(len(o.ratings) for c in teams for o in c.objectives)
    return Summary(
        sum(counts.values()),
        counts,
        sum(c.points for c in teams),
        sum(c.max_points for c in teams),
        sum(shares) / len(shares) if shares else None,
        max(shares, default=None),
        min(shares, default=None),
        times_of(board.all_times()),
        sum(chronicle.missed.values()),
        grades,
        agreement.overrides,
        ratings,
        len(chronicle.notes),
        chronicle.kinds.get("respond", 0),
        sum(a.delivered for a in chronicle.injects.values()),
    )


def _timeline(
    scenario: Scenario, chronicle: Chronicle, injects: list[InjectRow]
) -> list[TimelineRow]:
    rows: list[tuple[int, int, TimelineRow]] = []
    for action in chronicle.control:
        rows.append((action.t, 0, TimelineRow(action.t, "control", "", action.text, "")))
    for row in injects:
        if row.first_at is None:
            continue
        span = ""
        if row.last_at is not None and row.last_at != row.first_at:
            span = " " + _("until {time}").format(time=format_clock(row.last_at))
        answered = sum(
            e.teams - e.counts["pending"] - e.counts["expired"] for e in row.expectations
        )
        met = sum(e.counts["met"] for e in row.expectations)
        total = sum(e.teams for e in row.expectations)
        detail = (
            ngettext(
                "{met} of {total} expectation met, {answered} answered",
                "{met} of {total} expectations met, {answered} answered",
                total,
            ).format(met=grouped(met), total=grouped(total), answered=grouped(answered))
            if total
            else ""
        )
        rows.append(
            (
                row.first_at,
                1,
                TimelineRow(
                    row.first_at,
                    "inject",
                    row.id,
                    ngettext(
                        "{title} → {delivered} of {audience} team",
                        "{title} → {delivered} of {audience} teams",
                        row.audience,
                    ).format(
                        title=row.title,
                        delivered=grouped(row.delivered),
                        audience=grouped(row.audience),
                    )
                    + span,
                    detail,
                ),
            )
        )
    order = {inj.id: n for n, inj in enumerate(scenario.injects)}
    rows.sort(key=lambda r: (r[0], r[1], order.get(r[2].ref, -1)))
    story = story_clock(scenario)
    if story is None:
        return [r[2] for r in rows]
    return [replace(r[2], story=story.text(r[2].t)) for r in rows]


def _intensity(scenario: Scenario, chronicle: Chronicle) -> list[tuple[int, int]]:
    last = max([scenario.duration - 1, *(b * BUCKET_MS for b in chronicle.intensity)])
    return [(b * BUCKET_MS, chronicle.intensity.get(b, 0)) for b in range(last // BUCKET_MS + 1)]


def _agreement(board: Scoreboard, teams: list[TeamCard]) -> Agreement:
    overall = board.agreement()
    spreads = [
        (card.id, r.ref, r.spread, r.grades)
        for card in teams
        for r in card.results
        if r.spread is not None
    ]
    spreads.sort(key=lambda s: (-s[2].range, s[0], s[1]))
    rated = [o for card in teams for o in card.objectives if len(o.ratings) > 1]
    overrides = sum(
        1
        for card in teams
        for r in card.results
        if r.override is not None and r.auto_points is not None
    )
    return Agreement(
        overall.items,
        overall.agreed,
        overall.share,
        overall.mean_range,
        overall.max_range,
        overall.mean_stdev,
        len(rated),
        sum(1 for o in rated if len({e.rating for e in o.ratings}) == 1),
        overrides,
        spreads,
    )


def _first_due(scenario: Scenario, inject_id: str) -> int | None:
    inject = scenario.inject_by_id[inject_id]
    dues = [e.due for e in inject.expects if e.due is not None]
    return min(dues) if dues else None


def _note(n: NoteEntry) -> NoteRow:
    return NoteRow(n.t, n.author, n.category, n.text, n.team, n.objective, n.prompt)


def _hotwash(scenario: Scenario, chronicle: Chronicle) -> list[NoteRow]:
    """The hotwash notes grouped by the prompt they answer, in the hotwash's order; notes
    with no prompt (an evaluator's) or another one follow, each group in log order."""
    order = {prompt: i for i, prompt in enumerate(hotwash_prompts(scenario.hotwash))}
    notes = [_note(n) for n in chronicle.notes if n.category == "hotwash"]
    return sorted(notes, key=lambda n: order.get(n.prompt or "", len(order)))
