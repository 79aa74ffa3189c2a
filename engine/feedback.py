"""The participant feedback form and the hotwash prompts: decided here, read everywhere.

After the end, each team member may fill in a feedback form in the HSEEP style
(the Participant Feedback Form): up to three strengths, up to three areas for
improvement, and a rating from 1 (strongly disagree) to 5 (strongly agree) for
each of a few fixed statements. The questions are fixed, not per scenario, so
the figures of two exercises compare; their ids are what the log keeps, so a
question's wording can be improved without making old logs unreadable, but an
id, once shipped, keeps its meaning.

The form arrives as the ``feedback`` command (:class:`engine.commands.Feedback`),
which the engine takes only once the exercise has ended. A member who sends it
again replaces what they sent: the report counts each member's latest form once.

The facilitator's hotwash is the discussion right after the end. Its prompts are
the scenario's ``hotwash:`` list when it has one, else :data:`DEFAULT_HOTWASH`;
the notes are ordinary ``note`` commands with category ``hotwash`` (and the
prompt they answer), as the evaluators' hotwash notes are.
"""

from __future__ import annotations

from typing import Final, Literal

from engine.i18n import N_
from engine.i18n.phrase import Phrase, said

QuestionId = Literal["structured", "realistic", "role", "again"]
"""The fixed feedback statements, by id (what a ``feedback`` command rates)."""

QUESTIONS: Final[tuple[tuple[QuestionId, str], ...]] = (
    ("structured", N_("The exercise was well structured and organised.")),
    ("realistic", N_("The scenario and its injects were realistic.")),
    ("role", N_("I understand my role in an incident like this better than before.")),
    ("again", N_("I would take part in an exercise like this again.")),
)
"""(id, statement) in the order the form asks them and the report lists them; the
statements are English source text, shown through ``engine.i18n._``."""

QUESTION_TEXT: Final[dict[str, str]] = dict(QUESTIONS)

SCALE: Final[tuple[int, ...]] = (1, 2, 3, 4, 5)
SCALE_WORDS: Final[dict[int, str]] = {
    1: N_("strongly disagree"),
    2: N_("disagree"),
    3: N_("neutral"),
    4: N_("agree"),
    5: N_("strongly agree"),
}
"""What each rating means (the form's legend and the report's)."""

MAX_ITEMS: Final = 3
"""At most this many strengths, and as many areas for improvement (HSEEP's "top three")."""
MAX_ITEM_CHARS: Final = 500
"""Longest strength or area for improvement, in characters: a sentence or two."""

DEFAULT_HOTWASH: Final[tuple[str, ...]] = (
    Phrase(N_("What went well?")),
    Phrase(N_("What should we improve?")),
    Phrase(N_("What surprised you?")),
    Phrase(N_("What will we do next, and who owns it?")),
)
"""The hotwash prompts when the scenario gives none of its own. Each is English (the
key a hotwash note is logged under, so notes and prompts match in any language) and a
:class:`~engine.i18n.phrase.Phrase` the report and the consoles say in the reader's."""

MAX_PROMPTS: Final = 20
MAX_PROMPT_CHARS: Final = 200
"""A scenario's ``hotwash:`` list: at most this many prompts of at most this length."""


def prompt_said(prompt: str) -> str:
    """A hotwash prompt as its reader reads it: a default one (logged in English with
    the notes that answer it) in the reader's language, a scenario's own as written."""
    default = next((p for p in DEFAULT_HOTWASH if p == prompt), None)
    return said(default) if default is not None else prompt


def hotwash_prompts(own: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """The prompts of a hotwash: the scenario's own (``own``) if it has any, else the default."""
    return tuple(own) if own else DEFAULT_HOTWASH
