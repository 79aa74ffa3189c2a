"""Widgets every console shows: the clock bar, the connection banner, the footer.

They read plain models (``ConsoleClock``) handed down by the app and never touch
the network: the app refreshes them when the model changes and once a second.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import tzinfo

from rich.text import Text
from textual.app import ComposeResult
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Footer, Static, TabbedContent

from engine.i18n import _
from engine.net.protocol import LinkState
from engine.views import PauseView
from tui.console.safe import add, plain
from tui.model.clock import ConsoleClock

_STATUS_CLASS = {"running": "running", "paused": "paused", "ended": "ended", "ready": "ready"}


class ClockBar(Static):
    """Title, who you are, the exercise clock and the connection, on one line."""

    DEFAULT_CSS = """
    ClockBar { height: 1; background: $panel; color: $text; padding: 0 1;
               text-wrap: nowrap; text-overflow: ellipsis; }
    """

    link_state: reactive[LinkState] = reactive("connecting")
    """Connection state, shown as a dot at the right."""

    def __init__(
        self, clock: ConsoleClock, *, title: str = "", who: str = "", id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.clock = clock
        self.title_text = title
        self.who = who

    def render(self) -> Text:
        """One line; when it does not fit (80 columns), the story's date and time give way
        so that the exercise's title shows, then the title is cut."""
        line = self._line(world=True)
        width = self.content_size.width
        if width and line.cell_len > width:
            line = self._line(world=False)
        return line

    def _line(self, *, world: bool) -> Text:
        clock = self.clock
        status = clock.status_text()
        style = {
            "running": "bold green",
            "paused": "bold yellow",
            "ended": "bold red",
            "ready": "bold",
        }.get(clock.status, "bold")
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(f" {clock.elapsed_text()} ", style="bold reverse")
        line.append(f" {status} ", style=f"{style} reverse")
        story = clock.in_world_text() if world else None
        if story:
            line.append(f" {story}", style="dim")
        if self.who:
            add(line, f"  {self.who}", "bold", one_line=True, limit=80)
        dot = {
            "connected": ("●", "green"),
            "reconnecting": ("●", "yellow"),
            "connecting": ("○", "yellow"),
            "closed": ("●", "red"),
        }[self.link_state]
        line.append(f" {dot[0]}", style=dot[1])
        line.append("  │ ")
        add(line, self.title_text, one_line=True, limit=300)
        return line

    def watch_link_state(self) -> None:
        self.refresh()


class FittingFooter(Footer):
    """A footer whose keys that do not fit give way, whole, to "…".

    Textual's footer cuts its last key wherever the screen ends: at 80 columns a
    French team console showed "t Lectu". Here each key is shown whole or not at all;
    "…" says some were left out (every key is in the help, ``?``).
    """

    DEFAULT_CSS = """
    FittingFooter > .more { display: none; width: auto; padding: 0 1; }
    FittingFooter > .more.-shown { display: block; }
    """

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield Static("…", classes="more")

    async def recompose(self) -> None:
        await super().recompose()
        self._fit()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """Show the keys that fit whole, from the left; "…" in place of the rest.

        Measured from each key's own width, not from where the layout put it: the
        footer of a screen under a dialog is recomposed without being laid out.
        """
        keys = [w for w in self.children if not w.has_class("more")]
        room = self.size.width or self.app.size.width
        used = sum(_outer_width(key, self.app.size) for key in keys)
        if used <= room:
            for key in keys:
                key.display = True
            self.query(".more").remove_class("-shown")
            return
        used = 0
        for key in keys:
            used += _outer_width(key, self.app.size)
            key.display = used <= room - 3  # room for " … "
        self.query(".more").add_class("-shown")


def _outer_width(widget: Widget, size: Size) -> int:
    """The cells ``widget`` takes in a row, its margins included, before any layout."""
    styles = widget.styles
    return widget.get_content_width(size, size) + styles.gutter.width + styles.margin.width


def show_tab(tabs: TabbedContent, tab: str) -> None:
    """Show ``tab`` of ``tabs``. A focused widget in the pane being hidden would hand the
    focus to its neighbour in that pane, and TabbedContent shows the pane of what has the
    focus, so the tab would switch straight back ("3" then "4" pressed quickly stayed on
    3): the focus is let go first, and the caller gives it to the new tab."""
    focused = tabs.screen.focused
    if focused is not None and tab != tabs.active and tabs in focused.ancestors:
        tabs.screen.set_focus(None)
    tabs.active = tab


def focus_in_tab(tabs: TabbedContent, tab: str, widget: Widget) -> None:
    """Give ``widget`` (in ``tab``'s pane) the focus, if ``tab`` is still the one shown
    when the focus is given. A tab's "shown" message can be handled after the next tab
    key ("3" then "4" pressed quickly), and focusing a hidden tab's widget switches
    TabbedContent back to it. Decided when the focus lands, not when it is asked for
    (Widget.focus lands a message later, after a key that may switch again)."""

    def land() -> None:
        if tabs.active == tab:
            tabs.screen.set_focus(widget)

    tabs.call_later(land)


def reveal(widget: Static, content: Text | str, *, shown: bool, cls: str) -> None:
    """Give ``widget`` its new text, then show it (or hide it) with the class ``cls``.

    The order matters. Showing a widget makes Textual lay the screen out at once, with
    the widget's old text, and cache that height under the same layout count the new
    text's refresh then reuses: a warning longer than the one before it kept the old
    height, its end cut off (the two-line "Connection lost" warning showed one line at
    80 columns). Text first, then the class.
    """
    widget.update(content)
    widget.set_class(shown, cls)


class ConnectionBanner(Static):
    """A visible warning while the connection is down; hidden otherwise."""

    DEFAULT_CSS = """
    ConnectionBanner { height: auto; background: $warning; color: $text; padding: 0 1;
                       text-style: bold; display: none; }
    ConnectionBanner.-down { display: block; }
    ConnectionBanner.-closed { background: $error; }
    """

    state: reactive[LinkState] = reactive("connecting")

    def watch_state(self, state: LinkState) -> None:
        messages = {
            "connecting": _("Connecting to the exercise…"),
            "reconnecting": _(
                "Connection lost: reconnecting… What you type is kept and sent "
                "when the connection is back."
            ),
            "closed": _("Disconnected from the exercise. Restart the console to rejoin."),
            "connected": "",
        }
        self.set_class(state == "closed", "-closed")
        reveal(self, messages[state], shown=state != "connected", cls="-down")


WallClock = Callable[[], float]
"""The wall clock, in seconds since the epoch (``time.time``; tests fix it)."""
PAUSE_LIMIT = 400
"""Characters of a pause's line shown (its message may hold 200)."""


class PauseBanner(Static):
    """A planned break, or a pause with a message, under the clock bar: what it is and when
    play resumes, as :meth:`engine.views.PauseView.status_line` words it, redrawn every
    second so its countdown runs. Hidden while play runs and for a plain pause (the clock
    bar already says PAUSED)."""

    DEFAULT_CSS = """
    PauseBanner { height: auto; max-height: 3; background: $warning; color: $text;
                  padding: 0 1; text-style: bold; display: none; }
    PauseBanner.-shown { display: block; }
    """

    def __init__(
        self,
        clock: ConsoleClock,
        pause: Callable[[], PauseView | None],
        *,
        wall: WallClock = time.time,
        tz: tzinfo | None = None,
        staff: bool = False,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.clock = clock
        self.pause = pause
        self.wall = wall
        self.tz = tz
        self.staff = staff
        """A staff console words a module's discussion for the facilitator."""

    def on_mount(self) -> None:
        self.show()
        self.set_interval(1.0, self.show)

    def show(self) -> None:
        pause = self.pause() if self.clock.status == "paused" else None
        shown = pause is not None and (pause.until is not None or bool(pause.message))
        if pause is not None and shown:
            said = pause.status_line(self.wall(), self.tz, staff=self.staff)
            line = plain(said, limit=PAUSE_LIMIT)
            reveal(self, line, shown=True, cls="-shown")
        else:
            self.set_class(False, "-shown")
