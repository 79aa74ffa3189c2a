"""Rules 10: a clause that gives a figure earns a figure element only by its keyword or pattern.

Meaning cannot check a number: "about 1,900 candidates" is as close to SF-22's "the
approximate number of candidates affected" as the 1,100 asked for, and earned it by
meaning. An element whose every synonym holds digits, or whose pattern looks for some
(:func:`engine.meaning.rubric.figure_term`), is now earned in a clause holding digits only
by those; a clause without any (« près de onze cents candidats ») is still read by meaning.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.meaning.rubric import figure_term
from engine.scenario import load_file
from engine.scenario.expectations import Term, TextExpectation
from tests.meaning.rubrics import expectation, how
from tests.scenario.library_table import scenario_files

pytestmark = pytest.mark.meaning

COUNT = "the approximate number of candidates affected"
SAID = "candidates' personal and health data was disclosed. Tools revoked, DPO is the contact."


@pytest.mark.parametrize(
    ("opening", "judged"),
    [
        ("Initial notification: about 1,900", "missing"),
        ("Initial notification: about 25", "missing"),
        ("Initial notification: some 19,000", "missing"),
        ("Initial notification: about 1,100", "keyword"),
        ("Notification initiale : environ 1\u202f100", "keyword"),
        ("Initial notification: about 1.100", "keyword"),
    ],
)
def test_a_clause_giving_another_figure_does_not_earn_the_figure(opening: str, judged: str) -> None:
    assert how(expectation("summit-flagship", "SF-22.notify"), f"{opening} {SAID}", COUNT) == judged


def test_a_figure_in_words_is_still_read_by_meaning() -> None:
    """No digit in the clause: the rules cannot tell a figure written in words from a wrong
    one, and leave it to meaning (an evaluator credits « près de onze cents »)."""
    exp = expectation("summit-flagship", "SF-22.notify")
    text = (
        "Notification initiale. Depuis ce matin, l'agent a transmis des données de santé de "
        "candidats à des employeurs. Près de onze cents candidats sont concernés. "
        "Les outils de l'agent sont révoqués ; contact : notre DPD."
    )
    assert how(exp, text, COUNT) == "meaning"


def test_a_pattern_that_looks_for_a_figure_is_a_figure() -> None:
    """S-04's ``\\b57\\b``: "58 customers" is another figure, "57 customers" the one."""
    exp = expectation("telecom-agent-sim-swap", "S-04.facts")
    element = "the number of customers affected (57)"
    story = (
        "Since Wednesday 22:40 our chat agent Vera moved {} customers' numbers to eSIMs "
        "held by criminals after a fake supervisor note. We withdrew its transfer tools."
    )
    assert how(exp, story.format("58"), element) == "missing"
    assert how(exp, story.format("57"), element) == "keyword"


def test_the_library_model_answers_still_earn_their_figures() -> None:
    """Every figure element of the library is earned by its own expectation's model
    answer (a rubric whose figure the model answer states otherwise is wrong)."""
    unearned = []
    for path in scenario_files():
        scenario = load_file(path).require()
        for ref, (_, exp) in scenario.expectation_by_ref.items():
            if not isinstance(exp, TextExpectation) or not exp.model_answer.strip():
                continue
            for term in exp.required:
                if figure_term(term):
                    name = term if isinstance(term, str) else term.name
                    if how(exp, exp.model_answer, name) not in ("keyword", "meaning"):
                        unearned.append(f"{path.stem} {ref}: {name}")
    assert not unearned, "\n".join(unearned)


@pytest.mark.parametrize(
    ("term", "figure"),
    [
        (Term(any=["1,100", "900 candidates", "3 400"], label="a count"), True),
        (Term(any=["198.51.100.23"], label="an address"), True),
        (Term(any=["1,100", "eleven hundred"], label="a count"), False),
        (Term(any=["revoked", "stopped"], label="stopped"), False),
        (Term(pattern=r"\b57\b|fifty-seven", label="57"), True),
        (Term(pattern=r"\b(16|4)\s*[:.h]\s*30(?!\d)", label="16:30"), True),
        (Term(pattern=r"(?i)\b(remain\w*|still open|pending)\b", label="open"), False),
        (Term(pattern=r"\d{1,2}:\d{2}", label="a time"), False),
        (Term(pattern=r"\x41\101 ok", label="escapes"), False),
        ("16:30", True),
        ("contact point", False),
    ],
)
def test_figure_term(term: str | Term, figure: bool) -> None:
    assert figure_term(term) is figure


@settings(max_examples=60, deadline=None)
@given(figure=st.integers(1, 10**7), other=st.integers(1, 10**7))
def test_another_figure_never_earns_a_figure_element(figure: int, other: int) -> None:
    """Whatever the figure asked for and the one given: only the one asked for earns it."""
    exp = TextExpectation.model_validate(
        {
            "id": "notify",
            "kind": "text",
            "prompt": "How many candidates are affected?",
            "points": 10,
            "model_answer": f"About {figure:,} candidates' personal data was disclosed.",
            "required": [{"any": [f"{figure:,}"], "label": COUNT}],
        }
    )
    text = f"About {other:,} candidates' personal data was disclosed."
    assert how(exp, text, COUNT) == ("keyword" if other == figure else "missing")
