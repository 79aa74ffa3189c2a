"""The labeled statements (tests/data/statements*.yaml) and the figures on them.

Shared by the quality test (tests/meaning/test_quality.py) and bench/meaning.py:
Spearman's rank correlation and the mean absolute error between a grader's share of
max points and the evaluator's label, on the tune and holdout parts apart.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from engine.scenario.expectations import TextExpectation
from engine.scenario.load import load_file

ROOT = Path(__file__).resolve().parents[2]
LABELS = ROOT / "tests" / "data" / "statements.yaml"
HOLDOUT2 = ROOT / "tests" / "data" / "statements_holdout2.yaml"
"""60 answers over 9 other expectations, labeled blind after the grader was frozen."""
HOLDOUT3 = ROOT / "tests" / "data" / "statements_holdout3.yaml"
"""60 answers over 10 expectations none of the others covers, labeled blind (d0ccd00)
while the third round of rules was being made on the other parts."""
HOLDOUT4 = ROOT / "tests" / "data" / "statements_holdout4.yaml"
"""60 answers over 10 more expectations, labeled blind (cf5fb18, once 73a5fe3's rules were
frozen for the stop), graded once."""
HOLDOUT5 = ROOT / "tests" / "data" / "statements_holdout5.yaml"
"""60 answers over 10 expectations in 10 scenarios, 8 none of the others covers, labeled
blind (a4f04f7) before any grader read them; graded once with the rules of the stop before."""
HOLDOUT6 = ROOT / "tests" / "data" / "statements_holdout6.yaml"
"""60 answers over 10 expectations none of the others covers, 16 in French, labeled blind
(f82c270) from the rubrics as committed, before any grader read them."""
HOLDOUT7 = ROOT / "tests" / "data" / "statements_holdout7.yaml"
"""60 answers over 10 expectations none of the others covers, 19 in French, labeled blind
(03827f5) from the rubrics as rewritten to the guide, before any grader read them."""
HOLDOUT8 = ROOT / "tests" / "data" / "statements_holdout8.yaml"
"""60 answers over the 7 expectations still uncovered and 3 thinly covered, 17 in French,
labeled blind with holdout7 (03827f5)."""
HOLDOUT9 = ROOT / "tests" / "data" / "statements_holdout9.yaml"
"""60 answers, one expectation in each scenario, each already covered by other sets but
written afresh, 17 in French, labeled blind (d15d756) while rules use-m3/6 were made."""
HOLDOUT10 = ROOT / "tests" / "data" / "statements_holdout10.yaml"
"""60 answers, one expectation in each scenario, written afresh, 19 in French, labeled blind
(190f8ed) once rules use-m3/6 were all but final; graded once by them."""
HOLDOUT11 = ROOT / "tests" / "data" / "statements_holdout11.yaml"
"""60 answers over ten expectations the other sets cover least, 21 in French, labeled
blind (30a1271), graded once by rules use-m3/6 and once by use-m3/7 as committed."""
HOLDOUT12 = ROOT / "tests" / "data" / "statements_holdout12.yaml"
"""60 answers over ten more of them, 22 in French, labeled blind (89d45d7) with holdout11
and graded like it."""
HOLDOUT13 = ROOT / "tests" / "data" / "statements_holdout13.yaml"
"""60 answers over ten more expectations, 21 in French, labeled blind (f364863) while the
last of rules use-m3/7 was made on holdout11 and 12; graded once by rules 6 and 7."""
HOLDOUT14 = ROOT / "tests" / "data" / "statements_holdout14.yaml"
"""60 answers over ten more, 22 in French, labeled blind (6edebd5) with holdout13 and graded
like it."""
HOLDOUT15 = ROOT / "tests" / "data" / "statements_holdout15.yaml"
"""60 answers, one expectation in each scenario, written afresh, 23 in French, labeled blind
(556a487) while the last of rules use-m3/7 was made on holdout13 and 14; graded once by
rules 6 and once by rules 7 as committed."""
HOLDOUT16 = ROOT / "tests" / "data" / "statements_holdout16.yaml"
"""60 answers, one other expectation in each scenario, 22 in French, labeled blind (ea013a9)
with holdout15 and graded like it."""
HOLDOUT17 = ROOT / "tests" / "data" / "statements_holdout17.yaml"
"""60 answers, 21 in French, to ten expectations of a seeded random draw from the library's
72 text expectations, labeled blind (93592b0) and graded once by rules use-m3/7 as
committed (phase 9)."""
HOLDOUT18 = ROOT / "tests" / "data" / "statements_holdout18.yaml"
"""60 answers, 23 in French, to the draw's other ten, labeled blind (8a0d28d) with holdout17
and graded like it."""
HOLDOUT19 = ROOT / "tests" / "data" / "statements_holdout19.yaml"
"""60 answers, 22 in French, to ten of the library's text expectations drawn at random
(``random.Random(20261208).sample`` over the 62 the phase-10 scenario mends leave alone),
labeled blind (7c5235a) and graded once by rules use-m3/8 and by the use-m3/9 then
committed (the same figures; phase 10)."""
HOLDOUT20 = ROOT / "tests" / "data" / "statements_holdout20.yaml"
"""60 answers, 23 in French, to the draw's other ten, labeled blind with holdout19 and
graded like it."""
HOLDOUT21 = ROOT / "tests" / "data" / "statements_holdout21.yaml"
"""60 answers, 23 in French, to ten of the library's 72 text expectations drawn at random
(``random.Random(20261209).sample``), labeled blind (902fd7b) and graded once by rules
use-m3/11 as committed (and by use-m3/10: the same figures; phase 12)."""
HOLDOUT22 = ROOT / "tests" / "data" / "statements_holdout22.yaml"
"""60 answers, 21 in French, to the draw's other ten, labeled blind with holdout21 and
graded like it."""
FILES = (
    LABELS,
    HOLDOUT2,
    HOLDOUT3,
    HOLDOUT4,
    HOLDOUT5,
    HOLDOUT6,
    HOLDOUT7,
    HOLDOUT8,
    HOLDOUT9,
    HOLDOUT10,
    HOLDOUT11,
    HOLDOUT12,
    HOLDOUT13,
    HOLDOUT14,
    HOLDOUT15,
    HOLDOUT16,
    HOLDOUT17,
    HOLDOUT18,
    HOLDOUT19,
    HOLDOUT20,
    HOLDOUT21,
    HOLDOUT22,
)
"""Every labeled file, in the order their answers are read (``tune`` and ``holdout`` share
the first)."""
PARTS = (
    "tune",
    "holdout",
    "holdout2",
    "holdout3",
    "holdout4",
    "holdout5",
    "holdout6",
    "holdout7",
    "holdout8",
    "holdout9",
    "holdout10",
    "holdout11",
    "holdout12",
    "holdout13",
    "holdout14",
    "holdout15",
    "holdout16",
    "holdout17",
    "holdout18",
    "holdout19",
    "holdout20",
    "holdout21",
    "holdout22",
)
UNSEEN = ("holdout15", "holdout18", "holdout19", "holdout20", "holdout21", "holdout22")
"""The parts no rule was made on and no answer of which was looked at (docs/meaning-grader.md,
phases 8 to 12): holdout15 graded once by rules use-m3/6 and once by use-m3/7 as committed,
holdout18 once by use-m3/7 as committed, holdout19 and 20 once by use-m3/8 (and by the
use-m3/9 then committed, the same figures), holdout21 and 22 once by use-m3/11. holdout17
was graded once with it, then its evaluator's note made XA-65.sitrep forbid the rogue-AI
story and one of its answers was relabeled, so it no longer counts as unseen. holdout16 left
in phase 10: rules 9 (dropped since) were made on the over-graded answers of every part
whose evaluators charged a forbidden idea, one of holdout16's among them (one evaluator's
note of holdout18 was in that list too; no answer of holdout18 moved). holdout7..10 were
unseen in phase 7 and were read in phase 8 to make rules 7; holdout11 and 12 were graded
once by the first cut of rules 7, holdout13 and 14 by the second, then read."""


@dataclass(frozen=True)
class Item:
    id: str
    exp: TextExpectation
    text: str
    grade: float
    split: str
    lang: str
    kind: str
    why: str


def load_items(*paths: Path) -> list[Item]:
    """The answers of ``paths`` (default: every labeled file), in file order."""
    answers = [
        a
        for path in paths or FILES
        for a in yaml.safe_load(path.read_text(encoding="utf-8"))["answers"]
    ]
    scenarios: dict[str, Any] = {}
    items = []
    for a in answers:
        name = a["scenario"]
        if name not in scenarios:
            scenarios[name] = load_file(ROOT / "scenarios" / f"{name}.yaml").require()
        exp = scenarios[name].expectation(a["ref"])
        assert isinstance(exp, TextExpectation), a["id"]
        items.append(
            Item(
                a["id"],
                exp,
                a["text"].strip(),
                float(a["grade"]),
                a["split"],
                a["lang"],
                a["kind"],
                a["why"],
            )
        )
    return items


def _ranks(xs: Sequence[float]) -> list[float]:
    order = sorted(range(len(xs)), key=lambda i: xs[i])
    ranks = [0.0] * len(xs)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and xs[order[j + 1]] == xs[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def spearman(a: Sequence[float], b: Sequence[float]) -> float:
    """Spearman's rho (Pearson on average ranks, so ties count once)."""
    ra, rb = _ranks(a), _ranks(b)
    ma, mb = statistics.fmean(ra), statistics.fmean(rb)
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb, strict=True))
    va = math.sqrt(sum((x - ma) ** 2 for x in ra))
    vb = math.sqrt(sum((y - mb) ** 2 for y in rb))
    return cov / (va * vb) if va and vb else float("nan")


def mae(a: Sequence[float], b: Sequence[float]) -> float:
    return statistics.fmean(abs(x - y) for x, y in zip(a, b, strict=True))


@dataclass(frozen=True)
class Figures:
    n: int
    spearman: float
    mae: float


def _split(part: str) -> Callable[[Item], bool]:
    return lambda it: it.split == part


PART_FILTERS: dict[str, Callable[[Item], bool]] = {
    **{part: _split(part) for part in PARTS},
    "unseen": lambda it: it.split in UNSEEN,
    "all": lambda it: True,
    "en": lambda it: it.lang == "en",
    "fr": lambda it: it.lang == "fr",
}


def figures(items: Sequence[Item], shares: Sequence[float]) -> dict[str, Figures]:
    """Spearman and MAE per part (tune, holdout, holdout2, all, English, French)."""
    out = {}
    for part, keep in PART_FILTERS.items():
        idx = [i for i, it in enumerate(items) if keep(it)]
        labels = [items[i].grade for i in idx]
        got = [shares[i] for i in idx]
        out[part] = Figures(len(idx), spearman(labels, got), mae(labels, got))
    return out


def table(meaning: dict[str, Figures], keywords: dict[str, Figures]) -> str:
    lines = ["part        n   meaning: Spearman  MAE    keywords: Spearman  MAE"]
    for part, m in meaning.items():
        k = keywords[part]
        lines.append(
            f"{part:9} {m.n:3}   {m.spearman:16.3f} {m.mae:6.3f}   {k.spearman:17.3f} {k.mae:6.3f}"
        )
    return "\n".join(lines)


SECOND = ROOT / "tests" / "data" / "second_grades.yaml"
"""A second evaluator's grades of the two random rounds (holdout17 to 20), written blind
to the first (docs/meaning-grader.md, phase 12): not labels, a measure of how far two
evaluators agree."""


def second_grades() -> dict[str, float]:
    """The second evaluator's grade of each answer it graded, by the answer's id."""
    data = yaml.safe_load(SECOND.read_text(encoding="utf-8"))
    return {g["id"]: float(g["grade"]) for g in data["grades"]}


def agreement(items: Sequence[Item], shares: Sequence[float]) -> str:
    """Two evaluators against each other, and the grader against each, on the answers the
    second one graded."""
    second = second_grades()
    idx = [i for i, it in enumerate(items) if it.id in second]
    first = [items[i].grade for i in idx]
    other = [second[items[i].id] for i in idx]
    got = [shares[i] for i in idx]
    same = sum(abs(a - b) < 0.005 for a, b in zip(first, other, strict=True))
    return "\n".join(
        [
            f"second evaluator {len(idx)} answers of holdout17-20, {same} graded alike",
            f"  first ~ second  Spearman {spearman(first, other):.3f}  MAE {mae(first, other):.3f}",
            f"  grader ~ first  Spearman {spearman(got, first):.3f}  MAE {mae(got, first):.3f}",
            f"  grader ~ second Spearman {spearman(got, other):.3f}  MAE {mae(got, other):.3f}",
        ]
    )
