"""What a team reads of a scenario, and what every team of a role was surely told by the
time an inject reaches it, for the tests that check a rubric asks only for what the story
told (test_told_first, test_evaluator_notes; test_told_first's docstring says how "surely"
is worked out)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from engine.scenario import Scenario
from engine.scenario.address import parse_to
from engine.scenario.expectations import ChecklistExpectation, DecisionExpectation
from engine.scenario.injects import AllOf, AnyOf, Condition, Inject, Not
from engine.scenario.injects import Test as WhenTest
from engine.scenario.reach import Graph, Reach, analyse


def shown(inject: Inject) -> str:
    """Everything a team reads in an inject: title, body, attachments, and its
    expectations' prompts, options and checklist items."""
    texts = [inject.title, inject.body]
    texts += [f"{a.name} {a.text} {a.content or ''}" for a in inject.attachments]
    for exp in inject.expects:
        texts.append(exp.prompt)
        if isinstance(exp, DecisionExpectation):
            texts += [o.label for o in exp.options]
        if isinstance(exp, ChecklistExpectation):
            texts += [i.label for i in exp.items]
    return " ".join(texts)


Held = tuple[str, bool]
"""A test of a ``when`` (as JSON) and whether it holds."""


def literal(test: WhenTest, holds: bool) -> Held:
    return test.model_dump_json(exclude_none=True), holds


@dataclass
class History:
    """What is sure of a team an inject reaches: the injects it received on the way
    (with the least time from each anchor to this inject) and the tests that hold."""

    received: set[str] = field(default_factory=set)
    anchors: dict[tuple[str, str], int] = field(default_factory=dict)
    holds: set[Held] = field(default_factory=set)


def anchor_of(inject: Inject) -> tuple[tuple[str, str], int] | None:
    """An inject's own-team anchor (kind, id) and its delay: None when it fires at a fixed
    time, on a release, or off another role's table."""
    if inject.after is not None and inject.after.role is None:
        if inject.after.response is not None:
            return ("answer", inject.after.response), inject.after.delay
        return ("delivery", inject.after.anchor_inject), inject.after.delay
    if inject.if_no_response is not None and inject.if_no_response.role is None:
        return ("missed", inject.if_no_response.expectation), inject.if_no_response.delay
    return None


def own_tests(cond: Condition) -> list[Held]:
    """The tests a condition's holding makes sure of (those of a conjunction)."""
    if isinstance(cond, WhenTest):
        return [literal(cond, True)]
    if isinstance(cond, Not) and isinstance(cond.not_, WhenTest):
        return [literal(cond.not_, False)]
    if isinstance(cond, AllOf):
        return [lit for part in cond.all for lit in own_tests(part)]
    return []


def needs_answer(test: WhenTest) -> bool:
    """A test of the team's own answer that holds only if the team received its inject."""
    return (
        test.role is None
        and test.world is None
        and (
            test.chose is not None
            or test.done is not None
            or test.answered is True
            or test.met is True
            or test.missed is True
        )
    )


def history(sc: Scenario, ident: str) -> History:
    inject = sc.inject_by_id[ident]
    found = History(received={ident})
    anchor = anchor_of(inject)
    if anchor is not None:
        (kind, ref), delay = anchor
        source = ref.partition(".")[0]
        before = history(sc, source)
        found.received |= before.received
        found.holds |= before.holds
        found.anchors = {key: wait + delay for key, wait in before.anchors.items()}
        found.anchors[(kind, ref)] = delay
        found.anchors[("delivery", source)] = delay
        if kind == "missed":
            found.holds.add(literal(WhenTest(expectation=ref, missed=True), True))
    if inject.when is not None:
        for test_json, holds in own_tests(inject.when):
            found.holds.add((test_json, holds))
            test = WhenTest.model_validate_json(test_json)
            if holds and needs_answer(test):
                found.received |= history(sc, test.expectation.partition(".")[0]).received
    return found


def implied(cond: Condition, holds: set[Held]) -> bool | None:
    """True when ``cond`` follows from ``holds``, False when its negation does, else None."""
    if isinstance(cond, WhenTest):
        if literal(cond, True) in holds:
            return True
        return False if literal(cond, False) in holds else None
    if isinstance(cond, Not):
        inner = implied(cond.not_, holds)
        return None if inner is None else not inner
    parts = [implied(part, holds) for part in (cond.all if isinstance(cond, AllOf) else cond.any)]
    if isinstance(cond, AllOf):
        return False if False in parts else (True if all(parts) else None)
    assert isinstance(cond, AnyOf)
    return True if True in parts else (False if all(p is False for p in parts) else None)


def addressed(sc: Scenario, inject: Inject, role: str) -> bool:
    """Whether every team of ``role`` is in the inject's ``to``."""
    addresses = parse_to(inject.to)
    if addresses is None:
        return True
    tags = sc.role_tags[role]
    return any(
        (a.kind == "role" and a.name == role) or (a.kind == "tag" and a.name in tags)
        for a in addresses
    )


def in_time(
    sc: Scenario, reach: dict[str, Reach], inject: Inject, target: History, by: int
) -> bool:
    """Whether ``inject`` fires no later than the target, whatever the answers' times."""
    known = reach.get(inject.id)
    if known is not None and known.latest <= by:
        return True
    anchor = anchor_of(inject)
    if anchor is None:
        return False
    key, delay = anchor
    return key in target.anchors and delay + inject.jitter <= target.anchors[key]


@dataclass
class Told:
    """What every team of a role was shown when an inject reached it: text it saw on
    every branch, and pairs of texts of which it saw one or the other."""

    sure: str
    either: list[tuple[str, str]]

    def has(self, found: Callable[[str], bool]) -> bool:
        return found(self.sure) or any(found(a) and found(b) for a, b in self.either)


def told(sc: Scenario, ident: str, role: str) -> Told:
    reach = analyse(sc, Graph(sc))
    by = reach[ident].earliest
    team = next(t for t in sc.teams if t.id == role)
    mine = history(sc, ident)
    sure = [sc.title, sc.briefing, team.briefing]
    open_: list[Inject] = []
    for inject in sc.injects:
        if inject.id in mine.received:
            sure.append(shown(inject))
            continue
        if inject.contingency or not addressed(sc, inject, role):
            continue
        if not in_time(sc, reach, inject, mine, by):
            continue
        missed = inject.if_no_response
        if missed is not None and (
            missed.role is not None
            or literal(WhenTest(expectation=missed.expectation, missed=True), True)
            not in mine.holds
        ):
            continue  # it fires only where the answer was missed
        cond = None if inject.when is None else implied(inject.when, mine.holds)
        if inject.when is None or cond is True:
            sure.append(shown(inject))
        elif cond is None:
            open_.append(inject)
    either = [
        (shown(inject), shown(other))
        for inject in open_
        for other in open_
        if isinstance(other.when, Not)
        and other.when.not_ == inject.when
        and (other.at, other.after, other.jitter) == (inject.at, inject.after, inject.jitter)
    ]
    return Told(" ".join(sure), either)
