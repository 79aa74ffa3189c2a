"""The questions of a module's discussion, on every team's console while play waits.

When a module's discussion falls due the engine pauses the exercise and announces it
(``engine.events.Discussion``); the pause banner says which module and how long is
suggested, and this panel, above the inbox, lists the questions the table discusses,
wrapped to the width of the screen (a phone's forty columns too) and scrollable when
they are many. It hides itself when play resumes. The questions are the scenario
author's text: they reach the screen as ``Text``, never markup.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from engine.events import Discussion
from tui.console.discussion import discussion_text


class DiscussionPanel(VerticalScroll):
    """The discussion's questions; hidden while there is none. Not focusable: the
    console's keys keep working (a phone scrolls it by touch, a terminal by the wheel),
    and the console's first focus stays where it was."""

    can_focus = False

    DEFAULT_CSS = """
    DiscussionPanel { height: auto; max-height: 60%; display: none;
                      border: round $accent; padding: 0 1; }
    DiscussionPanel.-shown { display: block; }
    DiscussionPanel > Static { width: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.shown: Discussion | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="discussion-text")

    def show(self, talk: Discussion | None) -> None:
        """Show ``talk``'s questions, or hide the panel (None)."""
        if talk == self.shown:
            return
        self.shown = talk
        if talk is not None:
            self.query_one("#discussion-text", Static).update(discussion_text(talk))
            self.scroll_home(animate=False)
        self.set_class(talk is not None, "-shown")
