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
from functools import cache
from pathlib import Path

import pytest

from engine.grading import normalise
from engine.scenario import Scenario, load_file
from engine.scenario.expectations import (
    Term,
    TextExpectation,
)
from engine.scenario.load import load_bytes
from engine.scenario.reach import Graph, analyse
from tests.scenario.story import told

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
