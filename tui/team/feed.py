"""The news and social feed: press and public injects, newest first, as a newsroom sees them."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Markdown, Static

from engine.durations import format_clock
from tui.console.glyphs import channel_icon
from tui.console.safe import add, plain, visible
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
        byline = Text(f"{channel_icon(e.channel)} ")
        add(byline, e.sender, one_line=True, limit=200)
        byline.append(f" · {format_clock(e.delivered_at)}")
        yield Static(byline, classes="byline")
        yield Static(plain(e.title), classes="headline")
        yield Markdown(visible(e.body))


class FeedView(VerticalScroll):
    """Newest first; new stories are added on top, and only the latest are kept on screen."""

    DEFAULT_CSS = """
    FeedView { height: 1fr; padding: 0 1; }
    FeedView .empty { color: $text-muted; margin: 2 2; }
    """
    KEEP = 40
    """Stories kept on screen; older ones stay readable in the inbox."""

    def compose(self) -> ComposeResult:
        yield Static("Nothing in the news yet.", classes="empty")

    async def show(self, entries: list[InboxEntry]) -> None:
        wanted = entries[: self.KEEP]
        shown = {c.entry.inject for c in self.query(FeedCard)}
        new = [e for e in wanted if e.inject not in shown]
        if not new:
            return
        await self.query(".empty").remove()
        cards = list(self.query(FeedCard))
        if cards:
            await self.mount_all([FeedCard(e) for e in new], before=cards[0])
        else:
            await self.mount_all([FeedCard(e) for e in new])
        keep = {e.inject for e in wanted}
        stale = [c for c in self.query(FeedCard) if c.entry.inject not in keep]
        if stale:
            await self.remove_children(stale)
