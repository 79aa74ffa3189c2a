"""The inbox: delivered injects with unread marks, channel icons and deadline countdowns."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
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


class InboxLine(Visual):
    """One inbox row, drawn from its entry only when the row is on screen.

    OptionList asks every option for its height whenever its line cache is cleared
    (each prompt replaced, each rebuild). For a Rich ``Text`` prompt that means
    converting and word-wrapping all of them: with 1,000 injects that was most of
    the cost of a delivery burst, and of every one-second countdown tick. An inbox
    row is one line by construction, so this visual says so without rendering, and
    builds its text (at the list's current time) when OptionList draws it.
    """

    def __init__(self, entry: InboxEntry, inbox: InboxList) -> None:
        self.entry = entry
        self.inbox = inbox

    def text(self) -> Text:
        return entry_prompt(self.entry, self.inbox.now, self.inbox.line_width())

    @property
    def plain(self) -> str:
        return self.text().plain

    def __str__(self) -> str:
        return self.plain

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

    def line_width(self) -> int:
        return max(24, self.size.width - 2 if self.size.width else 38)

    def show(self, entries: list[InboxEntry], now: int) -> None:
        """Show ``entries`` in this order, keeping the highlighted inject highlighted.

        The same injects in the same order (an answer, a deadline) only redraw the rows
        on screen; a new inject or a new order rebuilds the options, which is cheap
        since rows are drawn lazily (:class:`InboxLine`).
        """
        self.now = now
        ids = [e.inject for e in entries]
        if ids == [o.id for o in self.options]:
            for option, entry in zip(self.options, entries, strict=True):
                if isinstance(option.prompt, InboxLine):
                    option.prompt.entry = entry  # the model may have replaced it (a replay)
            self._redraw_visible()
            return
        current = self.highlighted_id()
        self.set_options([Option(InboxLine(e, self), id=e.inject) for e in entries])
        if current in ids:
            self.highlighted = ids.index(current)
        elif ids:
            self.highlighted = 0

    def tick(self, now: int) -> None:
        """Move countdowns on, without disturbing the cursor.

        Rows read the time when drawn, so only the rows on screen need drawing again.
        """
        self.now = now
        self._redraw_visible()

    def _redraw_visible(self) -> None:
        """Replace the on-screen rows' prompts so OptionList draws them afresh.

        Replacing a prompt drops OptionList's whole render cache, so rows scrolled
        into view later are drawn fresh too.
        """
        first = self.scroll_offset.y
        last = min(self.option_count, first + max(1, self.scrollable_content_region.height))
        for index in range(first, last):
            option = self.get_option_at_index(index)
            prompt = option.prompt
            if isinstance(prompt, InboxLine):
                self.replace_option_prompt_at_index(index, InboxLine(prompt.entry, self))

    def refresh_entry(self, entry: InboxEntry, now: int) -> None:
        """Redraw one line (after it was read, say)."""
        self.now = now
        try:
            index = self.get_option_index(entry.inject)
        except OptionDoesNotExist:
            return
        self.replace_option_prompt_at_index(index, InboxLine(entry, self))

    def highlighted_id(self) -> str | None:
        if self.highlighted is None or self.option_count == 0:
            return None
        return self.get_option_at_index(self.highlighted).id
