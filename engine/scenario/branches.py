"""The branch structure of a scenario: which outcome of which inject leads to which inject.

A planner reads a branching scenario as "if the team chooses *deny*, I-03 comes
five minutes later; if nobody answers within 15 minutes, I-15". The engine keeps
that spread over three fields of the *target* inject (its ``after`` or
``if_no_response`` trigger, and its ``when`` condition); this module turns them
around into edges that start at the *source*, worded as a planner would say
them. Pure functions of a :class:`~engine.scenario.Scenario`, so they are tested
without a terminal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from engine.durations import format_at, format_duration
from engine.i18n import N_, _
from engine.scenario.common import split_ref
from engine.scenario.expectations import DecisionExpectation
from engine.scenario.injects import AllOf, AnyOf, Condition, Inject, Not, Test
from engine.scenario.model import Scenario

EdgeKind = Literal[
    "delivered", "answered", "option", "met", "missed", "item", "no-response", "condition"
]


@dataclass(frozen=True, slots=True)
class Edge:
    """One way to reach ``target``: an outcome of ``source`` (an inject, or one of its
    expectations when ``expectation`` is set)."""

    source: str
    expectation: str | None
    """The full reference (``I-01.verify``), or None for the source inject's delivery."""
    kind: EdgeKind
    outcome: str
    """What happened at the source, in words: ``chose deny``, ``no answer by 15m``."""
    target: str
    timing: str
    """When the target follows: ``5m after the answer``."""
    compound: bool = False
    """The target's condition tests more than this outcome (see its full condition)."""
    options: tuple[str, ...] = ()
    """The decision options this edge is taken on (``chose`` tests), for dead-end checks."""


def describe_condition(cond: Condition, positive: bool = True) -> str:
    """A ``when`` condition in words, negations pushed down to the tests; a test of
    another role's answer or of the whole world names whose answer it reads."""
    if isinstance(cond, Test):
        outcome = test_outcome(cond, positive)[1]
        if cond.role is not None or cond.world is not None:
            return _("{outcome} at {ref}").format(outcome=outcome, ref=cond.expectation)
        return _("{ref} {outcome}").format(ref=cond.expectation, outcome=outcome)
    if isinstance(cond, Not):
        return describe_condition(cond.not_, not positive)
    both = isinstance(cond, AllOf) == positive
    parts = cond.all if isinstance(cond, AllOf) else cond.any
    words = []
    for part in parts:
        text = describe_condition(part, positive)
        nested = isinstance(part, (AllOf, AnyOf)) or (
            isinstance(part, Not) and isinstance(part.not_, (AllOf, AnyOf))
        )
        words.append(f"({text})" if nested else text)
    return (_(" and ") if both else _(" or ")).join(words)


def test_outcome(test: Test, positive: bool = True) -> tuple[EdgeKind, str]:
    """The kind and wording of one test (or of its negation), with whose answer it
    reads when that is not the team's own: ``the cell's soc chose tools``, ``no fraud
    team chose share`` (a world test's negation is in its count, not its verb)."""
    subject, positive = _whose(test, positive)
    kind, words = _outcome(test, positive)
    if not subject:
        return kind, words
    return kind, _("{subject} {outcome}").format(subject=subject, outcome=words)


_WORLD = {
    # (world, positive, with a role): the subject's words; {n} a count, {role} a role id
    ("any", True, False): N_("some team"),
    ("any", True, True): N_("some {role} team"),
    ("any", False, False): N_("no team"),
    ("any", False, True): N_("no {role} team"),
    ("all", True, False): N_("every team"),
    ("all", True, True): N_("every {role} team"),
    ("all", False, False): N_("not every team"),
    ("all", False, True): N_("not every {role} team"),
    ("n", True, False): N_("at least {n} teams"),
    ("n", True, True): N_("at least {n} {role} teams"),
    ("n", False, False): N_("fewer than {n} teams"),
    ("n", False, True): N_("fewer than {n} {role} teams"),
}


def _whose(test: Test, positive: bool) -> tuple[str, bool]:
    """The subject of a test's wording, and whether its verb is positive."""
    if test.world is None:
        return (_("the cell's {role}").format(role=test.role) if test.role else ""), positive
    world = test.world if test.world in ("any", "all") else "n"
    words = _(_WORLD[(str(world), positive, test.role is not None)])
    return words.format(role=test.role, n=test.world), True


def _outcome(test: Test, positive: bool) -> tuple[EdgeKind, str]:
    if test.chose is not None:
        options = _(" or ").join(test.options)
        said = _("chose {options}") if positive else _("did not choose {options}")
        return "option", said.format(options=options)
    if test.done is not None:
        said = _("ticked {item}") if positive else _("did not tick {item}")
        return "item", said.format(item=test.done)
    if test.not_done is not None:
        said = _("did not tick {item}") if positive else _("ticked {item}")
        return "item", said.format(item=test.not_done)
    if test.met is not None:
        return "met", _("met") if test.met == positive else _("not met")
    if test.missed is not None:
        return "missed", _("missed its deadline") if test.missed == positive else _("not missed")
    assert test.answered is not None
    return "answered", _("answered") if test.answered == positive else _("not answered")


def _leaves(cond: Condition, positive: bool) -> list[tuple[Test, bool]]:
    if isinstance(cond, Test):
        return [(cond, positive)]
    if isinstance(cond, Not):
        return _leaves(cond.not_, not positive)
    parts = cond.all if isinstance(cond, AllOf) else cond.any
    return [leaf for part in parts for leaf in _leaves(part, positive)]


def is_compound(cond: Condition | None) -> bool:
    """More than one test (``all``/``any``): an edge shows only its own part."""
    if cond is None or isinstance(cond, Test):
        return False
    if isinstance(cond, Not):
        return is_compound(cond.not_)
    return True


def timing(sc: Scenario, inject: Inject) -> str:
    """When an inject fires, in words."""
    if inject.at is not None:
        return _("at {time}").format(time=format_at(inject.at))
    if inject.after is not None:
        delay = _delay(inject.after.delay)
        if inject.after.response is not None:
            return _("{delay} after the answer").format(delay=delay)
        return _("{delay} after delivery").format(delay=delay)
    if inject.if_no_response is not None:
        delay_ms = inject.if_no_response.delay
        ref = inject.if_no_response.expectation
        due = _due(sc, ref)
        at_deadline = (
            _("at the deadline")
            if not delay_ms
            else _("{delay} after the deadline").format(delay=_delay(delay_ms))
        )
        if due is None:
            return at_deadline
        return _("{when} ({due} after delivery)").format(when=at_deadline, due=due)
    return _("when a controller releases it")


def _delay(ms: int) -> str:
    return _("at once") if ms == 0 else format_duration(ms)


def _due(sc: Scenario, ref: str) -> str | None:
    found = sc.expectation_by_ref.get(ref)
    if found is None or found[1].due is None:
        return None
    return format_duration(found[1].due)


def edges_to(sc: Scenario, inject: Inject) -> list[Edge]:
    """Every edge that ends at ``inject``, one per source (inject or expectation)."""
    outcomes: dict[tuple[str, str | None], list[tuple[EdgeKind, str]]] = {}
    if inject.after is not None:
        if inject.after.response is not None:
            ref = inject.after.response
            said = (
                _("the cell's {role} answered").format(role=inject.after.role)
                if inject.after.role
                else _("answered")
            )
            outcomes.setdefault((split_ref(ref)[0], ref), []).append(("answered", said))
        elif inject.after.inject is not None:
            delivered: tuple[EdgeKind, str] = ("delivered", _("delivered"))
            outcomes.setdefault((inject.after.inject, None), []).append(delivered)
    if inject.if_no_response is not None:
        ref = inject.if_no_response.expectation
        due = _due(sc, ref)
        role = inject.if_no_response.role
        if role:
            words = (
                _("no answer from the cell's {role} by the deadline")
                if due is None
                else _("no answer from the cell's {role} by {due}")
            )
        else:
            words = _("no answer by the deadline") if due is None else _("no answer by {due}")
        words = words.format(role=role, due=due)
        outcomes.setdefault((split_ref(ref)[0], ref), []).append(("no-response", words))
    chosen: dict[str, list[str]] = {}
    if inject.when is not None:
        for test, positive in _leaves(inject.when, True):
            ref = test.expectation
            outcomes.setdefault((split_ref(ref)[0], ref), []).append(test_outcome(test, positive))
            if positive:
                chosen.setdefault(ref, []).extend(test.options)
    # "35m after I-13 is delivered, if I-13.holding is not met" is one edge, not two:
    # the delivery is already in the timing.
    conditioned = {source for source, key in outcomes if key is not None}
    compound = is_compound(inject.when)
    when = timing(sc, inject)
    edges = []
    for (source, anchor), found in outcomes.items():
        if anchor is None and source in conditioned:
            continue
        specific = [o for o in found if o[0] != "answered"] or found
        kind = specific[0][0]
        words = _(" and ").join(dict.fromkeys(text for _kind, text in specific))
        options = tuple(dict.fromkeys(chosen.get(anchor, []))) if anchor else ()
        edges.append(Edge(source, anchor, kind, words, inject.id, when, compound, options))
    return edges


def dead_options(sc: Scenario, edges: list[Edge]) -> dict[str, list[str]]:
    """For each decision some branch depends on, the options no branch follows.

    Not a mistake in itself (play continues on the main line), but the place a
    planner looks for a branch they meant to write."""
    used: dict[str, set[str]] = {}
    for edge in edges:
        if edge.expectation is not None and edge.kind == "option":
            used.setdefault(edge.expectation, set()).update(edge.options)
    out: dict[str, list[str]] = {}
    for ref, options in used.items():
        found = sc.expectation_by_ref.get(ref)
        if found is None or not isinstance(found[1], DecisionExpectation):
            continue
        rest = [o.id for o in found[1].options if o.id not in options]
        if rest:
            out[ref] = rest
    return out


def branch_edges(sc: Scenario) -> list[Edge]:
    """Every edge of the scenario, grouped by target in file order."""
    return [edge for inject in sc.injects for edge in edges_to(sc, inject)]


def edges_from(edges: list[Edge], source: str) -> list[Edge]:
    return [e for e in edges if e.source == source]


def held_for_release(sc: Scenario) -> list[str]:
    """Contingency injects no rule releases: only a controller can send them."""
    return [i.id for i in sc.injects if i.contingency and i.if_no_response is None]
