"""Rules use-m3/9: a forbidden phrase is said by its words in order, in their forms,
with a word between two of them.

Writers qualify a phrase without changing what it says: "a Russian influence
operation" names a state as surely as "a Russian operation", « une opération
orchestrée par un État étranger » as « orchestré par un État étranger ». The whole-
phrase match let these through, and blind evaluators charged half the grade for each
(nine labeled answers). What the rule must not do: charge a clause that negates or
refutes the phrase, or find it in words that are further apart.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.meaning import text as tx
from engine.meaning.intake import grade
from engine.scenario.expectations import Term
from tests.meaning.labeled import ROOT
from tests.meaning.rubrics import expectation

pytestmark = pytest.mark.meaning

ED40_GOOD = (
    "Taskforce sitrep: cloned-voice robocalls and synthetic local news sites told voters "
    "their polling stations had moved. Still open: the trace-back of the calls (telecom "
    "regulator) and the takedown of the sites (platforms). For Sunday we need a joint "
    "public correction and extra staff on the voter hotline."
)
ED40 = ("election-disinfo", "ED-40.sitrep")


@pytest.mark.parametrize(
    ("scenario", "ref", "claim"),
    [
        (*ED40, "This is a Russian influence operation."),
        (*ED40, "The trace-back confirms this is a Russian state operation."),
        (*ED40, "These calls are the work of a hostile foreign state."),
        ("summit-deepfake", "I-30.alert", "C'est une opération orchestrée par un État étranger."),
        ("model-hub-pickles", "MH-19.advisory", "The impact is limited."),
    ],
    ids=lambda v: v if isinstance(v, str) and " " in v else "",
)
def test_a_qualified_forbidden_phrase_is_charged(scenario: str, ref: str, claim: str) -> None:
    exp = expectation(scenario, ref)
    good = ED40_GOOD if ref == ED40[1] else exp.model_answer
    assert grade(exp, good).points == exp.points
    verdict = grade(exp, f"{claim} {good}")
    assert [v.evidence.startswith(claim.rstrip(".")) for v in verdict.forbidden] == [True]
    assert verdict.points < exp.points


@pytest.mark.parametrize(
    "claim",
    [
        "There is no evidence of a Russian influence operation.",
        "Claims of a Russian influence operation are premature.",
        "We cannot yet say whether a Russian influence operation is behind it.",
    ],
)
def test_negated_refuted_or_doubted_it_costs_nothing(claim: str) -> None:
    exp = expectation(*ED40)
    assert grade(exp, ED40_GOOD).points == exp.points
    verdict = grade(exp, f"{claim} {ED40_GOOD}")
    assert verdict.forbidden == [] and verdict.points == exp.points


def _library_phrases() -> list[str]:
    """Every forbidden form of several words in the bundled scenarios."""
    from engine.scenario import load_file
    from engine.scenario.expectations import TextExpectation

    phrases: set[str] = set()
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        scenario = load_file(path).require()
        for _, exp in scenario.expectation_by_ref.values():
            if isinstance(exp, TextExpectation):
                for term in exp.forbidden:
                    phrases.update(f for f in _forms(term) if len(tx.tokens(f)) >= 2)
    return sorted(phrases)


def _forms(term: str | Term) -> list[str]:
    """A forbidden term's word forms (a pattern is not one)."""
    if isinstance(term, str):
        return [term]
    return [] if term.pattern else list(term.any)


PHRASES = _library_phrases()
FILLER = st.sampled_from(["today", "large", "influence", "very", "new", "grande", "tres"])
LEAD = st.lists(st.sampled_from(["we", "see", "that", "here", "nous", "voyons"]), max_size=4)


def test_the_library_has_phrases_to_try() -> None:
    assert len(PHRASES) > 100


@given(st.sampled_from(PHRASES), LEAD, st.data())
def test_a_phrase_is_found_whole_and_with_a_word_between(
    phrase: str, lead: list[str], data: st.DataObject
) -> None:
    words = list(tx.tokens(phrase))
    assert tx.form_at(phrase, " ".join([*lead, *words])) == len(lead)
    at = data.draw(st.integers(min_value=1, max_value=len(words) - 1))
    filler = data.draw(FILLER)
    spread = [*lead, *words[:at], filler, *words[at:]]
    assert tx.form_at(phrase, " ".join(spread)) == len(lead)
    # Each word of five letters or more in another form (its stem and a new ending).
    inflected = [w + "es" if len(w) > 4 else w for w in words]
    assert tx.form_at(phrase, " ".join([*lead, *inflected])) == len(lead)


@given(st.sampled_from(PHRASES), FILLER, FILLER)
def test_two_words_between_are_not_the_phrase(phrase: str, one: str, two: str) -> None:
    words = list(tx.tokens(phrase))
    if len(words) != 2 or {one, two} & set(words):
        return
    assert tx.form_at(phrase, " ".join([words[0], one, two, words[1]])) is None
