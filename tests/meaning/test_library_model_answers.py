"""Every bundled text rubric gives its own model answer full points, in every language
the scenario is written in.

The model answer is what evaluators are shown as a good answer and what anchors the
grade: a rubric that takes points off it has an element the answer does not make, a
synonym that only seemed to make it ("SMS" for "fraudulent SMS are targeting
citizens"), or a forbidden idea it sits close to. Graded as the engine grades an answer
when it is taken.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.meaning.intake import grade
from engine.scenario.expectations import TextExpectation
from engine.scenario.load import load_file

pytestmark = pytest.mark.meaning

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = sorted((ROOT / "scenarios").glob("*.yaml"))


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_each_model_answer_earns_its_full_points(path: Path) -> None:
    languages = load_file(path).languages or (None,)
    short = []
    graded = 0
    for lang in languages:
        scenario = load_file(path, lang=lang).require()
        for inject in scenario.injects:
            for exp in inject.expects:
                if not isinstance(exp, TextExpectation) or not exp.model_answer.strip():
                    continue
                graded += 1
                verdict = grade(exp, exp.model_answer)
                if verdict.share < 0.999:
                    lost = [f"{e.name}: {e.how}" for e in verdict.required if e.credit < 1]
                    lost += [f"forbidden: {e.name}" for e in verdict.forbidden]
                    short.append(f"{lang or ''} {inject.id}.{exp.id} {verdict.share:.3f} {lost}")
    assert graded, f"{path.name} has no text expectation with a model answer"
    assert not short, "\n".join(short)
