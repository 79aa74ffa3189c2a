"""Located problems: what a planner reads when a scenario is wrong.

Every check (YAML syntax, the schema, the semantic lint) reports through one type
so that the command line prints them the same way, ``file:line:col: path: message``,
and machines get the same fields as JSON.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Literal

from engine.i18n import N_, word_for

Severity = Literal["error", "warning", "note"]
"""An error makes a scenario unusable; a warning is probably a mistake (``--strict``
fails on it); a note states a fact worth knowing before play (a role no team plays)
and never fails anything."""

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def _one_line(text: str) -> str:
    """``text`` with control characters (a key named ``"\\r"``, a quoted newline)
    written as escapes, so that one problem is always one line of output."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a scenario, at a place in its file.

    ``line`` and ``column`` are 1-based, as editors show them; 0 means the problem
    concerns the file as a whole. ``path`` is the dotted location in the document
    (``injects[3].expects[0].due``), empty for the whole document. ``subject`` names
    what the path points into by the ids written there (``I-12.holding``: the
    inject and its expectation), since ``injects[17]`` alone sends a planner
    counting; empty when there is nothing to name.
    """

    file: str
    line: int
    column: int
    path: str
    message: str
    severity: Severity = "error"
    subject: str = ""

    def __post_init__(self) -> None:
        for name in ("path", "message", "subject"):
            text = getattr(self, name)
            if _CONTROL.search(text):
                object.__setattr__(self, name, _one_line(text))

    @property
    def tag(self) -> str:
        """The "warning: " or "note: " before the message, in the planner's language (""
        for an error); the severity itself stays English data."""
        return "" if self.severity == "error" else word_for(_SEVERITY_TAGS, self.severity)

    def format(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        tag = self.tag
        if self.path:
            named = f" ({self.subject})" if self.subject else ""
            return f"{where}: {tag}{self.path}{named}: {self.message}"
        return f"{where}: {tag}{self.message}"

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.column, self.path)


_SEVERITY_TAGS = {"warning": N_("warning: "), "note": N_("note: ")}
"""How ``format`` marks a problem that is not an error."""


def errors(problems: list[Problem]) -> list[Problem]:
    """The problems that make a scenario unusable (warnings excluded)."""
    return [p for p in problems if p.severity == "error"]
