"""Grading a text answer when it is taken: the process's grader, and its switch.

The engine calls :func:`assess` once per text answer, when the answer is accepted
(:meth:`engine.exercise.Exercise.submit`), and records the verdict in the ``respond``
input. Replay reads that verdict and never runs the model, so a log replays the same
on any machine, and a log written before the meaning grader (no verdict in its
answers) replays with the keyword grader it was played with
(:func:`engine.grading.grade_text`).

The default grader reads meaning. ``SITROOM_TEXT_GRADER=keywords`` in the environment
selects the keyword grader instead (no verdict is recorded, answers are graded by
their terms as before): the test suite sets it for tests that do not look at text
grades, so that the model (2 s, 130 MB) loads only in the tests that grade by
meaning, and a planner can use it to play a scenario the way older logs were graded.
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING, Literal

from engine.meaning.verdict import TextVerdict
from engine.scenario.expectations import TextExpectation

if TYPE_CHECKING:
    from engine.meaning.rubric import MeaningGrader
    from engine.scenario.model import Scenario

ENV = "SITROOM_TEXT_GRADER"
Mode = Literal["meaning", "keywords"]


def mode() -> Mode:
    """The text grader this process uses: ``meaning`` unless the environment says keywords."""
    return "keywords" if os.environ.get(ENV, "").strip().lower() == "keywords" else "meaning"


_grader: MeaningGrader | None = None
_loading = threading.Lock()
"""The model loads once, though a server's start-up and its grading thread may both ask."""


def grader() -> MeaningGrader:
    """The process's meaning grader (the model loads on the first call)."""
    global _grader
    with _loading:
        if _grader is None:
            from engine.meaning.model import encoder
            from engine.meaning.rubric import MeaningGrader

            _grader = MeaningGrader(encoder())
    return _grader


_CACHE_SIZE = 4096
_cache: dict[tuple[str, str], TextVerdict] = {}
_cache_lock = threading.Lock()
"""A live server fills the cache from its grading thread and reads it on its event loop
(:meth:`engine.live.LiveExercise.submit`)."""


def grade(exp: TextExpectation, text: str) -> TextVerdict:
    """The meaning grader's verdict on one answer (cached by rubric and text: bots and
    a thousand teams writing the same line cost one grade)."""
    key = (exp.grading_key(), text)
    with _cache_lock:
        found = _cache.get(key)
    if found is None:
        found = grader().grade(exp, text)
        with _cache_lock:
            if len(_cache) >= _CACHE_SIZE:
                del _cache[next(iter(_cache))]
            _cache[key] = found
    return found


def assess(exp: TextExpectation, text: str) -> TextVerdict | None:
    """The verdict to record with an answer just taken, or None under the keyword grader."""
    if mode() == "keywords":
        return None
    return grade(exp, text)


def text_graded(scenario: Scenario) -> bool:
    """Whether playing this scenario in this process will grade text answers by meaning."""
    if mode() == "keywords":
        return False
    return any(isinstance(e, TextExpectation) for _, e in scenario.expectation_by_ref.values())


def warm_up() -> None:
    """Load the model now (a server calls it at start, in a worker thread)."""
    grader()
