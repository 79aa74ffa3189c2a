"""Two rules of use-m3/6 (issue 14), tried as a planner tries a rubric: with
``sitroom rubric`` and its JSON.

- **Length** costs what the evaluators' rule at the head of the labeled sets says: a
  third of ``min_words`` keeps 0.4 of the grade, two thirds 0.7; twice ``max_words``
  keeps 0.6. Rules 5 kept 0.67 at a third, and short answers were graded too high.
- **A clause that holds one element's keyword does not give another by meaning
  alone**: on the subject, it is close to every element of it. Every such clause counts,
  not only the first, and a pattern does not claim a clause.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.meaning

ROOT = Path(__file__).resolve().parents[2]


def _rubric(scenario: str, ref: str, *answers: str) -> list[dict[str, Any]]:
    out = subprocess.run(
        [sys.executable, "-m", "tui.cli", "rubric", scenario, ref, "--format", "json"],
        input="\n".join(answers) + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    doc: list[dict[str, Any]] = json.loads(out.stdout)
    return doc


def _words(n: int) -> str:
    # Words a rubric element never reads, so only the length moves between answers.
    return " ".join(["la"] * n)


def test_length_costs_what_the_evaluators_rule_says() -> None:
    # I-13.holding asks for 15 to 80 words.
    third, two_thirds, fifteen, twice = _rubric(
        "summit-deepfake", "I-13.holding", _words(5), _words(10), _words(15), _words(160)
    )
    assert [third["words"], two_thirds["words"], fifteen["words"], twice["words"]] == [
        5,
        10,
        15,
        160,
    ]
    assert third["length"] == pytest.approx(0.4)
    assert two_thirds["length"] == pytest.approx(0.7)
    assert fifteen["length"] == 1.0
    assert twice["length"] == pytest.approx(0.6)


def test_a_clause_earning_one_element_by_keyword_earns_no_other_by_meaning() -> None:
    # C-02.holding: numbers moved to criminals (keyword "numbers were moved"); Veltra
    # stops the changes; customers who lose signal call from another phone or visit a
    # shop. The clause below says only the first; rules 5 also gave it 0.7 of the third.
    alone, with_advice = _rubric(
        "telecom-agent-sim-swap",
        "C-02.holding",
        "We can confirm that a number of our customers' phone numbers were moved to SIM "
        "cards controlled by criminals, and we are looking into how it happened today.",
        "We can confirm that a number of our customers' phone numbers were moved to SIM "
        "cards controlled by criminals. If your phone suddenly loses signal, call us from "
        "another phone or go to one of our shops.",
    )
    first, _, advice = alone["required"]
    assert first["how"] == "keyword"
    assert advice["how"] == "missing", advice
    # Said in a clause of its own, it is found as before.
    assert with_advice["required"][2]["how"] in {"keyword", "meaning"}
    assert with_advice["required"][2]["credit"] == 1.0


def test_a_pattern_does_not_claim_a_clause() -> None:
    # I-09.sitrep's "still open" element is a pattern that "remains" matches; the clause
    # says "deepfake", and keeps it.
    (answer,) = _rubric(
        "summit-deepfake",
        "I-09.sitrep",
        "Minister, the clip which remains online was spliced together from the summit "
        "livestream using an imitation of your voice. The grid ran normally all morning.",
    )
    deepfake = answer["required"][0]
    assert deepfake["how"] == "meaning" and deepfake["credit"] > 0.5, deepfake


def test_saying_the_keyword_once_more_earns_nothing_more() -> None:
    # Which clause holds the keyword first must not matter: both claim the second.
    once, twice = (
        _rubric(
            "agent-excessive-agency",
            "XA-38.board",
            f"A plugin {verb} overnight. The hijacked plugin could only wipe the payroll "
            "because we had given our agent sweeping administrator powers. We are restoring "
            "from backup and the board must approve the fallback today.",
        )[0]
        for verb in ("misbehaved", "was hijacked")
    )
    assert once["points"] == twice["points"]
    assert [e["how"] for e in once["required"]] == [e["how"] for e in twice["required"]]
