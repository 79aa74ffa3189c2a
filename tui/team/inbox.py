"""The inbox: delivered injects with unread marks, channel icons and deadline countdowns."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from tui.console.glyphs import channel_icon, countdown
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
        tag = f" {countdown(left)}" if left >= 0 else f" late {countdown(-left)}"
        tag_style = "bold red" if left < 0 else ("bold yellow" if left < 5 * 60_000 else "cyan")
    elif entry.expectations and all(e.answered_at is not None for e in entry.expectations):
        tag, tag_style = " ✓", "green"
    elif any(e.expired for e in entry.expectations):
        tag, tag_style = " missed", "red"
    else:
        tag, tag_style = "", ""
    room = max(8, width - 4 - len(tag))
    title = entry.title if len(entry.title) <= room else entry.title[: room - 1] + "…"
    line.append(title, style="bold" if not entry.read else "")
    if tag:
        line.append(" " * max(1, room - len(title)))
        line.append(tag, style=tag_style)
    return line


class InboxList(OptionList):
    """Injects, newest first or most urgent first; the highlighted one is shown beside it."""

    DEFAULT_CSS = """
    InboxList { width: 40; min-width: 30; height: 1fr; border: round $primary-darken-1; }
    InboxList:focus { border: round $accent; }
    """

    def show(self, entries: list[InboxEntry], now: int) -> None:
        """Rebuild the list, keeping the highlighted inject highlighted."""
        current = self.highlighted_id()
        width = max(24, self.size.width - 2 if self.size.width else 38)
        self.set_options([Option(entry_prompt(e, now, width), id=e.inject) for e in entries])
        ids = [e.inject for e in entries]
        if current in ids:
            self.highlighted = ids.index(current)
        elif ids:
            self.highlighted = 0

    def tick(self, entries: list[InboxEntry], now: int) -> None:
        """Refresh countdowns in place, without disturbing the cursor.

        Only lines with a deadline still open change from one second to the next.
        """
        width = max(24, self.size.width - 2 if self.size.width else 38)
        for entry in entries:
            if entry.next_due(now) is None:
                continue
            try:
                index = self.get_option_index(entry.inject)
            except OptionDoesNotExist:  # the list is being rebuilt
                continue
            self.replace_option_prompt_at_index(index, entry_prompt(entry, now, width))

    def refresh_entry(self, entry: InboxEntry, now: int) -> None:
        """Redraw one line (after it was read, say)."""
        width = max(24, self.size.width - 2 if self.size.width else 38)
        try:
            index = self.get_option_index(entry.inject)
        except OptionDoesNotExist:
            return
        self.replace_option_prompt_at_index(index, entry_prompt(entry, now, width))

    def highlighted_id(self) -> str | None:
        if self.highlighted is None or self.option_count == 0:
            return None
        return self.get_option_at_index(self.highlighted).id
