"""Widgets every console shows: the clock bar and the connection banner.

They read plain models (``ConsoleClock``) handed down by the app and never touch
the network: the app refreshes them when the model changes and once a second.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from engine.net.protocol import LinkState
from tui.console.safe import add
from tui.model.clock import ConsoleClock

_STATUS_CLASS = {"running": "running", "paused": "paused", "ended": "ended", "ready": "ready"}


class ClockBar(Static):
    """Title, who you are, the exercise clock and the connection, on one line."""

    DEFAULT_CSS = """
    ClockBar { height: 1; background: $panel; color: $text; padding: 0 1; }
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
        world = clock.in_world_text()
        if world:
            line.append(f" {world}", style="dim")
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
        self.set_class(state != "connected", "-down")
        self.set_class(state == "closed", "-closed")
        messages = {
            "connecting": "Connecting to the exercise…",
            "reconnecting": "Connection lost: reconnecting… What you type is kept and sent "
            "when the connection is back.",
            "closed": "Disconnected from the exercise. Restart the console to rejoin.",
            "connected": "",
        }
        self.update(messages[state])
