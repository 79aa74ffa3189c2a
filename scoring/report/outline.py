"""The report as a document: sections of headings, paragraphs, tables, findings, charts.

Markdown and HTML both render this outline, so they hold the same sections with
the same words and numbers; each only decides how a block looks. Table cells are
plain text, or a :class:`Chip` (a status or a rating, coloured in HTML).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.durations import format_duration
from engine.feedback import prompt_said
from engine.i18n import _, ngettext
from engine.i18n.forms import grouped, listed
from engine.i18n.phrase import said
from scoring.chronicle import end_reason
from scoring.report import svg
from scoring.report.model import Finding, InjectRow, Report, TeamCard, Times
from scoring.report.words import (
    KIND_WORDS,
    STATUS_WORDS,
    clock,
    minutes,
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
    return Chip(_(STATUS_WORDS[status]), f"status-{status}")


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
        "ended": _("Ended at {time}").format(time=clock(ov.played_ms))
        + (f" ({end_reason(ov.ended_reason)})" if ov.ended_reason else ""),
        "in progress": _("In progress: report as of exercise time {time}").format(
            time=clock(ov.played_ms)
        ),
        "not started": _("Not started"),
    }[ov.status]
    roles, evaluators = len(ov.roles), len(ov.evaluators)
    facts = [
        (
            _("Scenario"),
            _("{title} ({id}, version {version})").format(
                title=ov.title, id=ov.scenario_id, version=ov.version
            ),
        ),
        (_("Exercise status"), status),
        (
            _("Teams"),
            ngettext("{teams} in {n} role", "{teams} in {n} roles", roles).format(
                teams=grouped(ov.teams), n=grouped(roles)
            ),
        ),
        (
            _("Participants"),
            _members(ov.present, ov.rostered)
            + " · "
            + ngettext("{n} evaluator", "{n} evaluators", evaluators).format(n=grouped(evaluators)),
        ),
        (
            _("Event log"),
            _("{log} · {events} events · seed {seed}").format(
                log=ov.log_name, events=grouped(ov.events), seed=ov.seed
            ),
        ),
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
        _("After-Action Report: {title}").format(title=ov.title),
        _("After-action report and improvement plan (AAR/IP)"),
        facts,
        sections,
        report.warnings,
    )


def _role_names(report: Report) -> dict[str, str]:
    """Each role's name by its id: a table's Role column names the role as the
    scenario does, in the language read, not by its id."""
    return {r.id: r.name for r in report.overview.roles}


def _overview(report: Report) -> Section:
    ov = report.overview
    s = Section("overview", _("Exercise overview"))
    if ov.description:
        s.blocks.append(Para(ov.description, "lead"))
    played = {
        "ended": _("ended"),
        "in progress": _("in progress"),
        "not started": _("not started"),
    }[ov.status]
    rows: list[list[Cell]] = [
        [
            _("Scenario"),
            _("{title} ({id}), version {version}").format(
                title=ov.title, id=ov.scenario_id, version=ov.version
            ),
        ],
        [_("Planned duration"), format_duration(ov.planned_ms)],
        [
            _("Played"),
            _("{time} of exercise time ({status})").format(time=clock(ov.played_ms), status=played),
        ],
    ]
    if ov.in_world_start:
        rows.append([_("In-world start"), ov.in_world_start.replace("T", " ")])
    if ov.phases:
        rows.append([_("Phases"), " → ".join(title for _id, title in ov.phases)])
    rows.append([_("Teams"), grouped(ov.teams)])
    rows.append([_("Participants"), _members(ov.present, ov.rostered)])
    rows.append([_("Evaluators"), ", ".join(ov.evaluators) or _("none recorded")])
    if ov.note_authors:
        rows.append([_("Note authors"), ", ".join(ov.note_authors)])
    rows.append(
        [
            _("Event log"),
            _("{log} ({events} events, seed {seed})").format(
                log=ov.log_name, events=grouped(ov.events), seed=ov.seed
            ),
        ]
    )
    if ov.scenario_sha256:
        rows.append([_("Scenario SHA-256"), ov.scenario_sha256[:16] + "…"])
    s.blocks.append(Table(["", ""], rows, style="facts"))
    s.blocks.append(Heading(3, _("Objectives and capabilities")))
    s.blocks.append(
        Table(
            [_("Objective"), _("Capability"), _("Rating thresholds (share of points)")],
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
    s.blocks.append(Heading(3, _("Participating teams")))
    if ov.rostered:
        s.blocks.append(
            Table(
                [
                    _("Role"),
                    _("Responsibility"),
                    _("Teams"),
                    _("Members who joined"),
                    _("On the roster"),
                ],
                [
                    [
                        r.name,
                        r.description or "–",
                        grouped(r.teams),
                        grouped(r.present),
                        grouped(r.rostered),
                    ]
                    for r in ov.roles
                ],
                numeric=frozenset({2, 3, 4}),
            )
        )
    else:
        s.blocks.append(
            Table(
                [_("Role"), _("Responsibility"), _("Teams"), _("Members who joined")],
                [
                    [r.name, r.description or "–", grouped(r.teams), grouped(r.present)]
                    for r in ov.roles
                ],
                numeric=frozenset({2, 3}),
            )
        )
    refs = []
    if ov.atlas:
        refs.append(_("MITRE ATLAS: {ids}").format(ids=", ".join(ov.atlas)))
    if ov.owasp_llm:
        refs.append(_("OWASP Top 10 for LLM Applications: ") + ", ".join(ov.owasp_llm))
    refs += [_("Incident: {incident}").format(incident=i) for i in ov.incidents]
    if refs:
        s.blocks.append(Heading(3, _("Threat references")))
        s.blocks.append(Bullets(refs))
    return s


def _summary(report: Report) -> Section:
    sm = report.summary
    s = Section("summary", _("Summary of results"))
    decided = sm.results - sm.counts["pending"]
    met_share = sm.counts["met"] / decided if decided else None
    s.blocks.append(
        Figures(
            [
                (
                    _("Expectations met"),
                    share(met_share),
                    _("{met} of {decided} decided").format(
                        met=grouped(sm.counts["met"]), decided=grouped(decided)
                    ),
                ),
                (
                    _("Mean team score"),
                    share(sm.mean_team_share),
                    _("best {best}, lowest {lowest}").format(
                        best=share(sm.best_team_share), lowest=share(sm.worst_team_share)
                    ),
                ),
                (
                    _("Median response"),
                    minutes(sm.times.median),
                    _("90th percentile {time}").format(time=minutes(sm.times.p90)),
                ),
                (
                    _("Deadlines missed"),
                    grouped(sm.deadlines_missed),
                    _("of {n} expectations delivered").format(n=grouped(sm.results)),
                ),
                (
                    _("Evaluator grades"),
                    grouped(sm.grades),
                    _("{overrides} overrides · {ratings} ratings").format(
                        overrides=grouped(sm.overrides), ratings=grouped(sm.ratings)
                    ),
                ),
            ]
        )
    )
    s.blocks.append(
        Table(
            [_("Outcome"), _("Expectations"), _("Share")],
            [
                [status_chip(k), grouped(v), share(v / sm.results if sm.results else None)]
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
                _("Team scores (share of the points available to each team)"),
                svg.histogram(
                    counts,
                    labels,
                    _("Distribution of team scores"),
                    _("share of available points"),
                ),
                [f"{label:>8} {_bar(c, top)} {c}" for label, c in zip(labels, counts, strict=True)],
            )
        )
    ranked = sorted(report.teams, key=lambda c: (c.rank, report.teams.index(c)))
    shown = ranked if len(ranked) <= 10 else ranked[:10]
    s.blocks.append(Heading(3, _("Standings") if len(ranked) <= 10 else _("Top ten teams")))
    s.blocks.append(_standings(shown, _role_names(report)))
    return s


def _members(present: int, rostered: int) -> str:
    """Who took part, against the roster when it names people: "2 team members joined
    (of 300 on the roster)". A roster is who was invited, not who came."""
    joined = ngettext("{n} team member joined", "{n} team members joined", present).format(
        n=grouped(present)
    )
    if not rostered:
        return joined
    return _("{joined} (of {rostered} on the roster)").format(
        joined=joined, rostered=grouped(rostered)
    )


def _standings(cards: list[TeamCard], roles: dict[str, str]) -> Table:
    return Table(
        [
            _("Rank"),
            _("Team"),
            _("Role"),
            _("Points"),
            _("Score"),
            _("Met"),
            _("Median response"),
        ],
        [
            [
                c.rank_label,
                f"{c.name} ({c.id})",
                roles.get(c.role, c.role),
                f"{points(c.points)} / {points(c.max_points)}",
                share(c.share),
                _("{met} of {total}").format(met=c.counts["met"], total=sum(c.counts.values())),
                minutes(c.times.median),
            ]
            for c in cards
        ],
        numeric=frozenset({0, 3, 4, 6}),
    )


def _timeline(report: Report) -> Section:
    s = Section("timeline", _("Timeline"))
    story = any(row.story for row in report.timeline)
    s.blocks.append(
        Para(
            _(
                "What the control room did and when each inject first reached the teams, "
                "in exercise time (H:MM:SS from the start), and the story's time then, as "
                "the consoles showed it."
            )
            if story
            else _(
                "What the control room did and when each inject first reached the teams, "
                "in exercise time (H:MM:SS from the start)."
            )
        )
    )
    rows: list[list[Cell]] = []
    for row in report.timeline:
        what = (
            row.text
            if row.kind == "control"
            else _("{ref}: {text}").format(ref=row.ref, text=row.text)
        )
        kind = _("Control") if row.kind == "control" else _("Inject")
        times: list[Cell] = [clock(row.t), row.story] if story else [clock(row.t)]
        rows.append([*times, kind, what, row.detail])
    heads = [_("Time"), _("Story time")] if story else [_("Time")]
    s.blocks.append(
        Table([*heads, _("Type"), _("What happened"), _("Result")], rows, numeric=frozenset({0}))
    )
    if any(v for _t, v in report.intensity):
        top = max(v for _t, v in report.intensity)
        s.blocks.append(
            Chart(
                _("Crisis intensity: injects delivered per quarter hour (all teams)"),
                svg.columns(
                    [(clock(t)[:-3], v) for t, v in report.intensity],
                    _("Injects delivered per quarter hour"),
                    _("exercise time"),
                ),
                [f"{clock(t)[:-3]:>5} {_bar(v, top)} {v}" for t, v in report.intensity],
            )
        )
    s.blocks.append(Heading(3, _("Injects")))
    inj_rows: list[list[Cell]] = []
    for inj in report.injects:
        reached = _("{delivered} of {audience}").format(
            delivered=grouped(inj.delivered), audience=grouped(inj.audience)
        )
        if inj.skipped:
            reached += " " + _("({n} skipped)").format(n=grouped(inj.skipped))
        inj_rows.append(
            [
                inj.id,
                inj.title,
                inj.sender,
                said(inj.trigger) + (" " + _("(contingency)") if inj.contingency else ""),
                clock(inj.first_at) if inj.first_at is not None else _("never"),
                reached,
                _opened(inj),
            ]
        )
    s.blocks.append(
        Table(
            [
                _("Inject"),
                _("Title"),
                _("From"),
                _("Trigger"),
                _("First delivery"),
                _("Teams reached"),
                _("Opened"),
            ],
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
        s.blocks.append(Para(_("What the delivered injects carried (a file by its sha256):")))
        s.blocks.append(Table([_("Inject"), _("Attachment"), _("Kind"), "sha256"], carried))
    return s


def _opened(inj: InjectRow) -> str:
    """How many teams it reached opened it, and the median time they took (the ledger)."""
    if not inj.delivered:
        return ""
    if not inj.opened:
        return _("none")
    return _("{n}, median {time} after delivery").format(
        n=grouped(inj.opened), time=minutes(inj.to_open.median)
    )


def _objectives(report: Report, big: bool) -> Section:
    s = Section("ratings", _("Objective ratings"))
    s.blocks.append(
        Para(
            _(
                "Each team's objectives are rated P (performed without challenges), S (with "
                "some challenges), M (with major challenges) or U (unable to be performed): "
                "from the weighted share of points of the objective's expectations and the "
                "scenario's thresholds, unless an evaluator rated the objective (the "
                "evaluator's rating counts; both are shown)."
            )
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
                _("Objective"),
                _("Capability"),
                "P",
                "S",
                "M",
                "U",
                _("Not rated"),
                _("Mean share"),
                _("By evaluators"),
            ],
            rows,
            numeric=frozenset(range(2, 9)),
        )
    )
    if report.objectives:
        s.blocks.append(
            Chart(
                _("Ratings by objective (teams)"),
                svg.rating_bars(
                    [(o.title, o.counts) for o in report.objectives], _("Ratings by objective")
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
                _("The rating of every team is in appendix A ({n} teams).").format(
                    n=grouped(len(report.teams))
                ),
                "muted",
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
            tip = _("computed {rating} ({share})").format(
                rating=cell.computed or "–", share=share(cell.share)
            )
            if cell.rated:
                rated = _("evaluators {rating}").format(rating=cell.rated)
                tip = _("{computed}; {rated}").format(computed=tip, rated=rated)
            text = cell.rating or "–"
            if cell.rated and cell.computed and cell.rated != cell.computed:
                text = _("{rated} (computed {computed})").format(
                    rated=cell.rated, computed=cell.computed
                )
            chip = rating_chip(cell.rating, tip)
            cells.append(Chip(text, chip.tone, tip))
        rows.append(cells)
    return [
        Heading(3, _("Objective × team")),
        Table([_("Team"), *[o.title for o in objectives]], rows, style="matrix"),
    ]


def _findings(report: Report) -> Section:
    s = Section("findings", _("Strengths and areas for improvement"))
    if not report.findings:
        s.blocks.append(
            Para(_("No expectation stood out either way, and evaluators noted none."), "muted")
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
                else (obj.title if obj else _("General"))
            )
            s.blocks.append(Heading(3, f"{n_obj}. {heading}"))
        count += 1
        s.blocks.append(FindingBlock(f, f"{n_obj}.{count}"))
    return s


def _plan(report: Report) -> Section:
    s = Section("plan", _("Improvement plan"))
    s.blocks.append(
        Para(
            _(
                "Issues from evaluators' notes and from expectations most teams missed, with a "
                "corrective action, the objective and capability concerned, an owner and a due "
                "date."
            )
        )
    )
    titles = {o.id: o.title for o in report.overview.objectives}
    rows: list[list[Cell]] = []
    for n, row in enumerate(report.plan, start=1):
        objective = titles.get(row.objective or "", _("General"))
        if row.capability:
            objective += f" ({row.capability})"
        rows.append([str(n), row.issue, row.action, objective, row.owner, row.due])
    if rows:
        s.blocks.append(
            Table(
                [
                    "#",
                    _("Issue"),
                    _("Corrective action"),
                    _("Objective (capability)"),
                    _("Owner"),
                    _("Due"),
                ],
                rows,
                style="plan",
            )
        )
    else:
        s.blocks.append(Para(_("No issue was recorded."), "muted"))
    return s


def _times(report: Report, big: bool) -> Section:
    s = Section("times", _("Response times"))
    roles = _role_names(report)
    s.blocks.append(
        Para(
            _(
                "Time from an inject's delivery to a team's first answer: the median and the "
                "90th percentile (nearest rank), per inject over all teams and per team over "
                "all injects."
            )
        )
    )
    rows = [(f"{i} {t}", tm.median or 0, tm.p90 or 0, due) for i, t, tm, due in report.inject_times]
    median = _("median")
    if rows:
        s.blocks.append(
            Chart(
                _("Response time per inject (all teams)"),
                svg.response_times(rows, _("Response time per inject")),
                [
                    f"{i:<8} {median} {minutes(tm.median):>7}  p90 {minutes(tm.p90):>7}"
                    for i, _t, tm, _d in report.inject_times
                ],
            )
        )
    s.blocks.append(
        Table(
            [
                _("Inject"),
                _("Title"),
                _("Answers"),
                _("Median"),
                _("90th percentile"),
                _("Deadline"),
            ],
            [
                [i, t, *_times_cells(tm), format_duration(due) if due else _("none")]
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
                _("Teams by median response time (minutes)"),
                svg.histogram(
                    bins,
                    labels,
                    _("Teams by median response time"),
                    _("median response (minutes)"),
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
        s.blocks.append(Heading(3, _("Slowest ten teams (by median)")))
    else:
        s.blocks.append(Heading(3, _("Per team")))
    s.blocks.append(
        Table(
            [_("Team"), _("Role"), _("Answers"), _("Median"), _("90th percentile")],
            [
                [f"{t.name} ({t.team})", roles.get(t.role, t.role), *_times_cells(t.times)]
                for t in team_rows
            ],
            numeric=frozenset({2, 3, 4}),
        )
    )
    return s


def _evaluators(report: Report) -> Section:
    ag = report.agreement
    s = Section("evaluators", _("Evaluator agreement"))
    if not ag.items and not ag.rated_items:
        s.blocks.append(
            Para(
                ngettext(
                    "No item was graded by more than one evaluator. Evaluators overrode "
                    "{n} automatic result.",
                    "No item was graded by more than one evaluator. Evaluators overrode "
                    "{n} automatic results.",
                    ag.overrides,
                ).format(n=grouped(ag.overrides)),
                "muted",
            )
        )
        return s
    s.blocks.append(
        Para(
            _(
                "Where several evaluators graded the same item, the scenario's rule decides "
                "which grade counts; the spread between them shows where the rubric is read "
                "differently. Evaluators agree on an item when their grades give the same "
                "outcome."
            )
        )
    )
    of_points = _("{share} of the item's points")
    s.blocks.append(
        Table(
            [_("Measure"), _("Value")],
            [
                [_("Items graded by two or more evaluators"), grouped(ag.items)],
                [
                    _("Agreement on the outcome"),
                    _("{share} ({agreed} of {items})").format(
                        share=share(ag.share), agreed=grouped(ag.agreed), items=grouped(ag.items)
                    ),
                ],
                [_("Mean range between grades"), of_points.format(share=share(ag.mean_range))],
                [_("Largest range"), of_points.format(share=share(ag.max_range))],
                [_("Mean standard deviation"), of_points.format(share=share(ag.mean_stdev))],
                [
                    _("Objectives rated by two or more evaluators"),
                    _("{rated} ({agreed} identical)").format(
                        rated=grouped(ag.rated_items), agreed=grouped(ag.rated_agreed)
                    ),
                ],
                [_("Automatic results overridden"), grouped(ag.overrides)],
            ],
            numeric=frozenset({1}),
            style="compact",
        )
    )
    if ag.spreads:
        s.blocks.append(Heading(3, _("Widest spreads")))
        s.blocks.append(
            Table(
                [_("Team"), _("Expectation"), _("Grades"), _("Range"), _("Std dev"), _("Agree")],
                [
                    [
                        team,
                        ref,
                        ", ".join(f"{g.evaluator} {points(g.points)}" for g in grades),
                        points(sp.range),
                        points(sp.stdev),
                        _("yes") if sp.agree else _("no"),
                    ]
                    for team, ref, sp, grades in ag.spreads[:20]
                ],
                numeric=frozenset({3, 4}),
            )
        )
    return s


def _notes(report: Report) -> Section:
    s = Section("hotwash", _("Hotwash and observations"))
    teams = {c.id: c.name for c in report.teams}
    for hotwash, title, notes, empty in (
        (True, _("Hotwash"), report.hotwash, _("No hotwash notes were recorded.")),
        (
            False,
            _("Observations"),
            report.observations,
            _("No other observations were recorded."),
        ),
    ):
        s.blocks.append(Heading(3, title))
        if hotwash and report.hotwash_prompts:
            asked = " · ".join(prompt_said(p) for p in report.hotwash_prompts)
            s.blocks.append(Para(_("Prompts: ") + asked, "muted"))
        if not notes:
            s.blocks.append(Para(empty, "muted"))
            continue
        prompts = any(n.prompt for n in notes)
        s.blocks.append(
            Table(
                [
                    _("Time"),
                    _("Author"),
                    *([_("Prompt")] if prompts else []),
                    _("About"),
                    _("Note"),
                ],
                [
                    [
                        clock(n.t),
                        n.author,
                        *([prompt_said(n.prompt or "–")] if prompts else []),
                        ", ".join(
                            x
                            for x in (teams.get(n.team or "", n.team or ""), n.objective or "")
                            if x
                        )
                        or _("exercise"),
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
    s = Section("feedback", _("Participant feedback"))
    fb = report.feedback
    if not fb.forms:
        s.blocks.append(Para(_("No participant feedback forms were sent."), "muted"))
        return s
    sent = ngettext(
        "{n} member sent a feedback form", "{n} members sent a feedback form", fb.forms
    ).format(n=grouped(fb.forms))
    if fb.anonymous:
        sent += " " + _("({n} anonymously)").format(n=grouped(fb.anonymous))
    s.blocks.append(
        Para(
            sent
            + _(
                "; a member who sent it again counts once, with the latest. Ratings run from "
                "1 (strongly disagree) to 5 (strongly agree)."
            )
        )
    )
    s.blocks.append(
        Table(
            [_("Statement"), _("Answers"), _("Mean"), "1", "2", "3", "4", "5"],
            [
                [
                    _(q.text),
                    grouped(q.n),
                    "–" if q.mean is None else f"{q.mean:.2f}",
                    *(grouped(n) for n in q.counts),
                ]
                for q in fb.questions
            ],
            numeric=frozenset(range(1, 8)),
        )
    )
    for title, column, remarks, empty in (
        (_("Strengths"), _("Strength"), fb.strengths, _("No strengths were written.")),
        (
            _("Areas for improvement"),
            _("Area"),
            fb.improvements,
            _("No areas for improvement were written."),
        ),
    ):
        s.blocks.append(Heading(3, title))
        if not remarks:
            s.blocks.append(Para(empty, "muted"))
            continue
        s.blocks.append(
            Table(
                [_("Role"), _("Team"), _("Member"), column],
                [
                    [
                        r.role,
                        r.team_name,
                        r.member if r.member is not None else _("anonymous"),
                        r.text,
                    ]
                    for r in remarks
                ],
            )
        )
    return s


def _ratings_appendix(report: Report) -> Section:
    s = Section("appendix-ratings", _("Appendix A: objective ratings by team"), appendix=True)
    s.blocks.extend(_rating_matrix(report)[1:])
    return s


def _scorecards(report: Report) -> Section:
    letter = "B" if len(report.teams) > INLINE_TEAMS else "A"
    s = Section(
        "scorecards", _("Appendix {letter}: team scorecards").format(letter=letter), appendix=True
    )
    n_teams = len(report.teams)
    titles = {o.id: o.title for o in report.overview.objectives}
    for card in report.teams:
        s.blocks.append(Heading(3, f"{card.name} ({card.id})", f"team-{card.id}"))
        ratings = " · ".join(
            _("{objective}: {rating}").format(
                objective=titles.get(c.objective, c.objective), rating=c.rating or "–"
            )
            for c in card.objectives
        )
        s.blocks.append(
            Para(
                _(
                    "Rank {rank} of {teams} (in role: {role_rank}) · {points} of {max_points} "
                    "points ({share}) · median response {median} · members who joined: {members}"
                ).format(
                    rank=card.rank_label,
                    teams=grouped(n_teams),
                    role_rank=card.role_rank,
                    points=points(card.points),
                    max_points=points(card.max_points),
                    share=share(card.share),
                    median=minutes(card.times.median),
                    members=", ".join(card.present) or _("none"),
                )
                + (
                    " "
                    + _("({present} of {rostered} on the roster)").format(
                        present=len(card.present), rostered=card.rostered
                    )
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
                pts += " " + _("(auto {points})").format(points=points(r.auto_points))
            rows.append(
                [
                    r.ref,
                    _(KIND_WORDS[r.kind]),
                    status_chip(r.status),
                    pts,
                    minutes(r.response_ms),
                    listed(said(reason) for reason in r.why),
                ]
            )
        s.blocks.append(
            Table(
                [_("Expectation"), _("Kind"), _("Result"), _("Points"), _("Response"), _("Why")],
                rows,
                numeric=frozenset({3, 4}),
                style="scorecard",
            )
        )
    return s
