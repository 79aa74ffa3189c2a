"""Option length is not a tell, in any position: a planner's rule for the library's decisions.

A decision measures judgement only if the best option cannot be spotted by its
shape. The lint (``engine/scenario/lint_options.py``) and ``test_library.py`` catch
the first habit, the best option written longest. Rewritten against that check, the
library kept the habit one step down: the best option became the *second* longest
in 27 of agent-excessive-agency's 35 decisions and 16 of model-hub-pickles' 19, so a
player who always picks the second-longest label won most of them.

The rule, as a planner would state it: **a player who sees only the labels' lengths
and always picks the option at one place in length order (the longest, the second
longest, ..., or counting from the shortest) finds the best option in at most half
of a scenario's decisions.** With three options a blind pick is right a third of
the time; half is the most a length habit may give away. A decision counts when one
option alone has the most points and no other option has its label's length.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from engine.scenario import Scenario, load_bytes, load_file
from engine.scenario.expectations import DecisionExpectation
from tests.scenario.library_table import scenario_files

MAX_SHARE = 0.5
"""The most decisions one length place may hold the best option in."""

FILES = scenario_files()

KNOWN = {
    "election-disinfo",
    "llmjacking",
    "model-hub-pickles",
    "poisoned-open-weights",
    "summit-deepfake",
}
"""Scenarios outside this task's rework that break the rule today (the best option is
the second longest in 58% to 84% of their decisions): reported to the lead, not
edited here. Remove a name when its scenario is reworked; the xfail is not strict
so that another helper's rework does not break the suite."""


def places(sc: Scenario) -> tuple[Counter[str], int]:
    """How often the best option sits at each place in length order, and the number of
    decisions. Places are named from both ends (``longest+1`` is the second longest,
    ``shortest+0`` the shortest), so every habit of a player is counted."""
    found: Counter[str] = Counter()
    total = 0
    for inject in sc.injects:
        for exp in inject.expects:
            if not isinstance(exp, DecisionExpectation) or len(exp.options) < 2:
                continue
            total += 1
            top = max(o.points for o in exp.options)
            best = [o for o in exp.options if o.points == top]
            if len(best) != 1:
                continue
            size = len(best[0].label)
            if sum(len(o.label) == size for o in exp.options) > 1:
                continue
            longer = sum(len(o.label) > size for o in exp.options)
            found[f"longest+{longer}"] += 1
            found[f"shortest+{len(exp.options) - 1 - longer}"] += 1
    return found, total


def marks(paths: list[Path]) -> list[object]:
    return [
        pytest.param(
            p,
            id=p.stem,
            marks=[pytest.mark.xfail(reason="known: reported, not this task's scenario")]
            if p.stem in KNOWN
            else [],
        )
        for p in paths
    ]


@pytest.mark.parametrize("path", marks(FILES))
def test_no_length_place_gives_the_best_option_away(path: Path) -> None:
    found, total = places(load_file(path).require())
    assert total
    worst, count = max(found.items(), key=lambda kv: kv[1], default=("none", 0))
    assert count <= MAX_SHARE * total, (
        f"{path.name}: the best option is at place {worst} in length order in {count} of "
        f"{total} decisions (at most {int(MAX_SHARE * total)} allowed)"
    )


def decisions(labels: list[list[tuple[str, int]]]) -> Scenario:
    """A small scenario with one decision per list of (label, points)."""
    injects = []
    for n, options in enumerate(labels):
        opts = "\n".join(
            f"          - {{id: o{k}, label: {json.dumps(label)}, points: {points}}}"
            for k, (label, points) in enumerate(options)
        )
        injects.append(
            f"  - id: I-{n}\n    at: {n + 1}m\n    to: all\n    channel: email\n"
            f"    from: x\n    title: Decision {n}\n    expects:\n      - id: d\n"
            f"        kind: decision\n        objective: obj\n        options:\n{opts}"
        )
    text = (
        "id: t\ntitle: T\nduration: 1h\nobjectives: [{id: obj, title: O}]\n"
        "teams: [{id: a, name: A}]\nactors: [{id: x, name: X}]\ninjects:\n"
        + "\n".join(injects)
        + "\n"
    )
    return load_bytes(text).require()


def test_the_rule_catches_the_second_longest_habit() -> None:
    """Best always second longest: the habit the first lint let through. Move the best
    to another place in two of four decisions and no place holds more than half."""
    habit = [("Isolate the host and keep its logs", 10), ("Wipe the host now, then look", 2)]
    habit.append(("Wait for the vendor's patch tonight, keeping the host online", 0))
    found, total = places(decisions([habit] * 4))
    assert (found["longest+1"], total) == (4, 4)
    varied = [("Isolate it", 10), *habit[1:]]
    found, total = places(decisions([habit, habit, varied, varied]))
    assert max(found.values()) <= MAX_SHARE * total
