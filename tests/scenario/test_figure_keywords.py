"""No figure in a keyword or a pattern of the bundled scenarios is found inside a larger number
by the meaning grader (the grader the engine records; the keyword grader reads as it always
has, so that the logs it graded replay: tests/engine/test_figures.py).

A figure is a whole number however a team groups its digits ("1,100", "1.100", « 1 100 »,
"1'100"): "900 candidates" is not in "1,900 candidates" nor "900,000 candidates"
(:func:`engine.grading.join_digit_groups`). Every figure of every keyword is tried inside
larger numbers, a group of three digits added before it ("1,900" for "900") or after it
("900,000"), in every grouping; and each one of four digits or more in every grouping of
itself. A pattern is the author's regular expression on the raw text: each number written
in it that it finds on its own ("57" in ``\\b57\\b``) is tried the same way.

A new scenario is picked up automatically. A pattern this finds wants a guard after its
figure, e.g. ``\\b57\\b(?![,.'’\\s]\\d{3}(?!\\d))``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

import pytest

from engine.grading import normalise, term_found
from engine.meaning import text as tx
from engine.scenario import load_file
from engine.scenario.expectations import Term, TextExpectation
from tests.scenario.library_table import scenario_files

SEPARATORS = (",", ".", " ", "\u00a0", "\u202f", "\u2009", "'", "\u2019")
_FIGURE = re.compile(
    r"(?<![\w])(?:[1-9][0-9]{0,2}([,.' \u00a0\u202f\u2009\u2019])[0-9]{3}(?:\1[0-9]{3})*|[0-9]+)"
    r"(?![\w])"
)
"""A number in a keyword: grouped as the engine groups, or digits alone."""
_DOTTED_BEFORE = re.compile(r"[0-9][.,:'\u2019]$")
_DOTTED_AFTER = re.compile(r"[.,:'\u2019][0-9]")
"""Digits and a separator beside a number: it is a part of a longer string."""
_LITERAL = re.compile(r"(?<![0-9])[0-9]+(?![0-9])")
_NOT_LITERAL = re.compile(
    r"\\x[0-9a-fA-F]{2}|\\u[0-9a-fA-F]{4}|\\U[0-9a-fA-F]{8}|\\[0-7]{1,3}|\\.|\{[0-9,]*\}"
)
"""Escapes (``\\d``, ``\\x41``, a back-reference) and repeat counts (``{1,2}``) of a pattern:
their digits are not numbers it looks for."""


def written(n: int, sep: str | None) -> str:
    digits = str(n)
    if sep is None:
        return digits
    head = len(digits) % 3 or 3
    return sep.join([digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)])


@cache
def terms() -> list[tuple[str, str | Term, bool]]:
    """(where, term, forbidden) for every term of every text expectation of the library."""
    out: list[tuple[str, str | Term, bool]] = []
    for path in scenario_files():
        scenario = load_file(path).require()
        for ref, (_, exp) in scenario.expectation_by_ref.items():
            if isinstance(exp, TextExpectation):
                where = f"{path.stem} {ref}"
                out += [(where, t, False) for t in exp.required]
                out += [(where, t, True) for t in exp.forbidden]
    return out


def keywords() -> list[tuple[str, str, bool]]:
    """Every keyword (a phrase or a synonym) that holds a number."""
    return [
        (where, word, forbidden)
        for where, term, forbidden in terms()
        for word in ([term] if isinstance(term, str) else term.any)
        if _FIGURE.search(word)
    ]


def patterns() -> list[tuple[str, str]]:
    return [
        (where, term.pattern)
        for where, term, _ in terms()
        if isinstance(term, Term) and term.pattern is not None
    ]


def larger(n: int) -> Iterator[int]:
    """Numbers that hold ``n`` and a group more: before it (1,900 for 900), after it."""
    yield 1000 ** -(-len(str(n)) // 3) + n
    if n:
        yield n * 1000


def probes(keyword: str) -> Iterator[tuple[str, bool]]:
    """(the keyword with one of its figures rewritten, whether it is still that figure)."""
    for m in _FIGURE.finditer(keyword):
        digits = re.sub(r"[^0-9]", "", m.group(0))
        if digits.startswith("0") and digits != "0":
            continue  # not a number: a phone number, a code ("0800 000 000", "09:41")
        before, after = keyword[: m.start()], keyword[m.end() :]
        if _DOTTED_BEFORE.search(before) or _DOTTED_AFTER.match(after):
            continue  # a part of an address, a version, a time, a decimal: not grouped
        for sep in SEPARATORS:
            if before[-1:] == sep or after[:1] == sep:
                continue  # "lines 1 and 9": " 000" after "1" is another figure's group
            if int(digits) >= 1000:
                yield before + written(int(digits), sep) + after, True
            for n in larger(int(digits)):
                yield before + written(n, sep) + after, False


def test_the_library_has_figure_keywords_and_patterns() -> None:
    assert any(word == "900 candidates" for _, word, _ in keywords())
    assert any(_LITERAL.search(_NOT_LITERAL.sub(" ", p)) for _, p in patterns())


def test_no_figure_keyword_is_found_inside_a_larger_number() -> None:
    wrong = []
    for where, keyword, forbidden in keywords():
        for probe, same in probes(keyword):
            text = f"We report {probe} today."
            found = term_found(keyword, text, normalise(text, figures=True), figures=True)
            if forbidden and tx.word_form_at(keyword, text) is not None:
                found = True  # the meaning grader's reading of a forbidden form
            if found is not same:
                wrong.append(f"{where}: {keyword!r} {'missed in' if same else 'found in'} {text!r}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(("where", "pattern"), patterns(), ids=[w for w, _ in patterns()])
def test_no_pattern_finds_its_figure_inside_a_larger_number(where: str, pattern: str) -> None:
    regex = re.compile(pattern, re.IGNORECASE)
    if regex.search("We report  today."):
        return  # it finds something without a number: nothing here to try
    wrong = []
    for literal in sorted(set(_LITERAL.findall(_NOT_LITERAL.sub(" ", pattern)))):
        if not regex.search(f"We report {literal} today."):
            continue  # a part of something else (a time: "16:30"), not a figure on its own
        for probe, same in probes(literal):
            text = f"We report {probe} today."
            if not same and regex.search(text):
                wrong.append(f"{literal!r} found in {text!r}")
        if len(literal) == 2 and int(literal) < 60:  # a figure is not the minutes of a time
            for time in (f"22:{literal}", f"22.{literal}"):
                if regex.search(f"We report it at {time} today."):
                    wrong.append(f"{literal!r} found in the time {time!r}")
    assert not wrong, f"{where} /{pattern}/:\n" + "\n".join(wrong)


@pytest.mark.parametrize(
    ("said", "found"),
    [
        ("by 16:30", True),
        ("by 1630hrs", True),
        ("by 1630h", True),
        ("by 1630 hours", True),
        ("by 4 30 pm", True),
        ("by 4.30pm", True),
        ("by 14:30", False),
        ("by 16300", False),
        ("by 4 30 customers", False),
    ],
)
def test_the_1630_deadline_is_read_however_it_is_written(said: str, found: bool) -> None:
    """XA-35 and XA-64 ask for the 16:30 file deadline: "1630hrs" and "4 30 pm" missed it (a
    reviewer's finding)."""
    deadlines = [
        term
        for where, term, _ in terms()
        if where.split()[-1] in ("XA-35.keyaccount", "XA-64.payplan")
        and isinstance(term, Term)
        and term.pattern is not None
        and "1630" in term.pattern
    ]
    assert len(deadlines) == 2
    for term in deadlines:
        assert term_found(term, f"We will file {said}.", "") is found, (term.name, said)
