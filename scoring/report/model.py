"""The after-action report as one data structure (built once by :mod:`scoring.report.build`).

Every output format (Markdown, HTML, JSON, CSV) renders this model and computes
nothing of its own, so the formats cannot disagree. The model holds plain values
(strings, numbers, lists, small frozen dataclasses): JSON is the model itself.

Deterministic by construction: nothing reads the wall clock, and every list has
a defined order (roster order for teams, scenario order for injects,
expectations and objectives, log order for notes and control actions).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scoring.feedback import FeedbackSummary
from scoring.stats import TimeStats

REPORT_FORMAT = "sitroom-report"
REPORT_VERSION = 1

# ---------------------------------------------------------------- pieces


@dataclass(frozen=True)
class Times:
    """Delivery-to-first-answer times in ms (nearest-rank median and 90th percentile)."""

    n: int = 0
    median: int | None = None
    p90: int | None = None


def times_of(stats: TimeStats | None) -> Times:
    return Times() if stats is None else Times(stats.n, stats.median, stats.p90)


@dataclass(frozen=True)
class ObjectiveInfo:
    id: str
    title: str
    capability: str
    description: str
    thresholds: dict[str, float]


@dataclass(frozen=True)
class RoleInfo:
    id: str
    name: str
    description: str
    teams: int
    present: int
    """Members who joined at least once (``Scoreboard.present``)."""
    rostered: int
    """Members the roster names (0 when it names none)."""


@dataclass(frozen=True)
class Overview:
    scenario_id: str
    title: str
    version: str
    description: str
    log_name: str
    scenario_sha256: str
    seed: int
    status: str
    """ended, in progress, or not started."""
    ended_reason: str
    planned_ms: int
    played_ms: int
    in_world_start: str | None
    phases: list[tuple[str, str]]
    objectives: list[ObjectiveInfo]
    roles: list[RoleInfo]
    teams: int
    present: int
    """Team members who joined at least once, over every team."""
    rostered: int
    """Team members the roster names, over every team (0 when it names none)."""
    evaluators: list[str]
    note_authors: list[str]
    atlas: list[str]
    owasp_llm: list[str]
    incidents: list[str]
    events: int


@dataclass(frozen=True)
class Summary:
    """Key figures of the whole exercise."""

    results: int
    counts: dict[str, int]
    points: float
    max_points: float
    mean_team_share: float | None
    best_team_share: float | None
    worst_team_share: float | None
    times: Times
    deadlines_missed: int
    grades: int
    overrides: int
    ratings: int
    notes: int
    responses: int
    team_deliveries: int


@dataclass(frozen=True)
class TimelineRow:
    t: int
    kind: str
    """inject (deliveries of one inject) or control (a control-room action)."""
    ref: str
    text: str
    detail: str
    story: str = ""
    """The story's time at ``t`` (``Tue 09:42``), when the scenario has a start: what the
    consoles and the wall showed then (:mod:`engine.storyclock`)."""


@dataclass(frozen=True)
class ExpectationSummary:
    ref: str
    kind: str
    prompt: str
    objective: str | None
    max_points: float
    teams: int
    counts: dict[str, int]
    mean_points: float | None
    times: Times
    missed: int


@dataclass(frozen=True)
class AttachmentRow:
    """What an inject carried: a written text, or a file (its kind, size and sha256,
    so the report says exactly which file was shown)."""

    name: str
    kind: str
    """``image, 120 KB`` for a file; ``text`` for written text."""
    sha256: str | None = None


@dataclass(frozen=True)
class InjectRow:
    id: str
    title: str
    phase: str | None
    channel: str
    sender: str
    trigger: str
    contingency: bool
    audience: int
    delivered: int
    skipped: int
    first_at: int | None
    last_at: int | None
    causes: dict[str, int]
    times: Times
    expectations: list[ExpectationSummary]
    opened: int = 0
    """Teams that opened it (the inject ledger: :mod:`scoring.ledger`)."""
    to_open: Times = field(default_factory=Times)
    """Delivery-to-opening times, over the teams that opened it."""
    attachments: tuple[AttachmentRow, ...] = ()


@dataclass(frozen=True)
class GradeRow:
    evaluator: str
    points: float
    reason: str
    t: int


@dataclass(frozen=True)
class Spread:
    evaluators: int
    low: float
    high: float
    range: float
    stdev: float
    agree: bool


@dataclass(frozen=True)
class ResultRow:
    ref: str
    inject_title: str
    kind: str
    prompt: str
    objective: str | None
    weight: float
    status: str
    points: float
    max_points: float
    auto_points: float | None
    override: float | None
    grades: list[GradeRow]
    spread: Spread | None
    delivered_at: int
    due_at: int | None
    answered_at: int | None
    response_ms: int | None
    late_ms: int
    factor: float
    expired: bool
    answers: int
    answer: str
    matched: list[str]
    missing: list[str]
    forbidden: list[str]
    why: list[str]
    completed_at: int | None = None
    """When the engine held the expectation completed (every member, for whole-team ones)."""
    missed_at: int | None = None
    """When its deadline passed before the team completed it (the engine's ``deadline``)."""


@dataclass(frozen=True)
class RatingEntryRow:
    evaluator: str
    rating: str
    reason: str
    t: int


@dataclass(frozen=True)
class RatingCell:
    objective: str
    share: float | None
    computed: str | None
    rated: str | None
    rating: str | None
    source: str
    decided: int
    pending: int
    ratings: list[RatingEntryRow]


@dataclass(frozen=True)
class TeamCard:
    id: str
    name: str
    role: str
    present: list[str]
    """Members who joined at least once, in order of first appearance."""
    rostered: int
    """Members the roster names for the team (0 when it names none)."""
    points: float
    max_points: float
    share: float | None
    rank: int
    rank_label: str
    """The rank as tables show it: ``2=`` when shared (``Scoreboard.rank_label``)."""
    role_rank: int
    counts: dict[str, int]
    times: Times
    objectives: list[RatingCell]
    results: list[ResultRow]


@dataclass(frozen=True)
class ObjectiveSummary:
    id: str
    title: str
    capability: str
    counts: dict[str, int]
    """Final ratings (P, S, M, U, and "-" for not rated) over teams."""
    computed_counts: dict[str, int]
    evaluator_rated: int
    mean_share: float | None
    expectations: list[str]


@dataclass(frozen=True)
class Finding:
    """A strength or an area for improvement (HSEEP: observation, analysis, recommendation)."""

    objective: str | None
    kind: str
    """strength or improvement."""
    observation: str
    analysis: str
    recommendation: str
    source: str
    """results (drawn from scores) or the evaluator's name."""
    refs: list[str] = field(default_factory=list)
    team: str | None = None


@dataclass(frozen=True)
class PlanRow:
    """An improvement-plan row (HSEEP IP): issue, corrective action, objective, owner, due."""

    issue: str
    action: str
    objective: str | None
    capability: str
    owner: str
    due: str
    source: str


@dataclass(frozen=True)
class TeamTimes:
    team: str
    name: str
    role: str
    times: Times


@dataclass(frozen=True)
class Agreement:
    items: int
    agreed: int
    share: float | None
    mean_range: float
    max_range: float
    mean_stdev: float
    rated_items: int
    rated_agreed: int
    overrides: int
    spreads: list[tuple[str, str, Spread, list[GradeRow]]]
    """(team, ref, spread, grades) for every item two or more evaluators graded."""


@dataclass(frozen=True)
class NoteRow:
    t: int
    author: str
    category: str
    text: str
    team: str | None
    objective: str | None
    prompt: str | None = None
    """The hotwash prompt the note answers, if it names one."""


@dataclass(frozen=True)
class Report:
    format: str
    version: int
    overview: Overview
    summary: Summary
    timeline: list[TimelineRow]
    injects: list[InjectRow]
    teams: list[TeamCard]
    objectives: list[ObjectiveSummary]
    findings: list[Finding]
    plan: list[PlanRow]
    inject_times: list[tuple[str, str, Times, int | None]]
    """(inject, title, times, deadline ms of its first expectation)."""
    team_times: list[TeamTimes]
    intensity: list[tuple[int, int]]
    """(bucket start ms, team-deliveries in that quarter hour)."""
    agreement: Agreement
    hotwash: list[NoteRow]
    """Hotwash notes, grouped by prompt in the order the hotwash asks them (notes with
    no prompt, or another one, last), each group in log order."""
    observations: list[NoteRow]
    warnings: list[str]
    feedback: FeedbackSummary = field(default_factory=FeedbackSummary)
    """The participants' feedback forms (:mod:`scoring.feedback`)."""
    hotwash_prompts: list[str] = field(default_factory=list)
    """The prompts the hotwash put to the room (the scenario's, or the default set)."""

    def team(self, team_id: str) -> TeamCard:
        for card in self.teams:
            if card.id == team_id:
                return card
        raise KeyError(team_id)
