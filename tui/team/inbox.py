"""The inbox: delivered injects with unread marks, channel icons and deadline countdowns."""

from __future__ import annotations

from collections.abc import Hashable

from rich.cells import cell_len
from rich.text import Span, Text
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import Padding, RenderOptions, Visual
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from engine.durations import format_countdown
from engine.i18n import _
from tui.console.glyphs import channel_icon
from tui.console.safe import visible
from tui.model.team import InboxEntry


def entry_prompt(entry: InboxEntry, now: int, width: int = 40) -> Text:
    """One inbox line: unread dot, icon, title, and the nearest deadline or the status."""
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append("● " if not entry.read else "  ", style="bold cyan")
    style = {"critical": "bold red", "high": "bold yellow"}.get(entry.priority, "")
    line.append(f"{channel_icon(entry.channel)} ", style=style or "dim")
    due = entry.next_due(now)
    if due is not None:
        left = due - now
        tag = (
            f" {format_countdown(left)}"
            if left >= 0
            else " " + _("late {time}").format(time=format_countdown(-left))
        )
        tag_style = "bold red" if left < 0 else ("bold yellow" if left < 5 * 60_000 else "cyan")
    elif entry.expectations and all(e.answered_at is not None for e in entry.expectations):
        tag, tag_style = " ✓", "green"
    elif any(e.expired for e in entry.expectations):
        tag, tag_style = " " + _("missed"), "red"
    else:
        tag, tag_style = "", ""
    room = max(8, width - 4 - len(tag))
    title = visible(entry.title, one_line=True)
    title = title if len(title) <= room else title[: room - 1] + "…"
    line.append(title, style="bold" if not entry.read else "")
    if tag:
        line.append(" " * max(1, room - len(title)))
        line.append(tag, style=tag_style)
    return line


RowKey = tuple[str, tuple[Span, ...]]
"""What a row shows: its text and the text's styles (what decides whether it is redrawn)."""


def row_key(text: Text) -> RowKey:
    return text.plain, tuple(text.spans)


class InboxLine(Visual):
    """One inbox row, drawn from its entry only when the row is on screen.

    OptionList asks every option for its height whenever its line cache is cleared
    (each prompt replaced, each rebuild). For a Rich ``Text`` prompt that means
    converting and word-wrapping all of them: with 1,000 injects that was most of
    the cost of a delivery burst, and of every one-second countdown tick. An inbox
    row is one line by construction, so this visual says so without rendering, and
    builds its text (at the list's current time) when OptionList draws it.

    A row also keeps what it last drew (:attr:`drawn`, :attr:`line`): see
    :meth:`InboxList._get_option_render`.
    """

    def __init__(self, entry: InboxEntry, inbox: InboxList) -> None:
        self.entry = entry
        self.inbox = inbox
        self.drawn: RowKey | None = None
        """The text (and styles) last drawn, to tell whether a tick changed the row."""
        self.line: tuple[Hashable, list[Strip]] | None = None
        """The row's strips as last drawn (before the list's meta), and what they show."""

    def text(self) -> Text:
        return entry_prompt(self.entry, self.inbox.now, self.inbox.line_width())

    @property
    def plain(self) -> str:
        return self.text().plain

    def __str__(self) -> str:
        return self.plain

    def stale(self) -> bool:
        """The row would read differently now than when it was last drawn."""
        return self.drawn is not None and row_key(self.text()) != self.drawn

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        content = Content.from_rich_text(self.text()).truncate(width, ellipsis=True)
        return content.render_strips(width, 1, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return cell_len(self.plain)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return 1


class InboxList(OptionList):
    """Injects, newest first or most urgent first; the highlighted one is shown beside it."""

    DEFAULT_CSS = """
    InboxList { width: 40; min-width: 30; height: 1fr; border: round $primary-darken-1; }
    InboxList:focus { border: round $accent; }
    """

    now = 0
    """Exercise time the rows' countdowns are drawn at (set by ``show`` and ``tick``)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: dict[str, InboxLine] = {}
        """Each inject's row, kept across rebuilds (with what it last drew)."""

    def _get_option_render(self, option: Option, style: Style) -> list[Strip]:
        """A row's line, from what the row kept when it reads as when last drawn.

        This overrides OptionList's own (Textual is pinned): OptionList keeps each
        option's strips by option, so an inject's arrival, which rebuilds the
        options, drew every row afresh through the whole visual pipeline (about half
        a millisecond a row). Every console in a room draws each inject at once, so
        here a row whose text, width and style are unchanged is drawn from its own
        copy, with only its position (the meta a mouse click reads) put on afresh.
        """
        row = option.prompt
        if not isinstance(row, InboxLine) or option._divider:
            return super()._get_option_render(option, style)
        padding = self.get_component_styles("option-list--option").padding
        width = self.scrollable_content_region.width - self._get_left_gutter_width()
        shown = row.drawn = row_key(row.text())
        key = (shown, width, style, padding)
        if row.line is None or row.line[0] != key:
            visual: Visual = Padding(row, padding) if padding else row
            strips = Visual.to_strips(self, visual, width, None, style)
            row.line = key, [s.extend_cell_length(width, style.rich_style) for s in strips]
        meta = {"option": self._option_to_index[option]}
        return [strip.apply_meta(meta) for strip in row.line[1]]

    def line_width(self) -> int:
        return max(24, self.size.width - 2 if self.size.width else 38)

    def _row(self, entry: InboxEntry) -> InboxLine:
        row = self._rows.get(entry.inject)
        if row is None:
            row = self._rows[entry.inject] = InboxLine(entry, self)
        row.entry = entry  # the model may have replaced it (a replay)
        return row

    def show(self, entries: list[InboxEntry], now: int) -> None:
        """Show ``entries`` in this order, keeping the highlighted inject highlighted.

        The same injects in the same order (an answer, a deadline) only redraw the rows
        on screen that read differently; a new inject or a new order rebuilds the
        options, which is cheap since rows are drawn lazily and from what they kept
        (:class:`InboxLine`).
        """
        self.now = now
        ids = [e.inject for e in entries]
        if ids == [o.id for o in self.options]:
            for entry in entries:
                self._row(entry)
            self._redraw_visible()
            return
        current = self.highlighted_id()
        self.set_options([Option(self._row(e), id=e.inject) for e in entries])
        if current in ids:
            self.highlighted = ids.index(current)
        elif ids:
            self.highlighted = 0

    def tick(self, now: int) -> None:
        """Move countdowns on, without disturbing the cursor.

        Rows read the time when drawn, so only the rows on screen whose text changed
        (a running countdown; not a ✓ or a countdown of a stopped clock) are drawn again.
        """
        self.now = now
        self._redraw_visible()

    def _redraw_visible(self) -> None:
        """Draw again the rows on screen that would read differently now.

        Only those rows' lines are refreshed: a refresh of the whole list (what
        replacing a prompt does) redrew every row, every second.
        """
        first = self.scroll_offset.y
        last = min(self.option_count, first + max(1, self.scrollable_content_region.height))
        for index in range(first, last):
            option = self.get_option_at_index(index)
            prompt = option.prompt
            if isinstance(prompt, InboxLine) and prompt.stale():
                self._redraw_row(index, option)

    def _redraw_row(self, index: int, option: Option) -> None:
        # Rows are drawn by ``_get_option_render`` (above), which sees the new text:
        # refreshing the row's line is enough.
        self.refresh_lines(index)  # one line a row (InboxLine.get_height)

    def refresh_entry(self, entry: InboxEntry, now: int) -> None:
        """Redraw one line (after it was read, say)."""
        self.now = now
        try:
            index = self.get_option_index(entry.inject)
        except OptionDoesNotExist:
            return
        self._row(entry)
        self._redraw_row(index, self.get_option_at_index(index))

    def highlighted_id(self) -> str | None:
        if self.highlighted is None or self.option_count == 0:
            return None
        return self.get_option_at_index(self.highlighted).id
