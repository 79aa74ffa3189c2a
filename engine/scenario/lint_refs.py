"""Semantic checks on names: duplicate ids and references to things that do not exist.

Each finding carries the document path of the offending value, so the loader can
report it at its line and column like a schema error.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from engine.problems import Severity
from engine.scenario.catalog import atlas_name, closest_atlas, is_known_atlas, is_known_owasp_llm
from engine.scenario.common import References, split_ref
from engine.scenario.expectations import (
    AnyExpectation,
    ChecklistExpectation,
    DecisionExpectation,
)
from engine.scenario.injects import AllOf, AnyOf, Condition, Not, Test
from engine.scenario.model import Scenario
from engine.scenario.yamlsrc import Path


@dataclass(frozen=True, slots=True)
class Finding:
    """One semantic problem at a document path.

    ``first`` names the place of an earlier, conflicting value (the first of two
    equal ids); the loader appends its line to the message.
    """

    path: Path
    message: str
    severity: Severity = "error"
    first: Path | None = None


def _hint(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _duplicates(ids: list[str], base: Path, what: str) -> Iterator[Finding]:
    first: dict[str, int] = {}
    for index, ident in enumerate(ids):
        if ident in first:
            yield Finding(
                (*base, index, "id"),
                f"duplicate {what} id {ident!r}",
                first=(*base, first[ident], "id"),
            )
        else:
            first[ident] = index


def check_ids(sc: Scenario) -> Iterator[Finding]:
    """Ids are unique in their list; ``all`` is reserved for addressing every team."""
    yield from _duplicates([t.id for t in sc.teams], ("teams",), "team")
    yield from _duplicates([a.id for a in sc.actors], ("actors",), "actor")
    yield from _duplicates([o.id for o in sc.objectives], ("objectives",), "objective")
    yield from _duplicates([p.id for p in sc.phases], ("phases",), "phase")
    yield from _duplicates([i.id for i in sc.injects], ("injects",), "inject")
    for i, team in enumerate(sc.teams):
        if team.id == "all":
            yield Finding(("teams", i, "id"), "'all' cannot be a team id: to: all means every team")
    for i, inject in enumerate(sc.injects):
        base: Path = ("injects", i, "expects")
        yield from _duplicates([e.id for e in inject.expects], base, "expectation")
        for j, exp in enumerate(inject.expects):
            if isinstance(exp, DecisionExpectation):
                yield from _duplicates([o.id for o in exp.options], (*base, j, "options"), "option")
            elif isinstance(exp, ChecklistExpectation):
                yield from _duplicates([t.id for t in exp.items], (*base, j, "items"), "item")


def check_references(sc: Scenario) -> Iterator[Finding]:
    """Every id an inject or expectation names must exist, of the right kind."""
    teams = set(sc.role_ids)
    actors = set(sc.actor_by_id)
    phases = {p.id for p in sc.phases}
    objectives = set(sc.objective_by_id)
    for i, inject in enumerate(sc.injects):
        here: Path = ("injects", i)
        if inject.from_ not in actors:
            yield Finding(
                (*here, "from"),
                f"unknown actor {inject.from_!r}{_hint(inject.from_, actors)}"
                f"{'' if actors else ': list the senders under actors'}",
            )
        if inject.to != "all":
            for k, team in enumerate(inject.to):
                if team == "all" and team not in teams:
                    yield Finding(
                        (*here, "to", k),
                        "to: all addresses every team, written without brackets (to: all)",
                    )
                elif ":" not in team and team not in teams:
                    yield Finding((*here, "to", k), f"unknown team {team!r}{_hint(team, teams)}")
        if inject.phase is not None and inject.phase not in phases:
            yield Finding(
                (*here, "phase"), f"unknown phase {inject.phase!r}{_hint(inject.phase, phases)}"
            )
        for j, exp in enumerate(inject.expects):
            if exp.objective is not None and exp.objective not in objectives:
                yield Finding(
                    (*here, "expects", j, "objective"),
                    f"unknown objective {exp.objective!r}{_hint(exp.objective, objectives)}",
                )
        if inject.after is not None:
            found = []
            if inject.after.inject is not None:
                found = list(_inject_ref(sc, inject.after.inject, (*here, "after", "inject")))
            if inject.after.response is not None:
                where = (*here, "after", "response")
                found = list(_expectation_ref(sc, inject.after.response, where))
            yield from found
            if not found and inject.after.role is not None:
                anchor = inject.after.anchor_inject
                yield from _role_ref(sc, inject.after.role, anchor, (*here, "after", "role"))
        if inject.if_no_response is not None:
            ref = inject.if_no_response.expectation
            path: Path = (*here, "if_no_response", "expectation")
            found = list(_expectation_ref(sc, ref, path))
            yield from found
            if not found and sc.expectation(ref).due is None:
                yield Finding(path, f"{ref} has no deadline (due), so it can never go unanswered")
            if not found and inject.if_no_response.role is not None:
                yield from _role_ref(
                    sc,
                    inject.if_no_response.role,
                    ref.partition(".")[0],
                    (*here, "if_no_response", "role"),
                )
        if inject.when is not None:
            yield from _condition_refs(sc, inject.when, (*here, "when"))


def check_catalog(sc: Scenario) -> Iterator[Finding]:
    """Every cited threat id is one the catalogue lists (``engine/scenario/catalog.yaml``).

    The schema only checks an id's shape; ``AML.T9999`` has the shape of a real
    technique, and a report citing it would send its readers nowhere.
    """
    yield from _cited(sc.references, ("references",))
    for i, inject in enumerate(sc.injects):
        yield from _cited(inject.references, ("injects", i, "references"))


def _cited(refs: References, base: Path) -> Iterator[Finding]:
    for k, atlas in enumerate(refs.atlas):
        if not is_known_atlas(atlas):
            close = closest_atlas(atlas)
            why = (
                f" (did you mean {close!r}, {atlas_name(close)}?)"
                if close
                else ": not a tactic or technique in sitroom's catalogue"
            )
            yield Finding((*base, "atlas", k), f"unknown MITRE ATLAS id {atlas!r}{why}")
    for k, owasp in enumerate(refs.owasp_llm):
        if not is_known_owasp_llm(owasp):
            yield Finding(
                (*base, "owasp_llm", k),
                f"unknown OWASP LLM Top 10 id {owasp!r}: the 2025 list is LLM01 … LLM10",
            )


def _inject_ref(sc: Scenario, ident: str, path: Path) -> Iterator[Finding]:
    if ident not in sc.inject_by_id:
        yield Finding(path, f"unknown inject {ident!r}{_hint(ident, sc.inject_by_id)}")


def _expectation_ref(sc: Scenario, ref: str, path: Path) -> Iterator[Finding]:
    inject_id, exp_id = split_ref(ref)
    inject = sc.inject_by_id.get(inject_id)
    if inject is None:
        yield Finding(
            path, f"unknown inject {inject_id!r} in {ref!r}{_hint(inject_id, sc.inject_by_id)}"
        )
    elif ref not in sc.expectation_by_ref:
        known = [e.id for e in inject.expects]
        where = f"; it expects {', '.join(known)}" if known else "; it has no expectations"
        yield Finding(
            path, f"inject {inject_id!r} has no expectation {exp_id!r}{_hint(exp_id, known)}{where}"
        )


def _condition_refs(sc: Scenario, cond: Condition, path: Path) -> Iterator[Finding]:
    if isinstance(cond, AllOf):
        for k, sub in enumerate(cond.all):
            yield from _condition_refs(sc, sub, (*path, "all", k))
    elif isinstance(cond, AnyOf):
        for k, sub in enumerate(cond.any):
            yield from _condition_refs(sc, sub, (*path, "any", k))
    elif isinstance(cond, Not):
        yield from _condition_refs(sc, cond.not_, (*path, "not"))
    else:
        yield from _test_refs(sc, cond, path)


def _test_refs(sc: Scenario, test: Test, path: Path) -> Iterator[Finding]:
    found = list(_expectation_ref(sc, test.expectation, (*path, "expectation")))
    if found:
        yield from found
        return
    exp: AnyExpectation = sc.expectation(test.expectation)
    if test.role is not None:
        bad = list(_role_ref(sc, test.role, test.expectation.partition(".")[0], (*path, "role")))
        if bad:
            yield from bad
            return
    if test.chose is not None:
        if not isinstance(exp, DecisionExpectation):
            yield Finding(
                (*path, "chose"),
                f"{test.expectation} is a {exp.kind} expectation, not a decision: "
                f"test it with {_tests_for(exp.kind)}",
            )
            return
        options = [o.id for o in exp.options]
        chosen = [test.chose] if isinstance(test.chose, str) else list(test.chose)
        for k, opt in enumerate(chosen):
            if opt not in options:
                where: Path = (
                    (*path, "chose") if isinstance(test.chose, str) else (*path, "chose", k)
                )
                yield Finding(
                    where,
                    f"{test.expectation} has no option {opt!r}"
                    f"{_hint(opt, options)}; options are {', '.join(options)}",
                )
    for name in ("done", "not_done"):
        item = getattr(test, name)
        if item is None:
            continue
        if not isinstance(exp, ChecklistExpectation):
            yield Finding(
                (*path, name),
                f"{test.expectation} is a {exp.kind} expectation, not a checklist: "
                f"test it with {_tests_for(exp.kind)}",
            )
            continue
        items = [t.id for t in exp.items]
        if item not in items:
            yield Finding(
                (*path, name),
                f"{test.expectation} has no item {item!r}"
                f"{_hint(item, items)}; items are {', '.join(items)}",
            )
    if test.missed is not None and exp.due is None:
        yield Finding(
            (*path, "missed"), f"{test.expectation} has no deadline (due), so it is never missed"
        )


def _role_ref(sc: Scenario, role: str, inject_id: str, path: Path) -> Iterator[Finding]:
    """A ``role`` naming the team of a cell whose table is looked at: a scenario role,
    and one that ``inject_id`` is sent to (else no team of it ever has it)."""
    roles = sc.role_ids
    if role not in roles:
        yield Finding(
            path, f"unknown role {role!r}{_hint(role, roles)}; roles are {', '.join(roles)}"
        )
        return
    sent_to = sc.roles_of(sc.inject_by_id[inject_id])
    if role not in sent_to:
        yield Finding(
            path,
            f"{inject_id} is not sent to role {role}, so no {role} team ever has it; "
            f"it goes to {', '.join(sent_to)}",
        )


def _tests_for(kind: str) -> str:
    if kind == "decision":
        return "chose, met, answered or missed"
    if kind == "checklist":
        return "done, not_done, met, answered or missed"
    return "met, answered or missed"


_NO_POINTS = {
    "decision": ("options", "no option earns more than 0 points"),
    "checklist": ("items", "no item earns more than 0 points"),
    "text": ("points", "its points are 0"),
    "manual": ("max_points", "its max_points is 0"),
}


def check_points(sc: Scenario) -> Iterator[Finding]:
    """Every expectation can earn points; every objective is fed by some expectation."""
    fed: set[str] = set()
    for i, inject in enumerate(sc.injects):
        for j, exp in enumerate(inject.expects):
            if exp.objective is not None:
                fed.add(exp.objective)
            if exp.max_points() <= 0:
                field, why = _NO_POINTS[exp.kind]
                yield Finding(
                    ("injects", i, "expects", j, field),
                    f"{inject.id}.{exp.id} can earn no points: {why}",
                )
    for k, objective in enumerate(sc.objectives):
        if objective.id not in fed:
            yield Finding(
                ("objectives", k, "id"),
                f"no expectation feeds objective {objective.id!r}: only an evaluator can rate it",
                "warning",
            )
