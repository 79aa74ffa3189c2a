"""The meaning grader against an evaluator's labels (issue 14's bar: Spearman >= 0.8
and MAE <= 0.15, points as a share of max), tune and holdout parts apart, with the
keyword grader's figures printed beside (``pytest -s`` shows them).

The floors asserted are the figures the grader reached when this was written, less a
small margin, not the issue's bar: a change that makes the grader worse fails here.
Each part was labeled blind and graded once before anything was tuned on it. The
knobs of rules use-m3/4 were then searched on tune, holdout, holdout2 and holdout3
together, so holdout4, holdout5 and holdout6 are still unseen: they say how the grader
does on answers it was not fitted to. The library's rubrics were then rewritten to the
authoring guide by planners who did not read the labeled answers (docs/meaning-grader.md,
phase 6), and every part graded once more.
"""

from __future__ import annotations

import pytest

from engine.grading import grade_text
from engine.meaning.intake import grader
from tests.meaning.labeled import figures, load_items, table

pytestmark = pytest.mark.meaning

MARGIN = 0.02
REACHED = {
    # part: (Spearman, MAE) reached by the engine's grader (rules use-m3/5; /4 set lo, hi and
    # relevance_lo grid-searched on tune, holdout, holdout2 and holdout3 together) on the
    # library's rubrics as rewritten to the guide, first pass and second (phase 6: 0.919 /
    # 0.070 and 0.749 / 0.157 on tune and holdout before either)
    "tune": (0.907, 0.085),
    "holdout": (0.721, 0.149),
    # labeled blind after the grader was frozen (9394ac7), graded once (0.719 / 0.170),
    # then used to build rules use-m3/3 and /4: the bar is not met
    "holdout2": (0.840, 0.115),
    # labeled blind while use-m3/3 was made (d0ccd00), graded once (0.653 / 0.200), then
    # looked at: a word opening the answer now joins the sentence it opens
    "holdout3": (0.852, 0.140),
    # labeled blind once those rules were frozen (cf5fb18), graded once (0.728 / 0.169);
    # then a reviewer's case (one answer looked at, 1.0 -> 0.8); never used to tune
    "holdout4": (0.735, 0.161),
    # labeled blind (a4f04f7), graded once with rules use-m3/3 (0.461 / 0.213), with
    # use-m3/4 (0.569 / 0.184); answers not looked at, never used to tune
    "holdout5": (0.734, 0.172),
    # labeled blind (f82c270), graded once on the rubrics as they were (0.310 / 0.218),
    # then on the rewritten ones; answers not looked at, never used to tune
    "holdout6": (0.473, 0.193),
}
# The keyword grader on the library's rubrics as they stand (their synonyms were widened
# in English and French when the rubrics were rewritten to the guide, which lifted it;
# holdout4 is where it comes closest, 0.10 behind).
KEYWORDS = {
    "tune": (0.614, 0.213),
    "holdout": (0.093, 0.337),
    "holdout2": (0.548, 0.247),
    "holdout3": (0.574, 0.227),
    "holdout4": (0.636, 0.182),
    "holdout5": (0.330, 0.274),
    "holdout6": (0.333, 0.304),
}


def test_meaning_grader_figures_on_the_labeled_set() -> None:
    items = load_items()
    assert len(items) >= 400
    g = grader()
    meaning = figures(items, [g.grade(it.exp, it.text).share for it in items])
    keywords = figures(items, [grade_text(it.exp, it.text).points / it.exp.points for it in items])
    print("\n" + table(meaning, keywords))
    for part, (rho, err) in REACHED.items():
        got = meaning[part]
        assert got.spearman >= rho - MARGIN, (part, got)
        assert got.mae <= err + MARGIN, (part, got)
        # The keyword grader is what the meaning grader replaces: it must stay behind on
        # both figures, on every part.
        assert keywords[part].spearman == pytest.approx(KEYWORDS[part][0], abs=0.001)
        assert keywords[part].mae == pytest.approx(KEYWORDS[part][1], abs=0.001)
        assert got.spearman > keywords[part].spearman + 0.05
        assert got.mae < keywords[part].mae
