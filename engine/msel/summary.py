"""The human columns ``Expected action`` and ``Objective``, summarised from expectations.

The export writes them from the ``Expectations`` column; the import compares them
with what it would write, so an edit a planner made to the summary (rather than
to ``Expectations``) is reported instead of silently lost.
"""

from __future__ import annotations

import re
from typing import Any

KIND_WORDS = {
    "decision": "decide",
    "checklist": "act",
    "text": "write",
    "manual": "evaluator-graded",
}


def expected_action(expects: list[Any]) -> str:
    """One line per expectation: its prompt, its kind and its deadline."""
    return "\n".join(_line(e) for e in expects if isinstance(e, dict))


def _line(exp: dict[str, Any]) -> str:
    kind = str(exp.get("kind", ""))
    prompt = str(exp.get("prompt") or "").strip() or f"({exp.get('id', '?')})"
    due = exp.get("due")
    tail = KIND_WORDS.get(kind, kind)
    if due is not None:
        tail += f", within {due}"
    return f"{' '.join(prompt.split())} [{tail}]"


def objectives_of(expects: list[Any]) -> list[str]:
    """The objectives the expectations feed, each once, in order."""
    seen: list[str] = []
    for exp in expects:
        if isinstance(exp, dict):
            objective = exp.get("objective")
            if isinstance(objective, str) and objective not in seen:
                seen.append(objective)
    return seen


def same_text(written: str, expected: str) -> bool:
    """The same prompts, up to spacing and line breaks (spreadsheets rewrap cells).

    The ``[kind, within 15m]`` tails are not compared: they are the export's
    annotations, and a planner who writes the prompt alone has changed nothing.
    """
    return _prompts(written) == _prompts(expected)


def _prompts(text: str) -> list[str]:
    lines = [re.sub(r"\s*\[[^\]]*\]\s*$", "", line) for line in text.splitlines()]
    return " ".join(lines).split()
