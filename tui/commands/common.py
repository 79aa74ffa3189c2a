"""Small helpers shared by the command modules: error output in one style."""

from __future__ import annotations

import sys

from engine.problems import Problem


def fail(message: str, code: int = 1) -> int:
    print(f"sitroom: {message}", file=sys.stderr)
    return code


def print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        print(problem.format())
