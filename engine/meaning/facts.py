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
2025", "16 April 2026"; "2000 candidates" is a count) or naming an event's year ("the
2025 exam", « la session 2025 »: a closed list of events; "the 2000 exam candidates" is a
count), nor four digits where a time stands ("as of 1630", "1630 hrs": a time). Two counts
said as a range ("between 1,000 and 1,200", "1,000 to 1,200", "1,800-2,000") are kept as
one, for :func:`conflict`. An hour said alone ("3am", "7 pm", « vers 17 h ») is a time of
that hour, and any minute of it is its own.

A time said as a deadline ("by 18:00", "before 18:00", "no later than 18:00", "18:00 at
the latest", « d'ici 18 h », « avant 18 h », « au plus tard à 18 h ») is a latest time:
:func:`conflict` takes a time at or before it, by at most :data:`WINDOW_HOURS`, as the
element's, as an update at 17:30 meets an update promised by 18:00; not a time said as a
start ("after 17:00", "no earlier than 17:00", "17:00 at the earliest", the first of a
window "between 17:00 and 19:00"), nor on a day the element does not name, said next to
the time ("tomorrow at 09:00"). Not "until" nor « jusqu'à » (when a state ends:
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
_HOUR = re.compile(
    # 7pm, 7 p.m.; « à 17 h », « avant 19h », « entre 9 h et 17 h » (an hour alone after a
    # word of time: « sous 24 h », « dans 12 h », « une panne de 2 h » are durations).
    rf"\b(1[0-2]|0?\d)\s*{_MERIDIEM}(?!\w)"
    r"|(?:\b(?:à|avant|vers|dès|jusqu['’]à)\s+)([01]?\d|2[0-3])\s*h(?![\w'’])(?!\s*d(?:e\b|['’]))"
    r"|(?:\b(?:après|entre|et|d['’]ici)\s+)(0?[7-9]|1\d|2[0-3])\s*h(?![\w'’])(?!\s*d(?:e\b|['’]))",
    re.IGNORECASE,
)
"""An hour said without its minutes: read as ``HH:00``. After « d'ici », « après »,
« entre » and « et » a small number is a duration (« d'ici 2 h », « après 2 h
d'analyse »), and so is an hour followed by « de » (« 2 h d'indisponibilité »)."""
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
_ZONE = r"(?:utc|gmt|z|cet|cest|bst)"
"""A time zone written after a clock time."""
_HHMM_AFTER = re.compile(rf"\s?(?:hrs?|hours|h|{_ZONE})\b", re.IGNORECASE)
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
_AFTER_TIME = rf"\s*(?:{_DAY}\s*)?(?:{_ZONE}\b\s*)?,?\s*"
"""What may stand between a clock time and the words that say how it is meant: "18:00
today, at the latest", "17:00 UTC on Friday"."""
_DEADLINE_AFTER = re.compile(
    _AFTER_TIME + r"(?:at\s+the\s+latest|(?<!\w)latest|au\s+plus\s+tard|dernier\s+délai)\b",
    re.IGNORECASE,
)
"""Around a clock time, what makes it a deadline: "by 18:00", "18:00 at the latest"."""
_ONWARDS_BEFORE = re.compile(
    r"\b(?:after|from|since|past|beyond|starting|between|entre|(?:no|not)\s+(?:earlier|sooner)\s+than"
    r"|(?<!no\s)(?<!not\s)later\s+than|not\s+before|après|à\s+partir\s+de|dès|depuis"
    rf"|pas\s+avant|(?<!pas\s)plus\s+tard\s+qu(?:e|['’]\s*à))(?:\s+{_DAY})?(?:\s+(?:at|à))?\s*$",
    re.IGNORECASE,
)
"""Before a clock time, what makes it a start: "after 17:00", "no earlier than 17:00",
"not before 17:00", « à partir de 17 h », a window's opening ("between 17:00", where a
clause may end before its close) (checked before a deadline: "not before" is none)."""
_ONWARDS_AFTER = re.compile(
    _AFTER_TIME + r"(?:at\s+the\s+earliest|(?<!\w)earliest|au\s+plus\s+tôt|or\s+later|onwards?)\b",
    re.IGNORECASE,
)
"""After a clock time, what makes it a start: "17:00 at the earliest", « 17 h au plus tôt »."""
_WINDOW = re.compile(r"^\s*(?:-|–|—|to|till|until|à|jusqu['’]à)\s*$", re.IGNORECASE)
"""Between two clock times, what makes them a window ("17:00-19:00", "17:00 to 19:00",
« de 17 h à 19 h »): its first is a start, its last must meet a deadline. Two joined by
"and" are a window only after "between" or « entre », which :data:`_ONWARDS_BEFORE` reads
("at 17:30 and at 19:00" are two times)."""
_OTHER_DAY = re.compile(
    r"\b(?:tomorrow|overmorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|next\s+week|demain|après-demain|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
    r"|la\s+semaine\s+prochaine)\b",
    re.IGNORECASE,
)
"""A day other than today ("tomorrow", « jeudi »): a time said next to one is that day's."""
_DAY_BEFORE = re.compile(
    rf"({_OTHER_DAY.pattern})(?:\s+(?:morning|afternoon|evening|night|matin|après-midi|soir))?"
    r"\s*,?\s*(?:(?:at|by|before|around|from|after|à|avant|vers|dès|après|d['’]ici)\s+)?$",
    re.IGNORECASE,
)
"""Before a clock time, the day it is on: "tomorrow at 09:00", "by tomorrow 09:00"."""
_DAY_AFTER = re.compile(
    rf"\s*(?:{_ZONE}\b\s*)?,?\s*(?:(?:on|le)\s+)?({_OTHER_DAY.pattern})",
    re.IGNORECASE,
)
"""After a clock time, the day it is on: "at 17:30 tomorrow", "17:00 on Friday"."""
WINDOW_HOURS = 8
"""How long before a deadline a time still meets it: an update "at 17:30" meets one promised
"by 18:00"; a time further back is another event's ("the job that ran at 02:10") or the
next day's ("at 00:30")."""
_NAMED = r"(?:(?:the|a|la|une)\s+)?(?:revision|commit|version|release|rev\.?|révision)?\s*$"
_AFTER_HASH = re.compile(
    r"\b(?:after|since|following|followed|succeeding|(?:newer|later)\s+than|après|depuis"
    r"|(?:postérieure?|ultérieure?)\s+à)\s+" + _NAMED,
    re.IGNORECASE,
)
_BEFORE_HASH = re.compile(
    r"\b(?:before|preceding|preceded|prior\s+to|(?:older|earlier)\s+than|avant"
    r"|antérieure?\s+à)\s+" + _NAMED,
    re.IGNORECASE,
)
"""Before a hash, what makes it a landmark rather than the revision named: "the revision
after 9a07c3e", "anything newer than commit 9a07c3e", « postérieure à 9a07c3e »; kept with
its direction (``after:9a07c3e``, ``before:9a07c3e``), so a landmark names the revisions on
one side of it. MH-19's bad revision is 4be2d1f, and its synonyms name it as the one after
the good one; read as the element's own, 9a07c3e let "revision 9a07c3e contains malicious
code" earn the bad revision by meaning, and "every revision before 9a07c3e" named the
wrong side."""
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


_NUMBER_END = r"\b(?![.,'’\u00a0\u202f]\d)(?!\s\d{3}\b)"
"""After a four-digit number, that it ends there: not "1900,5" nor a group of "2000 000"."""
_PEOPLE = (
    r"candidates?|students?|takers?|participants?|voters?|applicants?|entrants?|people|staff"
    r"|candidat(?:e|s|es)?|électeurs?|électrices?|inscrits?|étudiants?|élèves?|personnes?"
)
_NOT_PLURAL = r"results|was|has|this|its|his|thus|plus|less|unless|across|does|goes|is|as|us"
_YEAR_OF_EVENT = re.compile(
    r"\b(?:the|this|that|last|next|our|their|its|your)\s+"
    rf"((?:19|20)\d\d){_NUMBER_END}(?=\s+(?:exams?|examinations?|elections?|sessions?"
    r"|editions?|seasons?|census(?:es)?|budgets?|campaigns?|reports?|summits?|olympics|games"
    r"|intakes?|cycles?|conferences?|tournaments?|championships?|(?:fiscal|financial|academic"
    rf"|school)\s+years?)\b(?![-'’])(?!\s+(?:{_PEOPLE})\b)"
    rf"(?!\s+(?!(?:{_NOT_PLURAL})\b)[^\W\d_]{{2,}}s\b))"
    r"|\b(?:sessions?|éditions?|élections?|examens?|concours|campagnes?|budgets?|rapports?"
    r"|saisons?|sommets?|promotions?|exercices?|millésimes?|rentrées?|bac|baccalauréat"
    r"|législatives|présidentielles?|municipales|européennes|régionales)\s+(?:de\s+)?"
    rf"((?:19|20)\d\d){_NUMBER_END}(?![-'’])(?!\s+(?:{_PEOPLE})\b)",
    re.IGNORECASE,
)
"""A 19xx/20xx that names an event's year: after a determiner and before the event in
English ("the 2025 exam", "the 2024 elections"; "1900 exam papers", "the 2000 exam
records" and "the 2000 exam-takers" are counts), after it in French (« la session 2025 »,
« l'élection présidentielle 2022 »), not where the people of it are counted ("the 2000
exam candidates", « la session 2000 candidats »). A closed list: a rule that read any
number "said of one thing" as a year took counts for years ("the 2000 or so candidates",
"our 1900 candidate pool")."""
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
    """Times said as a start ("after 17:00", "since 17:00", the first of a window "between
    17:00 and 19:00"; each is also in ``times``)."""
    days: frozenset[tuple[str, str]] = frozenset()
    """Times said on a named day, with the day in lower case ("tomorrow at 09:00": ("09:00",
    "tomorrow")); a day named elsewhere in the text is not theirs ("confirm by 16:00 for
    tomorrow's pay run")."""
    hours: frozenset[str] = frozenset()
    """Times said as an hour alone ("3am", « vers 17 h »; each also in ``times`` as HH:00):
    an hour, not a minute, so any time of that hour is theirs."""

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
            self.days | other.days,
            self.hours | other.hours,
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
    hashes = frozenset(_hash(rest, m) for m in _HASH.finditer(rest))
    rest = _HASH.sub(" ", rest)
    times: set[str] = set()
    deadlines: set[str] = set()
    onwards: set[str] = set()
    spans: list[tuple[int, int, str]] = []
    for m in _TIME.finditer(rest):
        if m.group(1) is not None:
            spans.append((m.start(), m.end(), _clock(m.group(1), m.group(2), m.group(3))))
        else:
            spans.append((m.start(), m.end(), _clock(m.group(4), m.group(5), m.group(6))))
    rest = _TIME.sub(_spaces, rest)
    hours: set[str] = set()
    for m in _HOUR.finditer(rest):
        if m.group(1) is not None:
            spans.append((m.start(1), m.end(), _clock(m.group(1), "00", m.group(2))))
        else:
            group = 3 if m.group(3) is not None else 4
            spans.append((m.start(group), m.end(), _clock(m.group(group), "00", None)))
        hours.add(spans[-1][2])
    spans.sort()
    days: set[tuple[str, str]] = set()
    for k, (start, end, time) in enumerate(spans):
        times.add(time)
        day = _day_of(rest, start, end)
        if day is not None:
            days.add((time, day))
        if _starts(rest, start, end) or _opens_window(rest, spans, k):
            onwards.add(time)
        elif _deadline(rest, start, end):
            deadlines.add(time)
    rest = _PHONE.sub(" ", _HOUR.sub(_spaces, rest))
    rest = _YEAR_OF_EVENT.sub(_year_blanked, rest)
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
            end = unit.end() if unit else m.end()
            if _starts(joined, m.start(), end):
                onwards.add(time)
            elif _deadline(joined, m.start(), end):
                deadlines.add(time)
            day = _day_of(joined, m.start(), end)
            if day is not None:
                days.add((time, day))
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
        frozenset(days),
        frozenset(hours),
    )


def _hash(text: str, m: re.Match[str]) -> str:
    """A hash as :func:`conflict` compares it: in lower case, with its direction when
    said as a landmark (:data:`_AFTER_HASH`)."""
    found = m.group(0).lower()
    if _AFTER_HASH.search(text, 0, m.start()):
        return "after:" + found
    if _BEFORE_HASH.search(text, 0, m.start()):
        return "before:" + found
    return found


def _day_of(text: str, start: int, end: int) -> str | None:
    """The day the time at ``text[start:end]`` is said on, if one is named next to it."""
    found = _DAY_BEFORE.search(text, 0, start) or _DAY_AFTER.match(text, end)
    return None if found is None else " ".join(found.group(1).casefold().split())


def _spaces(m: re.Match[str]) -> str:
    """A match blanked out, so that what follows keeps its place in the text."""
    return " " * len(m.group(0))


def _starts(text: str, start: int, end: int) -> bool:
    """Whether the time at ``text[start:end]`` is said as a start ("after 17:00", "17:00 at
    the earliest")."""
    return bool(_ONWARDS_BEFORE.search(text[:start]) or _ONWARDS_AFTER.match(text, end))


def _opens_window(text: str, spans: list[tuple[int, int, str]], k: int) -> bool:
    """Whether the ``k``-th time opens a window to the next (:data:`_WINDOW`)."""
    return k + 1 < len(spans) and bool(_WINDOW.match(text[spans[k][1] : spans[k + 1][0]]))


def _year_blanked(m: re.Match[str]) -> str:
    """A match of :data:`_YEAR_OF_EVENT` with its year turned to spaces."""
    group = 1 if m.group(1) is not None else 2
    start, end = m.start(group) - m.start(), m.end(group) - m.start()
    return m.group(0)[:start] + " " * (end - start) + m.group(0)[end:]


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
    """Whether a clause's ``HH:MM`` is the element's: said on no day the element does not
    name it on ("tomorrow at 17:30" is not "by 18:00 today"), and either an exact time of
    the element's (any minute of its hour for an hour said alone: "around 3am" is 03:12,
    "before 3am" is not), or at or before a deadline of the element's by at most
    :data:`WINDOW_HOURS` and not said as a start ("after 17:00", "after 6pm")."""
    said_on = {day for t, day in clause.days if t == time}
    if not said_on <= {day for _, day in element.days}:
        return False
    exact = element.times - element.deadlines
    if time in exact:
        return True
    plain = time not in clause.deadlines and time not in clause.onwards
    if plain and time in clause.hours and any(t[:2] == time[:2] for t in exact):
        return True
    if time in clause.onwards:
        return False
    said = _minutes(time)
    return any(0 <= _minutes(d) - said <= WINDOW_HOURS * 60 for d in element.deadlines)


def _minutes(time: str) -> int:
    hours, minutes = time.split(":")
    return int(hours) * 60 + int(minutes)


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
