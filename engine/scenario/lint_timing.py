"""Semantic checks on timing: cycles, injects that can never fire, the scenario's end, floods.

The analysis walks injects in dependency order and computes, for each one, the
earliest time it can fire, whether that time is fixed (known in advance, up to
jitter) and which team roles can possibly receive it. Answers are assumed to come
as early as possible, so an inject flagged as unreachable truly is.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

from engine.durations import format_duration
from engine.scenario.common import split_ref
from engine.scenario.injects import AllOf, AnyOf, Condition, Inject, Not, Test
from engine.scenario.lint_refs import Finding
from engine.scenario.model import Scenario
from engine.scenario.yamlsrc import Path

TEN_MINUTES = 600_000


@dataclass(frozen=True, slots=True)
class Reach:
    """What the analysis knows of one inject."""

    earliest: int
    latest: float  # math.inf when the time depends on teams' answers or a release
    roles: frozenset[str]


def dependencies(inject: Inject) -> list[str]:
    """Ids of the injects this one waits on (trigger and conditions)."""
    deps: list[str] = []
    if inject.after is not None:
        deps.append(inject.after.anchor_inject)
    if inject.if_no_response is not None:
        deps.append(split_ref(inject.if_no_response.expectation)[0])
    if inject.when is not None:
        deps.extend(split_ref(t.expectation)[0] for t in _tests(inject.when))
    return deps


def _tests(cond: Condition) -> Iterator[Test]:
    if isinstance(cond, Test):
        yield cond
    elif isinstance(cond, AllOf):
        for sub in cond.all:
            yield from _tests(sub)
    elif isinstance(cond, AnyOf):
        for sub in cond.any:
            yield from _tests(sub)
    else:
        yield from _tests(cond.not_)


def _trigger_path(index: int, inject: Inject) -> Path:
    key = {"at": "at", "after": "after", "if_no_response": "if_no_response"}.get(inject.trigger)
    return ("injects", index, key) if key else ("injects", index, "contingency")


def find_cycles(sc: Scenario) -> list[list[str]]:
    """Strongly connected groups of injects that wait on each other (Tarjan)."""
    graph = {i.id: [d for d in dependencies(i) if d in sc.inject_by_id] for i in sc.injects}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = 0

    for root in graph:
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, child_i = work.pop()
            if child_i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            children = graph[node]
            if child_i < len(children):
                work.append((node, child_i + 1))
                child = children[child_i]
                if child not in index:
                    work.append((child, 0))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            if low[node] == index[node]:
                group: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1 or node in graph[node]:
                    cycles.append(group)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return cycles


def check_timing(sc: Scenario) -> Iterator[Finding]:
    """Cycles, unreachable injects, injects and deadlines past the end, partial reach."""
    position = {inj.id: k for k, inj in enumerate(sc.injects)}
    cycles = find_cycles(sc)
    blocked: set[str] = set()
    for group in cycles:
        ordered = sorted(group, key=position.__getitem__)
        first = sc.inject_by_id[ordered[0]]
        chain = " → ".join([*ordered, ordered[0]])
        blocked.update(group)
        yield Finding(
            _trigger_path(position[first.id], first),
            f"these injects wait on each other ({chain}), so none of them can fire",
        )
    reach = analyse(sc, blocked)
    for k, inject in enumerate(sc.injects):
        if inject.id in blocked:
            continue
        info = reach.get(inject.id)
        if info is None:
            continue
        yield from _unreachable(sc, k, inject, info, reach)
        if not info.roles:
            continue
        yield from _past_end(sc, k, inject, info)


def analyse(sc: Scenario, blocked: set[str]) -> dict[str, Reach]:
    """Earliest time, latest fixed time and reachable roles of every inject not blocked."""
    all_roles = frozenset(sc.role_ids)
    result: dict[str, Reach] = {}
    pending = [i for i in sc.injects if i.id not in blocked]
    progress = True
    while pending and progress:
        progress = False
        waiting: list[Inject] = []
        for inject in pending:
            deps = [d for d in dependencies(inject) if d in sc.inject_by_id]
            if any(d in blocked for d in deps):
                blocked.add(inject.id)
                progress = True
                continue
            if any(d not in result for d in deps):
                waiting.append(inject)
                continue
            result[inject.id] = _reach_of(sc, inject, result, all_roles)
            progress = True
        pending = waiting
    return result


def _reach_of(
    sc: Scenario, inject: Inject, known: dict[str, Reach], all_roles: frozenset[str]
) -> Reach:
    roles = frozenset(sc.roles_of(inject)) & all_roles
    earliest: int
    latest: float
    if inject.at is not None:
        earliest, latest = inject.at, float(inject.at)
    elif inject.after is not None:
        anchor = known.get(inject.after.anchor_inject)
        if anchor is None:
            return Reach(0, math.inf, frozenset())
        earliest = anchor.earliest + inject.after.delay
        latest = anchor.latest + inject.after.delay if inject.after.inject else math.inf
        roles &= anchor.roles
    elif inject.if_no_response is not None:
        ref = inject.if_no_response.expectation
        anchor = known.get(split_ref(ref)[0])
        due = sc.expectation(ref).due if ref in sc.expectation_by_ref else None
        if anchor is None or due is None:
            return Reach(0, math.inf, frozenset())
        earliest = anchor.earliest + due + inject.if_no_response.delay
        latest = anchor.latest + due + inject.if_no_response.delay
        roles &= anchor.roles
    else:
        earliest, latest = 0, math.inf
    if inject.contingency:
        earliest, latest = 0, math.inf
    latest += inject.jitter
    if inject.when is not None:
        roles &= _condition_roles(sc, inject.when, known, all_roles, latest)
    return Reach(earliest, latest, roles)


def _condition_roles(
    sc: Scenario,
    cond: Condition,
    known: dict[str, Reach],
    all_roles: frozenset[str],
    fire_by: float,
) -> frozenset[str]:
    """Roles for which the condition can hold when the inject fires (by ``fire_by``)."""
    if isinstance(cond, AllOf):
        roles = all_roles
        for sub in cond.all:
            roles &= _condition_roles(sc, sub, known, all_roles, fire_by)
        if _contradictory(cond):
            return frozenset()
        return roles
    if isinstance(cond, AnyOf):
        found: frozenset[str] = frozenset()
        for sub in cond.any:
            found |= _condition_roles(sc, sub, known, all_roles, fire_by)
        return found
    if isinstance(cond, Not):
        return all_roles
    return _test_roles(sc, cond, known, all_roles, fire_by)


def _test_roles(
    sc: Scenario, test: Test, known: dict[str, Reach], all_roles: frozenset[str], fire_by: float
) -> frozenset[str]:
    negative = (
        test.answered is False
        or test.missed is False
        or test.met is False
        or test.not_done is not None
    )
    if negative:
        return all_roles
    source = known.get(split_ref(test.expectation)[0])
    if source is None or test.expectation not in sc.expectation_by_ref:
        return frozenset()
    needed = source.earliest
    if test.missed:
        needed += sc.expectation(test.expectation).due or 0
    if needed > fire_by:
        return frozenset()
    return source.roles


def _contradictory(cond: AllOf) -> bool:
    """Two tests in one ``all`` that cannot both hold (different options, done and not done)."""
    chosen: dict[str, set[str]] = {}
    done: set[tuple[str, str]] = set()
    not_done: set[tuple[str, str]] = set()
    for sub in cond.all:
        if not isinstance(sub, Test):
            continue
        if sub.chose is not None:
            options = set(sub.options)
            prior = chosen.get(sub.expectation)
            chosen[sub.expectation] = options if prior is None else prior & options
        if sub.done is not None:
            done.add((sub.expectation, sub.done))
        if sub.not_done is not None:
            not_done.add((sub.expectation, sub.not_done))
    return any(not opts for opts in chosen.values()) or bool(done & not_done)


def _unreachable(
    sc: Scenario, k: int, inject: Inject, info: Reach, reach: dict[str, Reach]
) -> Iterator[Finding]:
    addressed = frozenset(sc.roles_of(inject))
    path = _trigger_path(k, inject)
    if not info.roles:
        yield Finding(
            path if inject.when is None else ("injects", k, "when"),
            f"{inject.id} can never fire: {_why_unreachable(sc, inject, reach)}",
        )
        return
    if inject.to != "all":
        missing = sorted(addressed - info.roles)
        if missing:
            yield Finding(
                ("injects", k, "to"),
                f"team{'s' if len(missing) > 1 else ''} {', '.join(missing)} can never "
                f"receive {inject.id}: {_why_unreachable(sc, inject, reach)}",
                "warning",
            )


def _why_unreachable(sc: Scenario, inject: Inject, reach: dict[str, Reach]) -> str:
    addressed = frozenset(sc.roles_of(inject))
    anchor_id: str | None = None
    if inject.after is not None:
        anchor_id = inject.after.anchor_inject
    elif inject.if_no_response is not None:
        anchor_id = split_ref(inject.if_no_response.expectation)[0]
    if anchor_id is not None:
        anchor = reach.get(anchor_id)
        if anchor is not None and not (anchor.roles & addressed):
            return f"it follows {anchor_id}, which none of its teams receive"
        if anchor is not None and (addressed - anchor.roles):
            only = ", ".join(sorted(anchor.roles & addressed))
            return f"it follows {anchor_id}, which only {only} receive"
    if inject.when is not None:
        if isinstance(inject.when, AllOf) and _contradictory(inject.when):
            return "its condition asks for two answers that exclude each other"
        for test in _tests(inject.when):
            source = reach.get(split_ref(test.expectation)[0])
            if source is None:
                continue
            fire_by = _fire_by(inject, reach)
            needed = source.earliest + (
                (sc.expectation(test.expectation).due or 0) if test.missed else 0
            )
            if needed > fire_by:
                what = "deadline passes" if test.missed else "inject arrives"
                return (
                    f"its condition tests {test.expectation}, whose {what} at "
                    f"{format_duration(needed)} at the earliest, after this inject fires "
                    f"({format_duration(int(fire_by))})"
                )
            if not (source.roles & addressed):
                return f"its condition tests {test.expectation}, which none of its teams receive"
    return "no team can meet both its trigger and its condition"


def _fire_by(inject: Inject, reach: dict[str, Reach]) -> float:
    if inject.at is not None:
        return float(inject.at + inject.jitter)
    if inject.after is not None and inject.after.inject is not None:
        anchor = reach.get(inject.after.inject)
        if anchor is not None:
            return anchor.latest + inject.after.delay + inject.jitter
    return math.inf


def _past_end(sc: Scenario, k: int, inject: Inject, info: Reach) -> Iterator[Finding]:
    end = sc.duration
    if inject.contingency and inject.if_no_response is None:
        return
    path = _trigger_path(k, inject)
    if info.earliest > end:
        yield Finding(
            path,
            f"{inject.id} fires at {format_duration(info.earliest)} at the "
            f"earliest, after the scenario ends ({format_duration(end)})",
        )
        return
    if info.latest != math.inf and info.latest > end:
        yield Finding(
            path,
            f"with jitter {inject.id} may fire as late as "
            f"{format_duration(int(info.latest))}, after the scenario ends "
            f"({format_duration(end)})",
            "warning",
        )
    for j, exp in enumerate(inject.expects):
        if exp.due is not None and info.earliest + exp.due > end:
            yield Finding(
                ("injects", k, "expects", j, "due"),
                f"the deadline of {inject.id}.{exp.id} falls at "
                f"{format_duration(info.earliest + exp.due)} at the earliest, after "
                f"the scenario ends ({format_duration(end)})",
            )


def check_flood(sc: Scenario) -> Iterator[Finding]:
    """Warn where one team gets more than ``settings.flood_threshold`` injects in 10 minutes."""
    limit = sc.settings.flood_threshold
    position = {inj.id: k for k, inj in enumerate(sc.injects)}
    reach = analyse(sc, set())
    for role in sc.role_ids:
        timed = sorted(
            (info.earliest, inj.id)
            for inj in sc.injects
            if (info := reach.get(inj.id)) is not None
            and role in info.roles
            and inj.when is None
            and not inj.contingency
            and inj.if_no_response is None
            and info.latest != math.inf
        )
        start = 0
        while start < len(timed):
            end = start
            while end < len(timed) and timed[end][0] < timed[start][0] + TEN_MINUTES:
                end += 1
            count = end - start
            if count > limit:
                first_t, first_id = timed[start]
                yield Finding(
                    ("injects", position[first_id]),
                    f"team {role} receives {count} injects between "
                    f"{format_duration(first_t)} and "
                    f"{format_duration(first_t + TEN_MINUTES)} (more than {limit} in "
                    "10 minutes): spread them out or raise settings.flood_threshold",
                    "warning",
                )
                start = end
            else:
                start += 1
