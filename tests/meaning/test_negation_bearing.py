"""Whether a negation in a clause bears on an element's point (issue 14, rules use-m3/6).

An embedding puts "no tool was compromised" next to "a tool was compromised", so the
grader cannot tell from closeness alone whether a clause's negation denies an element.
It asks whether taking the negation out brings the clause nearer the element: then the
negation is what separates them ("no third-party tool was compromised" against "a
third-party tool was hijacked"); otherwise it is about something else ("with no human
sign-off") or makes the same point in other words ("the video is not authentic").
Each case is graded as the engine grades an answer when it is taken, on the library's
own rubrics.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.meaning import text as tx
from engine.meaning.intake import grade
from tests.meaning.rubrics import expectation, how

pytestmark = pytest.mark.meaning

BOARD = "XA-38.board"
ACCESS = "Corvida gave the agent far more access than it needed"
TOOL = "a third-party tool the agent used was hijacked"


@pytest.mark.parametrize(
    "text",
    [
        # Rules 5 read these as "contradicted": the clause holds a negation, the element
        # does not.
        "Our operations agent could do it only because we let it run as an administrator "
        "with no human sign-off at all.",
        "Si l'agent a pu tout effacer, c'est que nous lui avions laissé un accès "
        "administrateur complet sans aucune validation humaine.",
    ],
)
def test_a_negation_about_something_else_does_not_deny_the_element(text: str) -> None:
    assert how(expectation("agent-excessive-agency", BOARD), text, ACCESS) in {
        "meaning",
        "keyword",
    }


@pytest.mark.parametrize(
    "text",
    [
        "Our review is clear: no third-party tool used by the agent was compromised.",
        "Aucun outil tiers utilisé par l'agent n'a été compromis ni détourné.",
    ],
)
def test_a_negation_of_the_elements_own_point_still_denies_it(text: str) -> None:
    assert how(expectation("agent-excessive-agency", BOARD), text, TOOL) == "contradicted"


@pytest.mark.parametrize(
    ("scenario", "ref", "text", "element"),
    [
        # "n°" is a number: rules 5 read its "n" as French's "ne" and found the advice
        # contradicted.
        (
            "telecom-agent-sim-swap",
            "C-02.holding",
            "Des criminels ont transféré des numéros de clients vers leurs cartes SIM. Nous "
            "avons suspendu ces transferts. En cas de coupure, appelez le n° 3900 depuis un "
            "autre téléphone.",
            "customers who lose signal should call from another phone or visit a shop",
        ),
    ],
)
def test_words_that_only_look_negative_deny_nothing(
    scenario: str, ref: str, text: str, element: str
) -> None:
    assert how(expectation(scenario, ref), text, element) in {"keyword", "meaning"}


@pytest.mark.parametrize(
    "text",
    [
        "We have no doubt a foreign power did this.",
        "There is no question that Moscow is behind it.",
        "Il ne fait aucun doute qu'une puissance étrangère est derrière.",
    ],
)
def test_a_negation_that_affirms_still_says_the_forbidden_claim(text: str) -> None:
    verdict = grade(expectation("summit-deepfake", "I-13.holding"), text)
    assert [f.name for f in verdict.forbidden] == ["premature attribution"], verdict


def test_a_person_is_not_nobody() -> None:
    assert not tx.negated("Une personne a été contactée par la police.")
    assert tx.negated("Personne n'a été contacté.")


NEGATIONS = [
    "no", "not", "never", "nobody", "no one", "no-one", "nothing", "none", "neither", "nor",
    "can't", "don't", "won't", "shan't", "cannot", "doesn’t", "doesn‘t", "isnʼt", "no longer",
    "ne", "n'a", "n’est", "n‘a", "aucun", "aucune",
    "jamais", "rien", "ignore", "refused", "refusé", "denies", "declined", "avoid",
]  # fmt: skip
WORDS = ["the", "tool", "was", "compromised", "la", "vidéo", "est", "authentique", "we", "plan"]


@given(st.lists(st.sampled_from(NEGATIONS + WORDS), min_size=1, max_size=12))
def test_a_clause_with_its_negation_taken_out_holds_none(tokens: list[str]) -> None:
    text = " ".join(tokens)
    assert not tx.negated(tx.unsaid(text)), (text, tx.unsaid(text))


def test_taking_the_negation_out_keeps_the_rest() -> None:
    assert (
        tx.unsaid("No third-party tool was compromised.") == "a third-party tool was compromised."
    )
    assert tx.unsaid("La vidéo n'est pas authentique") == "La vidéo est authentique"
    assert (
        tx.unsaid("We can’t confirm that nothing was taken")
        == "We can confirm that something was taken"
    )
