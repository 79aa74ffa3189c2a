"""The wall console: the room's projector, read-only.

Large figures for the back of a ballroom: the exercise clock and the story's time
(Textual's ``Digits``), the phase, the headlines and social posts released so far,
the broadcasts to everyone, and, while play stops, why and until when (a break's
message and its countdown). It sends nothing: the wall seat may not.

Built by :func:`make_wall_app` so tests and the command line build it the same way;
``sitroom join`` opens the same screen for a wall code (so the browser gateway
serves it too). What it shows is only what the server sends a wall seat
(:mod:`engine.wallview`).
"""

from __future__ import annotations

import time
from datetime import tzinfo

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Digits, Label, Static

from engine.clock import WallClock
from engine.durations import format_clock
from engine.i18n import N_, _
from engine.net.protocol import LinkState
from tui.console.base import Connector, ConsoleApp, ConsoleScreen
from tui.console.link import Link
from tui.console.login import Credentials
from tui.console.widgets import ConnectionBanner
from tui.wall import render
from tui.wall.model import Area, WallModel

NARROW = 100
"""Below this many columns the notices go under the headlines, not beside them."""
POSTS_SHOWN = 12
NOTICES_SHOWN = 6


class WallScreen(ConsoleScreen[Area]):
    CSS_PATH = "wall.tcss"
    BINDINGS = [
        Binding("question_mark", "help", N_("Help")),
        Binding("ctrl+q", "app.quit", N_("Quit"), priority=True),
    ]
    ASK_NAME = False
    APP_TITLE = N_("sitroom · wall")
    HELP_TITLE = N_("Wall: keys")
    HELP_NOTES = N_(
        "The wall is for the room's projector: it shows the clock, the story's time and "
        "phase, the headlines and posts released so far, broadcasts to everyone and "
        "breaks. It never shows an inject before it is released. Nothing to press: Ctrl+Q "
        "quits."
    )

    model: WallModel
    EVERY_AREA = frozenset[Area]({"clock", "posts", "notices", "phase"})
    CLOCK_AREAS = frozenset[Area]({"clock"})

    def __init__(
        self,
        *,
        link: Link | None = None,
        connect: Connector | None = None,
        credentials: Credentials | None = None,
        model: WallModel | None = None,
        wall: WallClock = time.time,
        tz: tzinfo | None = None,
    ) -> None:
        """``wall`` (seconds since the epoch) counts a break down; ``tz`` writes its end
        (the local zone when None). Tests fix both, and the model's clock."""
        super().__init__(link=link, connect=connect, credentials=credentials)
        self.model = model or WallModel()
        self.wall = wall
        self.tz = tz

    # ----------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        yield Static(id="wall-head")
        yield ConnectionBanner(id="banner")
        with Horizontal(id="top"):
            with Vertical(id="clock-box", classes="figure"):
                yield Label(_("EXERCISE TIME"), classes="caption")
                yield Digits("0:00:00", id="clock")
            with Vertical(id="story-box", classes="figure"):
                yield Label(_("STORY TIME"), classes="caption")
                yield Digits("", id="story")
                yield Static(id="story-day")
            with Vertical(id="phase-box", classes="figure"):
                yield Label(_("PHASE"), classes="caption")
                yield Static(id="phase")
        with Vertical(id="stop"):
            yield Static(id="stop-text")
            yield Digits("", id="countdown")
        with Horizontal(id="board"):
            with Vertical(id="posts-box"):
                yield Label(_("HEADLINES AND POSTS"), classes="caption")
                yield Static(id="posts")
            with Vertical(id="notices-box"):
                yield Label(_("FROM THE CONTROL ROOM"), classes="caption")
                yield Static(id="notices")

    def on_mount(self) -> None:
        self.set_interval(1.0, self._tick)
        self.start_link()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < NARROW, "-narrow")

    def on_link_state(self, state: LinkState, reason: str) -> None:
        super().on_link_state(state, reason)
        self._head()

    # ----------------------------------------------------------------- redraw

    def _tick(self) -> None:
        self._clock()

    async def redraw(self, areas: set[Area]) -> None:
        model = self.model
        if "clock" in areas:
            self._clock()
        if "phase" in areas:
            self.query_one("#phase", Static).update(render.phase_text(model))
        if "posts" in areas or "clock" in areas:  # before the first: the briefing, or not
            posts = model.newest_posts(POSTS_SHOWN)
            self.query_one("#posts", Static).update(render.posts(model, posts))
        if "notices" in areas:
            notices = model.newest_notices(NOTICES_SHOWN)
            self.query_one("#notices", Static).update(render.notices(model, notices))

    def _head(self) -> None:
        self.query_one("#wall-head", Static).update(render.header(self.model, self.link_state))

    def _clock(self) -> None:
        model = self.model
        now = model.clock.now()
        self._head()
        self.query_one("#clock", Digits).update(format_clock(now))
        # Each text is set before its box is shown: see tui.console.widgets.reveal.
        story = render.story_parts(model.clock.story, now)
        if story is not None:
            day, time_of_day = story
            self.query_one("#story", Digits).update(time_of_day)
            self.query_one("#story-day", Static).update(day)
        self.query_one("#story-box").display = story is not None
        wall_now = self.wall()
        stop = render.banner(model, wall_now, self.tz)
        pause = model.pause
        if stop is not None:
            text = self.query_one("#stop-text", Static)
            text.update(stop)
            # A discussion's numbered questions read left to right; a break's line centred.
            text.set_class(pause is not None and pause.discussion is not None, "discussion")
        # A break's time to its end, or what is left of a discussion's suggested length.
        countdown = (
            (pause.countdown(wall_now) or pause.discussion_left(wall_now))
            if pause is not None
            else None
        )
        digits = self.query_one("#countdown", Digits)
        digits.update(countdown or "")
        digits.display = stop is not None and model.clock.status == "paused" and bool(countdown)
        self.query_one("#stop", Vertical).display = stop is not None


def make_wall_app(
    *,
    link: Link | None = None,
    connect: Connector | None = None,
    credentials: Credentials | None = None,
    model: WallModel | None = None,
    wall: WallClock = time.time,
    tz: tzinfo | None = None,
) -> ConsoleApp[WallScreen]:
    screen = WallScreen(
        link=link, connect=connect, credentials=credentials, model=model, wall=wall, tz=tz
    )
    app: ConsoleApp[WallScreen] = ConsoleApp(screen)
    app.title = _(WallScreen.APP_TITLE)
    return app
