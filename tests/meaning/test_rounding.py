"""The grader rounds a whole matrix of cosines at once (``rubric._cosines``) where it
once rounded each with ``round(float(x), 3)``: the same numbers, or a grade could move
when the rules compare them with their thresholds. Any float32 a cosine can be, ties
included (0.0625 is one: 62.5 thousandths), and matrices of every shape."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from engine.meaning.rubric import _cos, _cosines

COSINE = st.floats(min_value=-1.0, max_value=1.0, width=32, allow_nan=False)
TIES = st.integers(min_value=-1000, max_value=999).map(lambda k: np.float32((k + 0.5) / 1000))


@given(hnp.arrays(np.float32, hnp.array_shapes(min_dims=2, max_dims=2), elements=COSINE | TIES))
def test_rounded_together_as_one_by_one(sims: np.ndarray) -> None:
    together = _cosines(sims)
    assert together == [[_cos(x) for x in row] for row in sims]
    assert all(type(x) is float for row in together for x in row)


def test_a_tie_rounds_half_to_even_in_both() -> None:
    sims = np.array([[0.0625, -0.0625, 0.1875]], dtype=np.float32)
    assert _cosines(sims) == [[_cos(x) for x in sims[0]]] == [[0.062, -0.062, 0.188]]
