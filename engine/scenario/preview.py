"""What the preview shows, derived from a loaded scenario by pure functions.

The widgets only render a :class:`Preview`; everything worth testing (when each
inject can fire and for whom, how it is marked, the load per quarter hour,
which problem belongs to which inject) is computed here, in the loading worker,
and checked by unit tests without a terminal.

Times come from :mod:`engine.scenario.reach`, the analysis the lint uses, so the
preview and ``sitroom validate`` never disagree about when an inject can fire.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Literal

import yaml

from engine.durations import format_at
from engine.i18n import N_
from engine.problems import Problem
from engine.scenario import LoadResult, Scenario
from engine.scenario.branches import Edge, branch_edges, held_for_release, timing
from engine.scenario.common import split_ref
from engine.scenario.injects import Inject
from engine.scenario.modules import Talk, talks
from engine.scenario.reach import Graph, Reach, analyse
from engine.storyclock import StoryClock, story_clock

QUARTER = 900_000
"""The load chart's bucket: 15 minutes of exercise time, in milliseconds."""

Mark = Literal["fixed", "answer", "conditional", "escalation", "contingency", "never"]
MARK_GLYPH: dict[Mark, str] = {
    "fixed": "●",
    "answer": "○",
    "conditional": "◆",
    "escalation": "▲",
    "contingency": "◇",
    "never": "×",
}
# English source text (N_), translated where the preview shows it: the language may
# change after import.
MARK_WORD: dict[Mark, str] = {
    "fixed": N_("at a fixed time"),
    "answer": N_("after an answer"),
    "conditional": N_("only if a condition holds"),
    "escalation": N_("if no answer by a deadline"),
    "contingency": N_("contingency (held for the control room)"),
    "never": N_("can never fire"),
}


@dataclass(frozen=True, slots=True)
class Role:
    id: str
    name: str
    short: str
    """A label of at most three characters for a lane column, unique in the scenario."""


@dataclass(frozen=True, slots=True)
class TimelineRow:
    """One inject on the timeline."""

    inject: str
    index: int
    title: str
    channel: str
    sender: str
    time: int | None
    """Earliest exercise time (ms) it can fire; None when only a controller sends it."""
    time_label: str
    timing: str
    mark: Mark
    flags: tuple[Mark, ...]
    """Every mark that applies (an inject can be both conditional and an escalation)."""
    lanes: tuple[bool, ...]
    """Per role (in :attr:`Preview.roles` order): can a team of that role receive it."""
    addressed: tuple[str, ...]
    errors: int = 0
    warnings: int = 0
    to: tuple[str, ...] = ()
    """The addresses as written (``all``, roles, ``team:``, ``cell:``, ``tag:``)."""
    story: str = ""
    """The story's time at :attr:`time` (``Tue 09:42``, with the time label's ``≥`` or
    ``~``), from :mod:`engine.storyclock`; empty without a ``start`` or a time."""

    @property
    def names_teams(self) -> bool:
        """Addressed to a team, cell or tag: only a roster says which teams those are."""
        return any(":" in a for a in self.to)

    @property
    def to_label(self) -> str:
        return ", ".join(self.to)


@dataclass(frozen=True, slots=True)
class Load:
    """Injects per 15 minutes: ``fixed`` at known times, ``branch`` only on some paths."""

    starts: tuple[int, ...]
    fixed: dict[str, tuple[int, ...]]
    branch: dict[str, tuple[int, ...]]
    held: int
    """Contingency injects only a controller releases (no time to count them at)."""

    def total(self, role: str, k: int) -> int:
        return self.fixed[role][k] + self.branch[role][k]

    @property
    def peak(self) -> int:
        return max(
            (self.total(r, k) for r in self.fixed for k in range(len(self.starts))), default=0
        )


@dataclass(frozen=True, slots=True)
class ProblemRow:
    problem: Problem
    inject: str | None
    """The inject the problem is inside, when it is inside one."""


@dataclass(frozen=True, slots=True)
class Preview:
    """Everything the preview app shows for one load of the file."""

    name: str
    result: LoadResult
    scenario: Scenario | None
    """The scenario shown: the file's, or the last one that loaded when the file is broken."""
    stale: bool
    roles: tuple[Role, ...] = ()
    rows: tuple[TimelineRow, ...] = ()
    edges: tuple[Edge, ...] = ()
    held: tuple[str, ...] = ()
    load: Load | None = None
    problems: tuple[ProblemRow, ...] = ()
    by_inject: dict[str, tuple[Problem, ...]] = field(default_factory=dict)
    talks: tuple[Talk, ...] = ()
    """The modules' discussions (:mod:`engine.scenario.modules`), in time order: every
    team's play pauses there until the facilitator resumes."""
    clock: StoryClock | None = None
    """The scenario's story clock; None when it gives no ``start`` (no story column)."""

    def talk_story(self, talk: Talk) -> str:
        """The story's time when a discussion pauses play (what the consoles show)."""
        return self.clock.text(talk.at) if self.clock is not None else ""

    def talk(self, key: str | None) -> Talk | None:
        """The discussion a timeline row's key (:func:`talk_key`) names, if it does."""
        return next((t for t in self.talks if talk_key(t) == key), None)

    @property
    def errors(self) -> int:
        return sum(1 for p in self.result.problems if p.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.result.problems if p.severity == "warning")

    def row(self, inject: str) -> TimelineRow | None:
        return next((r for r in self.rows if r.inject == inject), None)


def talk_key(talk: Talk) -> str:
    """A discussion's key among the timeline's rows (an inject id never holds ``:``)."""
    return f"talk:{talk.phase.id}"


_INJECT_PATH = re.compile(r"^injects\[(\d+)\]")


def build_preview(result: LoadResult, last_good: Scenario | None = None) -> Preview:
    """The preview of a load; a broken file shows ``last_good`` (if any) with its problems."""
    scenario = result.scenario if result.scenario is not None else last_good
    stale = result.scenario is None and last_good is not None
    ids = _inject_ids(result, scenario)
    problems = tuple(ProblemRow(p, _inject_in(p, ids, result.name)) for p in result.problems)
    by_inject: dict[str, list[Problem]] = {}
    for row in problems:
        if row.inject is not None:
            by_inject.setdefault(row.inject, []).append(row.problem)
    frozen = {k: tuple(v) for k, v in by_inject.items()}
    if scenario is None:
        return Preview(result.name, result, None, False, problems=problems, by_inject=frozen)
    reach = safe_reach(scenario)
    roles = role_labels(scenario)
    clock = story_clock(scenario)
    rows = timeline(scenario, reach, roles, frozen, clock)
    return Preview(
        result.name,
        result,
        scenario,
        stale,
        roles=roles,
        rows=rows,
        edges=tuple(branch_edges(scenario)),
        held=tuple(held_for_release(scenario)),
        load=load(scenario, rows, roles),
        problems=problems,
        by_inject=frozen,
        talks=tuple(talks(scenario)),
        clock=clock,
    )


def story_label(clock: StoryClock | None, at: int | None, label: str) -> str:
    """The story's time at ``at``, qualified as the exercise time's ``label`` is
    (``≥`` when it depends on answers, ``~`` with jitter); empty without a clock."""
    if clock is None or at is None or label == "never":
        return ""
    text = clock.text(at)
    if label.startswith("≥"):
        return f"≥{text}"
    return f"{text}~" if label.endswith("~") else text


def safe_reach(sc: Scenario) -> dict[str, Reach]:
    """The lint's reachability analysis, or nothing when the scenario's references are
    broken (the analysis assumes they resolve; the problems list says what is wrong)."""
    try:
        return analyse(sc, Graph(sc))
    except (KeyError, ValueError):
        return {}


def _inject_ids(result: LoadResult, scenario: Scenario | None) -> list[str | None]:
    """Inject ids by position in the file, to place problems beside their inject.

    From the scenario when the file loaded; otherwise read tolerantly from the text
    (a file whose schema is broken may still be well-formed YAML)."""
    if result.scenario is not None:
        return [i.id for i in result.scenario.injects]
    try:
        doc = yaml.safe_load(result.text)
    except yaml.YAMLError:
        doc = None
    injects = doc.get("injects") if isinstance(doc, dict) else None
    if not isinstance(injects, list):
        return [] if scenario is None else [i.id for i in scenario.injects]
    return [
        str(i["id"]) if isinstance(i, dict) and isinstance(i.get("id"), str) else None
        for i in injects
    ]


def _inject_in(problem: Problem, ids: list[str | None], name: str) -> str | None:
    """:func:`inject_of`; a problem in an included file has that file's path, whose
    ``injects[k]`` is not the scenario's: its subject names the inject."""
    if problem.file == name:
        return inject_of(problem, ids)
    if _INJECT_PATH.match(problem.path) is None:
        return None
    return problem.subject.split(".")[0] or None


def inject_of(problem: Problem, ids: list[str | None]) -> str | None:
    """The id of the inject a problem's path is inside (``injects[3].expects[0]`` → id 3)."""
    found = _INJECT_PATH.match(problem.path)
    if found is None:
        return None
    k = int(found.group(1))
    return ids[k] if k < len(ids) else None


def role_labels(sc: Scenario) -> tuple[Role, ...]:
    """Roles with short unique lane labels (``comms`` → ``com``, clashes numbered).

    Three characters keep eight lanes and a readable title within 80 columns."""
    taken: set[str] = set()
    roles = []
    for team in sc.teams:
        short = team.id[:3]
        n = 1
        while short in taken:
            n += 1
            short = f"{team.id[: 3 - len(str(n))]}{n}"
        taken.add(short)
        roles.append(Role(team.id, team.name, short))
    return tuple(roles)


def marks(inject: Inject, info: Reach | None) -> tuple[Mark, ...]:
    """Every mark of an inject, most telling first."""
    found: list[Mark] = []
    if info is not None and not info.roles:
        found.append("never")
    if inject.contingency:
        found.append("contingency")
    if inject.if_no_response is not None:
        found.append("escalation")
    if inject.when is not None:
        found.append("conditional")
    if inject.after is not None and (
        inject.after.response is not None or (info is not None and math.isinf(info.latest))
    ):
        found.append("answer")
    return tuple(found) or ("fixed",)


def fire_time(sc: Scenario, inject: Inject, reach: dict[str, Reach]) -> tuple[int | None, str]:
    """Earliest time and its label: ``0:15``, ``≥0:25`` (depends on answers), ``0:07~``
    (jitter), ``held`` (only a controller sends it) or ``never``/``?``."""
    info = reach.get(inject.id)
    if inject.contingency and inject.if_no_response is None:
        return None, "held"
    if info is None:
        if inject.at is not None:
            return inject.at, format_at(inject.at)
        return None, "?"
    if not info.roles:
        return info.earliest, "never"
    earliest, latest = info.earliest, info.latest
    if inject.contingency and inject.if_no_response is not None:
        # reach counts a contingency from 0 (a controller may send it at any time);
        # the rule that releases it fires at the deadline of what it waits on.
        ref = inject.if_no_response.expectation
        anchor = reach.get(split_ref(ref)[0])
        found = sc.expectation_by_ref.get(ref)
        if anchor is None or found is None:
            return None, "held"
        due = (found[1].due or 0) + inject.if_no_response.delay
        earliest, latest = anchor.earliest + due, anchor.latest + due + inject.jitter
    if math.isinf(latest):
        return earliest, f"≥{format_at(earliest)}"
    if latest > earliest:
        return earliest, f"{format_at(earliest)}~"
    return earliest, format_at(earliest)


def timeline(
    sc: Scenario,
    reach: dict[str, Reach],
    roles: tuple[Role, ...],
    problems: dict[str, tuple[Problem, ...]],
    clock: StoryClock | None = None,
) -> tuple[TimelineRow, ...]:
    """Every inject at its earliest time, file order breaking ties; held ones last;
    each with the story's time then when the scenario has a story clock."""
    rows = []
    for k, inject in enumerate(sc.injects):
        info = reach.get(inject.id)
        at, label = fire_time(sc, inject, reach)
        addressed = tuple(sc.roles_of(inject))
        receives = info.roles if info is not None else frozenset(addressed)
        flags = marks(inject, info)
        found = problems.get(inject.id, ())
        rows.append(
            TimelineRow(
                inject=inject.id,
                index=k,
                title=inject.title,
                channel=inject.channel,
                sender=inject.from_,
                time=at,
                time_label=label,
                timing=timing(sc, inject),
                mark=flags[0],
                flags=flags,
                lanes=tuple(r.id in receives for r in roles),
                addressed=addressed,
                errors=sum(1 for p in found if p.severity == "error"),
                warnings=sum(1 for p in found if p.severity == "warning"),
                to=("all",) if inject.to == "all" else tuple(inject.to),
                story=story_label(clock, at, label),
            )
        )
    rows.sort(key=lambda r: (r.time is None, r.time or 0, r.index))
    return tuple(rows)


def rows_for_role(preview: Preview, role: str | None) -> tuple[TimelineRow, ...]:
    """The timeline of one role (the injects a team of that role can receive), or all."""
    if role is None:
        return preview.rows
    k = next((i for i, r in enumerate(preview.roles) if r.id == role), None)
    if k is None:
        return preview.rows
    return tuple(r for r in preview.rows if r.lanes[k])


def load(sc: Scenario, rows: tuple[TimelineRow, ...], roles: tuple[Role, ...]) -> Load:
    """Injects per role per quarter hour, at their earliest time.

    An inject that fires only on some branches (conditional, or timed by an answer)
    counts as ``branch``: a team meets some of them, not all, so the chart keeps
    them apart from the load every team gets."""
    timed = [r for r in rows if r.time is not None and r.mark != "never"]
    end = max([sc.duration, *(r.time + 1 for r in timed if r.time is not None)])
    n = max(1, math.ceil(end / QUARTER))
    fixed = {r.id: [0] * n for r in roles}
    branch = {r.id: [0] * n for r in roles}
    for row in timed:
        assert row.time is not None
        k = min(row.time // QUARTER, n - 1)
        sure = row.mark == "fixed"
        for role, lane in zip(roles, row.lanes, strict=True):
            if lane:
                (fixed if sure else branch)[role.id][k] += 1
    return Load(
        starts=tuple(k * QUARTER for k in range(n)),
        fixed={k: tuple(v) for k, v in fixed.items()},
        branch={k: tuple(v) for k, v in branch.items()},
        held=sum(1 for r in rows if r.time is None),
    )


BARS = " ▁▂▃▄▅▆▇█"


def sparkline(counts: tuple[int, ...] | list[int], peak: int) -> str:
    """One character per bucket, from blank (none) to a full block (the peak)."""
    if peak <= 0:
        return " " * len(counts)
    top = len(BARS) - 1
    return "".join(BARS[0 if c <= 0 else max(1, round(c * top / peak))] for c in counts)


def excerpt(text: str, line: int, around: int = 2) -> list[tuple[int, str]]:
    """The source lines around ``line`` (1-based), numbered, for a problem's context."""
    lines = text.splitlines()
    if line <= 0 or not lines:
        return []
    first = max(1, line - around)
    last = min(len(lines), line + around)
    return [(n, lines[n - 1]) for n in range(first, last + 1)]
