"""Semantic checks on timing: cycles, injects that can never fire, the scenario's end, floods.

Built on :mod:`engine.scenario.reach`, which works out when each inject can fire
and who can receive it. Every finding points at the field to change: the
``after`` that follows an inject no team of this one receives, the test in a
``when`` that can never hold in time, the ``due`` that ends after the scenario.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from engine.durations import format_duration
from engine.i18n import _, ngettext
from engine.scenario.address import written_roles
from engine.scenario.common import split_ref
from engine.scenario.injects import Inject
from engine.scenario.lint_refs import Finding
from engine.scenario.model import Scenario
from engine.scenario.reach import (
    Conditions,
    Graph,
    Reach,
    is_release_only,
    tests_with_paths,
)
from engine.scenario.yamlsrc import Path

TEN_MINUTES = 600_000


def check_timing(sc: Scenario, graph: Graph, reach: dict[str, Reach]) -> Iterator[Finding]:
    """Cycles, unreachable injects, injects and deadlines past the end, ignored fields, floods
    (``reach``: :func:`engine.scenario.reach.analyse` of ``graph``, shared with other checks)."""
    for group in graph.cycles():
        yield _cycle(sc, graph, group)
    for k, inject in enumerate(sc.injects):
        yield from _ignored(k, inject)
        info = reach.get(inject.id)
        if info is None:
            continue  # in a cycle, or waiting on one: reported above
        yield from _unreachable(sc, k, inject, info, reach)
        if info.roles:
            yield from _past_end(sc, k, inject, info)
    yield from check_flood(sc, reach)


def _trigger_path(k: int, inject: Inject) -> Path:
    if inject.at is not None:
        return ("injects", k, "at")
    if inject.after is not None:
        field = "inject" if inject.after.inject is not None else "response"
        return ("injects", k, "after", field)
    if inject.if_no_response is not None:
        return ("injects", k, "if_no_response", "expectation")
    return ("injects", k, "contingency")


def _dep_path(k: int, inject: Inject, target: str) -> Path:
    """The field of ``inject`` that makes it wait on ``target``."""
    if inject.after is not None and inject.after.anchor_inject == target:
        return _trigger_path(k, inject)
    escalation = inject.if_no_response
    if escalation is not None and split_ref(escalation.expectation)[0] == target:
        return _trigger_path(k, inject)
    if inject.when is not None:
        for test, path in tests_with_paths(inject.when, ("injects", k, "when")):
            if split_ref(test.expectation)[0] == target:
                return (*path, "expectation")
    return ("injects", k)


def _cycle(sc: Scenario, graph: Graph, group: list[str]) -> Finding:
    first = sc.inject_by_id[group[0]]
    k = graph.position[first.id]
    if len(group) == 1:
        return Finding(
            _dep_path(k, first, first.id),
            _(
                "{inject} waits on itself (its own delivery or answers), so it can never fire"
            ).format(inject=first.id),
        )
    members = set(group)
    chain = [first.id]
    while True:  # follow the wait-on links inside the group back to the first inject
        nxt = next(d for d in graph.deps[chain[-1]] if d in members)
        if nxt == first.id or nxt in chain:
            chain.append(nxt)
            break
        chain.append(nxt)
    return Finding(
        _dep_path(k, first, chain[1]),
        _("these injects wait on each other ({chain}), so none of them can fire").format(
            chain=" → ".join(chain)
        ),
    )


def _ignored(k: int, inject: Inject) -> Iterator[Finding]:
    """Fields the engine does not read on an inject that only a controller releases."""
    if not is_release_only(inject):
        return
    if inject.when is not None:
        yield Finding(
            ("injects", k, "when"),
            _(
                "when is ignored on a contingency inject: the controller who releases it "
                "chooses the teams (add if_no_response to release it automatically)"
            ),
            "warning",
        )
    if inject.jitter:
        yield Finding(
            ("injects", k, "jitter"),
            _(
                "jitter is ignored on a contingency inject: it goes out when a controller "
                "releases it"
            ),
            "warning",
        )


def _unreachable(
    sc: Scenario, k: int, inject: Inject, info: Reach, reach: dict[str, Reach]
) -> Iterator[Finding]:
    addressed = frozenset(sc.roles_of(inject))
    missing = addressed - info.roles
    if not missing:
        return
    path, why = _why(sc, k, inject, missing, reach)
    if not info.roles:
        yield Finding(path, _("{inject} can never fire: {why}").format(inject=inject.id, why=why))
    elif inject.to != "all" and (missing := missing & set(written_roles(inject.to))):
        # Roles reached only through a team, cell or tag may be nobody's: no warning.
        text = ngettext(
            "team {teams} can never receive {inject}: {why}",
            "teams {teams} can never receive {inject}: {why}",
            len(missing),
        )
        teams = ", ".join(sorted(missing))
        yield Finding(
            ("injects", k, "to"), text.format(teams=teams, inject=inject.id, why=why), "warning"
        )


def _why(
    sc: Scenario, k: int, inject: Inject, missing: frozenset[str], reach: dict[str, Reach]
) -> tuple[Path, str]:
    """Where and why the ``missing`` roles cannot receive the inject."""
    anchor_id: str | None = None
    if inject.after is not None:
        anchor_id = inject.after.anchor_inject
    elif inject.if_no_response is not None:
        anchor_id = split_ref(inject.if_no_response.expectation)[0]
    if anchor_id is not None:
        anchor = reach[anchor_id]
        if not anchor.roles:
            why = _("it follows {anchor}, which never fires").format(anchor=anchor_id)
            return _trigger_path(k, inject), why
        if missing - anchor.roles:
            got = ", ".join(sorted(anchor.roles))
            why = _("it follows {anchor}, which only {roles} receive").format(
                anchor=anchor_id, roles=got
            )
            return _trigger_path(k, inject), why
    if inject.when is not None:
        conditions = Conditions(sc, reach, frozenset(sc.role_ids), _latest(inject, reach))
        conditions.roles(inject.when, ("injects", k, "when"), True)
        if conditions.blame:
            return conditions.blame[0]
        return ("injects", k, "when"), _("its condition tests answers none of these teams give")
    return ("injects", k), _("no team can meet its trigger")


def _latest(inject: Inject, reach: dict[str, Reach]) -> float:
    own = reach.get(inject.id)
    return own.latest if own is not None else math.inf


def _past_end(sc: Scenario, k: int, inject: Inject, info: Reach) -> Iterator[Finding]:
    end = sc.duration
    if is_release_only(inject):
        earliest = 0
    else:
        earliest = info.earliest
        if earliest > end:
            yield Finding(
                _trigger_path(k, inject),
                _(
                    "{inject} fires at {time} at the earliest, after the scenario ends ({end})"
                ).format(
                    inject=inject.id, time=format_duration(earliest), end=format_duration(end)
                ),
            )
            return
        if info.latest != math.inf and info.latest > end:
            yield Finding(
                ("injects", k, "jitter"),
                _(
                    "with its jitter {inject} may fire as late as {time}, after the scenario "
                    "ends ({end})"
                ).format(
                    inject=inject.id,
                    time=format_duration(int(info.latest)),
                    end=format_duration(end),
                ),
                "warning",
            )
    for j, exp in enumerate(inject.expects):
        if exp.due is not None and earliest + exp.due > end:
            yield Finding(
                ("injects", k, "expects", j, "due"),
                _(
                    "the deadline of {ref} falls at {time} at the earliest, after the "
                    "scenario ends ({end})"
                ).format(
                    ref=f"{inject.id}.{exp.id}",
                    time=format_duration(earliest + exp.due),
                    end=format_duration(end),
                ),
            )


def check_flood(sc: Scenario, reach: dict[str, Reach]) -> Iterator[Finding]:
    """Warn where one team gets more than ``settings.flood_threshold`` injects in 10 minutes.

    Counts the injects whose time is fixed in advance (no condition, answer or
    release involved), at their earliest time.
    """
    limit = sc.settings.flood_threshold
    position = {inj.id: k for k, inj in enumerate(sc.injects)}
    per_role: dict[str, list[tuple[int, str]]] = {role: [] for role in sc.role_ids}
    for inj in sc.injects:
        info = reach.get(inj.id)
        if info is None or inj.when is not None or inj.contingency or info.latest == math.inf:
            continue
        if inj.if_no_response is not None:
            continue
        for role in info.roles:
            per_role[role].append((info.earliest, inj.id))
    for role, timed in per_role.items():
        timed.sort()
        start = 0
        end = 0
        while start < len(timed):
            end = max(end, start)
            while end < len(timed) and timed[end][0] < timed[start][0] + TEN_MINUTES:
                end += 1
            count = end - start
            if count > limit:
                first_t, first_id = timed[start]
                yield Finding(
                    ("injects", position[first_id]),
                    _(
                        "team {role} receives {count} injects between {start} and {end} "
                        "(more than {limit} in 10 minutes): spread them out or raise "
                        "settings.flood_threshold"
                    ).format(
                        role=role,
                        count=count,
                        start=format_duration(first_t),
                        end=format_duration(first_t + TEN_MINUTES),
                        limit=limit,
                    ),
                    "warning",
                )
                start = end
            else:
                start += 1
