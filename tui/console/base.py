"""What every console does the same way: read the link, batch redraws, help.

A console is a :class:`ConsoleScreen`: it owns its link, its model and one
exclusive worker per connection (``exit_on_error=False``: a dropped socket never
kills the console), which posts each server message up as a
:class:`ServerMessage`. Subclasses fold messages into their model and mark which
areas changed; redraws are batched to once per refresh, so a burst of events
costs one redraw. Being screens, two consoles can live in one app (the demo
switches between your team's console and the control room).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from textual import on, work
from textual.app import App
from textual.message import Message
from textual.screen import Screen

from tui.console.link import Link, LinkState
from tui.console.login import Credentials, LoginScreen
from tui.console.screens import HelpScreen, binding_rows
from tui.console.widgets import ClockBar, ConnectionBanner

Connector = Callable[[Credentials], Link]
AreaT = TypeVar("AreaT", bound=str)


class ServerMessage(Message):
    """A message from the server (or a link-state change), posted by the link worker."""

    def __init__(self, data: dict[str, Any]) -> None:
        super().__init__()
        self.data = data


class ConsoleScreen(Screen[None], Generic[AreaT]):
    """Base of the team, facilitator and evaluator consoles."""

    HELP_TITLE = "Keys"
    HELP_NOTES = ""
    ASK_NAME = True

    def __init__(
        self,
        *,
        link: Link | None = None,
        connect: Connector | None = None,
        credentials: Credentials | None = None,
    ) -> None:
        super().__init__()
        self.link = link
        self.connect = connect
        self.credentials = credentials
        self.link_state: LinkState = "connecting"
        self._dirty: set[AreaT] = set()
        self._redraw_pending = False

    # ---------------------------------------------------------------- link

    def start_link(self) -> None:
        """Connect with what we have, or ask for it on the login screen."""
        if self.link is not None:
            self.pump()
        elif self.credentials is not None and self.connect is not None:
            self._connect_with(self.credentials)
        else:
            self.app.push_screen(LoginScreen(ask_name=self.ASK_NAME), self._connect_with)

    def _connect_with(self, credentials: Credentials | None) -> None:
        if credentials is None or self.connect is None:
            return
        self.credentials = credentials
        self.link = self.connect(credentials)
        self.pump()

    @work(exclusive=True, group="link", exit_on_error=False)
    async def pump(self) -> None:
        assert self.link is not None
        async for message in self.link.messages():
            self.post_message(ServerMessage(message))

    @on(ServerMessage)
    def _server_message(self, message: ServerMessage) -> None:
        msg = message.data
        kind = msg.get("type")
        if kind == "link":
            self.on_link_state(str(msg.get("state", "connecting")), str(msg.get("reason", "")))
        elif kind == "bye":
            self.notify(
                str(msg.get("reason", "The server closed the connection")),
                title="Disconnected",
                severity="warning",
                timeout=10,
            )
        elif kind == "error" and msg.get("id") is None:
            self.notify(str(msg.get("reason", "")), title="Server", severity="error")
        else:
            self.on_server(msg)

    def on_server(self, msg: dict[str, Any]) -> None:
        """Fold one server message (welcome, event, snapshot, clock) into the model."""

    def on_link_state(self, state: str, reason: str) -> None:
        self.link_state = state  # type: ignore[assignment]
        for banner in self.query(ConnectionBanner):
            banner.state = self.link_state
        for bar in self.query(ClockBar):
            bar.link_state = self.link_state
        if state == "closed" and reason:
            self.notify(reason, title="Disconnected", severity="error", timeout=15)

    async def send(self, command: dict[str, Any]) -> dict[str, Any]:
        """Send a command; an error reply is shown and returned."""
        if self.link is None:
            return {"type": "error", "code": "unavailable", "reason": "not connected"}
        reply = await self.link.send(command)
        if reply.get("type") != "ack":
            self.notify(
                str(reply.get("reason", "not accepted")),
                title="Not accepted",
                severity="error",
                timeout=8,
            )
        return reply

    # -------------------------------------------------------------- redraw

    def mark(self, areas: set[AreaT]) -> None:
        self._dirty |= areas
        if not self._redraw_pending and self._dirty:
            self._redraw_pending = True
            self.call_after_refresh(self._redraw_dirty)

    async def _redraw_dirty(self) -> None:
        self._redraw_pending = False
        dirty, self._dirty = self._dirty, set()
        await self.redraw(dirty)

    async def redraw(self, areas: set[AreaT]) -> None:
        """Redraw what changed."""

    # ---------------------------------------------------------------- help

    def action_help(self) -> None:
        self.app.push_screen(
            HelpScreen(self.HELP_TITLE, binding_rows(self.BINDINGS), self.HELP_NOTES)
        )

    async def close_link(self) -> None:
        if self.link is not None:
            await self.link.close()


ScreenT = TypeVar("ScreenT", bound="ConsoleScreen[Any]")


class ConsoleApp(App[None], Generic[ScreenT]):
    """An app that shows one console (what ``sitroom join`` and ``facilitate`` run)."""

    TITLE = "sitroom"

    def __init__(self, console: ScreenT) -> None:
        super().__init__()
        self.console_screen = console

    def on_mount(self) -> None:
        self.push_screen(self.console_screen)

    async def action_quit(self) -> None:
        await self.console_screen.close_link()
        self.exit()
