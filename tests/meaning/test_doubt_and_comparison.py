"""Doubt said in more ways, spoken French negation, comparisons and forbidden clauses
(issue 14, rules use-m3/7).

Evaluators give nothing for an element an answer only casts doubt on. Rules 6 read doubt
in "cannot confirm", "too early to say" and "whether"; an answer that says "it is unclear
if…" or « on ignore encore si… » kept the element, and so did « c'est pas… », spoken
French's negation without its "ne". And "administrator rights it never needed" lost "gave
the agent more access than it needed": the negation fell on the word the element uses as
its measure. An element that only says a thing may be so is met by an answer asking
whether it is, and a negation the element itself makes ("no switching") agrees with it.
A clause that says a forbidden idea makes no required point, and one that quotes a claim
to call it false does not make it. Each case is graded as the engine grades an answer
when it is taken, on the library's own rubrics.
"""

from __future__ import annotations

import pytest

from engine.meaning import text as tx
from engine.meaning.intake import grade
from tests.meaning.rubrics import expectation, how

pytestmark = pytest.mark.meaning

TOOL = "a third-party tool the agent used was hijacked"
ACCESS = "Corvida gave the agent more access than it needed"


@pytest.mark.parametrize(
    "text",
    [
        # Kept by rules 6 (keyword found, no doubt read):
        "It is still unclear if a third-party tool used by the agent was hijacked.",
        "On ignore encore si un outil tiers utilisé par l'agent a été piraté.",
        "C'est pas un outil tiers utilisé par l'agent qui a été piraté.",
        # Already denied by rules 6, through their negation; they must stay so:
        "It has not been established that a third-party tool used by the agent was hijacked.",
        "Rien ne permet à ce stade d'affirmer qu'un outil tiers utilisé par l'agent a été piraté.",
        "Whether a third-party tool used by the agent was hijacked remains to be confirmed.",
    ],
)
def test_doubt_on_an_element_earns_nothing_for_it(text: str) -> None:
    exp = expectation("agent-excessive-agency", "XA-38.board")
    assert how(exp, text, TOOL) == "contradicted"


@pytest.mark.parametrize(
    "text",
    [
        # One clause: "checking" alone would make it doubt.
        "While checking the logs we found that a third-party tool used by the agent was hijacked.",
        "Un outil tiers utilisé par l'agent a été piraté, pas de doute là-dessus.",
    ],
)
def test_checking_and_no_doubt_are_not_doubt(text: str) -> None:
    exp = expectation("agent-excessive-agency", "XA-38.board")
    assert how(exp, text, TOOL) == "keyword"


def test_an_element_that_is_itself_doubt_is_met_by_doubt() -> None:
    # The element says the claim is unverified; saying so is not doubt against it.
    exp = expectation("summit-flagship", "SF-50.sitrep")
    text = "La revendication de NULL QUORUM n'est pas vérifiée et rien ne la relie à nos faits."
    assert how(exp, text, "NULL QUORUM's claim is unverified") in {"keyword", "meaning"}


def test_a_negation_on_an_elements_measure_does_not_deny_it() -> None:
    exp = expectation("agent-excessive-agency", "XA-45.own")
    text = (
        "Our agent deleted the payroll database because a hijacked third-party tool told it "
        "to; we had given it administrator rights it never needed."
    )
    assert how(exp, text, ACCESS) == "keyword"
    # The same words with the negation on the point itself still deny it.
    denied = "We never gave our agent administrator rights; a hijacked tool did it all."
    assert how(exp, denied, ACCESS) == "contradicted"


@pytest.mark.parametrize(
    ("clause", "doubt"),
    [
        ("it is unclear whether data left", True),
        ("the claim is unverified", True),
        ("nous vérifions si des données ont fuité", True),
        ("we are checking the logs", False),
        ("we are checking on the hotline staffing", False),
        ("the backup was verified at 01:00", False),
    ],
)
def test_what_reads_as_doubt(clause: str, doubt: bool) -> None:
    assert tx.hedged(clause) is doubt


def test_doubt_meets_an_element_that_only_says_it_may_be() -> None:
    # The element says backups *may* hold the conversations: asking whether they do is
    # what it asks for, not doubt against it.
    exp = expectation("llmjacking", "LJ-24.recover")
    text = (
        "The audit trail still lists each GetObject call. The conversations may still "
        "exist: we have asked the provider whether versioning or its internal backups kept "
        "copies, and to put a hold on them."
    )
    element = "backups or object versions may still hold the conversations"
    assert how(exp, text, element) == "keyword"


@pytest.mark.parametrize(
    ("text", "judged"),
    [
        # The element's own negation ("no switching") agrees with it.
        ("The grid is operating normally, no switching.", "keyword"),
        ("Le réseau fonctionne normalement, aucune manœuvre n'a été faite.", "keyword"),
        # A negation before the element's words still denies it.
        ("It is not true that the grid is operating normally with no switching.", "contradicted"),
    ],
)
def test_the_elements_own_negation_agrees_with_it(text: str, judged: str) -> None:
    exp = expectation("summit-deepfake", "I-29.notification")
    assert how(exp, text, "the grid is operating normally and no switching was done") == judged


def test_a_clause_that_says_a_forbidden_idea_makes_no_required_point() -> None:
    # "your documents were not accessed" is the forbidden reassurance; by meaning it sat
    # next to "we do not yet know whether their documents were accessed" and earned it.
    exp = expectation("model-hub-pickles", "MH-24.customer")
    text = (
        "We can confirm that the docscore batch job did pick up the affected model in last "
        "night's run. However we have checked and your documents were not accessed. We will "
        "update you by 18:00 with our final report."
    )
    verdict = grade(exp, text)
    assert [v.name for v in verdict.forbidden] == [
        "no customer data was accessed and their data is safe"
    ]
    known = "we do not yet know whether their documents were accessed"
    assert next(v for v in verdict.required if v.name == known).credit == 0


@pytest.mark.parametrize(
    "text",
    [
        "Les appels reprenant la voix de la présidente et annonçant un vote lundi sont des "
        "faux : la commission n'a passé aucun appel. Le scrutin a lieu dimanche 29 juin.",
        "The calls saying you can also vote on Monday are fake. The vote is on Sunday 29 June.",
    ],
)
def test_a_claim_quoted_to_be_called_false_is_not_said(text: str) -> None:
    exp = expectation("election-disinfo", "ED-07.catchup")
    assert grade(exp, text).forbidden == []


def test_a_forbidden_claim_is_still_said_when_another_clause_calls_something_fake() -> None:
    exp = expectation("election-disinfo", "ED-07.catchup")
    text = "The robocalls are fake. Voters in the three districts may vote on Monday instead."
    assert [v.name for v in grade(exp, text).forbidden] == ["voting on Monday is possible"]


ATTRIBUTION = "a foreign state is named as behind the operation"


@pytest.mark.parametrize(
    "text",
    [
        # A word that describes something in the clause refutes nothing, and doubts nothing.
        "The Kremlin is behind these fake calls. The vote is on Sunday 29 June.",
        "Ces faux appels sont une opération d'influence étrangère. Le scrutin a lieu dimanche.",
        "Russia is behind this wave of unverified rumours. The vote is on Sunday 29 June.",
    ],
)
def test_a_forbidden_claim_beside_a_fake_or_unverified_thing_is_said(text: str) -> None:
    exp = expectation("election-disinfo", "ED-07.catchup")
    assert ATTRIBUTION in [v.name for v in grade(exp, text).forbidden]


def test_an_instruction_to_check_is_not_doubt() -> None:
    exp = expectation("election-disinfo", "ED-07.catchup")
    text = "Ces appels sont des faux. Vérifiez si vous êtes bien inscrit avant le dimanche 29 juin."
    assert how(exp, text, "the vote is on Sunday 29 June") == "keyword"


def test_saying_a_forbidden_idea_twice_does_not_earn_the_element_back() -> None:
    exp = expectation("model-hub-pickles", "MH-24.customer")
    text = (
        "We can confirm that the docscore batch job did pick up the affected model in last "
        "night's run. However we have checked and your documents were not accessed. Your "
        "documents were not accessed at all. We will update you by 18:00."
    )
    verdict = grade(exp, text)
    known = "we do not yet know whether their documents were accessed"
    assert next(v for v in verdict.required if v.name == known).credit == 0


def test_pas_the_noun_is_no_negation() -> None:
    exp = expectation("summit-deepfake", "I-09.sitrep")
    text = "Pas à pas, le réseau a fonctionné normalement toute la matinée, sans délestage."
    assert how(exp, text, "the grid operated normally all morning") == "keyword"


def test_pas_the_noun_does_not_hide_an_attribution() -> None:
    exp = expectation("summit-deepfake", "I-09.sitrep")
    text = "C'est un pas de plus dans une campagne du Kremlin contre le sommet."
    assert [v.name for v in grade(exp, text).forbidden] == ["premature attribution"]


def test_the_month_of_may_is_not_a_possibility() -> None:
    # "disabled on 19 May" says it was; doubt about it earns nothing.
    exp = expectation("llmjacking", "LJ-18.timeline")
    text = "It is still unclear if the leaked key was disabled at all."
    assert how(exp, text, "the leaked key was disabled on 19 May") == "contradicted"
