"""When each inject can fire and which team roles can receive it, worked out statically.

The lint needs, for every inject, the earliest moment it can fire, the latest
(when that is fixed in advance, up to jitter) and the team roles that can ever
receive it. Answers are assumed to come as early as the rules allow (the instant
after delivery), so an inject found unreachable truly is. Injects are visited in
dependency order (a topological sort), so the analysis is linear in the size of
the scenario; injects caught in a cycle, or waiting on one, are left out.

Conditions (``when``) are read with their polarity: ``not: {answered: false}``
needs an answer just as ``answered: true`` does. A test that needs an answer (or
a missed deadline) restricts the inject to teams that receive the source inject,
in time; a test that only needs something *not* to have happened restricts
nothing.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from engine.durations import format_duration
from engine.i18n import _
from engine.scenario.common import split_ref
from engine.scenario.injects import AllOf, AnyOf, Condition, Inject, Not, Test
from engine.scenario.model import Scenario
from engine.scenario.yamlsrc import Path

Need = Literal["answer", "deadline"] | None


@dataclass(frozen=True, slots=True)
class Reach:
    """What the analysis knows of one inject."""

    earliest: int
    latest: float  # math.inf when the time depends on teams' answers or a release
    roles: frozenset[str]


def dependencies(inject: Inject) -> list[str]:
    """Ids of the injects this one waits on (trigger and conditions), in field order."""
    deps: list[str] = []
    if inject.after is not None:
        deps.append(inject.after.anchor_inject)
    if inject.if_no_response is not None:
        deps.append(split_ref(inject.if_no_response.expectation)[0])
    if inject.when is not None:
        deps.extend(split_ref(t.expectation)[0] for t, _ in tests_with_paths(inject.when, ()))
    return deps


def tests_with_paths(cond: Condition, path: Path) -> Iterator[tuple[Test, Path]]:
    """Every leaf test of a condition with its document path, in document order."""
    stack: list[tuple[Condition, Path]] = [(cond, path)]
    while stack:
        node, here = stack.pop()
        if isinstance(node, Test):
            yield node, here
        elif isinstance(node, AllOf):
            stack.extend((sub, (*here, "all", i)) for i, sub in reversed(list(enumerate(node.all))))
        elif isinstance(node, AnyOf):
            stack.extend((sub, (*here, "any", i)) for i, sub in reversed(list(enumerate(node.any))))
        else:
            stack.append((node.not_, (*here, "not")))


class Graph:
    """Injects and what they wait on; a topological order and the cycles."""

    def __init__(self, sc: Scenario) -> None:
        known = sc.inject_by_id
        self.deps = {i.id: [d for d in dependencies(i) if d in known] for i in sc.injects}
        self.position = {inj.id: k for k, inj in enumerate(sc.injects)}

    def order(self) -> list[str]:
        """Injects whose dependencies all resolve, each after what it waits on (Kahn)."""
        waiting = {i: len(set(d)) for i, d in self.deps.items()}
        users: dict[str, list[str]] = {}
        for ident, deps in self.deps.items():
            for dep in set(deps):
                users.setdefault(dep, []).append(ident)
        ready = deque(i for i, n in waiting.items() if n == 0)
        out: list[str] = []
        while ready:
            ident = ready.popleft()
            out.append(ident)
            for user in users.get(ident, ()):
                waiting[user] -= 1
                if waiting[user] == 0:
                    ready.append(user)
        return out

    def cycles(self) -> list[list[str]]:
        """Groups of injects that wait on each other (Tarjan's strongly connected parts)."""
        graph = self.deps
        index: dict[str, int] = {}
        low: dict[str, int] = {}
        stack: list[str] = []
        on_stack: set[str] = set()
        found: list[list[str]] = []
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
                        found.append(sorted(group, key=self.position.__getitem__))
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
        return found


def analyse(
    sc: Scenario, graph: Graph, roles_of: Callable[[Inject], Iterable[str]] | None = None
) -> dict[str, Reach]:
    """Earliest time, latest fixed time and reachable roles of every inject not in a cycle.

    ``roles_of`` gives the roles an inject is addressed to; by default the scenario's
    (every role for a team, cell or tag), and a roster's roles once it says who they are
    (``engine.roster.address_problems``)."""
    all_roles = frozenset(sc.role_ids)
    result: dict[str, Reach] = {}
    for ident in graph.order():
        result[ident] = reach_of(sc, sc.inject_by_id[ident], result, all_roles, roles_of)
    return result


def reach_of(
    sc: Scenario,
    inject: Inject,
    known: dict[str, Reach],
    all_roles: frozenset[str],
    roles_of: Callable[[Inject], Iterable[str]] | None = None,
) -> Reach:
    roles = frozenset((roles_of or sc.roles_of)(inject)) & all_roles
    earliest: int
    latest: float
    if inject.at is not None:
        earliest, latest = inject.at, float(inject.at)
    elif inject.after is not None:
        anchor = known[inject.after.anchor_inject]
        earliest = anchor.earliest + inject.after.delay
        latest = anchor.latest + inject.after.delay if inject.after.inject else math.inf
        roles = _through(roles, anchor, inject.after.role)
    elif inject.if_no_response is not None:
        ref = inject.if_no_response.expectation
        anchor = known[split_ref(ref)[0]]
        due = sc.expectation(ref).due or 0
        earliest = anchor.earliest + due + inject.if_no_response.delay
        latest = anchor.latest + due + inject.if_no_response.delay
        roles = _through(roles, anchor, inject.if_no_response.role)
    else:
        earliest, latest = 0, math.inf
    if inject.contingency:
        earliest, latest = 0, math.inf
    latest += inject.jitter
    if inject.when is not None and not is_release_only(inject):
        roles &= Conditions(sc, known, all_roles, latest).roles(inject.when, (), True)
    return Reach(earliest, latest, roles)


def _through(roles: frozenset[str], anchor: Reach, role: str | None) -> frozenset[str]:
    """The roles an anchored inject can reach: those its anchor reaches; with ``role``
    (the anchor is that role's team in the same cell), all of them, if the anchor
    reaches that role."""
    if role is None:
        return roles & anchor.roles
    return roles if role in anchor.roles else frozenset()


def is_release_only(inject: Inject) -> bool:
    """A contingency inject with no rule to release it: only a controller can."""
    return inject.contingency and inject.if_no_response is None


class Conditions:
    """Which roles can satisfy a condition by the time its inject fires, and why not.

    ``blame`` collects (path, reason) for each part of the condition that no role
    can satisfy, in document order, so a message can point at the culprit.
    """

    def __init__(
        self, sc: Scenario, known: dict[str, Reach], all_roles: frozenset[str], fire_by: float
    ) -> None:
        self.sc = sc
        self.known = known
        self.all_roles = all_roles
        self.fire_by = fire_by
        self.blame: list[tuple[Path, str]] = []

    def roles(self, cond: Condition, path: Path, positive: bool) -> frozenset[str]:
        if isinstance(cond, Test):
            return self._test(cond, path, positive)
        if isinstance(cond, Not):
            return self.roles(cond.not_, (*path, "not"), not positive)
        if isinstance(cond, AllOf):
            parts, key, conjunction = cond.all, "all", positive
        else:
            parts, key, conjunction = cond.any, "any", not positive
        found = [self.roles(sub, (*path, key, i), positive) for i, sub in enumerate(parts)]
        if conjunction:
            clash = contradiction(self.sc, parts, positive)
            if clash is not None:
                self.blame.append((path, clash))
                return frozenset()
            roles = self.all_roles
            for part in found:
                roles &= part
            return roles
        union: frozenset[str] = frozenset()
        for part in found:
            union |= part
        return union

    def _test(self, test: Test, path: Path, positive: bool) -> frozenset[str]:
        need = requirement(test, positive)
        if need is None:
            return self.all_roles
        ref = test.expectation
        source_id = split_ref(ref)[0]
        source = self.known.get(source_id)
        if source is None or ref not in self.sc.expectation_by_ref:
            return frozenset()
        if not source.roles:
            why = _("its condition tests {ref}, but {source} never fires")
            self.blame.append((path, why.format(ref=ref, source=source_id)))
            return frozenset()
        if need == "answer" and source.earliest >= self.fire_by:
            self.blame.append(
                (
                    path,
                    _(
                        "its condition needs an answer to {ref}, but {source} arrives at "
                        "{time} at the earliest, {when}"
                    ).format(
                        ref=ref,
                        source=source_id,
                        time=format_duration(source.earliest),
                        when=_when_fired(source.earliest, self.fire_by),
                    ),
                )
            )
            return frozenset()
        due = self.sc.expectation(ref).due or 0
        if need == "deadline" and source.earliest + due > self.fire_by:
            self.blame.append(
                (
                    path,
                    _(
                        "its condition needs {ref} missed, but that deadline passes at "
                        "{time} at the earliest, {when}"
                    ).format(
                        ref=ref,
                        time=format_duration(source.earliest + due),
                        when=_when_fired(source.earliest + due, self.fire_by),
                    ),
                )
            )
            return frozenset()
        if test.role is None and test.world is None:
            return source.roles
        # Another role's answer in the team's own cell, or the world's answers: any
        # role can be told of them, if the source reaches the role tested at all.
        if test.role is not None and test.role not in source.roles:
            self.blame.append(
                (
                    path,
                    _(
                        "its condition tests {role}'s answer to {ref}, but {source} never "
                        "reaches {role}"
                    ).format(role=test.role, ref=ref, source=source_id),
                )
            )
            return frozenset()
        return self.all_roles


def _when_fired(needed: int, fire_by: float) -> str:
    fired = format_duration(int(fire_by))
    if needed == fire_by:
        return _("the very moment this inject fires ({time}): too late to answer").format(
            time=fired
        )
    return _("after this inject fires ({time} at the latest)").format(time=fired)


def requirement(test: Test, positive: bool) -> Need:
    """What must have happened for the test (or, if not ``positive``, its negation) to hold."""
    if test.chose is not None or test.done is not None:
        return "answer" if positive else None
    if test.not_done is not None:
        return None if positive else "answer"
    if test.answered is not None:
        return "answer" if test.answered == positive else None
    if test.met is not None:
        return "answer" if test.met == positive else None
    if test.missed is not None:
        return "deadline" if test.missed == positive else None
    return None


def contradiction(sc: Scenario, parts: list[Condition], positive: bool) -> str | None:
    """Why tests that must all hold together cannot (``its condition needs …``), or None.

    Looks at the plain tests (and negated tests) directly in the group: two
    different options of one decision, an item both done and not done, the same
    test both true and false, or an answer's content with no answer.
    """
    chosen: dict[str, set[str]] = {}
    refused: dict[str, set[str]] = {}
    flags: dict[tuple[str, str], set[bool]] = {}
    items: dict[tuple[str, str], set[bool]] = {}
    for part in parts:
        pol = positive
        if isinstance(part, Not):
            part, pol = part.not_, not positive
        if not isinstance(part, Test):
            continue
        # Tests of another role's answer are about another team: no clash with the own.
        ref = part.expectation
        if part.role is not None or part.world is not None:
            ref = _whose_answer(part)
        if part.chose is not None:
            if pol:
                prior = chosen.get(ref)
                chosen[ref] = set(part.options) if prior is None else prior & set(part.options)
            else:
                refused.setdefault(ref, set()).update(part.options)
        for name in ("answered", "missed", "met"):
            value = getattr(part, name)
            if value is not None:
                flags.setdefault((ref, name), set()).add(value == pol)
        if part.done is not None:
            items.setdefault((ref, part.done), set()).add(pol)
        if part.not_done is not None:
            items.setdefault((ref, part.not_done), set()).add(not pol)
    for ref, options in chosen.items():
        if not options - refused.get(ref, set()):
            return _("its condition needs one answer to {ref} to be two different options").format(
                ref=ref
            )
    for (ref, name), values in flags.items():
        if len(values) == 2:
            return _("its condition needs {ref} to be both {name} and not {name}").format(
                ref=ref, name=name
            )
    for (ref, item), values in items.items():
        if len(values) == 2:
            return _("its condition needs item {item} of {ref} both done and not done").format(
                item=item, ref=ref
            )
    for (ref, name), values in flags.items():
        if name != "answered" or values != {False} or ref not in sc.expectation_by_ref:
            continue
        content = ref in chosen or any(r == ref and True in v for (r, _), v in items.items())
        if content and sc.expectation(ref).answer_by == "any":
            return _("its condition needs {ref} unanswered and answered at once").format(ref=ref)
    return None


def _whose_answer(test: Test) -> str:
    """Another team's answer, as a condition tests it: ``the legal's I-01.call`` (the team
    of a role in the cell), ``any team's I-01.call``, ``all soc's I-01.call``."""
    if test.world is None:
        return _("the {role}'s {ref}").format(role=test.role, ref=test.expectation)
    if test.role is None:
        return _("{world} team's {ref}").format(world=test.world, ref=test.expectation)
    return _("{world} {role}'s {ref}").format(
        world=test.world, role=test.role, ref=test.expectation
    )
