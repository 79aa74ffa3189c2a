"""The report as a document: sections of headings, paragraphs, tables, findings, charts.

Markdown and HTML both render this outline, so they hold the same sections with
the same words and numbers; each only decides how a block looks. Table cells are
plain text, or a :class:`Chip` (a status or a rating, coloured in HTML).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.durations import format_duration
from scoring.report import svg
from scoring.report.model import Finding, InjectRow, Report, TeamCard, Times
from scoring.report.words import (
    KIND_WORDS,
    STATUS_WORDS,
    clock,
    minutes,
    plural,
    points,
    share,
)

INLINE_TEAMS = 30
"""Up to this many teams, per-team tables sit in the body; beyond, in an appendix."""
RATINGS_AND_NONE = ("P", "S", "M", "U", "-")


@dataclass(frozen=True)
class Chip:
    text: str
    tone: str
    """status-met, rating-p, … (a CSS class in HTML)."""
    title: str = ""


Cell = str | Chip


@dataclass(frozen=True)
class Para:
    text: str
    style: str = ""


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str = ""


@dataclass(frozen=True)
class Figures:
    """Key figures: (label, value, small print)."""

    items: list[tuple[str, str, str]]


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[Cell]]
    numeric: frozenset[int] = frozenset()
    """Columns aligned right."""
    style: str = ""
    caption: str = ""


@dataclass(frozen=True)
class Bullets:
    items: list[str]


@dataclass(frozen=True)
class FindingBlock:
    finding: Finding
    number: str


@dataclass(frozen=True)
class Chart:
    title: str
    svg: str
    text: list[str]
    """A text rendering (bars of characters) for Markdown and plain readers."""


Block = Para | Heading | Figures | Table | Bullets | FindingBlock | Chart


@dataclass
class Section:
    anchor: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    appendix: bool = False


@dataclass
class Document:
    title: str
    subtitle: str
    facts: list[tuple[str, str]]
    sections: list[Section]
    warnings: list[str]


def status_chip(status: str) -> Chip:
    return Chip(STATUS_WORDS[status], f"status-{status}")


def rating_chip(rating: str | None, title: str = "") -> Chip:
    key = rating or "-"
    return Chip(key if rating else "–", f"rating-{'none' if key == '-' else key.lower()}", title)


def _times_cells(times: Times) -> list[Cell]:
    return [str(times.n), minutes(times.median), minutes(times.p90)]


def _bar(value: float, top: float, width: int = 30) -> str:
    filled = round(width * value / top) if top > 0 else 0
    return "█" * filled


# ---------------------------------------------------------------- sections


def outline(report: Report) -> Document:
    ov = report.overview
    status = {
        "ended": f"Ended at {clock(ov.played_ms)}"
        + (f" ({ov.ended_reason})" if ov.ended_reason else ""),
        "in progress": f"In progress: report as of exercise time {clock(ov.played_ms)}",
        "not started": "Not started",
    }[ov.status]
    facts = [
        ("Scenario", f"{ov.title} ({ov.scenario_id}, version {ov.version})"),
        ("Exercise status", status),
        ("Teams", f"{ov.teams:,} in {plural(len(ov.roles), 'role')}"),
        (
            "Participants",
            f"{_members(ov.present, ov.rostered)} · {plural(len(ov.evaluators), 'evaluator')}",
        ),
        ("Event log", f"{ov.log_name} · {ov.events:,} events · seed {ov.seed}"),
    ]
    big = len(report.teams) > INLINE_TEAMS
    sections = [
        _overview(report),
        _summary(report),
        _timeline(report),
        _objectives(report, big),
        _findings(report),
        _plan(report),
        _times(report, big),
        _evaluators(report),
        _notes(report),
        _feedback(report),
    ]
    if big:
        sections.append(_ratings_appendix(report))
    sections.append(_scorecards(report))
    return Document(
        f"After-Action Report: {ov.title}",
        "After-action report and improvement plan (AAR/IP)",
        facts,
        sections,
        report.warnings,
    )


def _overview(report: Report) -> Section:
    ov = report.overview
    s = Section("overview", "Exercise overview")
    if ov.description:
        s.blocks.append(Para(ov.description, "lead"))
    rows: list[list[Cell]] = [
        ["Scenario", f"{ov.title} ({ov.scenario_id}), version {ov.version}"],
        ["Planned duration", format_duration(ov.planned_ms)],
        ["Played", f"{clock(ov.played_ms)} of exercise time ({ov.status})"],
    ]
    if ov.in_world_start:
        rows.append(["In-world start", ov.in_world_start.replace("T", " ")])
    if ov.phases:
        rows.append(["Phases", " → ".join(title for _id, title in ov.phases)])
    rows.append(["Teams", f"{ov.teams:,}"])
    rows.append(["Participants", _members(ov.present, ov.rostered)])
    rows.append(["Evaluators", ", ".join(ov.evaluators) or "none recorded"])
    if ov.note_authors:
        rows.append(["Note authors", ", ".join(ov.note_authors)])
    rows.append(["Event log", f"{ov.log_name} ({ov.events:,} events, seed {ov.seed})"])
    if ov.scenario_sha256:
        rows.append(["Scenario SHA-256", ov.scenario_sha256[:16] + "…"])
    s.blocks.append(Table(["", ""], rows, style="facts"))
    s.blocks.append(Heading(3, "Objectives and capabilities"))
    s.blocks.append(
        Table(
            ["Objective", "Capability", "Rating thresholds (share of points)"],
            [
                [
                    f"{o.title} ({o.id})",
                    o.capability or "–",
                    f"P ≥ {o.thresholds['P']:.0%} · S ≥ {o.thresholds['S']:.0%} · "
                    f"M ≥ {o.thresholds['M']:.0%}",
                ]
                for o in ov.objectives
            ],
        )
    )
    s.blocks.append(Heading(3, "Participating teams"))
    if ov.rostered:
        s.blocks.append(
            Table(
                ["Role", "Responsibility", "Teams", "Members who joined", "On the roster"],
                [
                    [
                        r.name,
                        r.description or "–",
                        f"{r.teams:,}",
                        f"{r.present:,}",
                        f"{r.rostered:,}",
                    ]
                    for r in ov.roles
                ],
                numeric=frozenset({2, 3, 4}),
            )
        )
    else:
        s.blocks.append(
            Table(
                ["Role", "Responsibility", "Teams", "Members who joined"],
                [
                    [r.name, r.description or "–", f"{r.teams:,}", f"{r.present:,}"]
                    for r in ov.roles
                ],
                numeric=frozenset({2, 3}),
            )
        )
    refs = []
    if ov.atlas:
        refs.append("MITRE ATLAS: " + ", ".join(ov.atlas))
    if ov.owasp_llm:
        refs.append("OWASP Top 10 for LLM Applications: " + ", ".join(ov.owasp_llm))
    refs += [f"Incident: {i}" for i in ov.incidents]
    if refs:
        s.blocks.append(Heading(3, "Threat references"))
        s.blocks.append(Bullets(refs))
    return s


def _summary(report: Report) -> Section:
    sm = report.summary
    s = Section("summary", "Summary of results")
    decided = sm.results - sm.counts["pending"]
    met_share = sm.counts["met"] / decided if decided else None
    s.blocks.append(
        Figures(
            [
                (
                    "Expectations met",
                    share(met_share),
                    f"{sm.counts['met']:,} of {decided:,} decided",
                ),
                (
                    "Mean team score",
                    share(sm.mean_team_share),
                    f"best {share(sm.best_team_share)}, lowest {share(sm.worst_team_share)}",
                ),
                (
                    "Median response",
                    minutes(sm.times.median),
                    f"90th percentile {minutes(sm.times.p90)}",
                ),
                (
                    "Deadlines missed",
                    f"{sm.deadlines_missed:,}",
                    f"of {sm.results:,} expectations delivered",
                ),
                (
                    "Evaluator grades",
                    f"{sm.grades:,}",
                    f"{sm.overrides:,} overrides · {sm.ratings:,} ratings",
                ),
            ]
        )
    )
    s.blocks.append(
        Table(
            ["Outcome", "Expectations", "Share"],
            [
                [status_chip(k), f"{v:,}", share(v / sm.results if sm.results else None)]
                for k, v in sm.counts.items()
            ],
            numeric=frozenset({1, 2}),
            style="compact",
        )
    )
    shares = [c.share for c in report.teams if c.share is not None]
    if shares:
        counts = [0] * 10
        for v in shares:
            counts[min(9, int(v * 10 + 1e-9))] += 1
        labels = [f"{10 * n}–{10 * n + 10}%" for n in range(10)]
        top = max(counts)
        s.blocks.append(
            Chart(
                "Team scores (share of the points available to each team)",
                svg.histogram(
                    counts, labels, "Distribution of team scores", "share of available points"
                ),
                [f"{label:>8} {_bar(c, top)} {c}" for label, c in zip(labels, counts, strict=True)],
            )
        )
    ranked = sorted(report.teams, key=lambda c: (c.rank, report.teams.index(c)))
    shown = ranked if len(ranked) <= 10 else ranked[:10]
    s.blocks.append(Heading(3, "Standings" if len(ranked) <= 10 else "Top ten teams"))
    s.blocks.append(_standings(shown))
    return s


def _members(present: int, rostered: int) -> str:
    """Who took part, against the roster when it names people: "2 team members joined
    (of 300 on the roster)". A roster is who was invited, not who came."""
    joined = f"{present:,} team member{'s' if present != 1 else ''} joined"
    return f"{joined} (of {rostered:,} on the roster)" if rostered else joined


def _standings(cards: list[TeamCard]) -> Table:
    return Table(
        ["Rank", "Team", "Role", "Points", "Score", "Met", "Median response"],
        [
            [
                c.rank_label,
                f"{c.name} ({c.id})",
                c.role,
                f"{points(c.points)} / {points(c.max_points)}",
                share(c.share),
                f"{c.counts['met']} of {sum(c.counts.values())}",
                minutes(c.times.median),
            ]
            for c in cards
        ],
        numeric=frozenset({0, 3, 4, 6}),
    )


def _timeline(report: Report) -> Section:
    s = Section("timeline", "Timeline")
    story = any(row.story for row in report.timeline)
    s.blocks.append(
        Para(
            "What the control room did and when each inject first reached the teams, "
            "in exercise time (H:MM:SS from the start)"
            + (", and the story's time then, as the consoles showed it." if story else ".")
        )
    )
    rows: list[list[Cell]] = []
    for row in report.timeline:
        what = row.text if row.kind == "control" else f"{row.ref}: {row.text}"
        kind = "Control" if row.kind == "control" else "Inject"
        times: list[Cell] = [clock(row.t), row.story] if story else [clock(row.t)]
        rows.append([*times, kind, what, row.detail])
    heads = ["Time", "Story time"] if story else ["Time"]
    s.blocks.append(
        Table([*heads, "Type", "What happened", "Result"], rows, numeric=frozenset({0}))
    )
    if any(v for _t, v in report.intensity):
        top = max(v for _t, v in report.intensity)
        s.blocks.append(
            Chart(
                "Crisis intensity: injects delivered per quarter hour (all teams)",
                svg.columns(
                    [(clock(t)[:-3], v) for t, v in report.intensity],
                    "Injects delivered per quarter hour",
                    "exercise time",
                ),
                [f"{clock(t)[:-3]:>5} {_bar(v, top)} {v}" for t, v in report.intensity],
            )
        )
    s.blocks.append(Heading(3, "Injects"))
    inj_rows: list[list[Cell]] = []
    for inj in report.injects:
        reached = f"{inj.delivered:,} of {inj.audience:,}"
        if inj.skipped:
            reached += f" ({inj.skipped:,} skipped)"
        inj_rows.append(
            [
                inj.id,
                inj.title,
                inj.sender,
                inj.trigger + (" (contingency)" if inj.contingency else ""),
                clock(inj.first_at) if inj.first_at is not None else "never",
                reached,
                _opened(inj),
            ]
        )
    s.blocks.append(
        Table(
            ["Inject", "Title", "From", "Trigger", "First delivery", "Teams reached", "Opened"],
            inj_rows,
        )
    )
    carried: list[list[Cell]] = [
        [inj.id, a.name, a.kind, (a.sha256 or "")[:16]]
        for inj in report.injects
        if inj.delivered
        for a in inj.attachments
    ]
    if carried:
        s.blocks.append(Para("What the delivered injects carried (a file by its sha256):"))
        s.blocks.append(Table(["Inject", "Attachment", "Kind", "sha256"], carried))
    return s


def _opened(inj: InjectRow) -> str:
    """How many teams it reached opened it, and the median time they took (the ledger)."""
    if not inj.delivered:
        return ""
    if not inj.opened:
        return "none"
    return f"{inj.opened:,}, median {minutes(inj.to_open.median)} after delivery"


def _objectives(report: Report, big: bool) -> Section:
    s = Section("ratings", "Objective ratings")
    s.blocks.append(
        Para(
            "Each team's objectives are rated P (performed without challenges), S (with some "
            "challenges), M (with major challenges) or U (unable to be performed): from the "
            "weighted share of points of the objective's expectations and the scenario's "
            "thresholds, unless an evaluator rated the objective (the evaluator's rating counts; "
            "both are shown)."
        )
    )
    rows: list[list[Cell]] = []
    for o in report.objectives:
        rows.append(
            [
                f"{o.title} ({o.id})",
                o.capability or "–",
                *[str(o.counts[k]) for k in RATINGS_AND_NONE],
                share(o.mean_share),
                str(o.evaluator_rated),
            ]
        )
    s.blocks.append(
        Table(
            [
                "Objective",
                "Capability",
                "P",
                "S",
                "M",
                "U",
                "Not rated",
                "Mean share",
                "By evaluators",
            ],
            rows,
            numeric=frozenset(range(2, 9)),
        )
    )
    if report.objectives:
        s.blocks.append(
            Chart(
                "Ratings by objective (teams)",
                svg.rating_bars(
                    [(o.title, o.counts) for o in report.objectives], "Ratings by objective"
                ),
                [
                    f"{o.id:<14} " + " ".join(f"{k}:{o.counts[k]}" for k in RATINGS_AND_NONE)
                    for o in report.objectives
                ],
            )
        )
    if big:
        s.blocks.append(
            Para(
                f"The rating of every team is in appendix A ({len(report.teams):,} teams).", "muted"
            )
        )
    else:
        s.blocks.extend(_rating_matrix(report))
    return s


def _rating_matrix(report: Report) -> list[Block]:
    objectives = report.overview.objectives
    rows: list[list[Cell]] = []
    for card in report.teams:
        cells: list[Cell] = [f"{card.name} ({card.id})"]
        for cell in card.objectives:
            tip = f"computed {cell.computed or '–'} ({share(cell.share)})"
            if cell.rated:
                tip += f"; evaluators {cell.rated}"
            text = cell.rating or "–"
            if cell.rated and cell.computed and cell.rated != cell.computed:
                text = f"{cell.rated} (computed {cell.computed})"
            chip = rating_chip(cell.rating, tip)
            cells.append(Chip(text, chip.tone, tip))
        rows.append(cells)
    return [
        Heading(3, "Objective × team"),
        Table(["Team", *[o.title for o in objectives]], rows, style="matrix"),
    ]


def _findings(report: Report) -> Section:
    s = Section("findings", "Strengths and areas for improvement")
    if not report.findings:
        s.blocks.append(
            Para("No expectation stood out either way, and evaluators noted none.", "muted")
        )
        return s
    titles = {o.id: o for o in report.overview.objectives}
    current: str | None = "\0"
    n_obj = 0
    count = 0
    for f in report.findings:
        if f.objective != current:
            current = f.objective
            n_obj += 1
            count = 0
            obj = titles.get(f.objective or "")
            heading = (
                f"{obj.title} ({obj.capability})"
                if obj and obj.capability
                else (obj.title if obj else "General")
            )
            s.blocks.append(Heading(3, f"{n_obj}. {heading}"))
        count += 1
        s.blocks.append(FindingBlock(f, f"{n_obj}.{count}"))
    return s


def _plan(report: Report) -> Section:
    s = Section("plan", "Improvement plan")
    s.blocks.append(
        Para(
            "Issues from evaluators' notes and from expectations most teams missed, with a "
            "corrective action, the objective and capability concerned, an owner and a due date."
        )
    )
    titles = {o.id: o.title for o in report.overview.objectives}
    rows: list[list[Cell]] = []
    for n, row in enumerate(report.plan, start=1):
        objective = titles.get(row.objective or "", "General")
        if row.capability:
            objective += f" ({row.capability})"
        rows.append([str(n), row.issue, row.action, objective, row.owner, row.due])
    if rows:
        s.blocks.append(
            Table(
                ["#", "Issue", "Corrective action", "Objective (capability)", "Owner", "Due"],
                rows,
                style="plan",
            )
        )
    else:
        s.blocks.append(Para("No issue was recorded.", "muted"))
    return s


def _times(report: Report, big: bool) -> Section:
    s = Section("times", "Response times")
    s.blocks.append(
        Para(
            "Time from an inject's delivery to a team's first answer: the median and the 90th "
            "percentile (nearest rank), per inject over all teams and per team over all injects."
        )
    )
    rows = [(f"{i} {t}", tm.median or 0, tm.p90 or 0, due) for i, t, tm, due in report.inject_times]
    if rows:
        s.blocks.append(
            Chart(
                "Response time per inject (all teams)",
                svg.response_times(rows, "Response time per inject"),
                [
                    f"{i:<8} median {minutes(tm.median):>7}  p90 {minutes(tm.p90):>7}"
                    for i, _t, tm, _d in report.inject_times
                ],
            )
        )
    s.blocks.append(
        Table(
            ["Inject", "Title", "Answers", "Median", "90th percentile", "Deadline"],
            [
                [i, t, *_times_cells(tm), format_duration(due) if due else "none"]
                for i, t, tm, due in report.inject_times
            ],
            numeric=frozenset({2, 3, 4}),
        )
    )
    medians = [t.times.median for t in report.team_times if t.times.median is not None]
    if medians:
        step = max(1, -(-max(medians) // 60_000 // 10)) * 60_000
        bins = [0] * 10
        for m in medians:
            bins[min(9, m // step)] += 1
        labels = [f"{n * step // 60_000}–{(n + 1) * step // 60_000}" for n in range(10)]
        top = max(bins)
        s.blocks.append(
            Chart(
                "Teams by median response time (minutes)",
                svg.histogram(
                    bins,
                    labels,
                    "Teams by median response time",
                    "median response (minutes)",
                    "bar-mid",
                ),
                [
                    f"{label:>7} min {_bar(b, top)} {b}"
                    for label, b in zip(labels, bins, strict=True)
                ],
            )
        )
    team_rows = report.team_times
    if big:
        team_rows = sorted(
            (t for t in report.team_times if t.times.median is not None),
            key=lambda t: (-(t.times.median or 0), t.team),
        )[:10]
        s.blocks.append(Heading(3, "Slowest ten teams (by median)"))
    else:
        s.blocks.append(Heading(3, "Per team"))
    s.blocks.append(
        Table(
            ["Team", "Role", "Answers", "Median", "90th percentile"],
            [[f"{t.name} ({t.team})", t.role, *_times_cells(t.times)] for t in team_rows],
            numeric=frozenset({2, 3, 4}),
        )
    )
    return s


def _evaluators(report: Report) -> Section:
    ag = report.agreement
    s = Section("evaluators", "Evaluator agreement")
    if not ag.items and not ag.rated_items:
        s.blocks.append(
            Para(
                f"No item was graded by more than one evaluator. Evaluators overrode "
                f"{plural(ag.overrides, 'automatic result')}.",
                "muted",
            )
        )
        return s
    s.blocks.append(
        Para(
            "Where several evaluators graded the same item, the scenario's rule decides "
            "which grade counts; the spread between them shows where the rubric is read "
            "differently. Evaluators agree on an item when their grades give the same outcome."
        )
    )
    s.blocks.append(
        Table(
            ["Measure", "Value"],
            [
                ["Items graded by two or more evaluators", f"{ag.items:,}"],
                ["Agreement on the outcome", f"{share(ag.share)} ({ag.agreed:,} of {ag.items:,})"],
                ["Mean range between grades", f"{share(ag.mean_range)} of the item's points"],
                ["Largest range", f"{share(ag.max_range)} of the item's points"],
                ["Mean standard deviation", f"{share(ag.mean_stdev)} of the item's points"],
                [
                    "Objectives rated by two or more evaluators",
                    f"{ag.rated_items:,} ({ag.rated_agreed:,} identical)",
                ],
                ["Automatic results overridden", f"{ag.overrides:,}"],
            ],
            numeric=frozenset({1}),
            style="compact",
        )
    )
    if ag.spreads:
        s.blocks.append(Heading(3, "Widest spreads"))
        s.blocks.append(
            Table(
                ["Team", "Expectation", "Grades", "Range", "Std dev", "Agree"],
                [
                    [
                        team,
                        ref,
                        ", ".join(f"{g.evaluator} {points(g.points)}" for g in grades),
                        points(sp.range),
                        points(sp.stdev),
                        "yes" if sp.agree else "no",
                    ]
                    for team, ref, sp, grades in ag.spreads[:20]
                ],
                numeric=frozenset({3, 4}),
            )
        )
    return s


def _notes(report: Report) -> Section:
    s = Section("hotwash", "Hotwash and observations")
    teams = {c.id: c.name for c in report.teams}
    for title, notes, empty in (
        ("Hotwash", report.hotwash, "No hotwash notes were recorded."),
        ("Observations", report.observations, "No other observations were recorded."),
    ):
        s.blocks.append(Heading(3, title))
        if title == "Hotwash" and report.hotwash_prompts:
            s.blocks.append(Para("Prompts: " + " · ".join(report.hotwash_prompts), "muted"))
        if not notes:
            s.blocks.append(Para(empty, "muted"))
            continue
        prompts = any(n.prompt for n in notes)
        s.blocks.append(
            Table(
                ["Time", "Author", *(["Prompt"] if prompts else []), "About", "Note"],
                [
                    [
                        clock(n.t),
                        n.author,
                        *([n.prompt or "–"] if prompts else []),
                        ", ".join(
                            x
                            for x in (teams.get(n.team or "", n.team or ""), n.objective or "")
                            if x
                        )
                        or "exercise",
                        n.text,
                    ]
                    for n in notes
                ],
                numeric=frozenset({0}),
            )
        )
    return s


def _feedback(report: Report) -> Section:
    """The participants' feedback forms: ratings per statement, strengths and areas."""
    s = Section("feedback", "Participant feedback")
    fb = report.feedback
    if not fb.forms:
        s.blocks.append(Para("No participant feedback forms were sent.", "muted"))
        return s
    anonymous = f" ({fb.anonymous:,} anonymously)" if fb.anonymous else ""
    s.blocks.append(
        Para(
            f"{plural(fb.forms, 'member')} sent a feedback form{anonymous}; a member who sent "
            "it again counts once, with the latest. Ratings run from 1 (strongly disagree) "
            "to 5 (strongly agree)."
        )
    )
    s.blocks.append(
        Table(
            ["Statement", "Answers", "Mean", "1", "2", "3", "4", "5"],
            [
                [
                    q.text,
                    f"{q.n:,}",
                    "–" if q.mean is None else f"{q.mean:.2f}",
                    *(f"{n:,}" for n in q.counts),
                ]
                for q in fb.questions
            ],
            numeric=frozenset(range(1, 8)),
        )
    )
    for title, remarks, empty in (
        ("Strengths", fb.strengths, "No strengths were written."),
        ("Areas for improvement", fb.improvements, "No areas for improvement were written."),
    ):
        s.blocks.append(Heading(3, title))
        if not remarks:
            s.blocks.append(Para(empty, "muted"))
            continue
        s.blocks.append(
            Table(
                ["Role", "Team", "Member", title[:-1] if title == "Strengths" else "Area"],
                [
                    [r.role, r.team_name, r.member if r.member is not None else "anonymous", r.text]
                    for r in remarks
                ],
            )
        )
    return s


def _ratings_appendix(report: Report) -> Section:
    s = Section("appendix-ratings", "Appendix A: objective ratings by team", appendix=True)
    s.blocks.extend(_rating_matrix(report)[1:])
    return s


def _scorecards(report: Report) -> Section:
    letter = "B" if len(report.teams) > INLINE_TEAMS else "A"
    s = Section("scorecards", f"Appendix {letter}: team scorecards", appendix=True)
    n_teams = len(report.teams)
    titles = {o.id: o.title for o in report.overview.objectives}
    for card in report.teams:
        s.blocks.append(Heading(3, f"{card.name} ({card.id})", f"team-{card.id}"))
        ratings = " · ".join(
            f"{titles.get(c.objective, c.objective)}: {c.rating or '–'}" for c in card.objectives
        )
        s.blocks.append(
            Para(
                f"Rank {card.rank_label} of {n_teams:,} (in role: {card.role_rank}) · "
                f"{points(card.points)} of {points(card.max_points)} points "
                f"({share(card.share)}) · "
                f"median response {minutes(card.times.median)} · "
                f"members who joined: {', '.join(card.present) or 'none'}"
                + (
                    f" ({len(card.present)} of {card.rostered} on the roster)"
                    if card.rostered
                    else ""
                )
                + (f" · {ratings}" if ratings else ""),
                "muted",
            )
        )
        rows: list[list[Cell]] = []
        for r in card.results:
            pts = f"{points(r.points)} / {points(r.max_points)}"
            if r.override is not None and r.auto_points is not None:
                pts += f" (auto {points(r.auto_points)})"
            rows.append(
                [
                    r.ref,
                    KIND_WORDS[r.kind],
                    status_chip(r.status),
                    pts,
                    minutes(r.response_ms),
                    "; ".join(r.why),
                ]
            )
        s.blocks.append(
            Table(
                ["Expectation", "Kind", "Result", "Points", "Response", "Why"],
                rows,
                numeric=frozenset({3, 4}),
                style="scorecard",
            )
        )
    return s
