"""What a team reads of a scenario, for the tests that check a rubric asks only for what
the story told (test_told_first, test_evaluator_notes)."""

from __future__ import annotations

from engine.scenario.expectations import ChecklistExpectation, DecisionExpectation
from engine.scenario.injects import Inject


def shown(inject: Inject) -> str:
    """Everything a team reads in an inject: title, body, attachments, and its
    expectations' prompts, options and checklist items."""
    texts = [inject.title, inject.body]
    texts += [f"{a.name} {a.text} {a.content or ''}" for a in inject.attachments]
    for exp in inject.expects:
        texts.append(exp.prompt)
        if isinstance(exp, DecisionExpectation):
            texts += [o.label for o in exp.options]
        if isinstance(exp, ChecklistExpectation):
            texts += [i.label for i in exp.items]
    return " ".join(texts)
