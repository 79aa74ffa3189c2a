"""The raw grade of one answer, and the timeliness factor of a late one.

The engine decides with these (a branch on ``when: {met: true}``, the ``scored``
event every screen and the report read); scoring calls the per-answer functions
only to explain a figure, never to make one. :func:`decide` is the one place
where answers, timeliness, the whole-team rule and evaluators' grades become the
points that count and their verdict.
Text matching is normalised: case, accents and punctuation do not matter. The meaning
grader also reads a figure as one whole number however its digits are grouped
(:func:`join_digit_groups`); the keyword grader matches as it always has, so that a log
it graded replays as it was played.

A text answer is graded by meaning (:mod:`engine.meaning`) when it is taken, and
its :class:`~engine.meaning.verdict.TextVerdict` travels with it: its points are the
answer's raw points, here and in every replay. An answer with no verdict (a log
written before the meaning grader, or a process run with ``SITROOM_TEXT_GRADER=
keywords``) is graded by its required and forbidden terms (:func:`grade_text`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal, NamedTuple

from engine.i18n import N_, word_for
from engine.i18n.forms import Count
from engine.i18n.phrase import Phrase
from engine.meaning.verdict import TextVerdict
from engine.scenario.expectations import (
    AnyExpectation,
    ChecklistExpectation,
    DecisionExpectation,
    ManualExpectation,
    Term,
    TextExpectation,
    Timeliness,
)

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
_GROUPED = re.compile(
    r"(?<!\w)[1-9][0-9]{0,2}([,.' \u00a0\u202f\u2009\u2019])[0-9]{3}(?:\1[0-9]{3})*(?!\w)"
)
"""A number written in groups of three digits: a lead of one to three digits (not 0, nor
the end of a word: "C2 203"), then groups of exactly three behind one and the same
separator (comma, point, space, no-break or thin space, apostrophe): "1,900", « 1 100 »,
"1.100", "1'100", "900,000"; never glued to a letter after it ("Llama 3 405B")."""
_DOTTED = re.compile(r"[.:][0-9]+[.:][0-9]")
"""What follows a dotted string's part: "443 203" is not a number in "443 203.0.113.47"."""
_DOTTED_BEFORE = re.compile(r"[0-9][.:,'\u2019]$")
"""What ends a dotted string before a number: "45 443" is not a number in
"203.0.113.45 443", nor "20 900" in "09:20 900", nor "2 500" in "3.1.2 500"."""
_SHORT_BEFORE = re.compile(r"(?<![0-9])[0-9]{1,3}$")
"""One to three digits just before, behind the same separator: the number began earlier and
is not grouped by threes ("1 800 555 0100", "0 800 000 000"). Four digits or more cannot
be a group: "2026" in "in 2026 1 100 candidates" is not a part of the figure."""
_DIGITS = frozenset("0123456789")
_SPACES = re.compile(r"[ \u00a0\u202f\u2009]{2,}")
"""A run of spaces, read as one between a figure's groups ("1  100" typed twice)."""


class Answer(NamedTuple):
    """What a team (member) submitted: one of choice, items, text.

    A named tuple (immutable, and three times cheaper to build than a frozen
    dataclass): the engine makes one per answer, replay hundreds of thousands."""

    member: str
    t: int
    choice: str | None = None
    items: tuple[str, ...] = ()
    text: str | None = None
    verdict: TextVerdict | None = None
    """A text answer's grade, recorded when it was taken (None: grade it by keywords)."""


@dataclass(frozen=True, slots=True)
class RawGrade:
    """Points before timeliness, and why."""

    points: float
    max_points: float
    reasons: tuple[str, ...] = ()
    matched: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()
    gradable: bool = True
    detail: dict[str, float] = field(default_factory=dict)


def join_digit_groups(text: str) -> str:
    """Each number written in groups of three digits as its digits alone: "1,900",
    "1.900", « 1 900 », "1'900" all become "1900", so a figure is matched as a whole
    number ("900" is not in "1,900", "900,000" nor "2 900") and in any grouping of itself.

    The meaning grader's rule (:func:`normalise` with ``figures``, and
    :func:`engine.meaning.text.plain`). A decimal is not a grouped number ("1.5",
    « 1,5 », "0.125", "3,1416": a group has exactly three digits and a lead is not 0), nor
    is a time ("09:20", "16h30"), a version or an address ("3.1.0", "10.100.1.1",
    "443 203.0.113.47", "203.0.113.45 443"): a short group of digits behind the same
    separator before or after the groups, or a dotted string before or after them, mean a
    longer string, left as it was written. A run of spaces counts as one ("1  100")."""
    return _GROUPED.sub(_joined, _SPACES.sub(" ", text))


def _joined(match: re.Match[str]) -> str:
    written, sep = match.group(0), match.group(1)
    text, start, end = match.string, match.start(), match.end()
    before, after = text[max(0, start - 5) : start], text[end : end + 2]
    if (
        (before.endswith(sep) and _SHORT_BEFORE.search(before[:-1]))
        or (after[:1] == sep and after[1:] in _DIGITS)
        or _DOTTED.match(text, end)
        or _DOTTED_BEFORE.search(before)
    ):
        return written
    return written.replace(sep, "")


def fold(text: str) -> str:
    """Lower case, accents removed: how both graders and the meaning rules compare letters."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalise(text: str, *, figures: bool = False) -> str:
    """Lower case, accents removed, punctuation turned into single spaces; with
    ``figures`` (the meaning grader), numbers in groups of digits joined first
    (:func:`join_digit_groups`). The keyword grader reads without, as it always has: an
    answer it graded (no verdict recorded) is graded again on replay and must come out the
    same."""
    folded = fold(text)
    return _spaced(join_digit_groups(folded) if figures else folded)


def _spaced(text: str) -> str:
    return " " + _NON_WORD.sub(" ", text).strip() + " "


@lru_cache(maxsize=4096)
def _phrase(phrase: str, figures: bool) -> str:
    return normalise(phrase, figures=figures)


@lru_cache(maxsize=1024)
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def term_found(term: str | Term, text: str, normalised: str, *, figures: bool = False) -> bool:
    """Whether a term occurs: whole words for phrases and synonyms, a search of the raw
    text for patterns. ``normalised`` is :func:`normalise`'s of ``text`` with the same
    ``figures`` (with it, a figure is a whole number in any grouping of its digits)."""
    if isinstance(term, str):
        return _phrase(term, figures) in normalised
    if term.pattern is not None:
        return _regex(term.pattern).search(text) is not None
    return any(_phrase(word, figures) in normalised for word in term.any)


def term_name(term: str | Term) -> str:
    return term if isinstance(term, str) else term.name


def grade_answer(exp: AnyExpectation, answer: Answer) -> RawGrade:
    """Points an answer earns on time (manual expectations are not gradable here)."""
    if isinstance(exp, DecisionExpectation):
        return _grade_decision(exp, answer)
    if isinstance(exp, ChecklistExpectation):
        return _grade_checklist(exp, answer)
    if isinstance(exp, TextExpectation):
        if answer.verdict is not None:
            return explain_verdict(answer.verdict)
        return grade_text(exp, answer.text or "")
    assert isinstance(exp, ManualExpectation)
    waiting = Phrase(N_("awaiting an evaluator's grade"))
    return RawGrade(0.0, exp.max_points(), (waiting,), gradable=False)


def raw_points(exp: AnyExpectation, answer: Answer) -> float:
    """The points an answer earns on time: the number :func:`decide` sums.

    The same figure as :func:`grade_answer`'s, without building its explanation
    (decisions and checklists are graded on every rescore, on the engine's hot path).
    """
    if isinstance(exp, DecisionExpectation):
        for option in exp.options:
            if option.id == answer.choice:
                return max(0.0, option.points)
        return 0.0
    if isinstance(exp, ChecklistExpectation):
        ticked = answer.items
        return max(0.0, sum(item.points for item in exp.items if item.id in ticked))
    if answer.verdict is not None and isinstance(exp, TextExpectation):
        return answer.verdict.points
    return grade_answer(exp, answer).points


def _grade_decision(exp: DecisionExpectation, answer: Answer) -> RawGrade:
    points = raw_points(exp, answer)
    for option in exp.options:
        if option.id == answer.choice:
            chose = Phrase(N_("chose {option}: {label}"), option=option.id, label=option.label)
            return RawGrade(points, exp.max_points(), (chose,))
    return RawGrade(points, exp.max_points(), (Phrase(N_("no option chosen")),))


def _grade_checklist(exp: ChecklistExpectation, answer: Answer) -> RawGrade:
    ticked = set(answer.items)
    reasons: list[str] = []
    detail = {}
    for item in exp.items:
        if item.id in ticked:
            detail[item.id] = item.points
            # The reasons are English data (the report's JSON) said in the reader's language.
            sign = (
                N_("penalty: {item} ({points})")
                if item.points < 0
                else N_("done: {item} ({points})")
            )
            reasons.append(Phrase(sign, item=item.label, points=f"{item.points:+g}"))
    if not reasons:
        reasons.append(Phrase(N_("no item ticked")))
    return RawGrade(raw_points(exp, answer), exp.max_points(), tuple(reasons), detail=detail)


def grade_text(exp: TextExpectation, text: str) -> RawGrade:
    norm = normalise(text)
    matched = tuple(term_name(t) for t in exp.required if term_found(t, text, norm))
    missing = tuple(term_name(t) for t in exp.required if not term_found(t, text, norm))
    forbidden = tuple(term_name(t) for t in exp.forbidden if term_found(t, text, norm))
    share = len(matched) / len(exp.required) if exp.required else (1.0 if text.strip() else 0.0)
    share -= exp.forbidden_penalty * len(forbidden)
    reasons: list[str] = []
    if exp.required:
        reasons.append(
            # English says "1 of 1 required terms" (as it always has: the text is data);
            # French agrees with the number found ("1 terme requis sur 3").
            Phrase.ngettext(
                "{n} of {total} required terms",
                "{n} of {total} required terms",
                len(matched),
                total=Count(len(exp.required)),
            )
        )
    if missing:
        reasons.append(Phrase(N_("missing: {names}"), names=", ".join(missing)))
    if forbidden:
        reasons.append(Phrase(N_("forbidden: {names}"), names=", ".join(forbidden)))
    words = len(norm.split())
    if words < exp.min_words:
        share *= 0.5
        reasons.append(
            Phrase.ngettext(
                "too short: {n} words, at least {least} expected",
                "too short: {n} words, at least {least} expected",
                words,
                least=Count(exp.min_words),
            )
        )
    elif exp.max_words is not None and words > exp.max_words:
        share *= 0.5
        reasons.append(
            Phrase.ngettext(
                "too long: {n} words, at most {most} expected",
                "too long: {n} words, at most {most} expected",
                words,
                most=Count(exp.max_words),
            )
        )
    points = round(max(0.0, share) * exp.points, 6)
    return RawGrade(points, exp.points, tuple(reasons), matched, missing, forbidden)


def explain_verdict(verdict: TextVerdict) -> RawGrade:
    """A recorded meaning verdict as a raw grade: its points and, in words, why."""
    # Each reason is English data (the report's JSON) and a Phrase said in the reader's
    # language where it is shown; names and evidence are the author's and participant's.
    reasons: list[str] = [
        Phrase.ngettext(
            "{n} of {total} required elements",
            "{n} of {total} required elements",
            len(verdict.found()),
            total=len(verdict.required),
        )
    ]
    for v in verdict.required:
        if v.how == "contradicted":
            reasons.append(
                Phrase(
                    N_("contradicted: {name} ({evidence})"), name=v.name, evidence=repr(v.evidence)
                )
            )
        elif v.how == "missing":
            reasons.append(Phrase(N_("missing: {names}"), names=v.name))
        elif v.credit < 1:
            reasons.append(
                Phrase(N_("partly: {name} ({credit})"), name=v.name, credit=f"{v.credit:.0%}")
            )
    if verdict.forbidden:
        names = ", ".join(v.name for v in verdict.forbidden)
        reasons.append(Phrase(N_("forbidden: {names}"), names=names))
    if verdict.length < 1:
        reasons.append(
            Phrase.ngettext(
                "length {n} words: x{factor}",
                "length {n} words: x{factor}",
                verdict.words,
                factor=f"{verdict.length:.2f}",
            )
        )
    if verdict.relevance < 1:
        reasons.append(
            Phrase(
                N_("far from the model answer: credit by meaning x{factor}"),
                factor=f"{verdict.relevance:.2f}",
            )
        )
    return RawGrade(
        verdict.points,
        verdict.max_points,
        tuple(reasons),
        tuple(verdict.found()),
        tuple(verdict.missed()),
        tuple(v.name for v in verdict.forbidden),
        detail={v.name: v.credit for v in verdict.required},
    )


def timeliness_factor(rule: Timeliness, late_ms: int) -> float:
    """Share of points an answer keeps when ``late_ms`` after its deadline (≤ 0: on time)."""
    if late_ms <= 0 or rule.late == "full":
        return 1.0
    if rule.late == "fail":
        return 0.0
    if rule.late == "decay":
        progress = min(1.0, late_ms / rule.over)
        return 1.0 - (1.0 - rule.floor) * progress
    factor = 1.0
    for step in sorted(rule.steps, key=lambda s: s.after):
        if late_ms >= step.after:
            factor = step.factor
    return max(rule.floor, factor) if factor < 1.0 else factor


def late_by(delivered_at: int, exp: AnyExpectation, answered_at: int) -> int:
    """How late an answer is (ms after the deadline; ≤ 0 when on time or no deadline)."""
    if exp.due is None:
        return 0
    return answered_at - (delivered_at + exp.due)


LEAD_EVALUATOR = "lead"
"""The evaluator seat whose grade decides under ``grade_rule: lead``."""


def combine_grades(grades: dict[str, float], rule: str) -> float | None:
    """One grade from several evaluators' latest grades (in the order they graded).

    ``mean`` averages them, ``latest`` takes the most recent, ``lead`` takes the lead
    evaluator's when there is one and the mean otherwise.
    """
    if not grades:
        return None
    if rule == "latest":
        return next(reversed(grades.values()))
    if rule == "lead" and LEAD_EVALUATOR in grades:
        return grades[LEAD_EVALUATOR]
    return sum(grades.values()) / len(grades)


MET_TOLERANCE = 1e-9
"""Points this close under the pass mark still meet it (float sums of fractions)."""
Verdict = Literal["met", "partial", "failed", "pending"]


STATUS_WORDS = {
    "met": N_("met"),
    "partial": N_("partial"),
    "failed": N_("failed"),
    "pending": N_("pending"),
    "expired": N_("expired"),
}
"""A result's status as a line says it, beside the function that decides met, partial or
failed (the status itself is data: its key stays); scoring adds pending and expired."""


def status_text(status: str) -> str:
    """``status`` in the active language (an unknown one as it came)."""
    return word_for(STATUS_WORDS, status)


def status_of_points(
    points: float, exp: AnyExpectation, max_points: float | None = None
) -> Verdict:
    """Met, partial or failed for a number of points (the pass-mark test); ``max_points``
    is the expectation's, when the caller has it at hand."""
    top = exp.max_points() if max_points is None else max_points
    if points >= exp.pass_mark * top - MET_TOLERANCE:
        return "met"
    if points <= 0:
        return "failed"
    return "partial"


class Decision(NamedTuple):
    """A team's figures for one expectation, as the engine decides them (a named
    tuple, like :class:`Answer`: one is built on every answer and grade)."""

    auto: float | None
    """Automatic points: raw points times timeliness, summed, whole-team divided."""
    points: float | None
    """What counts: the evaluators' combined grade if any, else ``auto``."""
    status: Verdict
    members: int
    """What the whole-team rule divided by (1 for ``answer_by: any``)."""
    late_ms: int = 0
    """How late the latest answer came (0 when on time)."""
    factor: float = 1.0
    """The timeliness factor of the latest answer."""


NOTHING = Decision(None, None, "pending", 1)
"""The figures of an expectation nobody has answered or graded."""


def decide(
    exp: AnyExpectation,
    delivered_at: int,
    answers: list[Answer],
    team_size: int,
    grades: dict[str, float],
    rule: str,
    max_points: float | None = None,
) -> Decision:
    """The points that count for a team's answers and grades, and their verdict.

    Each answer's raw points times its timeliness factor, summed in arrival order;
    for ``answer_by: all`` divided by the team's size (or the number of answers,
    if more members answered than the team counts). Evaluators' grades, combined
    by ``rule``, replace the automatic points.
    """
    auto: float | None = None
    members = 1
    late = 0
    factor = 1.0
    if answers and not isinstance(exp, ManualExpectation):
        total = 0.0
        for answer in answers:
            late = max(0, late_by(delivered_at, exp, answer.t))
            factor = timeliness_factor(exp.timeliness, late)
            total += raw_points(exp, answer) * factor
        if exp.answer_by == "all":
            members = max(team_size, len(answers))
            total = total / members
        auto = total
    elif answers:
        late = max(0, late_by(delivered_at, exp, answers[-1].t))
    graded = combine_grades(grades, rule)
    points = graded if graded is not None else auto
    status: Verdict = "pending" if points is None else status_of_points(points, exp, max_points)
    return Decision(auto, points, status, members, late, factor)
