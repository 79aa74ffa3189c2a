"""A check on how decisions read: the best option should not be the one to spot.

Authors write the right answer with care, and it grows: "Isolate the agent, keep its
logs, tell the DPO, and..." while the wrong ones stay short. Players notice within a
few injects and pick the longest option; the decision then measures reading, not
judgement. Of the library's 191 decisions, 189 had their best option longest before
this check existed.
"""

from __future__ import annotations

from collections.abc import Iterator

from engine.i18n import _
from engine.scenario.expectations import DecisionExpectation
from engine.scenario.lint_refs import Finding
from engine.scenario.model import Scenario

TELL_SHARE = 0.5
"""Warn when the best option is the longest label in more than this share of decisions."""
TELL_MIN = 4
"""Below this many decisions a share says little: no warning."""


def tells(sc: Scenario) -> list[tuple[int, int]]:
    """(inject index, expectation index) of every decision whose option with the most
    points (one alone) is also the one with the longest label (one alone)."""
    out = []
    for i, inject in enumerate(sc.injects):
        for j, exp in enumerate(inject.expects):
            if isinstance(exp, DecisionExpectation) and len(exp.options) > 1:
                top = max(o.points for o in exp.options)
                best = [o for o in exp.options if o.points == top]
                size = max(len(o.label) for o in exp.options)
                longest = [o for o in exp.options if len(o.label) == size]
                if len(best) == 1 and longest == best:
                    out.append((i, j))
    return out


def decisions(sc: Scenario) -> int:
    return sum(
        1
        for inject in sc.injects
        for exp in inject.expects
        if isinstance(exp, DecisionExpectation) and len(exp.options) > 1
    )


def check_options(sc: Scenario) -> Iterator[Finding]:
    total = decisions(sc)
    found = tells(sc)
    if total < TELL_MIN or len(found) <= TELL_SHARE * total:
        return
    i, j = found[0]
    yield Finding(
        ("injects", i, "expects", j, "options"),
        _(
            "the best option is also the longest in {found} of {total} decisions: players "
            "learn to pick the longest; write the best one as plainly as the others, and give "
            "wrong ones their own reasons"
        ).format(found=len(found), total=total),
        "warning",
    )
