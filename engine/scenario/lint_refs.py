"""Semantic checks on names: duplicate ids and references to things that do not exist.

Each finding carries the document path of the offending value, so the loader can
report it at its line and column like a schema error.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from engine.i18n import N_, _
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
    equal ids); the loader appends its line to the message. ``unknown`` names the
    kind of thing a reference names that does not exist (``"inject"``): data the
    repair reads (:mod:`engine.scenario.repair`), since the message is in the
    planner's language.
    """

    path: Path
    message: str
    severity: Severity = "error"
    first: Path | None = None
    unknown: str = ""


def _hint(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return _(" (did you mean {close!r}?)").format(close=close[0]) if close else ""


_DUPLICATE = {
    "team": N_("duplicate team id {ident!r}"),
    "actor": N_("duplicate actor id {ident!r}"),
    "objective": N_("duplicate objective id {ident!r}"),
    "phase": N_("duplicate phase id {ident!r}"),
    "inject": N_("duplicate inject id {ident!r}"),
    "expectation": N_("duplicate expectation id {ident!r}"),
    "option": N_("duplicate option id {ident!r}"),
    "item": N_("duplicate item id {ident!r}"),
}
"""One message per kind of id: French gives each kind its gender."""


def _duplicates(ids: list[str], base: Path, what: str) -> Iterator[Finding]:
    first: dict[str, int] = {}
    for index, ident in enumerate(ids):
        if ident in first:
            yield Finding(
                (*base, index, "id"),
                _(_DUPLICATE[what]).format(ident=ident),
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
            yield Finding(
                ("teams", i, "id"), _("'all' cannot be a team id: to: all means every team")
            )
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
            text = _("unknown actor {ident!r}{hint}").format(
                ident=inject.from_, hint=_hint(inject.from_, actors)
            )
            if not actors:
                text = _("unknown actor {ident!r}: list the senders under actors").format(
                    ident=inject.from_
                )
            yield Finding((*here, "from"), text)
        if inject.to != "all":
            for k, team in enumerate(inject.to):
                if team == "all" and team not in teams:
                    yield Finding(
                        (*here, "to", k),
                        _("to: all addresses every team, written without brackets (to: all)"),
                    )
                elif ":" not in team and team not in teams:
                    text = _("unknown team {ident!r}{hint}").format(
                        ident=team, hint=_hint(team, teams)
                    )
                    yield Finding((*here, "to", k), text)
        if inject.phase is not None and inject.phase not in phases:
            text = _("unknown phase {ident!r}{hint}").format(
                ident=inject.phase, hint=_hint(inject.phase, phases)
            )
            yield Finding((*here, "phase"), text)
        for j, exp in enumerate(inject.expects):
            if exp.objective is not None and exp.objective not in objectives:
                yield Finding(
                    (*here, "expects", j, "objective"),
                    _("unknown objective {ident!r}{hint}").format(
                        ident=exp.objective, hint=_hint(exp.objective, objectives)
                    ),
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
                text = _("{ref} has no deadline (due), so it can never go unanswered")
                yield Finding(path, text.format(ref=ref))
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
            if close:
                text = _("unknown MITRE ATLAS id {ident!r} (did you mean {close!r}, {name}?)")
                text = text.format(ident=atlas, close=close, name=atlas_name(close))
            else:
                text = _(
                    "unknown MITRE ATLAS id {ident!r}: not a tactic or technique in "
                    "sitroom's catalogue"
                ).format(ident=atlas)
            yield Finding((*base, "atlas", k), text)
    for k, owasp in enumerate(refs.owasp_llm):
        if not is_known_owasp_llm(owasp):
            yield Finding(
                (*base, "owasp_llm", k),
                _("unknown OWASP LLM Top 10 id {ident!r}: the 2025 list is LLM01 … LLM10").format(
                    ident=owasp
                ),
            )


def _inject_ref(sc: Scenario, ident: str, path: Path) -> Iterator[Finding]:
    if ident not in sc.inject_by_id:
        text = _("unknown inject {ident!r}{hint}").format(
            ident=ident, hint=_hint(ident, sc.inject_by_id)
        )
        yield Finding(path, text, unknown="inject")


def _expectation_ref(sc: Scenario, ref: str, path: Path) -> Iterator[Finding]:
    inject_id, exp_id = split_ref(ref)
    inject = sc.inject_by_id.get(inject_id)
    if inject is None:
        text = _("unknown inject {ident!r} in {ref!r}{hint}").format(
            ident=inject_id, ref=ref, hint=_hint(inject_id, sc.inject_by_id)
        )
        yield Finding(path, text, unknown="inject")
    elif ref not in sc.expectation_by_ref:
        known = [e.id for e in inject.expects]
        if known:
            text = _("inject {ident!r} has no expectation {exp!r}{hint}; it expects {known}")
        else:
            text = _("inject {ident!r} has no expectation {exp!r}{hint}; it has no expectations")
        hint = _hint(exp_id, known)
        yield Finding(
            path, text.format(ident=inject_id, exp=exp_id, hint=hint, known=", ".join(known))
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
                _("{ref} is a {kind} expectation, not a decision: test it with {tests}").format(
                    ref=test.expectation, kind=exp.kind, tests=_tests_for(exp.kind)
                ),
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
                    _("{ref} has no option {ident!r}{hint}; options are {known}").format(
                        ref=test.expectation,
                        ident=opt,
                        hint=_hint(opt, options),
                        known=", ".join(options),
                    ),
                )
    for name in ("done", "not_done"):
        item = getattr(test, name)
        if item is None:
            continue
        if not isinstance(exp, ChecklistExpectation):
            yield Finding(
                (*path, name),
                _("{ref} is a {kind} expectation, not a checklist: test it with {tests}").format(
                    ref=test.expectation, kind=exp.kind, tests=_tests_for(exp.kind)
                ),
            )
            continue
        items = [t.id for t in exp.items]
        if item not in items:
            yield Finding(
                (*path, name),
                _("{ref} has no item {ident!r}{hint}; items are {known}").format(
                    ref=test.expectation,
                    ident=item,
                    hint=_hint(item, items),
                    known=", ".join(items),
                ),
            )
    if test.missed is not None and exp.due is None:
        text = _("{ref} has no deadline (due), so it is never missed")
        yield Finding((*path, "missed"), text.format(ref=test.expectation))


def _role_ref(sc: Scenario, role: str, inject_id: str, path: Path) -> Iterator[Finding]:
    """A ``role`` naming the team of a cell whose table is looked at: a scenario role,
    and one that ``inject_id`` is sent to (else no team of it ever has it)."""
    roles = sc.role_ids
    if role not in roles:
        text = _("unknown role {ident!r}{hint}; roles are {known}").format(
            ident=role, hint=_hint(role, roles), known=", ".join(roles)
        )
        yield Finding(path, text)
        return
    sent_to = sc.roles_of(sc.inject_by_id[inject_id])
    if role not in sent_to:
        yield Finding(
            path,
            _(
                "{inject} is not sent to role {role}, so no {role} team ever has it; "
                "it goes to {roles}"
            ).format(inject=inject_id, role=role, roles=", ".join(sent_to)),
        )


def _tests_for(kind: str) -> str:
    if kind == "decision":
        return _("chose, met, answered or missed")
    if kind == "checklist":
        return _("done, not_done, met, answered or missed")
    return _("met, answered or missed")


_NO_POINTS = {
    "decision": ("options", N_("{ref} can earn no points: no option earns more than 0 points")),
    "checklist": ("items", N_("{ref} can earn no points: no item earns more than 0 points")),
    "text": ("points", N_("{ref} can earn no points: its points are 0")),
    "manual": ("max_points", N_("{ref} can earn no points: its max_points is 0")),
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
                    ("injects", i, "expects", j, field), _(why).format(ref=f"{inject.id}.{exp.id}")
                )
    for k, objective in enumerate(sc.objectives):
        if objective.id not in fed:
            yield Finding(
                ("objectives", k, "id"),
                _("no expectation feeds objective {ident!r}: only an evaluator can rate it").format(
                    ident=objective.id
                ),
                "warning",
            )
