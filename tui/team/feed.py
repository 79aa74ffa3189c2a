"""The news and social feed: press and public injects, newest first, as a newsroom sees them."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Markdown, Static

from engine.durations import format_clock
from tui.console.glyphs import channel_icon
from tui.model.team import InboxEntry


class FeedCard(Vertical):
    DEFAULT_CSS = """
    FeedCard { height: auto; border: tall $panel; padding: 0 1; margin-bottom: 1; }
    FeedCard.-social { border: tall $secondary; }
    FeedCard .byline { color: $text-muted; }
    FeedCard .headline { text-style: bold; }
    FeedCard Markdown { margin: 0; padding: 0; }
    """

    def __init__(self, entry: InboxEntry) -> None:
        super().__init__(classes="-social" if entry.channel == "social" else "-news")
        self.entry = entry

    def compose(self) -> ComposeResult:
        e = self.entry
        byline = Text(f"{channel_icon(e.channel)} {e.sender} · {format_clock(e.delivered_at)}")
        yield Static(byline, classes="byline")
        yield Static(e.title, classes="headline")
        yield Markdown(e.body)


class FeedView(VerticalScroll):
    DEFAULT_CSS = """
    FeedView { height: 1fr; padding: 0 1; }
    FeedView .empty { color: $text-muted; margin: 2 2; }
    """

    def compose(self) -> ComposeResult:
        yield Static("Nothing in the news yet.", classes="empty")

    async def show(self, entries: list[InboxEntry]) -> None:
        shown = [c.entry.inject for c in self.query(FeedCard)]
        wanted = [e.inject for e in entries]
        if shown == wanted:
            return
        await self.remove_children()
        if not entries:
            await self.mount(Static("Nothing in the news yet.", classes="empty"))
            return
        await self.mount_all([FeedCard(e) for e in entries])
