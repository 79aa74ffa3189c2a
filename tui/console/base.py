"""What every console does the same way: read the link, batch redraws, help.

A console is a :class:`ConsoleScreen`: it owns its link, its model and one
exclusive worker per connection (``exit_on_error=False``: a dropped socket never
kills the console), which posts each typed server message up as a
:class:`ServerMessage`. The base handles every kind of message once for all
consoles (welcome, events, snapshot, clock, link changes, goodbye, errors): the
model (:class:`ConsoleModel`) folds them and says which areas changed; a console
adds only its own set-up after the welcome (:meth:`ConsoleScreen.welcomed`) and
its redraw. Redraws are batched to once per refresh, so a burst of events costs
one redraw. Commands are :mod:`engine.commands` models. Being screens, two
consoles can live in one app (the demo switches between your team's console and
the control room).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import tzinfo
from typing import Any, Generic, Protocol, TypeVar, assert_never

from textual import on, work
from textual.binding import ActiveBinding
from textual.message import Message
from textual.screen import Screen

from engine.commands import AnyCommand
from engine.i18n import N_, _
from engine.net.client import ClientClosed
from engine.net.protocol import (
    Ack,
    Answer,
    Bye,
    ClockMsg,
    Error,
    EventMsg,
    Incoming,
    LinkChange,
    LinkState,
    PresenceMsg,
    Snapshot,
    Welcome,
)
from engine.views import PauseView
from tui.console.keys import translated
from tui.console.link import Link
from tui.console.login import Credentials, LoginScreen
from tui.console.safe import SafeApp
from tui.console.screens import HelpScreen, binding_rows, confirm_quit
from tui.console.widgets import ClockBar, ConnectionBanner, PauseBanner, WallClock
from tui.model.clock import ConsoleClock

Connector = Callable[[Credentials], Link]
AreaT = TypeVar("AreaT", bound=str)


class ConsoleModel(Protocol[AreaT]):
    """What the base needs of a console's model (``TeamModel``, ``StaffModel``)."""

    @property
    def clock(self) -> ConsoleClock: ...

    @property
    def title(self) -> str:
        """The exercise's title (empty before the welcome)."""
        ...

    @property
    def who(self) -> str:
        """Who is at this console, for the clock bar."""
        ...

    def welcome(self, msg: Welcome) -> None: ...

    def receive(self, msg: EventMsg) -> set[AreaT]:
        """Fold an event message; returns the areas it changed."""
        ...


class ServerMessage(Message):
    """A message from the server (or a link-state change), posted by the link worker."""

    def __init__(self, data: Incoming) -> None:
        super().__init__()
        self.data = data


class ConsoleScreen(Screen[None], Generic[AreaT]):
    """Base of the team, facilitator and evaluator consoles.

    It handles every server message the same way for all three: a welcome (the
    model reads it, the clock bar shows the exercise and who you are), events and
    snapshots (folded by the model), clock updates, link changes, a goodbye and
    errors. A console adds its own reaction to the welcome in :meth:`welcomed`
    and redraws what changed in :meth:`redraw`.
    """

    # Class-level words are English source text marked with N_: shown through _ (the
    # language may be chosen after import).
    HELP_TITLE = N_("Keys")
    HELP_NOTES = ""
    ASK_NAME = True
    QUIT_QUESTION = ""
    """Asked before Ctrl+Q quits this console (empty: it quits at once)."""

    model: ConsoleModel[AreaT]
    EVERY_AREA: frozenset[AreaT]
    """Redrawn after a welcome or a snapshot."""
    CLOCK_AREAS: frozenset[AreaT]
    """Redrawn after a ``clock`` message."""

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
        self.wall_clock: WallClock = time.time
        """The wall clock a break's countdown reads (tests fix it, with ``tz``)."""
        self.tz: tzinfo | None = None
        """The zone a break's end is shown in (None: this computer's)."""
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
        match msg:
            case Welcome():
                self.model.welcome(msg)
                for bar in self.query(ClockBar):
                    bar.title_text = self.model.title or bar.title_text
                    bar.who = self.model.who
                self.welcomed()
                self.mark(set(self.EVERY_AREA))
            case EventMsg():
                self.mark(self.model.receive(msg))
            case Snapshot():
                for event in msg.events:
                    self.model.receive(event)
                self.mark(set(self.EVERY_AREA))
            case ClockMsg():
                self.model.clock.hear(msg)
                self.clock_heard()
                self.mark(set(self.CLOCK_AREAS))
            case LinkChange():
                self.on_link_state(msg.state, msg.shown())
            case Bye():
                self.notify(msg.shown(), title=_("Disconnected"), severity="warning", timeout=10)
            case Error():
                if msg.id is None:  # an error answering a command goes to its sender
                    self.notify(msg.shown(), title=_("Server"), severity="error")
            case PresenceMsg():
                self.presence(msg)
            case Ack():
                pass  # answers a command: its sender has it
            case _:
                assert_never(msg)

    def welcomed(self) -> None:
        """The model has read the welcome: set up what depends on it (tables, lists)."""

    def clock_heard(self) -> None:
        """The server said where the clock stands (right after a welcome, and when it
        changes): the clock bar is redrawn; a console may read more into it."""

    def presence(self, msg: PresenceMsg) -> None:
        """Which tables have members connected (staff seats only): the control room folds
        it; other consoles have nothing to show of it."""

    def on_link_state(self, state: LinkState, reason: str) -> None:
        self.link_state = state
        for banner in self.query(ConnectionBanner):
            banner.state = state
        for bar in self.query(ClockBar):
            bar.link_state = state
        if state == "closed" and reason:
            self.notify(reason, title=_("Disconnected"), severity="error", timeout=15)

    async def send(self, command: AnyCommand, *, quiet: bool = False) -> Answer:
        """Send a command; an error reply is shown (unless ``quiet``) and returned."""
        if self.link is None:
            reply: Answer = Error(code="unavailable", reason=_("not connected"))
        else:
            try:
                reply = await self.link.send(command)
            except ClientClosed as exc:
                # Closed for good (the server said goodbye, the seat was revoked): a key
                # pressed after that is told so, and no worker crashes the console.
                reply = exc.error()
        if isinstance(reply, Error) and not quiet:
            self.notify(reply.shown(), title=_("Not accepted"), severity="error", timeout=8)
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
        for banner in self.query(PauseBanner):
            banner.show()

    def pause_banner(
        self, pause: Callable[[], PauseView | None], *, staff: bool = False
    ) -> PauseBanner:
        """The line under the clock bar during a break (``pause``: the model's pause in
        force), on this screen's wall clock and zone; ``staff`` words a module's
        discussion for the facilitator ("resume when done")."""
        return PauseBanner(
            self.model.clock,
            pause,
            wall=lambda: self.wall_clock(),
            tz=self.tz,
            staff=staff,
            id="pause-line",
        )

    async def redraw(self, areas: set[AreaT]) -> None:
        """Redraw what changed."""

    # ---------------------------------------------------------------- help

    def action_help(self) -> None:
        self.app.push_screen(
            HelpScreen(_(self.HELP_TITLE), binding_rows(self.BINDINGS), self.help_notes())
        )

    def help_notes(self) -> str:
        """The help's notes in the active language (a screen whose notes name values
        fills them in here)."""
        return _(self.HELP_NOTES)

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The footer's keys, described in the active language (:mod:`tui.console.keys`)."""
        return translated(super().active_bindings)

    async def close_link(self) -> None:
        if self.link is not None:
            await self.link.close()


ScreenT = TypeVar("ScreenT", bound="ConsoleScreen[Any]")


class ConsoleApp(SafeApp[None], Generic[ScreenT]):
    """An app that shows one console (what ``sitroom join`` and ``facilitate`` run).

    Its notifications are plain text (:class:`~tui.console.safe.SafeApp`): a server's
    reason or an inject's title in a toast is never markup.
    """

    TITLE = "sitroom"

    def __init__(self, console: ScreenT) -> None:
        super().__init__()
        self.console_screen = console

    def on_mount(self) -> None:
        self.push_screen(self.console_screen)

    async def action_quit(self) -> None:
        confirm_quit(self, _(self.console_screen.QUIT_QUESTION), self._quit)

    async def _quit(self) -> None:
        await self.console_screen.close_link()
        self.exit()
