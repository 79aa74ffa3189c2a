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
from collections.abc import Iterator

import pytest

from engine import i18n
from engine.meaning.intake import ENV

os.environ.setdefault(ENV, "keywords")

# Sitroom's own words in English whatever the machine's locale (LANG=fr_FR…), in this
# process and in every process a test starts: snapshots and expected text are English.
# A test that wants French sets SITROOM_LANG itself (monkeypatch) or calls i18n.activate.
os.environ[i18n.ENV] = "en"
i18n.activate("en")


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """A test that switched the language leaves the next one in English."""
    yield
    i18n.activate("en")


@pytest.fixture(autouse=True)
def _text_grader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if request.node.get_closest_marker("meaning") is not None:
        monkeypatch.setenv(ENV, "meaning")
