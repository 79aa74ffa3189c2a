"""What a forbidden form must not charge: a sentence that denies it, whatever words it
puts between the form's words, and a sentence that only shares some of its words.

Phase 10 tried reading a forbidden phrase with a word between its words ("a Russian
influence operation" for "a Russian operation"). A reviewer then found that it charged
every sentence here, each a true statement a careful team writes ("Russia is not behind
it" read as "Russia is behind it", advice to "limit the impact" read as "limited
impact"), and the rule was dropped. Each sentence, put before a good answer, must leave
its full points."""

from __future__ import annotations

import pytest

from engine.meaning.intake import grade
from tests.meaning.rubrics import XA65_GOOD, expectation

pytestmark = pytest.mark.meaning

ED40_GOOD = (
    "Taskforce sitrep: cloned-voice robocalls and synthetic local news sites told voters "
    "their polling stations had moved. Still open: the trace-back of the calls (telecom "
    "regulator) and the takedown of the sites (platforms). For Sunday we need a joint "
    "public correction and extra staff on the voter hotline."
)
ED40 = ("election-disinfo", "ED-40.sitrep", ED40_GOOD)
XA65 = ("agent-excessive-agency", "XA-65.sitrep", XA65_GOOD)
I38 = ("summit-deepfake", "I-38.sms", None)
MH19 = ("model-hub-pickles", "MH-19.advisory", None)
MH25 = ("model-hub-pickles", "MH-25.guidance", None)


@pytest.mark.parametrize(
    ("rubric", "sentence"),
    [
        (ED40, "Russia is not behind it."),
        (ED40, "The Kremlin is not behind it."),
        (ED40, "This is not foreign interference."),
        (ED40, "A hostile state is not behind it."),
        (ED40, "La Russie n'est pas derrière ces appels."),
        (ED40, "Une puissance étrangère n'est pas derrière ces appels."),
        (ED40, "We rely on the work of foreign agencies such as partner CERTs."),
        (I38, "This is not Moscow's doing."),
        (I38, "Moscow is not behind it."),
        (I38, "Russian hackers never sent it."),
        (XA65, "The AI never decided anything."),
        (XA65, "The AI agent decided nothing on its own."),
        (XA65, "L'IA n'a pas agi de son propre chef."),
        (XA65, "L'IA n'a pas décidé seule."),
        (MH19, "Pin revision 9a07c3e now to limit the impact."),
        (MH19, "Pour limiter l'impact, revenez à la révision 9a07c3e."),
        (MH25, "The scanner is not enough: load only safetensors."),
    ],
    ids=lambda v: v if isinstance(v, str) else v[1],
)
def test_a_denial_or_a_shared_word_costs_nothing(
    rubric: tuple[str, str, str | None], sentence: str
) -> None:
    scenario, ref, good = rubric
    exp = expectation(scenario, ref)
    answer = good or exp.model_answer
    assert grade(exp, answer).points == exp.points
    verdict = grade(exp, f"{sentence} {answer}")
    assert verdict.forbidden == [], [v.evidence for v in verdict.forbidden]
    assert verdict.points == exp.points
