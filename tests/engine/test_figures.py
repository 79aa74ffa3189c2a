"""The meaning grader matches a figure in a keyword as a whole number, however its digits
are grouped; the keyword grader matches as it always has.

Keywords are read on text normalised by :func:`engine.grading.normalise`, which turned
every separator into a word break: "1,900 candidates" held the keyword "900 candidates",
"900,000" the keyword "900", and an author had to list "1,100", "1100" and "1 100". For
the meaning grader (``figures``) a number written in groups of three digits (comma,
point, space, no-break or narrow no-break or thin space, apostrophe) is now one word: its
digits. A decimal stays a decimal, and a time, an address or a version keeps its parts.

The keyword grader is left as it was: an answer it graded has no verdict in the log and
is graded again on replay, so a change would make a log it wrote stop replaying
(:class:`engine.replay.ReplayMismatch`) and its report change its figures.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.grading import grade_text, normalise, term_found
from engine.meaning import text as tx
from engine.meaning.intake import grade
from engine.scenario.expectations import TextExpectation
from tests.engine.test_dryrun_cli import sitroom

SEPARATORS = (",", ".", " ", "\u00a0", "\u202f", "\u2009", "'", "\u2019")
"""Between groups of three digits: English, continental, French (plain, no-break and narrow
no-break space), thin space, Swiss (straight and typographic apostrophe)."""
GROUPINGS = st.sampled_from((None, *SEPARATORS))
"""How a team or an author writes a number: its digits alone (None) or grouped."""
FIGURE = "the figure"


def written(n: int, sep: str | None) -> str:
    """``n`` with its digits in groups of three behind ``sep`` (None: not grouped)."""
    digits = str(n)
    if sep is None:
        return digits
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return sep.join(groups)


def expecting(keyword: str) -> TextExpectation:
    return TextExpectation.model_validate(
        {
            "id": "notify",
            "kind": "text",
            "prompt": "How many candidates are affected?",
            "required": [{"any": [keyword], "label": FIGURE}],
        }
    )


def found(keyword: str, text: str) -> bool:
    """Whether the meaning grader's keyword reading finds ``keyword`` in ``text``."""
    return term_found(keyword, text, normalise(text, figures=True), figures=True)


def legacy_found(keyword: str, text: str) -> bool:
    """The keyword grader's reading, as it was before figures were read whole: case and
    accents folded, every run of punctuation a space, the phrase found between spaces."""

    def spaced(t: str) -> str:
        folded = "".join(
            c for c in unicodedata.normalize("NFKD", t.casefold()) if not unicodedata.combining(c)
        )
        return " " + re.sub(r"[^\w]+", " ", folded).strip() + " "

    return spaced(keyword) in spaced(text)


@settings(max_examples=300, deadline=None)
@given(
    n=st.integers(0, 10**9),
    m=st.integers(0, 10**9),
    author=GROUPINGS,
    team=GROUPINGS,
    sep=st.sampled_from((", ", " ", ": ", "; ", ".")),
)
def test_the_keyword_grader_reads_figures_as_it_always_has(
    n: int, m: int, author: str | None, team: str | None, sep: str
) -> None:
    """What the keyword grader finds in a text with grouped figures is what it found when
    the log was written: "900 candidates" is still in "1,900 candidates" for it."""
    keyword = written(n, author) + " candidates"
    text = f"We count {written(m, team)}{sep}{written(n, team)} candidates affected."
    matched = grade_text(expecting(keyword), text).matched == (FIGURE,)
    assert matched == legacy_found(keyword, text), (keyword, text)


def test_a_keyword_era_answer_keeps_its_grade() -> None:
    """The answer a reviewer logged under the keyword grader before this change (5 of 10:
    all four of SF-22's terms, one of them the "900 candidates" of "1,900 candidates")."""
    text = (
        "Initial notification: about 1,900 candidates' personal and health data was "
        "disclosed by the recruiting agent. Tools revoked, employers asked to delete. "
        "Contact: the DPO."
    )
    assert legacy_found("900 candidates", text)
    assert found("900 candidates", text) is False
    exp = expecting("900 candidates")
    assert grade_text(exp, text).matched == (FIGURE,)


@settings(max_examples=300, deadline=None)
@given(
    n=st.integers(0, 10**12),
    author=GROUPINGS,
    team=GROUPINGS,
    noun=st.sampled_from(("", " candidates")),
)
def test_a_figure_is_found_in_any_grouping_of_itself(
    n: int, author: str | None, team: str | None, noun: str
) -> None:
    text = f"We count {written(n, team)} candidates affected."
    assert found(written(n, author) + noun, text), (written(n, author), text)


@settings(max_examples=300, deadline=None)
@given(
    n=st.integers(1, 10**9),
    group=st.integers(0, 999),
    lead=st.integers(1, 999),
    before=st.booleans(),
    author=GROUPINGS,
    team=GROUPINGS,
)
def test_a_figure_is_never_found_inside_a_larger_number(
    n: int, group: int, lead: int, before: bool, author: str | None, team: str | None
) -> None:
    """A group added before the figure ("1,900" for "900") or after it ("900,000")."""
    groups = -(-len(str(n)) // 3)
    larger = lead * 1000**groups + n if before else n * 1000 + group
    text = f"We count {written(larger, team)} candidates affected."
    assert not found(written(n, author), text), (written(n, author), text)
    assert not found(written(n, author) + " candidates", text), (written(n, author), text)


@settings(max_examples=200, deadline=None)
@given(
    whole=st.integers(0, 999),
    decimals=st.from_regex(r"[0-9]{1,6}", fullmatch=True),
    sep=st.sampled_from((",", ".")),
    other=st.sampled_from((",", ".")),
)
def test_a_decimal_stays_a_decimal(whole: int, decimals: str, sep: str, other: str) -> None:
    """A decimal is not merged: "1.5" and « 1,5 » are not "15", "0.125" is not "0125"
    (three decimals behind a lead other than 0 are a group: "1.125" is 1125, as French
    writes it)."""
    if len(decimals) == 3 and whole != 0:
        decimals += "5"
    text = f"Turnout fell to {whole}{sep}{decimals} million."
    assert not found(f"{whole}{decimals}", text), text
    assert found(f"{whole}{other}{decimals} million", text), text


@pytest.mark.parametrize(
    ("keyword", "text", "is_found"),
    [
        ("16:30", "We will update you at 16.30.", True),
        ("16:30", "We will update you at 16:30.", True),
        ("09:20", "It started at 09:20 today.", True),
        ("9h41", "It started at 9h41 today.", True),
        ("16 h", "The 16 h briefing is on.", True),
        ("9h41", "It started at 9:41 today.", False),
    ],
)
def test_a_time_is_matched_as_it_always_was(keyword: str, text: str, is_found: bool) -> None:
    assert found(keyword, text) is is_found


@pytest.mark.parametrize(
    ("keyword", "text", "is_found"),
    [
        # An address, a time or a version just before a number of three digits.
        ("443", "exfil to 203.0.113.45 443; keys used from 198.51.100.23 120 times", True),
        ("120 times", "exfil to 203.0.113.45 443; keys used from 198.51.100.23 120 times", True),
        ("900 candidate profiles", "Since 09:20 900 candidate profiles were deleted.", True),
        ("125 customers", "since 22:40 125 customers lost their numbers", True),
        ("500 employees", "tidycloud 3.1.2 500 employees' rows went out", True),
        ("203 hosts", "C2 203 hosts answered the beacon", True),
        # Two spaces typed between the groups, as one.
        ("1 100", "About 1  100 candidates were affected.", True),
        ("1,100", "About 1  100 candidates were affected.", True),
        # A year, or a list, before a grouped figure: the figure is still whole.
        ("1,100", "In 2026 1 100 candidates were affected.", True),
        ("1,100", "In 2025, 1,100 candidates were affected.", True),
        ("4,800", "Since 2024 4 800 citizens' IDs were exposed.", True),
        # Phone numbers are not grouped by threes from their start.
        ("1,800,555", "call 1 800 555 0100 for help", False),
        ("800,000,000", "call 0 800 000 000 for help", False),
        ("0800 100 200", "call 0800 100 200 for help", True),
        # A figure glued to a letter, and a decimal behind a 0.
        ("3405", "Llama 3 405B is the model", False),
        ("0125", "Turnout fell to 0.125 million.", False),
    ],
)
def test_a_figure_beside_another_number_is_read_as_written(
    keyword: str, text: str, is_found: bool
) -> None:
    assert found(keyword, text) is is_found, normalise(text, figures=True)


def test_joining_figures_moves_no_answer_across_its_word_bounds() -> None:
    """Each group of a figure's digits is still a word when an answer's length is counted
    ("1,900" is two), by both graders."""
    text = "About 1,900 candidates and 1 100 profiles, 3.400 in all."
    assert tx.words(text) == len(text.replace(",", " ").replace(".", " ").split()) == 12
    exp = TextExpectation.model_validate(
        {"id": "n", "kind": "text", "prompt": "?", "required": ["candidates"], "min_words": 12}
    )
    assert not any("too short" in str(r) for r in grade_text(exp, text).reasons)


def test_an_address_or_a_version_keeps_its_parts() -> None:
    """Digits behind the same separator around three-digit groups, or a dotted string after
    them, make a longer string, not a number: "10.100.1.1", "3.1.000", "C2 203.0.113.47"."""
    assert found("203.0.113.47", "C2 203.0.113.47; persistence by crontab.")
    assert found("203.0.113.47", "blocked port 443 203.0.113.47 at the edge")
    assert found("10.100.1.1", "traffic to 10.100.1.1 is blocked")
    assert found("3.1.0", "tidycloud 3.1.0 is the poisoned release")
    assert not found("3100", "tidycloud 3.1.100 is the poisoned release")
    # The same, where keyword and text are not one string (the found() above cannot fail
    # on a joiner that glues them, since it glues both alike): the parts are not a number.
    assert not found("10100", "traffic to 10.100.1.1 is blocked")
    assert not found("1100", "tidycloud 3.1.100 is the poisoned release")
    assert not found("443203", "blocked port 443 203.0.113.47 at the edge")


# ------------------------------------------------------------ the meaning grader


ONLY_JOINED = TextExpectation.model_validate(
    {
        "id": "notify",
        "kind": "text",
        "prompt": "Write the initial notification.",
        "points": 10,
        "model_answer": "About 1100 candidates' personal data was sent to employers.",
        "required": [
            {"any": ["1100"], "label": "the approximate number of candidates affected"},
            {"any": ["personal data"], "label": "personal data was disclosed"},
        ],
        "forbidden": [{"any": ["900"], "label": "an old figure"}],
    }
)


@pytest.mark.meaning
@pytest.mark.parametrize(
    "figure", ["1,100", "1.100", "1 100", "1\u202f100", "1\u00a0100", "1'100", "1\u2019100"]
)
def test_the_meaning_grader_finds_a_figure_in_any_grouping(figure: str) -> None:
    verdict = grade(ONLY_JOINED, f"The personal data of {figure} candidates was sent out.")
    hows = {v.name: v.how for v in verdict.required}
    assert hows["the approximate number of candidates affected"] == "keyword"


@pytest.mark.meaning
@pytest.mark.parametrize("figure", ["1,100", "1.100", "1\u202f100", "1'100"])
def test_a_negation_governs_a_figure_in_any_grouping(figure: str) -> None:
    """The rules read a negation before a keyword on the clause's words: a grouped figure
    is one word there too, so it is denied as the figure written as the keyword is."""
    said = "Their personal data was leaked. We never said {} candidates were affected."
    number = "the approximate number of candidates affected"
    hows = [
        {v.name: v.how for v in grade(ONLY_JOINED, said.format(f)).required}[number]
        for f in ("1100", figure)
    ]
    assert hows == ["contradicted", "contradicted"]


@pytest.mark.meaning
@pytest.mark.parametrize("text", ["1,900 candidates", "9000 candidates", "900,000 candidates"])
def test_the_meaning_grader_finds_no_forbidden_figure_inside_a_larger_number(text: str) -> None:
    verdict = grade(ONLY_JOINED, f"The personal data of {text} was sent to employers.")
    assert verdict.forbidden == []


@pytest.mark.meaning
def test_sitroom_rubric_reads_figures_as_whole_numbers(tmp_path: Path) -> None:
    """SF-22.notify lists "900 candidates" (the profiles read): "1,900 candidates" is
    another figure and held it as a keyword; « 1 100 » and "1.100" are the figure asked
    for. By meaning, "about 1,900 candidates" is as close to "the approximate number of
    candidates affected" as the right figure: rules 11 give nothing by meaning to a clause
    naming another count (tests/meaning/test_facts.py)."""
    said = "candidates' personal and health data was disclosed. Tools revoked, DPO is contact."
    answers = {
        "wrong": f"Initial notification: about 1,900 {said}",
        "french": f"Notification initiale : environ 1\u202f100 {said}",
        "dotted": f"Initial notification: about 1.100 {said}",
    }
    sheet = tmp_path / "answers.csv"
    sheet.write_text(
        "team,text\n" + "".join(f'{team},"{text}"\n' for team, text in answers.items()),
        encoding="utf-8",
    )
    out = sitroom("rubric", "summit-flagship", "SF-22.notify", str(sheet), "--format", "json")
    assert out.returncode == 0, out.stderr
    number = "the approximate number of candidates affected"
    hows = [
        next(e["how"] for e in answer["required"] if e["name"] == number)
        for answer in json.loads(out.stdout)
    ]
    assert hows == ["missing", "keyword", "keyword"]
