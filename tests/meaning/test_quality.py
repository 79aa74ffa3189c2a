"""The meaning grader against an evaluator's labels (issue 14's bar: Spearman >= 0.8
and MAE <= 0.15, points as a share of max), tune and holdout parts apart, with the
keyword grader's figures printed beside (``pytest -s`` shows them).

The floors asserted are the figures the grader reached when this was written, less a
small margin, not the issue's bar: a change that makes the grader worse fails here.
Each part was labeled blind and graded once before anything was tuned on it. The
knobs of rules use-m3/4 were then searched on tune, holdout, holdout2 and holdout3
together, so holdout4, holdout5 and holdout6 were unseen then. The library's rubrics
were then rewritten to the authoring guide by planners who did not read the labeled
answers (docs/meaning-grader.md, phase 6), and every part graded once more. Rules
use-m3/6 were made looking at holdout4, 5 and 6 (no longer unseen); holdout7, 8, 9 and
10 were labeled blind, their answers never looked at, holdout10 graded once by the rules
as committed (phase 7). Rules use-m3/7 were made looking at holdout7 to 12; holdout13 and
14 were labeled blind meanwhile and graded once by rules 6 and once by a cut of rules 7,
then read; holdout15 and 16 were labeled blind and graded once by rules 6 and 7 as
committed, their answers not read (phase 8); holdout17 and 18, for twenty expectations
drawn at random, were labeled blind and graded once by rules 7 as committed (phase 9).
"""

from __future__ import annotations

import pytest

from engine.grading import grade_text
from engine.meaning.intake import grader
from tests.meaning.labeled import agreement, figures, load_items, second_grades, table

pytestmark = pytest.mark.meaning

MARGIN = 0.02
REACHED = {
    # part: (Spearman, MAE) reached by the engine's grader, rules use-m3/7 (phase 8) on the
    # library's rubrics as rewritten to the guide (phase 6). The history of each part:
    # tune and holdout: 0.919 / 0.070 and 0.749 / 0.157 before the rewrite; rules 6's
    # length rule costs tune (its short answers were labeled more gently than the rule
    # the later sets write out)
    "tune": (0.900, 0.099),
    "holdout": (0.721, 0.147),
    # labeled blind after the grader was frozen (9394ac7), graded once (0.719 / 0.170),
    # then used to build rules use-m3/3 and /4; 0.860 / 0.108 before rules 7 took the
    # required credit of a clause that says a forbidden idea: one paraphrase there is read
    # as "voting on Monday is possible" (a false forbidden, 0.69) and now loses its
    # element too
    "holdout2": (0.828, 0.114),
    # labeled blind while use-m3/3 was made (d0ccd00), graded once (0.653 / 0.200), then
    # looked at: a word opening the answer now joins the sentence it opens
    "holdout3": (0.884, 0.109),
    # labeled blind once those rules were frozen (cf5fb18), graded once (0.728 / 0.169);
    # a reviewer's case; looked at to make rules 6 (0.735 / 0.161 before them); 0.819 /
    # 0.116 before rules 8 read "… are unfounded" as a refutation
    "holdout4": (0.840, 0.111),
    # labeled blind (a4f04f7), graded once with rules use-m3/3 (0.461 / 0.213), with
    # use-m3/4 (0.569 / 0.184); looked at to make rules 6 (0.734 / 0.172 before them)
    "holdout5": (0.793, 0.137),
    # labeled blind (f82c270), graded once on the rubrics as they were (0.310 / 0.218),
    # then on the rewritten ones; looked at to make rules 6 (0.473 / 0.193 before them);
    # 0.620 / 0.160 before I-09.sitrep forbade the attribution (phase 8); 0.659 / 0.151
    # before the phase-10 scenario mends (XA-35's time, the rogue-AI forms, SF-22's count);
    # those also moved holdout8 (0.838 / 0.119), holdout10 (0.758 / 0.131) and holdout12
    # (0.776 / 0.110)
    "holdout6": (0.687, 0.143),
    # labeled blind (03827f5), graded by rules 5 (0.726 / 0.123 and 0.806 / 0.137) and by
    # three cuts of rules 6, figures only; read to make rules 7 (phase 8)
    "holdout7": (0.774, 0.097),
    # holdout8 0.808 / 0.127 before W-41.sitrep gained the attribution trap its
    # objective names, which holdout8's and holdout10's evaluators both charged
    "holdout8": (0.856, 0.108),
    # labeled blind (d15d756) on expectations the other sets cover, graded by rules 5
    # (0.822 / 0.125) and by two cuts of rules 6; read to make rules 7 (0.829 / 0.088)
    "holdout9": (0.841, 0.085),
    # labeled blind (190f8ed), graded once by rules 5 (0.644 / 0.165) and once by rules 6
    # (0.736 / 0.137); read to make rules 7
    "holdout10": (0.769, 0.127),
    # labeled blind (30a1271, 89d45d7), graded once by rules 6 (0.714 / 0.133 and
    # 0.771 / 0.116) and once by the first cut of rules 7 (0.742 / 0.122 and
    # 0.771 / 0.116), then read to finish rules 7; holdout12's ED-40 then gained the
    # attribution its objective names
    "holdout11": (0.769, 0.110),
    "holdout12": (0.773, 0.111),
    # labeled blind (f364863, 6edebd5), graded once by rules 6 (0.706 / 0.140 and
    # 0.789 / 0.131) and once by the second cut of rules 7 (0.704 / 0.140 and
    # 0.789 / 0.131), then read to finish rules 7
    "holdout13": (0.741, 0.130),
    "holdout14": (0.799, 0.126),
    # labeled blind (556a487, ea013a9) on expectations the other parts cover, graded once
    # by rules 6 (0.846 / 0.095 and 0.860 / 0.098) and once by rules 7 as committed
    # (0.820 / 0.101 and 0.864 / 0.093); answers not looked at. Then the reviewer's
    # mends of rules 7 (cases of its own, not these answers)
    "holdout15": (0.847, 0.092),
    # rules 11 (another fact than an element's gives it nothing by meaning) moved three
    # XA-68 answers here towards their labels (0.870 / 0.089 before)
    "holdout16": (0.878, 0.085),
    # labeled blind (93592b0, 8a0d28d) for twenty expectations drawn at random from the
    # library's 72, graded once by rules 7 as committed (0.778 / 0.111 and 0.732 / 0.148;
    # phase 9), answers not looked at. Then holdout17's evaluator's note made XA-65.sitrep
    # forbid the rogue-AI story and the one answer telling it was relabeled by the
    # header's rules (0.67 -> 0.17): holdout17 is no longer unseen
    "holdout17": (0.784, 0.111),
    # XA-68's deletion time no longer anchored on the 03:41 send-out (phase 12) moved one
    # answer away from its label (0.732 / 0.148 before)
    "holdout18": (0.729, 0.152),
    # labeled blind (7c5235a) for twenty more expectations drawn at random (phase 10),
    # graded once by rules 8 and by the rules 9 then committed (the same figures); not read
    # rules 11 moved one XA-68 answer towards its label (0.789 / 0.120 before)
    "holdout19": (0.788, 0.119),
    "holdout20": (0.743, 0.127),
    # labeled blind (902fd7b) for twenty expectations drawn at random from all 72 (phase
    # 12), graded once by rules 11 as committed (and by rules 10: the same figures); not read
    "holdout21": (0.716, 0.108),
    "holdout22": (0.718, 0.156),
    # holdout15, 16 and 18 pooled. holdout15 and 16 were graded once by rules 7 at
    # 0.844 / 0.097 (before the reviewer's mends); the eight parts labeled blind in phases 8
    # and 9, each graded once by the cut of rules 7 of its day, pool to 0.785 / 0.120: the
    # bar is reached on holdout15 and 16, not on holdout11 to 14 nor on the random draw.
    # Rules 8 (refutations) move one answer of the 1,121, in holdout4 (0.5 -> 1.0, label 1).
    # Rules 9 (a forbidden phrase with a word between its words, phase 10) moved nine, in
    # holdout5, 7, 9, 10, 12, 13, 16 and 17 (all 1,121: 0.810 / 0.116 -> 0.820 / 0.112),
    # then charged true denials ("Russia is not behind it") and were dropped. holdout16 was
    # read to make them, so "unseen" is holdout15 and 18 (0.794 / 0.120; 0.821 / 0.111 with
    # holdout16), and holdout19 and 20 once graded (240 answers); holdout21 and 22 joined
    # in phase 12 (0.781 / 0.123 before them)
    "unseen": (0.760, 0.126),
}
# The keyword grader on the library's rubrics as they stand (their synonyms were widened
# in English and French when the rubrics were rewritten to the guide, which lifted it;
# holdout4 is where it comes closest, 0.17 behind).
KEYWORDS = {
    "tune": (0.614, 0.213),
    "holdout": (0.093, 0.337),
    "holdout2": (0.542, 0.256),
    "holdout3": (0.579, 0.216),
    "holdout4": (0.636, 0.182),
    "holdout5": (0.330, 0.274),
    "holdout6": (0.397, 0.287),
    "holdout7": (0.374, 0.223),
    "holdout8": (0.618, 0.161),
    "holdout9": (0.501, 0.196),
    "holdout10": (0.397, 0.231),
    "holdout11": (0.325, 0.247),
    "holdout12": (0.376, 0.203),
    "holdout13": (0.468, 0.200),
    "holdout14": (0.642, 0.169),
    "holdout15": (0.591, 0.163),
    "holdout16": (0.528, 0.197),
    "holdout17": (0.238, 0.263),
    "holdout18": (0.365, 0.218),
    "holdout19": (0.411, 0.242),
    "holdout20": (0.321, 0.223),
    "holdout21": (0.320, 0.239),
    "holdout22": (0.569, 0.182),
    "unseen": (0.427, 0.211),
}


SECOND_GRADED = ("holdout17", "holdout18", "holdout19", "holdout20")
"""The parts a second evaluator graded blind (phase 12): the random rounds of phases 9
and 10."""


def test_meaning_grader_figures_on_the_labeled_set() -> None:
    items = load_items()
    assert len(items) >= 1360
    g = grader()
    shares = [g.grade(it.exp, it.text).share for it in items]
    meaning = figures(items, shares)
    keywords = figures(items, [grade_text(it.exp, it.text).points / it.exp.points for it in items])
    print("\n" + table(meaning, keywords))
    print(agreement(items, shares))
    for part, (rho, err) in REACHED.items():
        got = meaning[part]
        assert got.spearman >= rho - MARGIN, (part, got)
        assert got.mae <= err + MARGIN, (part, got)
        # The keyword grader is what the meaning grader replaces: it must stay behind on
        # both figures, on every part.
        assert keywords[part].spearman == pytest.approx(KEYWORDS[part][0], abs=0.001)
        assert keywords[part].mae == pytest.approx(KEYWORDS[part][1], abs=0.001)
        assert got.spearman > keywords[part].spearman + 0.1
        assert got.mae < keywords[part].mae


def test_a_second_evaluator_graded_every_answer_of_the_random_rounds() -> None:
    """The second grades (phase 12) name each answer of holdout17 to 20 once, and no
    other: an answer renamed or added to those parts must be graded again, blind."""
    second = second_grades()
    rounds = {it.id for it in load_items() if it.split in SECOND_GRADED}
    assert len(rounds) == 240
    assert set(second) == rounds
    assert all(0.0 <= grade <= 1.0 for grade in second.values())
