"""Exact facts a text names: commit hashes, network addresses, clock times and counts.

An embedding cannot check a fact: "about 1,900 candidates were affected" is as close to
"the approximate number of candidates affected (1,100)" as the right figure is, and
"revision 9a07c3e contains malicious code" as close to "revision 4be2d1f contains
malicious code". The rubric uses these facts for one thing (rules 11): a clause that names
a fact of the same kind as an element's and none of the element's own gives that element
nothing by meaning. It may still give it by keyword, and a clause that names no such fact
is read by meaning as before, so a figure written in words, a time as "1630hrs" or a date
costs a careful team nothing (the exact-figure rule of phase 11, which refused meaning to
any clause holding a digit, cost them).

Each kind is read so that one fact written two ways is one fact: a count in groups of
three digits as its digits (:func:`engine.grading.join_digit_groups`), a clock time as
``HH:MM`` ("4.30pm", "16h30" and "16:30" alike), a hash by its shortest form (the full
hash names the short one). A four-digit year and a percentage are not counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from engine.grading import join_digit_groups

_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_ADDRESS = re.compile(rf"(?<![\d.])\b{_OCTET}(?:\.{_OCTET}){{3}}\b(?!\.\d)")
"""An IPv4 address; "1.000.000.000" (a count written with points) is not one."""
_HASH = re.compile(r"\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,64}\b", re.IGNORECASE)
_MERIDIEM = r"(a\.?m\.?|p\.?m\.?)"
_TIME = re.compile(
    # 16:30, 16h30, 16 h 30, « 3 h 12 »; 4.30pm and 4:30 p.m. (a point only before am/pm:
    # "1.25" is a decimal).
    rf"\b([01]?\d|2[0-3])\s*(?::|h)\s*([0-5]\d)(?!\d)(?:\s*{_MERIDIEM}(?!\w))?"
    rf"|\b(1[0-2]|0?\d)\.([0-5]\d)\s*{_MERIDIEM}(?!\w)",
    re.IGNORECASE,
)
_COUNT = re.compile(r"(?<![\d.,:])\b\d{3,}\b(?![.,:]?\d)(?!\s*%)")
_YEAR = re.compile(r"^(?:19|20)\d\d$")


@dataclass(frozen=True, slots=True)
class Facts:
    """The facts of each kind a text names."""

    hashes: frozenset[str] = frozenset()
    addresses: frozenset[str] = frozenset()
    times: frozenset[str] = frozenset()
    counts: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.hashes or self.addresses or self.times or self.counts)

    def __or__(self, other: Facts) -> Facts:
        return Facts(
            self.hashes | other.hashes,
            self.addresses | other.addresses,
            self.times | other.times,
            self.counts | other.counts,
        )


NONE = Facts()


def _clock(hour: str, minute: str, meridiem: str | None) -> str:
    h = int(hour)
    if meridiem and meridiem[0] in "pP" and h < 12:
        h += 12
    elif meridiem and meridiem[0] in "aA" and h == 12:
        h = 0
    return f"{h:02d}:{minute}"


def facts(text: str) -> Facts:
    """The hashes, addresses, clock times and counts the text names."""
    addresses = frozenset(m.group(0) for m in _ADDRESS.finditer(text))
    rest = _ADDRESS.sub(" ", text)
    hashes = frozenset(m.group(0).lower() for m in _HASH.finditer(rest))
    rest = _HASH.sub(" ", rest)
    times = set()
    for m in _TIME.finditer(rest):
        if m.group(1) is not None:
            times.add(_clock(m.group(1), m.group(2), m.group(3)))
        else:
            times.add(_clock(m.group(4), m.group(5), m.group(6)))
    rest = _TIME.sub(" ", rest)
    counts = set()
    for m in _COUNT.finditer(join_digit_groups(rest)):
        digits = m.group(0)
        # A bare year ("in 2025") is a date; "1,900" written grouped is a count.
        if _YEAR.match(digits) and re.search(rf"(?<![\d.,'’])\b{digits}\b", rest):
            continue
        counts.add(digits.lstrip("0") or "0")
    return Facts(hashes, addresses, frozenset(times), frozenset(counts))


def conflict(clause: Facts, element: Facts) -> bool:
    """Whether the clause names a fact of a kind the element names, and none of the
    element's own of that kind: a hash names another when one begins the other, and a
    count is the element's when it is within a tenth of it ("about 1,000", "over 1,000"
    for 1,100) or two counts of the clause stand either side of it ("between 1,000 and
    1,200"), as an answer may round a figure; an address and a time are exact."""
    for theirs, mine in ((clause.addresses, element.addresses), (clause.times, element.times)):
        if theirs and mine and theirs.isdisjoint(mine):
            return True
    if clause.counts and element.counts and not _near(clause.counts, element.counts):
        return True
    if clause.hashes and element.hashes:
        return not any(
            a.startswith(b) or b.startswith(a) for a in clause.hashes for b in element.hashes
        )
    return False


def _near(counts: frozenset[str], own: frozenset[str]) -> bool:
    said = sorted(int(c) for c in counts)
    for figure in (int(c) for c in own):
        if any(abs(n - figure) * 10 <= figure for n in said):
            return True
        if said[0] < figure < said[-1]:
            return True
    return False
