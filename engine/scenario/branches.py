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
        if cond.role is not None or cond.world is not None:
            return f"{test_outcome(cond, positive)[1]} at {cond.expectation}"
        return f"{cond.expectation} {test_outcome(cond, positive)[1]}"
    if isinstance(cond, Not):
        return describe_condition(cond.not_, not positive)
    parts, joiner = (cond.all, "and") if isinstance(cond, AllOf) else (cond.any, "or")
    if not positive:
        joiner = "or" if joiner == "and" else "and"
    words = []
    for part in parts:
        text = describe_condition(part, positive)
        nested = isinstance(part, (AllOf, AnyOf)) or (
            isinstance(part, Not) and isinstance(part.not_, (AllOf, AnyOf))
        )
        words.append(f"({text})" if nested else text)
    return f" {joiner} ".join(words)


def test_outcome(test: Test, positive: bool = True) -> tuple[EdgeKind, str]:
    """The kind and wording of one test (or of its negation), with whose answer it
    reads when that is not the team's own: ``the cell's soc chose tools``, ``no fraud
    team chose share`` (a world test's negation is in its count, not its verb)."""
    subject, positive = _whose(test, positive)
    kind, words = _outcome(test, positive)
    return kind, f"{subject} {words}" if subject else words


def _whose(test: Test, positive: bool) -> tuple[str, bool]:
    """The subject of a test's wording, and whether its verb is positive."""
    if test.world is None:
        return (f"the cell's {test.role}" if test.role else ""), positive
    of = f"{test.role} " if test.role else ""
    if test.world == "any":
        return (f"some {of}team" if positive else f"no {of}team"), True
    if test.world == "all":
        return (f"every {of}team" if positive else f"not every {of}team"), True
    n = test.world
    return (f"at least {n} {of}teams" if positive else f"fewer than {n} {of}teams"), True


def _outcome(test: Test, positive: bool) -> tuple[EdgeKind, str]:
    if test.chose is not None:
        options = " or ".join(test.options)
        return "option", f"chose {options}" if positive else f"did not choose {options}"
    if test.done is not None:
        return "item", f"ticked {test.done}" if positive else f"did not tick {test.done}"
    if test.not_done is not None:
        return "item", f"did not tick {test.not_done}" if positive else f"ticked {test.not_done}"
    if test.met is not None:
        return "met", "met" if test.met == positive else "not met"
    if test.missed is not None:
        return "missed", "missed its deadline" if test.missed == positive else "not missed"
    assert test.answered is not None
    return "answered", "answered" if test.answered == positive else "not answered"


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
        return f"at {format_at(inject.at)}"
    if inject.after is not None:
        delay = inject.after.delay
        anchor = "the answer" if inject.after.response is not None else "delivery"
        return f"{_delay(delay)} after {anchor}"
    if inject.if_no_response is not None:
        delay = inject.if_no_response.delay
        ref = inject.if_no_response.expectation
        due = _due(sc, ref)
        at_deadline = "at the deadline" if not delay else f"{_delay(delay)} after the deadline"
        return at_deadline if due is None else f"{at_deadline} ({due} after delivery)"
    return "when a controller releases it"


def _delay(ms: int) -> str:
    return "at once" if ms == 0 else format_duration(ms)


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
            who = f"the cell's {inject.after.role} " if inject.after.role else ""
            outcomes.setdefault((split_ref(ref)[0], ref), []).append(("answered", f"{who}answered"))
        elif inject.after.inject is not None:
            outcomes.setdefault((inject.after.inject, None), []).append(("delivered", "delivered"))
    if inject.if_no_response is not None:
        ref = inject.if_no_response.expectation
        due = _due(sc, ref)
        words = "no answer" + (
            f" from the cell's {inject.if_no_response.role}" if inject.if_no_response.role else ""
        )
        words += " by the deadline" if due is None else f" by {due}"
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
        words = " and ".join(dict.fromkeys(text for _, text in specific))
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
