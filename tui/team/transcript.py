"""The team console as one plain-text column, for a screen reader or a careful reread.

``t`` on the team console opens it (:mod:`tui.model.transcript` writes it): every inject
and every answer in order, words only. It is a read-only text area, so the keyboard moves
a cursor line by line (what a screen reader follows), selects and copies; nothing in it
is markup. It follows the exercise while open, keeping the reader's place.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.screen import Screen
from textual.widgets import Footer, Static, TextArea

from engine.i18n import N_, _
from tui.console.keys import translated
from tui.console.safe import visible
from tui.console.textbox import TextBox
from tui.model.team import TeamModel
from tui.model.transcript import Transcript, transcript


class TranscriptScreen(Screen[None]):
    """The transcript, full screen: a line saying what it is, the text, the keys."""

    DEFAULT_CSS = """
    TranscriptScreen { layout: vertical; }
    TranscriptScreen #transcript-head { height: auto; padding: 0 1; text-style: bold;
                                        background: $primary-darken-2; }
    TranscriptScreen #transcript { height: 1fr; border: none; padding: 0 1; }
    """
    BINDINGS = [
        Binding("escape,t", "close", N_("Back to the console")),
        Binding("l", "latest", N_("Latest")),
        Binding("ctrl+q", "app.quit", N_("Quit"), priority=True),
    ]
    HEAD = N_("Transcript: every inject and answer in order. Esc returns to the console.")

    def __init__(self, model: TeamModel) -> None:
        super().__init__()
        self.model = model

    def compose(self) -> ComposeResult:
        yield Static(Text(_(self.HEAD)), id="transcript-head")
        yield TextBox(
            self._text(), read_only=True, soft_wrap=True, show_line_numbers=False, id="transcript"
        )
        yield Footer(show_command_palette=False)

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The footer's keys in the active language (:mod:`tui.console.keys`)."""
        return translated(super().active_bindings)

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()
        self.set_interval(1.0, self.follow)

    def _transcript(self) -> Transcript:
        return transcript(self.model, self.model.clock.now())

    def _text(self) -> str:
        return visible(self._transcript().text)

    def _area(self) -> TextArea | None:
        """The text; None once Esc has closed the screen, since a timer or a deferred
        scroll can still fire after that (a player typing before the answer box had the
        keyboard sent "t", "l" and Esc in one burst, and the console died)."""
        areas = self.query(TextArea)
        return areas.first() if areas else None

    def follow(self) -> None:
        """Bring the text up to date (an inject arrived, an answer, a deadline passed),
        keeping the cursor and the scroll where the reader left them."""
        area = self._area()
        if area is None:
            return
        text = self._text()
        if text == area.text:
            return
        cursor, scroll = area.cursor_location, area.scroll_offset
        area.load_text(text)
        row = min(cursor[0], area.document.line_count - 1)
        area.cursor_location = (row, min(cursor[1], len(area.document[row])))
        area.scroll_to(scroll.x, scroll.y, animate=False)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_latest(self) -> None:
        """To the start of the last inject or message (the transcript runs oldest first)."""
        starts = self._transcript().starts
        area = self._area()
        if area is None:
            return
        row = starts[-1] if starts else 0
        area.cursor_location = (row, 0)
        # After the text area has scrolled the cursor into view (at the bottom, coming
        # from above): the latest block at the top, the rest of it below.
        self.call_after_refresh(self._to_top, row)

    def _to_top(self, row: int) -> None:
        area = self._area()
        if area is None:
            return
        y = area.wrapped_document.location_to_offset((row, 0)).y
        area.scroll_to(y=y, animate=False, immediate=True)
