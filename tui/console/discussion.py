"""A module's discussion as text: the heading, what to do, and the numbered questions.

Read by every screen that shows a discussion (the team console's panel, the room's
wall), so they say the same. The questions are the scenario author's text: they
reach the screen as ``Text``, never markup.
"""

from __future__ import annotations

from rich.text import Text

from engine.events import Discussion
from engine.i18n import _
from engine.scenario.modules import module_label
from tui.console.safe import add

QUESTION_LIMIT = 500
"""Characters of one question shown (the scenario format allows no more)."""


def discussion_text(talk: Discussion) -> Text:
    """The heading, what to do, and the numbered questions."""
    out = Text(end="")
    out.append(_("{module} discussion").format(module=module_label(talk.number)), style="bold")
    out.append(" — ")
    add(out, talk.title, "bold", one_line=True, limit=120)
    out.append(
        "\n"
        + _(
            "Play is paused. Discuss these at your table (about {minutes} min); "
            "the facilitator resumes when the room is done."
        ).format(minutes=talk.minutes)
        + "\n",
        style="italic",
    )
    for n, question in enumerate(talk.questions, 1):
        out.append(f"\n{n}. ", style="bold")
        add(out, question, limit=QUESTION_LIMIT)
    return out
