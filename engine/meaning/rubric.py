"""Rubric semantics: a text expectation's elements judged by meaning.

For each **required** element (a term of ``required``), anchors are built once per
expectation: its label without the meta-verb ("says no shutdown is planned" → "no
shutdown is planned"), its synonyms, and the clauses of the model answer that belong
to it (by keyword, else by meaning). An answer is cut into clauses; the element's
credit is 1 when one of its keywords or its pattern is found in a clause that does
not negate it, else a ramp on the best clause-to-anchor cosine,
``clip((cos - lo) / (hi - lo), 0, 1)``. So exact facts (a time, an account id) still
count through their pattern, and paraphrases and other languages through meaning.

An element is **contradicted**, and earns nothing, when a clause that hedges ("we
cannot confirm that…", "too early to say whether…") or whose negation disagrees with
the element's closest anchors is at least as close to it as the best agreeing clause.
Doubt does not speak against an element whose own closest anchors hedge (honesty about
what is unknown); and where a keyword of the element is found, only a negation standing
before it can govern it ("no evidence that any model was stolen"), not one after it
("the tax deadline has not moved"). A keyword that holds its own negation ("aucune
coupure", "do not answer") is not denied by one before it: that is the other half of the
same negation in French ("il n'y aura aucune coupure") or, before a comma, another
verb's ("the agency never asks for them, do not answer"); any other still denies it
("nobody said there would be no shutdown"). That is rules 5.

Rules 6: where no keyword is found, a negated clause speaks against an element only when
taking its negation out (:func:`engine.meaning.text.unsaid`) brings it nearer the
element, since an embedding puts a clause and its negation side by side ("with no human
sign-off" is about something else; "no third-party tool was compromised" denies "a tool
was hijacked"). A clause that holds one element's keyword gives no other by meaning
alone unless it is very close to it (``claimed_below``). Length costs what the
evaluators' rule says (``short``, ``long``). Words that only look negative are read as
what they say: "n°" is a number, "no doubt" affirms, « une personne » is a person.

Rules 7: doubt said in more ways counts as doubt ("it is unclear if…", « on ignore si… »,
"remains to be confirmed", "unverified"; :func:`engine.meaning.text.hedged`), informal
French negation without its "ne" (« c'est pas… ») is a negation, and a word that follows
"than" in an element is not its own point ("more access than it needed": "rights it
never needed" agrees with it instead of denying it). An element that only says a thing
may be so ("backups may still hold the conversations") is not denied by doubt, and a
negation after a keyword that the element makes itself ("no switching") agrees with it.
A clause that says a forbidden idea gives no required element by meaning ("your documents
were not accessed" is the forbidden reassurance, not "we do not yet know whether they
were"), and a clause that calls what it reports false ("the calls announcing a Monday vote
are fakes") does not say it (:func:`engine.meaning.text.refuted`).

Rules 8: a clause refutes what it reports in more ways: it calls it unfounded, wrong or
premature ("rumours of a rogue AI are unfounded", « … sont erronées »), or rejects or
denies it ("we reject claims that a foreign state planted it", « nous démentons… »). A
careful sitrep refuting a scenario's trap was charged with saying it.

Rules 10 (9 was tried and dropped in phase 10): keywords are read with numbers in groups
of digits joined (:func:`engine.grading.join_digit_groups`): "900 candidates" is not in
"1,900 candidates", and « 1 100 » is "1,100".

Rules 11: an embedding cannot check a fact, so a clause that names a hash, an address, a
clock time or a count of a kind the element's label or synonyms name, and none of the
element's own, gives it nothing by meaning (:mod:`engine.meaning.facts`): "about 1,900
candidates" no longer earns "about 1,100", nor "revision 7c1e9ab" the bad revision
4be2d1f. A rounded count is the element's ("over 1,000", "between 1,000 and 1,200"), and a
clause naming no such fact is read by meaning as before ("eleven hundred", "1630hrs"):
the exact-figure rule tried in phase 11, which refused meaning to any clause holding a
digit, cost careful teams those.

Rules 12: a time an element gives as a deadline ("an update by 18:00", « d'ici 18 h ») is
met by any time at or before it ("at 17:30", "no later than 17:00"), not by one said as a
start ("after 17:00"); any other time stays exact. A year said of one thing ("the 2025
exam", « la session 2025 ») is not a count, and a hash said as a landmark ("the revision
after 9a07c3e") names the revisions on its side, not itself (:mod:`engine.meaning.facts`).

A **forbidden** element is said when its word form occurs (one word by its stem, so
"Russia" catches "Russian" and "russe"; a phrase whole: letting a word sit between its
words, tried in phase 10, charged "Russia is not behind it" with "Russia is behind it")
or when a clause is closer to it than ``forbid`` (never on an anchor of fewer than three
words: "no comment" would catch every refusal), but never in a clause that hedges, nor
where the clause is negated while the forbidden phrase is not ("this is not scheduled
maintenance"). Each said costs ``forbidden_penalty`` of the share.

An answer whose whole is far from the whole model answer (on the subject's vocabulary
but not answering: a turnout appeal instead of a warning) keeps only part of what it
earned by meaning: the **relevance** factor, a ramp on that cosine.

``min_words``/``max_words`` cost in proportion to how far out the length is
(:func:`engine.meaning.text.length_factor`), never the whole grade.

The knobs (:class:`Params`) were tuned on the tune part of the labeled set
(``tests/data/statements.yaml``) only; cosines are rounded to 3 decimals before any
threshold, which limits flips at a boundary between machines (the recorded verdict,
not a re-grade, is what a replay reads anyway).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from engine.grading import normalise, term_found
from engine.meaning import text as tx
from engine.meaning.facts import NONE, Facts, conflict, facts
from engine.meaning.model import Encoder, Vectors
from engine.meaning.verdict import MAX_EVIDENCE, ElementVerdict, How, TextVerdict
from engine.scenario.expectations import Term, TextExpectation, term_name
from engine.textsafe import encodable

RULES = "12"
"""The version of these rules, recorded in each verdict with the model's name."""


@dataclass(frozen=True, slots=True)
class Params:
    """The grader's knobs, grid-searched on the labeled set's tune part only (USE-m3):
    cutting clauses at commas (so "the grid runs normally, the operator has no order to
    cut supply" is two clauses and the negation of one does not colour the other) and
    scaling down the credit earned by meaning (not by keyword) when the whole answer is
    far from the model answer (an off-topic answer on the same subject) took the tune
    part from 0.884/0.114 to 0.921/0.079.

    Rules 4 moved ``lo``, ``hi`` and ``relevance_lo`` up, grid-searched on the four
    parts seen by then (tune, holdout, holdout2, holdout3, 221 answers): on answers it
    had not seen, the grader gave too much (mean share 0.04 to 0.10 above the labels),
    mostly to clauses on the subject that do not make the element's point. Pooled over
    those parts 0.797/0.137 became 0.810/0.129; on the two parts not looked at answer by
    answer, holdout4 0.721/0.173 became 0.743/0.160 and holdout5 0.461/0.213 became
    0.569/0.184 (docs/meaning-grader.md, phase 4)."""

    lo: float = 0.28
    """Cosine at which a required element starts to earn credit."""
    hi: float = 0.44
    """Cosine at which it earns full credit."""
    forbid: float = 0.625
    """Cosine at which a forbidden element counts as said."""
    against: float = 0.525
    """How close a hedging or negating clause must be to an element to contradict it."""
    tie: float = 0.05
    """Margin within which two cosines count as equally close."""
    contradiction: float = 0.0
    """Share of an element's weight lost, beyond its credit, when it is contradicted."""
    short: float = 0.9
    """Share of the grade lost by an answer with no words at all against ``min_words``:
    a third of the minimum keeps 0.4, two thirds 0.7, one word short of 30 keeps 0.97.
    That is the evaluators' rule, written out at the head of holdout5 and of every labeled
    set since; rules 5 took 0.5 (a third of the minimum kept 0.67) and gave the short
    answers of holdout4, 5 and 6 about 0.1 too much (rules 6)."""
    long: float = 0.4
    """Share lost at twice ``max_words`` (0.5 before rules 6): twice keeps 0.6, as the
    evaluators' rule says."""
    comma: int = 4
    """Cut clauses at commas between parts of at least this many words (0: never)."""
    relevance_lo: float = 0.55
    """Whole-answer cosine to the model answer under which the grade is scaled down."""
    relevance_floor: float = 0.25
    """Cosine to the model answer at which an answer keeps nothing (with relevance_lo)."""
    relevance_on_meaning: bool = True
    """Scale only the credit found by meaning (not by keyword) by relevance."""
    hedge_agrees: bool = True
    """A hedging clause does not speak against an element whose own close anchors hedge
    ("is honest about what is unknown": "we do not yet know whether…")."""
    unsaid: float = 0.02
    """A negated clause speaks against an element (whose closest anchors are not negated)
    only when taking its negation out (:func:`engine.meaning.text.unsaid`) brings it at
    least this much nearer the element. Rules 6: rules 5 let any negation in the clause
    speak against it, so "we had handed it full admin rights with no human sign-off" lost
    "we gave the agent far more access than it needed" (its French too). On holdout4, 5
    and 6, looked at for this, 0.663 / 0.175 became 0.709 / 0.166 (a negation never
    speaking: 0.683 / 0.174); on tune, holdout, holdout2 and holdout3 0.848 / 0.117 became
    0.853 / 0.115; on the blind parts it gained nothing measurable (docs/meaning-grader.md,
    phase 7). Where a keyword is found, a negation before it still denies it as in rules
    5. An embedding barely tells "the video is not authentic" from "the video is
    authentic" (0.73 and 0.71 to "deepfake"), and this test cannot either."""
    unsaid_share: float = 0.1
    """Or when it brings the clause this share of the way it still had to go (a clause
    already next to the element has little room to come nearer)."""
    claimed_below: float = 0.7
    """A clause that holds another element's keyword (a phrase, not a pattern) gives an
    element by meaning only from this cosine up (rules 6): on the subject, it is close to
    every element of it. Holdout4, 5 and 6: 0.724 / 0.155 became 0.746 / 0.140 (with the
    model answer's clauses anchoring the element nearest them beside another's keyword).
    Its cost: a clause that makes two points in other words keeps only the one whose
    keyword it holds."""
    keyword_scopes_negation: bool = True
    """Where a keyword of the element is found, a negation speaks against the element only
    if it stands before the keyword or bears on the element's own words after it ("the
    regulator will not be notified"); "the tax deadline has not moved" says it stands."""


PARAMS = Params()


@dataclass(slots=True)
class _Element:
    name: str
    term: str | Term
    anchors: list[str]
    is_label: list[bool]
    vectors: Vectors | None = None
    negs: list[bool] = field(default_factory=list)
    hedges: list[bool] = field(default_factory=list)
    own: frozenset[str] = frozenset()
    """Stems of the element's own words (its anchors'), for a negation after a keyword."""
    agreed: frozenset[str] = frozenset()
    """Stems of the words its own negations bear on ("no switching"), rules 7."""
    refuting: bool = False
    """A forbidden idea that itself says something is false: a clause that refutes what
    it reports may still say it (rules 7)."""
    facts: Facts = NONE
    """The hashes, addresses, times and counts its label and synonyms name (rules 11)."""

    @property
    def vecs(self) -> Vectors:
        assert self.vectors is not None
        return self.vectors


@dataclass(slots=True)
class _Rubric:
    required: list[_Element]
    forbidden: list[_Element]
    model: Vectors | None
    """The whole model answer's vector in each language, one row each (None when the
    expectation has none): an answer is as relevant as it is close to the nearest."""
    facts: bool = False
    """Whether a required element names a hash, address, time or count (rules 11)."""


@dataclass(frozen=True, slots=True)
class _Clauses:
    """An answer's clauses and what the rules read in each, worked out once per answer
    (every element reads every clause)."""

    text: list[str]
    norm: list[str]
    """Each clause as :func:`engine.grading.normalise` writes it (figures joined), for keywords."""
    vecs: Vectors
    hedged: list[bool]
    negated: list[bool]
    unsaid: list[Vectors | None]
    """Each negated clause's vector with its negation taken out (rules 6); None for the
    others."""
    refuted: list[bool]
    """Whether each clause says what it reports is false (rules 7)."""
    facts: list[Facts]
    """The hashes, addresses, times and counts each clause names (rules 11)."""


class _Decided(NamedTuple):
    """A required element's verdict, the clause it rests on (-1 for none), and every
    clause its keyword was found in (for the claimed clauses of rules 6)."""

    verdict: ElementVerdict
    at: int
    found: frozenset[int]


def _term_words(term: str | Term) -> list[str]:
    return [term] if isinstance(term, str) else list(term.any)


def _cos(x: float) -> float:
    return round(float(x), 3)


def _cosines(sims: Vectors) -> list[list[float]]:
    """Every cosine of a clauses-by-anchors matrix, rounded as :func:`_cos` rounds one, as
    Python floats: read one by one from numpy, the rounding was a third of the rules'
    time. The same numbers: a float32 times 1000 is exact in float64, so numpy's
    rint-and-divide rounds the exact value half to even, as ``round`` does."""
    rounded: list[list[float]] = np.round(sims.astype(np.float64), 3).tolist()
    return rounded


class MeaningGrader:
    """Grades text answers against rubrics with one encoder and one set of knobs."""

    def __init__(self, model: Encoder, params: Params = PARAMS) -> None:
        self.model = model
        self.params = params
        self.name = f"{model.name}/{RULES}"
        self._rubrics: dict[str, _Rubric] = {}

    # ------------------------------------------------------------ anchors

    def rubric(self, exp: TextExpectation) -> _Rubric:
        """The expectation's anchors, encoded once (cached by the rubric's content)."""
        key = exp.grading_key()
        found = self._rubrics.get(key)
        if found is None:
            if len(self._rubrics) >= 256:
                del self._rubrics[next(iter(self._rubrics))]
            found = self._rubrics[key] = self._build(exp)
        return found

    def _build(self, exp: TextExpectation) -> _Rubric:
        p = self.params
        required = [self._element(t) for t in exp.required]
        forbidden = [self._element(t) for t in exp.forbidden]
        model_clauses = tx.clauses(exp.model_answer, p.comma) if exp.model_answer.strip() else []
        if required and model_clauses:
            vecs = self.model.encode(model_clauses)
            for clause, vec in zip(model_clauses, vecs, strict=True):
                norm = normalise(clause, figures=True)
                hits = [e for e in required if term_found(e.term, clause, norm, figures=True)]
                # And the element it is nearest by meaning, even beside another's keyword:
                # a model answer's clause may make two points ("the key stored in the Forge
                # agent's config was read"), and an answer's clause that gives one by keyword
                # gives another by meaning only from close by (rules 6, ``claimed_below``).
                best = max(required, key=lambda e: float((e.vecs @ vec).max()))
                if best not in hits and float((best.vecs @ vec).max()) >= (p.lo + p.hi) / 2:
                    hits.append(best)
                for e in hits:
                    e.anchors.append(clause)
                    e.is_label.append(False)
        for e in required + forbidden:
            e.vectors = self.model.encode(e.anchors)
            e.negs = [tx.negated(a) for a in e.anchors]
            e.hedges = [tx.hedged(a) or tx.possible(a) for a in e.anchors]
            e.own = tx.stems(e.anchors)
            e.agreed = tx.negated_words(e.anchors)
            e.refuting = any(tx.refuted(a) for a in e.anchors)
        # How relevant an answer is, it is to the model answer in its own language: in a
        # bilingual scenario, a French answer is far from the English one (×0.24 where
        # the same answer in English kept ×0.64) and near the French. The elements'
        # anchors stay the played language's: clauses of both made it worse (8 French
        # answers seen: 0.872/0.101 with the English anchors, 0.806/0.138 with both;
        # with the relevance in either language 0.872/0.083).
        models = [m for m in (exp.model_answer, *exp.model_answer_also) if m.strip()]
        whole = self.model.encode(models) if models else None
        return _Rubric(required, forbidden, whole, any(e.facts for e in required))

    def _element(self, term: str | Term) -> _Element:
        label = term_name(term)
        anchors = [tx.idea(label)]
        is_label = [True]
        for word in _term_words(term):
            if word.casefold() != anchors[0].casefold():
                anchors.append(word)
                is_label.append(False)
        e = _Element(label, term, anchors, is_label)
        e.vectors = self.model.encode(anchors)
        for anchor in anchors:
            e.facts |= facts(anchor)
        return e

    # ------------------------------------------------------------ one answer

    def grade(self, exp: TextExpectation, answer: str) -> TextVerdict:
        p = self.params
        rubric = self.rubric(exp)
        answer = encodable(answer)
        units = tx.clauses(answer, p.comma) if answer.strip() else []
        count = tx.words(answer)
        if not units:
            return TextVerdict(grader=self.name, points=0.0, max_points=exp.points)
        negs = [tx.negated(u) for u in units]
        # One batch: the clauses, each negated one with its negation taken out, and the
        # whole answer (for its relevance) last.
        negated_at = [i for i, n in enumerate(negs) if n]
        texts = [*units, *(tx.unsaid(units[i]) for i in negated_at)]
        vecs = self.model.encode([*texts, answer] if rubric.model is not None else texts)
        unsaid: list[Vectors | None] = [None] * len(units)
        for row, i in enumerate(negated_at, start=len(units)):
            unsaid[i] = vecs[row]
        c = _Clauses(
            text=units,
            norm=[normalise(u, figures=True) for u in units],
            vecs=vecs[: len(units)],
            hedged=[tx.hedged(u) for u in units],
            negated=negs,
            unsaid=unsaid,
            refuted=[tx.refuted(u) for u in units],
            # Read only where an element names a fact to compare with (rules 11).
            facts=[facts(u) for u in units] if rubric.facts else [NONE] * len(units),
        )
        decided = [self._required(e, c) for e in rubric.required]
        # A clause that holds one element's keyword does not also give another by meaning
        # alone: it is on the subject, so close to every element of it ("customers'
        # numbers were moved to criminals' SIM cards" earned "call from another phone"
        # 0.7). Such an element is judged again on the other clauses. Every clause with the
        # keyword counts, not only the first (saying it twice must not earn more); a
        # pattern does not count (``remain\w*`` is in "the clip, which remains online, was
        # spliced together", which says "deepfake"); and a clause that says the element
        # almost word for word (``claimed_below``) keeps it.
        keyed = frozenset(
            i
            for e, d in zip(rubric.required, decided, strict=True)
            if d.verdict.how == "keyword" and not (isinstance(e.term, Term) and e.term.pattern)
            for i in d.found
        )
        found = [f for f in (self._forbidden(e, c) for e in rubric.forbidden) if f is not None]
        said = [v for v, _ in found]
        # A clause that says a forbidden idea makes no required point by meaning: "your
        # documents were not accessed" is the forbidden reassurance, not "we do not yet know
        # whether they were" (rules 7). Such an element is judged again without any clause
        # that says one (saying it twice must not earn it back).
        wrong = frozenset().union(*(at for _, at in found))
        required = []
        for e, d in zip(rubric.required, decided, strict=True):
            v, i = self._judged(e, c, keyed, d)
            if i in wrong and v.how == "meaning":
                v, _ = self._judged(e, c, keyed, d, wrong)
            required.append(v)
        relevance = 1.0
        if rubric.model is not None and p.relevance_lo > p.relevance_floor:
            whole = _cos(float((rubric.model @ vecs[-1]).max()))
            span = p.relevance_lo - p.relevance_floor
            relevance = min(1.0, max(0.0, (whole - p.relevance_floor) / span))
        if p.relevance_on_meaning and relevance < 1:
            required = [_scaled(v, relevance) if v.how == "meaning" else v for v in required]
        if rubric.required:
            share = sum(v.credit for v in required) / len(required)
            against = sum(1 for v in required if v.how == "contradicted")
            share -= p.contradiction * against / len(required)
        else:
            share = 1.0
        share -= exp.forbidden_penalty * len(said)
        length = tx.length_factor(count, exp.min_words, exp.max_words, p.short, p.long)
        share = max(0.0, share) * length * (1.0 if p.relevance_on_meaning else relevance)
        return TextVerdict(
            grader=self.name,
            points=round(share * exp.points, 6),
            max_points=exp.points,
            required=required,
            forbidden=said,
            words=count,
            length=round(length, 6),
            relevance=round(relevance, 6),
        )

    def _denies(
        self, e: _Element, sims: Sequence[float], neg: bool, unsaid: Vectors | None
    ) -> bool:
        """Whether the clause's negation speaks against the element: its polarity
        disagrees with the closest anchors, and, where the clause is the negated one,
        taking its negation out brings it nearer the element (rules 6)."""
        if self._agrees(e, sims, neg):
            return False
        if not neg or unsaid is None:
            return True
        before = max(sims)
        nearer = _cos(float((e.vecs @ unsaid).max())) - before
        # A clause already next to the element ("no third-party tool used by the agent
        # was compromised", 0.913) has little room to come nearer: a tenth of what is
        # left is enough there (0.931).
        return nearer >= self.params.unsaid or nearer >= self.params.unsaid_share * (1 - before)

    def _agrees(self, e: _Element, sims: Sequence[float], neg: bool) -> bool:
        """Whether the clause's negation agrees with one of its closest non-label anchors
        (labels carry meta-words, so they are left out)."""
        others = [s for s, lab in zip(sims, e.is_label, strict=True) if not lab]
        if not others:
            return True
        best = max(others)
        for s, lab, aneg in zip(sims, e.is_label, e.negs, strict=True):
            if not lab and s >= best - self.params.tie and aneg == neg:
                return True
        return False

    def _hedges(self, e: _Element, sims: Sequence[float]) -> bool:
        """Whether the element's label, or one of its closest other anchors, itself
        hedges: an element that only says a thing may be so ("backups may still hold the
        conversations") is honest about what is unknown (rules 7: the label counts)."""
        if any(h for h, lab in zip(e.hedges, e.is_label, strict=True) if lab):
            return True
        others = [s for s, lab in zip(sims, e.is_label, strict=True) if not lab]
        if not others:
            return False
        best = max(others)
        return any(
            not lab and h and s >= best - self.params.tie
            for s, lab, h in zip(sims, e.is_label, e.hedges, strict=True)
        )

    @staticmethod
    def _keyword(e: _Element, unit: str, norm: str) -> tuple[bool, bool, bool]:
        """(found, agrees, scoped): a synonym or the pattern in the clause; whether the
        clause's negation agrees with that synonym's ("we have not suspended"); and
        whether a negation in the clause may govern the synonym: one standing before it
        ("no evidence that any model was stolen"), or one after it that bears on the
        element's own words ("the regulator will not be notified"), not on something
        else said of it ("the tax deadline has not moved")."""
        term = e.term
        if isinstance(term, Term) and term.pattern is not None:
            return term_found(term, unit, norm, figures=True), True, True
        for word in _term_words(term):
            if term_found(word, unit, norm, figures=True):
                after = tx.negates_after(word, unit, e.own, e.agreed)
                if tx.negative(word):
                    # Its own negation: the "ne" before it is the other half of the same
                    # ("il n'y aura aucune coupure"), one before a comma another verb's
                    # ("the agency never asks for them, do not answer"); another still
                    # denies it ("nobody said there would be no shutdown").
                    return True, not tx.denied_before(word, unit), after
                before = tx.negated_before(word, unit, window=len(unit))
                return True, not tx.negated_before(word, unit), before or after
        return False, True, True

    def _required(
        self, e: _Element, c: _Clauses, claimed: frozenset[int] = frozenset()
    ) -> _Decided:
        """The element's verdict (clauses in ``claimed`` are not read)."""
        p = self.params
        units, neg = c.text, c.negated
        sims = _cosines(c.vecs @ e.vecs.T)
        best_pos, best_neg, pos_i, neg_i, keyword = -1.0, -1.0, -1, -1, -1
        best_any = 0.0
        found_in: list[int] = []
        for i, unit in enumerate(units):
            if i in claimed:
                continue
            s = max(sims[i])
            best_any = max(best_any, s)
            found, agrees, scoped = self._keyword(e, unit, c.norm[i])
            if found:
                found_in.append(i)
            elif e.facts and conflict(c.facts[i], e.facts):
                # Another hash, address, time or count than the element's: by meaning it
                # would read as the element's own ("about 1,900 candidates" for 1,100).
                continue
            doubts = c.hedged[i] and not (p.hedge_agrees and self._hedges(e, sims[i]))
            if found and p.keyword_scopes_negation:
                against = doubts or not agrees
                # A negation before the keyword denies it wherever it stands ("we have no
                # information to share on the filing deadline"): no unsaid test here.
                against = against or (scoped and not self._agrees(e, sims[i], neg[i]))
            else:
                against = doubts or self._denies(e, sims[i], neg[i], c.unsaid[i])
                if found:
                    against = against or not agrees
            if against:
                if found:
                    s = 1.0
                if s > best_neg:
                    best_neg, neg_i = s, i
                continue
            if s > best_pos:
                best_pos, pos_i = s, i
            if found and keyword < 0:
                keyword = i
        keyed = frozenset(found_in)
        if keyword < 0 and best_neg >= p.against and best_neg >= best_pos - p.tie:
            verdict = _verdict(e.name, "contradicted", 0.0, best_neg, units[neg_i])
            return _Decided(verdict, neg_i, keyed)
        if keyword >= 0:
            verdict = _verdict(e.name, "keyword", 1.0, max(best_pos, 0.0), units[keyword])
            return _Decided(verdict, keyword, keyed)
        ramp = min(1.0, max(0.0, (best_pos - p.lo) / (p.hi - p.lo)))
        if ramp <= 0:
            return _Decided(_verdict(e.name, "missing", 0.0, best_any, ""), -1, keyed)
        return _Decided(_verdict(e.name, "meaning", ramp, best_pos, units[pos_i]), pos_i, keyed)

    def _judged(
        self,
        e: _Element,
        c: _Clauses,
        keyed: frozenset[int],
        d: _Decided,
        without: frozenset[int] = frozenset(),
    ) -> tuple[ElementVerdict, int]:
        """The element's verdict, and the clause it rests on, with the clauses ``without``
        left out, once a clause that holds another element's keyword is read as rules 6 say
        (``claimed_below``). ``d`` is its first reading of every clause. A verdict read
        again that comes out missing keeps the cosine of the one it replaces: how close
        the answer came, all its clauses read."""
        v, i, _ = d
        if without:
            v, i = _kept(self._required(e, c, without), v)
        # (An element found by meaning has no keyword in any clause: none is its own.)
        if v.how == "meaning" and i in keyed and v.cosine < self.params.claimed_below:
            v, i = _kept(self._required(e, c, keyed | without), v)
        return v, i

    def _forbidden(self, e: _Element, c: _Clauses) -> tuple[ElementVerdict, frozenset[int]] | None:
        """Whether the forbidden idea is said: its verdict (on the first clause that says
        it) and every clause that says it; None when none does."""
        sims = _cosines(c.vecs @ e.vecs.T)
        forms = _term_words(e.term)
        by_meaning = [len(a.split()) >= 3 for a in e.anchors]
        first: ElementVerdict | None = None
        at: set[int] = set()
        for i, unit in enumerate(c.text):
            if c.hedged[i] or (c.refuted[i] and not e.refuting):
                continue
            cosine = None
            for form in forms:
                where = tx.word_form_at(form, unit)
                if where is not None and (tx.negated(form) or not tx.negation_before(unit, where)):
                    cosine = max(sims[i])
                    break
            else:
                close = [s for s, ok in zip(sims[i], by_meaning, strict=True) if ok]
                if (
                    close
                    and max(close) >= self.params.forbid
                    and self._agrees(e, sims[i], c.negated[i])
                ):
                    cosine = max(close)
            if cosine is not None:
                at.add(i)
                first = first or _verdict(e.name, "said", 1.0, cosine, unit)
        return None if first is None else (first, frozenset(at))


def _kept(again: _Decided, before: ElementVerdict) -> tuple[ElementVerdict, int]:
    """A verdict read again, with ``before``'s cosine when it comes out missing."""
    v, i, _ = again
    if v.how == "missing":
        v = v.model_copy(update={"cosine": before.cosine})
    return v, i


def _scaled(v: ElementVerdict, factor: float) -> ElementVerdict:
    credit = round(v.credit * factor, 3)
    if credit <= 0:
        return v.model_copy(update={"credit": 0.0, "how": "missing", "evidence": ""})
    return v.model_copy(update={"credit": credit})


def _verdict(name: str, how: How, credit: float, cosine: float, evidence: str) -> ElementVerdict:
    return ElementVerdict(
        name=name[:1_000],
        how=how,
        credit=round(min(1.0, max(0.0, credit)), 3),
        cosine=min(1.0, max(-1.0, cosine)),
        evidence=evidence[:MAX_EVIDENCE],
    )
