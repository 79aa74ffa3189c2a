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
``HH:MM`` ("4.30pm", "16h30" and "16:30" alike), a hash in lower case (:func:`conflict`
takes the full hash to name its short form). A count is a number of people or things:
not a phone number ("0800 000 000", "+33 …"), a number with a unit or a currency ("812
GB", "61,000 €", "EUR 1,500", "40%"), a port, a code or a reference ("port 443", "HTTP
503", "SHA-256", "ENG-0731", "2026-0417"), a year after a date word or in a date ("in
2025", "16 April 2026"; "2000 candidates" is a count) or said of one thing ("the 2025
exam", « la session 2025 »: more than one of anything are plural, so "the 2000
candidates" is a count), nor four digits where a time stands ("as of 1630", "1630 hrs": a
time). Two counts said as a range ("between 1,000 and 1,200",
"1,000 to 1,200", "1,800-2,000") are kept as one, for :func:`conflict`.

A time said as a deadline ("by 18:00", "before 18:00", "no later than 18:00", "18:00 at
the latest", « d'ici 18 h », « avant 18 h », « au plus tard à 18 h ») is a latest time:
:func:`conflict` takes any time at or before it as the element's, as an update at 17:30
meets an update promised by 18:00. Not "until" nor « jusqu'à » (when a state ends:
"monitoring until 18:00"), nor "for" or « pour » (a time set: « prévu pour 18 h »), and
any other time is exact ("disabled at 03:12", "since 22:40").
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
_PHONE = re.compile(r"(?:\+\d{1,3}[\s.-]?|(?<![\w.,'’])(?<!\d\s)0)\d(?:[\s.-]?\d){7,}")
"""A phone number: "+33 1 23 45 67 89", "0800 000 000" (a 0 that opens a number, not a
group of three in one: "1 000 000 000")."""
_COUNT = re.compile(r"(?<![\w.,:/-])[1-9]\d{2,}(?![\w.,:/]*\d)(?![\w/])(?!-\d)")
"""A number of three digits or more standing alone: not inside a code ("SHA-256",
"ENG-0731", "2026-0417", "443/TCP"), but "+1,900" and "1100-odd" are counts."""
_DASHED = re.compile(r"(?<![\w.,:/-])([1-9]\d{2,})\s*([-–—/])\s*([1-9]\d{2,})(?![\w.,:/]*\d)")
"""Two counts joined by a dash (a range: "1,800-2,000") or a slash ("1,900/2,000")."""
_NOT_A_COUNT_BEFORE = re.compile(
    r"(?:\bports?|\bhttps?|\berror|\bcode|\bref|\bcase|\bversion|\bv|#|n°|\bno)\.?\s*$"
    r"|(?:[€$£¥]|\b(?:eur|usd|gbp|chf|jpy))\s*$",
    re.IGNORECASE,
)
_UNIT_AFTER = re.compile(
    r"\s?(?:[kmgtp]i?b|(?-i:[KMGTP]o)|bytes?|octets?|ms|secs?|seconds?|mins?|minutes?|mn"
    r"|hours?|hrs?|days?|km|kg|k|s|h|m|pts|points?|percent|pour\s?cent|eur|euros?|usd|gbp"
    r"|chf|jpy|yen|dollars?|pounds?|francs?)\b"
    r"|\s?[%°€$£¥]",
    re.IGNORECASE,
)
_HHMM_AFTER = re.compile(r"\s?(?:hrs?|hours|h|utc|gmt|z|cet|cest|bst)\b", re.IGNORECASE)
_HHMM_BEFORE = re.compile(
    r"\b(?:at|as of|since|until|from|à|avant|depuis|vers|dès)\s*$", re.IGNORECASE
)
"""Around a four-digit number, what makes it a clock time: "as of 1630", "at 2348",
"1630hrs" (a count otherwise)."""
_DAY = r"(?:today|tonight|tomorrow|aujourd['’]hui|ce\s+soir|demain)"
_DEADLINE_BEFORE = re.compile(
    r"\b(?:by|before|prior\s+to|ahead\s+of|no\s+later\s+than|not\s+later\s+than"
    r"|(?:at\s+the\s+)?latest\s+by|d['’]ici(?:\s+à)?|avant|au\s+plus\s+tard(?:\s+à)?"
    rf"|pas\s+plus\s+tard\s+qu(?:e|['’]\s*à))(?:\s+{_DAY})?(?:\s+(?:at|à))?\s*$",
    re.IGNORECASE,
)
_DEADLINE_AFTER = re.compile(
    rf"\s*(?:{_DAY}\s*)?(?:(?:utc|gmt|cet|cest|bst|z)\b\s*)?,?\s*"
    r"(?:at\s+the\s+latest|(?<!\w)latest|au\s+plus\s+tard|dernier\s+délai)\b",
    re.IGNORECASE,
)
"""Around a clock time, what makes it a deadline: "by 18:00", "18:00 at the latest"."""
_ONWARDS_BEFORE = re.compile(
    rf"\b(?:after|from|since|après|à\s+partir\s+de|dès|depuis)(?:\s+{_DAY})?"
    r"(?:\s+(?:at|à))?\s*$",
    re.IGNORECASE,
)
"""Before a clock time, what makes it a start: "after 17:00", « à partir de 17 h »."""
_RELATIVE_BEFORE = re.compile(
    r"\b(?:after|since|following|before|preceding|(?:newer|later|older|earlier)\s+than"
    r"|après|avant|depuis|(?:postérieure?|antérieure?|ultérieure?)\s+à)\s*$",
    re.IGNORECASE,
)
"""Before a hash, what makes it a landmark rather than the revision named: "the revision
after 9a07c3e", « postérieure à 9a07c3e ». MH-19's bad revision is 4be2d1f, and its
synonyms name it by the good one before it; read as the element's own, 9a07c3e let
"revision 9a07c3e contains malicious code" earn the bad revision by meaning."""
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre"
    "|novembre|décembre|decembre"
)
_DATE_BEFORE = re.compile(
    rf"(?:\b(?:in|since|from|until|till|before|after|en|depuis|année|annee|year|fy|©"
    rf"|{_MONTHS})|\d[./-])\s*$",
    re.IGNORECASE,
)
"""Before a four-digit 19xx or 20xx, what makes it a year ("in 2025", "16 April 2026",
"16.04.2026"); otherwise it is a count ("2000 candidates")."""


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_NUMBER_END = r"\b(?![.,'’\u00a0\u202f]\d)(?!\s\d{3}\b)"
"""After a four-digit number, that it ends there: not "1900,5" nor a group of "2000 000"."""
_DETERMINED_YEAR = re.compile(
    rf"\b(?:the|this|that|our|their|its|your|last|next)\s+((?:19|20)\d\d){_NUMBER_END}"
    r"((?:\s+[^\W\d_]+){1,5})",
    re.IGNORECASE,
)
"""A 19xx/20xx after a determiner and before words ("the 2025 exam was"): a year if the
words are of one thing (:func:`_of_one`), a count if of many ("the 2000 candidates")."""
_NAMED_YEAR = re.compile(
    r"(?:\b(?:le|la|du|de\s+la|au|à\s+la|ce|cet|cette)\s+|\bl['’]\s*)"
    r"([^\W\d_]+(?:\s+[^\W\d_]+)?)\s+"
    rf"((?:19|20)\d\d){_NUMBER_END}(\s*[^\W\d_]+\b(?!['’]))?",
    re.IGNORECASE,
)
"""« la session 2025 », « l'examen 2025 », « de l'élection présidentielle 2022 »: in
French a year follows the thing it names, and a count comes before the things counted (« les
1900 candidats »); the words before are of one thing (:func:`_of_one`) and no plural word
follows (« au total 1900 candidats » is a count)."""
_FUNCTION = _words(
    "was were is are be been being has have had will would shall should can could may "
    "might must do does did of in on at for to with by from that which who whom whose "
    "where when as than not no it they we he she you i his her our their its your "
    "this these those there here but so if after before since until about into over "
    "under between during"
)
"""English words that end the words a number is said of ("the 2025 exam was…")."""
_FONCTION = _words(
    "des les ses ces mes tes nos vos leurs aux dans sous sans mais puis depuis vers chez "
    "lors alors nous vous ils elles tous plus moins très dès après"
)
"""French words ending in s or x that are not plural things: « la session 2025 des
examens » (« au total 1900 candidats » is a count)."""
_ONE = _words(
    "census campus status process class crisis analysis basis thesis bonus virus address "
    "access business progress success concours parcours cours processus prix mois pays "
    "temps choix corps accès procès recours secours"
)
"""Words of one thing that end in s or x ("the 2025 census", « le concours 2025 »)."""
_MANY = _words(
    "people staff children men women personnel folk police crew data media other others "
    "more most fewer few many several all both extra additional further same new odd "
    "total totals nombre chiffre bilan effectif effectifs ensemble soit environ près "
    "presque plus moins"
)
"""Words of many things or of a figure, though not ending in s: "the 2000 people", "the
1900 other", « au total 1900 »."""
_RANGE = re.compile(
    r"\b([1-9]\d{2,})\s+(?:to|à)\s+([1-9]\d{2,})\b"
    r"|\b(?:between|entre)\s+([1-9]\d{2,})\s+(?:and|et)\s+([1-9]\d{2,})\b",
    re.IGNORECASE,
)
"""Two counts said as a range in words (a dash is :data:`_DASHED`'s)."""


@dataclass(frozen=True, slots=True)
class Facts:
    """The facts of each kind a text names."""

    hashes: frozenset[str] = frozenset()
    addresses: frozenset[str] = frozenset()
    times: frozenset[str] = frozenset()
    counts: frozenset[str] = frozenset()
    ranges: frozenset[tuple[int, int]] = frozenset()
    """Two counts said as a range, low and high (each is also in ``counts``)."""
    deadlines: frozenset[str] = frozenset()
    """Times said as a deadline ("by 18:00"; each is also in ``times``)."""
    onwards: frozenset[str] = frozenset()
    """Times said as a start ("after 17:00", "since 17:00"; each is also in ``times``)."""

    def __bool__(self) -> bool:
        return bool(self.hashes or self.addresses or self.times or self.counts)

    def __or__(self, other: Facts) -> Facts:
        return Facts(
            self.hashes | other.hashes,
            self.addresses | other.addresses,
            self.times | other.times,
            self.counts | other.counts,
            self.ranges | other.ranges,
            self.deadlines | other.deadlines,
            self.onwards | other.onwards,
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
    hashes = frozenset(
        m.group(0).lower()
        for m in _HASH.finditer(rest)
        if not _RELATIVE_BEFORE.search(rest, 0, m.start())
    )
    rest = _HASH.sub(" ", rest)
    times: set[str] = set()
    deadlines: set[str] = set()
    onwards: set[str] = set()
    for m in _TIME.finditer(rest):
        if m.group(1) is not None:
            time = _clock(m.group(1), m.group(2), m.group(3))
        else:
            time = _clock(m.group(4), m.group(5), m.group(6))
        times.add(time)
        if _deadline(rest, m.start(), m.end()):
            deadlines.add(time)
        if _ONWARDS_BEFORE.search(rest[: m.start()]):
            onwards.add(time)
    rest = _PHONE.sub(" ", _TIME.sub(" ", rest))
    rest = _NAMED_YEAR.sub(_year_named, _DETERMINED_YEAR.sub(_year_determined, rest))
    joined = join_digit_groups(rest)
    counts: set[str] = set()
    ranges: set[tuple[int, int]] = set()
    for m in _DASHED.finditer(joined):
        low, sep, high = m.groups()
        counts.update((low, high))
        if sep != "/" and int(low) < int(high):
            ranges.add((int(low), int(high)))
    for m in _COUNT.finditer(joined):
        digits = m.group(0)
        before = joined[: m.start()]
        if _NOT_A_COUNT_BEFORE.search(before):
            continue
        clock = len(digits) == 4 and int(digits[:2]) < 24 and int(digits[2:]) < 60
        if clock and (_HHMM_AFTER.match(joined, m.end()) or _HHMM_BEFORE.search(before)):
            time = f"{digits[:2]}:{digits[2:]}"
            times.add(time)
            unit = _HHMM_AFTER.match(joined, m.end())
            if _deadline(joined, m.start(), unit.end() if unit else m.end()):
                deadlines.add(time)
            if _ONWARDS_BEFORE.search(before):
                onwards.add(time)
            continue
        if _UNIT_AFTER.match(joined, m.end()):
            continue
        if _YEAR.match(digits) and _DATE_BEFORE.search(before):
            continue
        counts.add(digits)
    for m in _RANGE.finditer(joined):
        low, high = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        if low in counts and high in counts and int(low) < int(high):
            ranges.add((int(low), int(high)))
    return Facts(
        hashes,
        addresses,
        frozenset(times),
        frozenset(counts),
        frozenset(ranges),
        frozenset(deadlines),
        frozenset(onwards),
    )


def _year_determined(m: re.Match[str]) -> str:
    """A match of :data:`_DETERMINED_YEAR`, its number blanked out if a year."""
    return _blanked(m, 1) if _of_one(m.group(2)) else m.group(0)


def _year_named(m: re.Match[str]) -> str:
    """A match of :data:`_NAMED_YEAR`, its number blanked out if a year."""
    after = (m.group(3) or "").strip().casefold()
    many = after.endswith(("s", "x")) and after not in _FONCTION | _ONE
    return _blanked(m, 2) if _of_one(m.group(1)) and not many else m.group(0)


def _blanked(m: re.Match[str], group: int) -> str:
    """The match with one group's text turned to spaces."""
    start, end = m.start(group) - m.start(), m.end(group) - m.start()
    return m.group(0)[:start] + " " * (end - start) + m.group(0)[end:]


def _of_one(words: str) -> bool:
    """Whether the words a number is said of name one thing ("exam", « session »,
    « élection présidentielle »): up to the first function word, none is plural ("exams",
    « candidats »), an adjective that stands for people ("the 2000 affected", "the 1900
    remaining"), nor a word of many things or of a figure (:data:`_MANY`); a count of
    more than one is said of plural things, so these name a year."""
    said = []
    for word in words.split():
        if word.casefold() in _FUNCTION:
            break
        said.append(word.casefold())
    return bool(said) and not any(
        w in _MANY or (w.endswith(("s", "x")) and w not in _ONE) or w.endswith(("ed", "ing"))
        for w in said
    )


def _deadline(text: str, start: int, end: int) -> bool:
    """Whether the time at ``text[start:end]`` is said as a deadline."""
    return bool(_DEADLINE_BEFORE.search(text[:start]) or _DEADLINE_AFTER.match(text, end))


def conflict(clause: Facts, element: Facts) -> bool:
    """Whether the clause names a fact of a kind the element names, and none of the
    element's own of that kind: a hash names another when one begins the other; a count is
    the element's when it is within a tenth of it ("about 1,000", "over 1,000" for 1,100)
    or in a range the clause gives ("between 1,000 and 1,200"), as an answer may round a
    figure, and another only when of the same order (:func:`_rival`); a time is the
    element's when the same or at or before a deadline the element gives (an update "at
    17:30" or "by 17:00" meets one promised "by 18:00"; one "at 18:30" or "after 17:00"
    does not), the same day; an address is exact, and so is a time the element does not
    give as a deadline (a clause's "by 18:00" is another time than an element's "at
    17:30")."""
    if clause.addresses and element.addresses and clause.addresses.isdisjoint(element.addresses):
        return True
    if clause.times and element.times and not any(_meets(t, clause, element) for t in clause.times):
        return True
    if clause.counts and element.counts and _rival(clause, element.counts):
        return True
    if clause.hashes and element.hashes:
        return not any(
            a.startswith(b) or b.startswith(a) for a in clause.hashes for b in element.hashes
        )
    return False


def _meets(time: str, clause: Facts, element: Facts) -> bool:
    """Whether a clause's ``HH:MM`` is the element's time, or at or before its deadline
    and not said as a start ("after 17:00" does not meet "by 18:00")."""
    if time in element.times:
        return True
    return time not in clause.onwards and any(time <= d for d in element.deadlines)


def _rival(clause: Facts, own: frozenset[str]) -> bool:
    """Whether the clause gives another figure for the element's count: one of the same
    order (a third to three times it), not within a tenth of it nor in a range around it.
    A count of another order is of something else ("eleven hundred candidates across 212
    employer accounts")."""
    figures = [int(c) for c in own]
    if any(low <= f <= high for f in figures for low, high in clause.ranges):
        return False
    said = [int(c) for c in clause.counts]
    if any(abs(n - f) * 10 <= f for n in said for f in figures):
        return False
    return any(f <= 3 * n and n <= 3 * f for n in said for f in figures)
