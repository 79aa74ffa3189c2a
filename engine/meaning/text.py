"""Plain-text analysis for the meaning grader: clauses, negation, hedging, word forms.

No model here: these rules decide what the embeddings cannot (an embedding of "no
shutdown is planned" is close to one of "a shutdown is planned"), in English and
French, on text normalised like :func:`engine.grading.normalise` (case and accents
folded, numbers in groups of digits joined: a figure is one word, as it is one keyword).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from engine.grading import fold, join_digit_groups

_CLAUSE = re.compile(
    r"(?<=[.!?])\s+|;\s*|:\s+|\s+[-–—]\s+|,\s*(?:but|mais|however|cependant)\s+|\s+but\s+",
    re.IGNORECASE,
)
_AND = re.compile(r",?\s+(?:and|et)\s+", re.IGNORECASE)
_COMMA = re.compile(r",\s+")

EN_NEG = frozenset({"no", "not", "never", "nobody", "nothing", "none", "nor", "neither", "noone"})
FR_NE = frozenset({"ne", "n"})
FR_NEG = frozenset({"aucun", "aucune", "jamais", "rien", "personne", "pas"})
"""With "pas" alone: spoken French drops the "ne" (« c'est pas authentique »)."""
LEXICAL_NEG = frozenset(
    {"ignore", "ignorez", "refuse", "refuses", "decline", "declines", "deny", "denies", "avoid"}
)
"""Verbs that say "do not" without a negation word ("ignore SMS asking for...")."""
NEGATIONS = EN_NEG | FR_NE | FR_NEG

_DOUBT = re.compile(
    r"\b(?:can not|could not|unable to|not (?:yet )?(?:been )?able to|not in a position to"
    r"|too early to|ne (?:pouvons|peut|pouvez|pourrons) pas|pas en mesure de|impossible de"
    r"|trop tot pour)\b.{0,40}?\b(?:confirm|say|rule out|exclude|guarantee|tell|verify|know"
    r"|confirmer|dire|exclure|garantir|affirmer|savoir|verifier)"
    r"|\bwhether\b|\bne savons pas\b|\bnot sure\b"
    # Rules 7: doubt said another way, as what the clause says of its subject, not a word
    # that describes something in it ("unverified rumours", « vérifiez si vous êtes
    # inscrit », "nothing shows up in the logs" cast no doubt). "It has not been
    # established that…", "the claim is unverified", "it is unclear whether…", « rien ne
    # permet d'affirmer que… », « on ignore encore si… », « nous vérifions s'il… », "we are
    # checking if…".
    r"|\bnot (?:yet |been |yet been )*(?:established|proven|confirmed|verified)\b"
    r"|\b(?:do|does|did) not (?:yet )?know\b|\bne (?:sait|savent|savons) pas\b"
    r"|\b(?:is|are|was|were|remains?|still|be|been) (?:still |yet |as yet )?"
    r"un(?:confirmed|verified|proven|clear|certain)\b"
    r"|\bun(?:clear|certain) (?:whether|if|how|who|what|when)\b"
    r"|\bremains? to be (?:confirmed|established|seen)\b|\bto be confirmed\b"
    r"|\brien (?:ne |n )(?:permet|prouve|etablit|indique|montre|dit)\b"
    r"|\bnothing (?:yet |so far )?(?:shows|proves|establishes|confirms|indicates) that\b"
    r"|\bpas (?:encore )?(?:ete )?(?:etabli|confirme|prouve|verifie|demontre)e?s?\b"
    r"|\b(?:est|sont|reste|restent) (?:encore )?(?:non confirme|incertain|pas clair)"
    r"|\b(?:on|nous) ignor(?:e|ons) (?:encore |toujours )?(?:si|s il|qui|quand|comment|combien)\b"
    r"|\b(?:nous verifions|on verifie|nous cherchons a savoir"
    r"|reste a (?:savoir|determiner|verifier)) (?:encore )?(?:si|s il)\b"
    r"|\b(?:checking|verifying|determining|establishing) (?:if|whether)\b",
)
_META = re.compile(
    r"^(?:says|gives|names|points to|addresses|states|lists|marks|calls it|tells|explains"
    r"|announces|commits to|confirms)\s+(?:that\s+)?",
    re.IGNORECASE,
)


def plain(text: str) -> str:
    """Lower case, accents removed, "n't"/"cannot" spelled out, words separated by one space.

    Kept for the short texts seen last (clauses, synonyms, labels): grading one answer
    reads each of its clauses again for every synonym and forbidden form of the rubric
    (about 122,000 readings of 3,700 texts for 300 answers), and this was a third of the
    grader's time outside the encoder. A long text (a whole answer, up to 8,000
    characters) is not kept, so the cache stays a few megabytes."""
    return _plain_kept(text) if len(text) <= 1000 else _plain(text)


@functools.lru_cache(maxsize=4096)
def _plain_kept(text: str) -> str:
    return _plain(text)


def tokens(text: str) -> tuple[str, ...]:
    """The plain words of a text (:func:`plain`), kept like it for short texts: every
    forbidden form and synonym looks for itself among a clause's words."""
    return _tokens_kept(text) if len(text) <= 1000 else tuple(_plain(text).split())


@functools.lru_cache(maxsize=4096)
def _tokens_kept(text: str) -> tuple[str, ...]:
    return tuple(plain(text).split())


_NOT_NEGATIONS = tuple(
    (re.compile(pattern), plain_word)
    for pattern, plain_word in (
        # "n°", "No. 5": a number, not a negation (« appelez le n° 3900 » lost an element).
        (r"\bn\s*[°º]|\bno\.?(?=\s*\d)", " numero "),
        # A negation that affirms: "no doubt a foreign power did this" says it did.
        # « pas » the noun: « pas à pas », « un pas de plus » (spoken French's « pas » alone
        # is a negation, rules 7).
        (r"\bpas a pas\b|\b(?:un|le|ce|premier|grand|petit|dernier|nouveau) pas\b", " etape "),
        (
            r"\b(?:there is |there's )?no (?:doubt|question)\b|\bwithout (?:a |any )?doubt\b"
            r"|\bil ne fait (?:aucun|pas de|nul) doute\b|\b(?:nul|aucun|sans aucun|pas de) doute\b",
            " surely ",
        ),
    )
)
"""Words that hold a negation's letters but say no negation, rewritten before reading."""


def _plain(text: str, joined: bool = True) -> str:
    t = fold(text)
    if joined:
        t = join_digit_groups(t)
    for pattern, plain_word in _NOT_NEGATIONS:
        t = pattern.sub(plain_word, t)
    t = re.sub(r"n[’'‘ʼ]t\b", " not", t).replace("cannot", "can not")
    return " ".join(w for w in re.split(r"[^\w]+", t) if w)


def words(text: str) -> int:
    """The length of a text, as it was always counted: each group of a figure's digits is
    a word ("1,900" is two), so joining them for matching moves no answer's length."""
    return len(_plain(text, joined=False).split())


def clauses(text: str, comma: int = 0) -> list[str]:
    """Sentences, cut at ; : dashes and "but", then at "and"/"et" between two parts of
    three words or more, so a negation in one half does not colour the other. With
    ``comma`` > 0, also at commas between two parts of at least that many words.
    Fragments under three words join the clause before them; one that opens the text
    ("Reminder:", "Attention :") joins the clause after it, since alone a word or two is
    close to every element of its subject."""
    parts = [p.strip(" ,.") for p in _CLAUSE.split(text.strip()) if p and p.strip(" ,.")]
    out: list[str] = []
    lead = ""
    for part in parts:
        for piece in _split(part, _AND, 3, " and "):
            for bit in _split(piece, _COMMA, comma, ", ") if comma else [piece]:
                if lead:
                    bit, lead = f"{lead} {bit}", ""
                if len(bit.split()) >= 3:
                    out.append(bit)
                elif out:
                    out[-1] = f"{out[-1]} {bit}"
                else:
                    lead = bit
    if lead:
        out.append(lead)
    return out or ([text.strip()] if text.strip() else [])


def _split(part: str, sep: re.Pattern[str], least: int, glue: str) -> list[str]:
    pieces: list[str] = []
    for piece in (p for p in sep.split(part) if p.strip()):
        if pieces and (len(piece.split()) < least or len(pieces[-1].split()) < least):
            pieces[-1] = f"{pieces[-1]}{glue}{piece}"
        else:
            pieces.append(piece)
    return pieces or [part]


def negated(text: str) -> bool:
    """Whether the text carries a negation (English, French, or a "do not" verb);
    "personne" only with its "ne" (« une personne a été contactée » is "a person")."""
    words = tokens(text)
    return any(
        (w in NEGATIONS and (w != "personne" or not FR_NE.isdisjoint(words))) or w in LEXICAL_NEG
        for w in words
    )


_UNSAID = tuple(
    (re.compile(pattern, re.IGNORECASE), plain_word)
    for pattern, plain_word in (
        (r"\bno longer\b", "still"),
        (r"\bcannot\b|\bcan['’‘ʼ]t\b", "can"),
        (r"\bwon['’‘ʼ]t\b", "will"),
        (r"\bshan['’‘ʼ]t\b", "shall"),
        (r"n['’‘ʼ]t\b", ""),
        (r"\b(?:ne|n['’‘ʼ])\s*(\w+)\s+plus\b", r"\1 toujours"),
        (r"\b(?:not|never|jamais|pas)\b", ""),
        (r"\bnobody\b|\bno[- ]?one\b", "somebody"),
        (r"\bnothing\b", "something"),
        (r"\bnone\b", "some"),
        (r"\bno\b", "a"),
        (r"\bneither\b", "either"),
        (r"\bnor\b", "or"),
        (r"\bne\b\s*|\bn['’‘ʼ]\s*", ""),
        (r"\baucune\b", "une"),
        (r"\baucun\b", "un"),
        (r"\brien\b", "quelque chose"),
        (r"\bpersonne\b", "quelqu'un"),
        (r"\bignor(?:e|es|ez|ed)\b", "follow"),
        (r"\brefus(?:e|es|ed|ez|é|ée|és|ées)\b", "accept"),
        (r"\bdeclin(?:e|es|ed)\b", "accept"),
        (r"\bden(?:y|ies|ied)\b", "confirm"),
        (r"\bavoid\b", "do"),
    )
)


def unsaid(text: str) -> str:
    """The clause with its negation taken out: "no third-party tool was compromised"
    → "a third-party tool was compromised", « la vidéo n'est pas authentique » → « la
    vidéo est authentique ».

    An embedding places a clause and its negation close together, so the rubric cannot
    tell from closeness alone whether a negation bears on an element's point. It asks
    instead whether taking the negation out brings the clause *nearer* the element: it
    does when the negation denies the element ("no tool was compromised" against "a tool
    was hijacked"), and it does not when the negation is about something else ("with no
    human sign-off" against "we gave it too much access")."""
    out = text
    for pattern, plain_word in _UNSAID:
        out = pattern.sub(plain_word, out)
    return " ".join(out.split())


def negative(phrase: str) -> bool:
    """Whether the phrase holds a negation word of its own ("no shutdown", "aucune
    coupure", "do not answer"); a verb that says "do not" (deny, refuse) is not one, nor
    "personne" without its "ne" ("en personne" is "in person")."""
    return any(w in NEGATIONS and w != "personne" for w in tokens(phrase))


def denied_before(phrase: str, text: str, window: int = 5) -> bool:
    """For a phrase holding its own negation: whether another negation stands within
    ``window`` words before it in its part of the text, up to a comma ("nobody said there
    would be no shutdown", "we cannot promise there will be no shutdown").

    A French "ne"/"n'" up to three words before it is the other half of its own
    ("il n'y aura aucune coupure"), and a negation before a comma belongs to another verb
    ("the agency never asks for them, do not answer")."""
    return any(
        t in NEGATIONS and not (t in FR_NE and len(before) - j <= 3)
        for part in text.split(",")
        for before in _words_before(phrase, part, window)
        for j, t in enumerate(before)
    )


def negated_before(phrase: str, text: str, window: int = 5) -> bool:
    """Whether a negation word stands within ``window`` words before the phrase
    ("we have not suspended", "n'a pas été suspendu"), the phrase itself aside."""
    return any(t in NEGATIONS for before in _words_before(phrase, text, window) for t in before)


def _words_before(phrase: str, text: str, window: int) -> Iterator[list[str]]:
    """The ``window`` words before each place the whole phrase occurs in the text."""
    words = tokens(text)
    return (list(words[max(0, i - window) : i]) for i in _found_at(phrase, text))


def _found_at(phrase: str, text: str) -> Iterator[int]:
    """Each index among the text's words where the phrase's words occur in a row.

    Most phrases are in no clause: a substring test of the plain texts (their words
    joined by single spaces) says so at C speed before any word is compared."""
    target = tokens(phrase)
    if not target or plain(phrase) not in plain(text):
        return
    words = tokens(text)
    for i in range(len(words) - len(target) + 1):
        if words[i : i + len(target)] == target:
            yield i


def hedged(text: str) -> bool:
    """Whether the clause casts doubt ("we cannot confirm", "too early to say whether")."""
    return _DOUBT.search(plain(text)) is not None


_MAYBE = re.compile(
    # Not the month ("16 May", "May 19", "mid-May") nor a permission ("may be used only
    # with consent").
    r"(?<!\d )(?<!mid )\bmay\b(?! \d| be used| only| not be used)"
    r"|\b(?:might|could|possibly|perhaps|maybe|peut etre|eventuellement"
    r"|pourr(?:ait|aient|a|ont))\b"
)


def possible(text: str) -> bool:
    """Whether the text says something may be so ("backups may still hold the
    conversations"): an element that only says it may be is met by an answer that asks
    whether it is, so doubt does not speak against it (rules 7)."""
    return _MAYBE.search(plain(text)) is not None


_REFUTED = re.compile(
    r"\b(?:is|are|was|were|be|been) (?:all |a |an |completely |entirely |simply |also )?"
    r"(?:fake|fakes|false|untrue|bogus|a hoax|not true|unfounded|baseless|groundless"
    r"|unsubstantiated|wrong|incorrect|inaccurate|misleading|premature)\b"
    # "We reject claims that a foreign state planted it", "we deny reports that…"
    r"|\b(?:reject|deny|denies|dismiss|refute)\w* (?:the |these |those |any |all )?"
    r"(?:claims?|reports?|rumou?rs?|allegations?|suggestions?|speculation)\b"
    r"|\b(?:est|sont|etait|etaient) (?:des |un |une |totalement |completement )?"
    r"(?:faux|fausse|fausses|infonde\w*|mensonger\w*|pas vraie?s?|errone\w*|premature\w*)\b"
    r"|\b(?:dement\w*|rejet\w* (?:les |ces |toute |tout )?"
    r"(?:affirmations?|rumeurs?|allegations?|informations?|accusations?))\b"
)


def refuted(text: str) -> bool:
    """Whether the clause says that what it reports is false ("the calls announcing a
    Monday vote are fakes", « … sont des faux »): it quotes a claim to refute it, and does
    not make it. Only as what the clause says of its subject: a word that describes
    something in it ("the Kremlin is behind these fake calls", « ces faux appels », "faux
    pas") refutes nothing."""
    return _REFUTED.search(plain(text)) is not None


def idea(label: str) -> str:
    """A label without its meta-verb: "says no shutdown is planned" → "no shutdown is planned"."""
    return _META.sub("", label).strip() or label


def _stem(word: str) -> str:
    return word if len(word) <= 4 else word[: max(4, len(word) - 2)]


def word_form_at(phrase: str, text: str) -> int | None:
    """Where the phrase occurs (its first word's index among the text's words), or None.

    The whole phrase for several words; a stem prefix for one word, so that "Russia"
    also finds "Russian" and "russe", "China" finds "Chinese" and "chinois"."""
    target = tokens(phrase)
    if not target:
        return None
    if len(target) != 1:
        return next(_found_at(phrase, text), None)
    if target[0].isdigit():  # a figure is a whole number: "900" is not in "9000"
        return next(_found_at(phrase, text), None)
    stem = _stem(target[0])
    if stem not in plain(text):  # no word starts with it (most forms are in no clause)
        return None
    return next((i for i, t in enumerate(tokens(text)) if t.startswith(stem)), None)


def stems(texts: list[str]) -> frozenset[str]:
    """The first five letters of each word of four letters or more: enough to match
    "notify", "notifies" and "notified" across forms. A word up to three after "than" is
    left out: it is the measure, not the point ("more access than it needed": "rights it
    never needed" says the same, and a negation on "needed" must not deny it)."""
    out = set()
    for text in texts:
        words = plain(text).split()
        for i, w in enumerate(words):
            if len(w) >= 4 and "than" not in words[max(0, i - 3) : i]:
                out.add(w[:5])
    return frozenset(out)


_AUX = frozenset(
    {
        "be",
        "been",
        "being",
        "is",
        "are",
        "was",
        "were",
        "will",
        "would",
        "have",
        "has",
        "had",
        "yet",
        "ever",
        "get",
        "got",
        "pas",
        "plus",
        "ete",
        "est",
        "sont",
        "a",
        "ont",
        "sera",
    }
)


def _borne(words: list[str] | tuple[str, ...], j: int) -> list[str]:
    """The words a negation at ``words[j]`` bears on: the next four, auxiliaries and
    other negations left out ("was not yet notified" → "notified")."""
    return [w for w in words[j + 1 : j + 5] if w not in _AUX and w not in NEGATIONS]


def negated_words(texts: list[str]) -> frozenset[str]:
    """The stems (as :func:`stems`) of the word each negation in the texts bears on
    (:func:`_borne`): "no switching was done" gives "switc"."""
    out = set()
    for text in texts:
        words = plain(text).split()
        for j, w in enumerate(words):
            borne = _borne(words, j) if w in NEGATIONS else []
            if borne and len(borne[0]) >= 4:
                out.add(borne[0][:5])
    return frozenset(out)


def negates_after(
    phrase: str, text: str, own: frozenset[str], agreed: frozenset[str] = frozenset()
) -> bool:
    """Whether a negation after the phrase bears on one of ``own`` word stems, the
    element's own words ("the regulator will not be notified" for "notifies the
    regulator"), rather than on something else said of it ("the deadline has not
    moved", "payroll is not working"). A negation the element itself makes (``agreed``,
    :func:`negated_words` of its anchors: "no switching", "no network") agrees with it:
    "the grid is operating normally, no switching" meets "the grid is operating normally
    and no switching was done" (rules 7)."""
    at = word_form_at(phrase, text)
    if at is None:
        return False
    words = tokens(text)
    start = at + len(tokens(phrase))
    for j in range(start, len(words)):
        if words[j] not in NEGATIONS:
            continue
        verbs = _borne(words, j)
        if verbs and verbs[0][:5] in agreed:
            continue
        if any(len(w) >= 4 and w[:5] in own for w in verbs[:2]):
            return True
    return False


def negation_before(text: str, index: int, window: int = 5) -> bool:
    """Whether a negation word stands within ``window`` words before word ``index``."""
    words = tokens(text)
    return any(t in NEGATIONS for t in words[max(0, index - window) : index])


def length_factor(count: int, least: int, most: int | None, short: float, long: float) -> float:
    """Proportional, not a zero: short by a share ``s`` of ``least`` costs ``short * s``;
    over ``most`` by a share ``s`` of it costs ``long * s`` (``s`` at most 1)."""
    if least and count < least:
        return 1.0 - short * (1.0 - count / least)
    if most is not None and count > most:
        return 1.0 - long * min(1.0, (count - most) / most)
    return 1.0
