"""The text grader the test suite runs with.

Sitroom grades text answers by meaning (engine.meaning), which loads a 130 MB
sentence-embedding model (about 2 s) in every process that grades one. Most tests
play text answers without looking at how they are graded, and many start
``sitroom`` processes: they run with the keyword grader (``SITROOM_TEXT_GRADER=
keywords``, inherited by the processes they start). Tests marked ``meaning`` (the
grader's own, the golden traces, replay of meaning-graded logs, ``sitroom rubric``)
run with the default, the meaning grader. ``SITROOM_TEXT_GRADER=meaning pytest``
runs everything with it.
"""

from __future__ import annotations

import os

import pytest

from engine.meaning.intake import ENV

os.environ.setdefault(ENV, "keywords")


@pytest.fixture(autouse=True)
def _text_grader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if request.node.get_closest_marker("meaning") is not None:
        monkeypatch.setenv(ENV, "meaning")
