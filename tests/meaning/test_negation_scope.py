"""Where a negation or a doubt speaks against an element, and where it does not
(issue 14, rules use-m3/3 and /5).

A negation governs what follows it: "the tax deadline has not moved" says the
deadline stands, while "we have found no evidence that any model was stolen" denies
the theft. And doubt supports an element that is itself about what is not known
("we cannot tell you that your data is safe until we know" is the honesty asked
for). Each case is graded as the engine grades an answer when it is taken.
"""

from __future__ import annotations

import pytest

from engine.meaning.intake import grade
from engine.scenario.expectations import TextExpectation
from tests.meaning.rubrics import how

pytestmark = pytest.mark.meaning

DEADLINE = TextExpectation.model_validate(
    {
        "id": "status",
        "kind": "text",
        "prompt": "Your status message for users of the tax assistant.",
        "points": 10,
        "model_answer": (
            "The assistant is down while we investigate. You can still file on the tax "
            "portal; the filing deadline of 31 May is unchanged."
        ),
        "required": [
            {"any": ["deadline"], "label": "addresses the tax deadline"},
            {"any": ["down", "unavailable"], "label": "says the assistant is down"},
        ],
    }
)
UNKNOWN = TextExpectation.model_validate(
    {
        "id": "reply",
        "kind": "text",
        "prompt": "Your reply to the customer who asks whether her files were read.",
        "points": 10,
        "model_answer": (
            "A malicious model ran in our nightly scoring job, which could read your "
            "files. We do not yet know whether it read them; we will tell you by 18:00."
        ),
        "required": [
            {"any": ["scoring job", "nightly"], "label": "says where it ran"},
            {
                "any": ["do not yet know", "not yet know", "still establishing"],
                "label": "is honest about what is unknown",
            },
        ],
    }
)


@pytest.mark.parametrize(
    "text",
    [
        "The assistant is down. The tax deadline has not moved.",
        "The assistant is unavailable; the deadline is not changing and nobody will be fined.",
        "L'assistant est indisponible. La date limite (deadline) n'a pas bougé.",
    ],
)
def test_a_negation_after_the_keyword_does_not_deny_it(text: str) -> None:
    assert how(DEADLINE, text, "addresses the tax deadline") == "keyword"


@pytest.mark.parametrize(
    "text",
    [
        "The assistant is down. We do not think anyone needs to worry about the deadline.",
        "The assistant is down. There is no reason to mention any deadline today.",
    ],
)
def test_a_negation_before_the_keyword_still_denies_it(text: str) -> None:
    assert how(DEADLINE, text, "addresses the tax deadline") == "contradicted"


NOTIFY = TextExpectation.model_validate(
    {
        "id": "notice",
        "kind": "text",
        "prompt": "What happens next?",
        "points": 10,
        "model_answer": "We notify the regulator within 72 hours and inform customers today.",
        "required": [
            {"any": ["regulator"], "label": "notifies the regulator within 72 hours"},
            {"any": ["customers"], "label": "informs customers today"},
        ],
    }
)


@pytest.mark.parametrize(
    "text",
    [
        "The regulator will not be notified. Customers are informed today.",
        "The regulator has not been notified yet. Customers are informed today.",
    ],
)
def test_a_negation_after_the_keyword_on_the_elements_own_verb_denies_it(text: str) -> None:
    """ "Will not be notified" negates the element's own act (a stem it shares with its
    words), unlike "has not moved", which says something else of the keyword."""
    verdict = grade(NOTIFY, text)
    assert {v.name: v.how for v in verdict.required} == {
        "notifies the regulator within 72 hours": "contradicted",
        "informs customers today": "keyword",
    }


def test_doubt_supports_an_element_about_what_is_unknown() -> None:
    text = (
        "The malicious model ran in our nightly scoring job. I cannot tell you that your "
        "files are safe, and we do not yet know whether it read them."
    )
    verdict = grade(UNKNOWN, text)
    assert {v.name: v.how for v in verdict.required} == {
        "says where it ran": "keyword",
        "is honest about what is unknown": "keyword",
    }
    assert verdict.points == 10


def test_doubt_still_speaks_against_a_fact() -> None:
    text = "The assistant is down. We cannot confirm that the deadline is unchanged."
    assert how(DEADLINE, text, "addresses the tax deadline") == "contradicted"


def test_a_heading_word_is_read_with_the_sentence_it_opens() -> None:
    """Alone, "Reminder" is close to every element of its subject: an off-topic note
    that opens with it must not be credited for the elements by that one word."""
    from pathlib import Path

    from engine.scenario import load_file

    root = Path(__file__).resolve().parents[2]
    scenario = load_file(root / "scenarios" / "election-disinfo.yaml").require()
    exp = scenario.expectation("ED-27.supporters")
    assert isinstance(exp, TextExpectation)
    text = (
        "Reminder: campaigning stops at midnight tonight. After that, no leaflets, no "
        "posts, no door-knocking. Please return all unused materials to the local office "
        "by 10pm."
    )
    verdict = grade(exp, text)
    assert all(v.evidence != "Reminder" for v in verdict.required)
    assert verdict.share < 0.25


NO_CUT = TextExpectation.model_validate(
    {
        "id": "holding",
        "kind": "text",
        "prompt": "Your holding statement on the video.",
        "points": 10,
        "model_answer": (
            "No shutdown is planned. The agency never asks for bank details by SMS: do not "
            "answer such messages."
        ),
        "required": [
            {"any": ["no shutdown", "aucune coupure"], "label": "no shutdown is planned"},
            {
                "any": ["do not answer", "ne répondez pas"],
                "label": "citizens must not answer messages asking for bank details",
            },
        ],
    }
)


@pytest.mark.parametrize(
    ("text", "element"),
    [
        # French says one negation in two words: "n'… aucune".
        ("Il n'y aura aucune coupure d'électricité ce week-end.", "no shutdown is planned"),
        ("Nous confirmons qu'il n'y a aucune coupure prévue.", "no shutdown is planned"),
        # Another verb's negation, before a comma.
        (
            "The agency never asks for them, do not answer.",
            "citizens must not answer messages asking for bank details",
        ),
    ],
)
def test_a_keyword_with_its_own_negation_is_not_denied_by_one_before_it(
    text: str, element: str
) -> None:
    assert how(NO_CUT, text, element) == "keyword"


@pytest.mark.parametrize(
    "text",
    [
        "We cannot confirm that there will be no shutdown.",  # doubt
        "Nobody said there would be no shutdown.",  # another negation, same part
        "We cannot promise there will be no shutdown.",
    ],
)
def test_a_keyword_with_its_own_negation_is_still_denied_by_another(text: str) -> None:
    assert how(NO_CUT, text, "no shutdown is planned") == "contradicted"


IN_PERSON = TextExpectation.model_validate(
    {
        "id": "guidance",
        "kind": "text",
        "prompt": "Your guidance to voters who received the message.",
        "points": 10,
        "model_answer": "A proxy is still made in person at a police station.",
        "required": [
            {
                "any": ["in person", "en personne"],
                "label": "a proxy is still made in person at a police station",
            }
        ],
    }
)


def test_personne_is_a_negation_only_with_its_ne() -> None:
    """« en personne » is "in person": the fraud's own message denies it."""
    text = "Ne vous déplacez pas en personne : la procuration se fait désormais en ligne."
    assert how(IN_PERSON, text, "a proxy is still made in person at a police station") == (
        "contradicted"
    )
