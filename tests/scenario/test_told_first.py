"""A text rubric asks a team only for the facts its story told it first.

A required element that needs a number, an address, a time, a date or a phone number
(every keyword of it holds a digit, its pattern holds a digit of its own, or its label
names one) can be earned only by a team that was told that fact. Each such fact must be
in what every team answering the element was shown by then, on every branch: the
scenario's title and briefing, its role's briefing, the inject's own text, and the
injects that surely reached it before, worked out from the injects' triggers and
conditions through the public model (``engine.scenario``) and the static reach analysis
(``engine.scenario.reach``). A team that receives an inject has received what it waits
on, and holds the answers its ``when`` tests; an inject reaches it surely before when
its role is addressed, its trigger is fixed no later than the inject's earliest time (or
runs off the same anchor with no more delay), and its condition follows from those
answers. Where a cell's teams get one of two complementary injects (``when: C`` and
``when: {not: C}``), a fact both tell counts as told.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest

from engine.grading import normalise
from engine.scenario import Scenario, load_file
from engine.scenario.address import parse_to
from engine.scenario.expectations import (
    Term,
    TextExpectation,
)
from engine.scenario.injects import AllOf, AnyOf, Condition, Inject, Not
from engine.scenario.injects import Test as WhenTest
from engine.scenario.load import load_bytes
from engine.scenario.reach import Graph, Reach, analyse
from tests.scenario.story import shown

LIBRARY = Path(__file__).resolve().parents[2] / "scenarios"
SCENARIOS = sorted(LIBRARY.glob("*.yaml"))

EXCEPTIONS: dict[tuple[str, str, str], str] = {
    # (scenario, INJECT.EXPECTATION, the fact as reported): why it stands.
    ("agent-excessive-agency", "XA-47.advisory", "24"): (
        "24 September is 'last night' (XA-17: tidycloud-mcp 3.1.0 'published at 23:48 last "
        "night'; the story clock reads 25 September); the element takes 'audit logs'"
    ),
    ("election-disinfo", "ED-07.catchup", "29"): (
        "29 June is the 'Sunday' of the briefing's 'Sunday's legislative elections' (the "
        "story clock opens on Friday 27 June); the element takes 'Sunday'"
    ),
    ("election-disinfo", "ED-14.publicalert", "29"): (
        "as ED-07: the vote is the briefing's Sunday, 29 June on the story clock"
    ),
}

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


# ------------------------------------------------------------------ what an element needs

LABEL_FACT = re.compile(r"(?<![\w.:,-])\d[\w.:,-]*")
"""A word of a label that begins with a digit: a count, a time, an address, a date's day,
a version, a hash (not a name that holds one, such as SHA-256 or Meridian-5)."""
LITERAL_DIGIT = re.compile(r"\\[dDwWsSbB]|\{\d+(?:,\d*)?\}|\\\d|(\d)")
"""In a pattern: a class, a repeat count or a back-reference (group 1 empty), or a digit of
its own (group 1)."""

Found = Callable[[str], bool]


def label_facts(label: str) -> list[str]:
    return [w.rstrip(".,:-") for w in LABEL_FACT.findall(label)]


def pattern_digits(pattern: str) -> tuple[bool, bool]:
    """Whether a pattern holds a digit of its own, and whether it takes any digit."""
    found = [m.group(1) for m in LITERAL_DIGIT.finditer(pattern)]
    return any(found), r"\d" in pattern


def phrase_in(phrase: str) -> Found:
    wanted = normalise(phrase)
    return lambda text: wanted in normalise(text)


def needed(term: str | Term) -> list[tuple[str, Found]]:
    """Each fact a required element needs: (how a report names it, a test on a text).

    A phrase or every synonym holding a digit needs one of them told; a pattern with a
    digit of its own needs a text it matches; a label names its facts, unless the
    element takes any figure (its pattern takes any digit and holds none of its own:
    a time the team sets itself, which the label only illustrates)."""
    if isinstance(term, str):
        return [(term, phrase_in(term))] if re.search(r"\d", term) else []
    out: list[tuple[str, Found]] = []
    digits = [w for w in term.any if re.search(r"\d", w)]
    if digits and len(digits) == len(term.any):
        wanted = [normalise(w) for w in digits]
        out.append((" | ".join(digits), lambda text: any(w in normalise(text) for w in wanted)))
    if term.pattern is not None:
        own, any_digit = pattern_digits(term.pattern)
        if own:
            regex = re.compile(term.pattern, re.IGNORECASE)
            out.append((f"/{term.pattern}/", lambda text: regex.search(text) is not None))
        elif any_digit:
            return out
    out += [(fact, phrase_in(fact)) for fact in label_facts(term.label)]
    return out


@cache
def library(path: Path) -> list[Scenario]:
    """The scenario in each language its file is written in."""
    first = load_file(path)
    langs = first.languages or (None,)
    return [load_file(path, lang=lang).require() for lang in langs]


def untold(sc: Scenario) -> list[str]:
    """Every fact a required element needs that an answering role was not told first."""
    reach = analyse(sc, Graph(sc))
    out = []
    for inject in sc.injects:
        texts = [e for e in inject.expects if isinstance(e, TextExpectation)]
        for role in [r for r in sc.roles_of(inject) if r in reach[inject.id].roles]:
            story = told(sc, inject.id, role) if texts else None
            for exp in texts:
                for term in exp.required:
                    for fact, found in needed(term):
                        if story is not None and not story.has(found):
                            out.append(f"{inject.id}.{exp.id} {role}: {fact}")
    return out


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_fact_a_rubric_needs_was_told_first(path: Path) -> None:
    problems = []
    for sc in library(path):
        for problem in untold(sc):
            ref, _, fact = problem.partition(" ")
            if (sc.id, ref, fact.partition(": ")[2]) not in EXCEPTIONS:
                problems.append(problem)
    assert problems == []


def test_each_exception_is_still_needed() -> None:
    found = {
        (sc.id, ref, fact.partition(": ")[2])
        for path in SCENARIOS
        for sc in library(path)
        for ref, _, fact in (p.partition(" ") for p in untold(sc))
    }
    assert set(EXCEPTIONS) <= found


# ------------------------------------------------------------------ the check itself

STORY = r"""id: told
title: Told first
duration: 2h
teams:
  - {id: ops, name: Ops}
  - {id: comms, name: Comms}
actors:
  - {id: ic, name: Incident commander}
injects:
  - id: A-01
    at: 5m
    to: ops
    channel: chat
    from: ic
    title: Pick the restore
    expects:
      - id: pick
        kind: decision
        options:
          - {id: vault, label: Vault, points: 1}
          - {id: fast, label: Fast, points: 0}
  - id: A-02
    at: 30m
    when: {role: ops, expectation: A-01.pick, chose: vault}
    to: comms
    channel: chat
    from: ic
    title: Restoring the 01:00 dump
  - id: A-02n
    at: 30m
    when: {not: {role: ops, expectation: A-01.pick, chose: vault}}
    to: comms
    channel: chat
    from: ic
    title: The restore is not settled
  - id: A-03
    after: {response: A-01.pick, delay: 10m}
    when: {expectation: A-01.pick, chose: vault}
    to: ops
    channel: chat
    from: ic
    title: The vault restore runs; data back by 14:00
  - id: A-04
    after: {response: A-01.pick, delay: 20m}
    when: {expectation: A-01.pick, chose: vault}
    to: ops
    channel: chat
    from: ic
    title: Tell the customers
    expects:
      - id: note
        kind: text
        required:
          - {any: [restore], label: data is back by 14:00}
  - id: A-05
    at: 1h
    to: comms
    channel: chat
    from: ic
    title: The public update
    expects:
      - id: cause
        kind: text
        required:
          - {any: [backup], label: restored from the 01:00 backup}
          - {pattern: '\b\d{1,2}:\d{2}\b', label: the next update at a stated time (09:00)}
"""


def story(text: str) -> Scenario:
    loaded = load_bytes(text, "told.yaml")
    assert loaded.scenario is not None, [p.format() for p in loaded.problems]
    return loaded.scenario


def test_a_fact_told_on_one_branch_only_is_found() -> None:
    # A-05's label needs 01:00, which only cells whose ops chose the vault hear (A-02).
    assert untold(story(STORY)) == ["A-05.cause comms: 01:00"]


def test_a_fact_both_branches_tell_is_told() -> None:
    both = STORY.replace("title: The restore is not settled", "title: Not the 01:00 dump yet")
    assert untold(story(both)) == []


def test_what_a_branch_follows_from_is_told_on_it() -> None:
    # A-04 follows the vault choice, so its team has had A-03 (10 minutes after the same
    # answer) and its 14:00; move A-03 after A-04, or onto the other choice, and it has not.
    later = STORY.replace("delay: 10m}", "delay: 30m}")
    other = STORY.replace(
        "delay: 10m}\n    when: {expectation: A-01.pick, chose: vault}",
        "delay: 10m}\n    when: {expectation: A-01.pick, chose: fast}",
    )
    assert "A-04.note ops: 14:00" not in untold(story(STORY))
    assert "A-04.note ops: 14:00" in untold(story(later))
    assert "A-04.note ops: 14:00" in untold(story(other))


def test_a_fact_in_the_briefing_or_the_inject_itself_is_told() -> None:
    briefed = STORY.replace(
        "duration: 2h\n", "duration: 2h\nbriefing: The vault dump is from 01:00.\n"
    )
    assert untold(story(briefed)) == []
    itself = STORY.replace("title: The public update", "title: The public update on the 01:00 dump")
    assert untold(story(itself)) == []
