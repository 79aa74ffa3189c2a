"""The meaning grader against an evaluator's labels (issue 14's bar: Spearman >= 0.8
and MAE <= 0.15, points as a share of max), tune and holdout parts apart, with the
keyword grader's figures printed beside (``pytest -s`` shows them).

The floors asserted are the figures the grader reached when this was written, less a
small margin, not the issue's bar: a change that makes the grader worse fails here.
Knobs are tuned on the tune part only; the holdout part is reported, never tuned on.
"""

from __future__ import annotations

import pytest

from engine.grading import grade_text
from engine.meaning.intake import grader
from tests.meaning.labeled import figures, load_items, table

pytestmark = pytest.mark.meaning

MARGIN = 0.02
REACHED = {
    # part: (Spearman, MAE) reached by the engine's grader (rules use-m3/2)
    "tune": (0.921, 0.079),
    "holdout": (0.671, 0.171),
    # labeled blind after the grader was frozen (9394ac7), graded once: the bar is not met
    "holdout2": (0.719, 0.170),
}
# summit-deepfake's rubrics list French synonyms since it became bilingual (issue 16), so
# the keyword grader now scores some of the 21 French answers.
KEYWORDS = {
    "tune": (0.436, 0.259),
    "holdout": (0.199, 0.371),
    "holdout2": (0.260, 0.337),
}


def test_meaning_grader_figures_on_the_labeled_set() -> None:
    items = load_items()
    assert len(items) >= 160
    g = grader()
    meaning = figures(items, [g.grade(it.exp, it.text).share for it in items])
    keywords = figures(items, [grade_text(it.exp, it.text).points / it.exp.points for it in items])
    print("\n" + table(meaning, keywords))
    for part, (rho, err) in REACHED.items():
        got = meaning[part]
        assert got.spearman >= rho - MARGIN, (part, got)
        assert got.mae <= err + MARGIN, (part, got)
        # The keyword grader is what the meaning grader replaces: it must stay far behind.
        assert keywords[part].spearman == pytest.approx(KEYWORDS[part][0], abs=0.001)
        assert keywords[part].mae == pytest.approx(KEYWORDS[part][1], abs=0.001)
        assert got.spearman > keywords[part].spearman + 0.3
