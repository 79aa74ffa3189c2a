"""The demo app: your team's console and the control room in one terminal, F2 between.

Both are the real consoles (:class:`~tui.team.app.TeamScreen` and
:class:`~tui.facilitator.app.FacilitatorScreen`), each a real client of the
demo's server with its own join code. Each lives in its own Textual *mode*, so
a dialog left open in one view is still there when you come back, and both keep
reading their connection while the other is shown.
"""

from __future__ import annotations

import asyncio

from rich.markdown import Markdown as RichMarkdown
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Footer, Static

from engine import i18n
from engine.demo.session import DemoError, DemoOptions, DemoSession
from engine.durations import MINUTE, format_duration, format_seconds
from engine.i18n import N_, _, ngettext
from engine.i18n.forms import grouped
from engine.net.client import Client
from tui.console.keys import translated
from tui.console.safe import SafeApp, add, visible
from tui.console.screens import confirm_quit
from tui.demo.report import Written, write_report
from tui.facilitator.app import FacilitatorScreen
from tui.team.app import TeamScreen

TEAM, CONTROL = "team", "control"


class ReportScreen(Screen[None]):
    """The after-action report, rendered from its Markdown, with where the files are.

    Rendered by Rich into one scrolling Static rather than by Textual's Markdown
    widget: the report of a demo is ~50 kB of tables, which Rich draws in a tenth
    of a second and the widget (one widget per block) in several.
    """

    DEFAULT_CSS = """
    ReportScreen #report-where { height: auto; background: $boost; padding: 0 1; }
    ReportScreen #report { height: 1fr; padding: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "close", N_("Back")),
        Binding("f3", "close", N_("Back"), show=False),
    ]

    def __init__(self, written: Written, final: bool) -> None:
        super().__init__()
        self.written = written
        self.final = final

    def compose(self) -> ComposeResult:
        state = (
            _("After-action report") if self.final else _("Report so far (the exercise goes on)")
        )
        with Vertical():
            where = Text(state, style="bold")
            add(where, f" · {self.written.markdown} · {self.written.html}", one_line=True)
            where.append(" " + _("(open in a browser)"))
            yield Static(where, id="report-where")
            with VerticalScroll(id="report", can_focus=True):
                yield Static(RichMarkdown(visible(self.written.text)), id="report-text")
        yield Footer()

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The footer's keys in the active language (:mod:`tui.console.keys`)."""
        return translated(super().active_bindings)

    def on_mount(self) -> None:
        self.query_one("#report", VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss()


class WelcomeScreen(ModalScreen[None]):
    """What the demo is and which keys matter, read before the clock starts.

    The clock waits for this screen to close (Enter, Esc or the button): no deadline
    runs down while a newcomer is still reading how to play.
    """

    DEFAULT_CSS = """
    WelcomeScreen { align: center middle; }
    WelcomeScreen > Vertical { width: 72; max-width: 95%; height: auto; max-height: 95%;
                               border: thick $accent; background: $surface; padding: 1 2; }
    WelcomeScreen #welcome-title { text-style: bold; margin-bottom: 1; }
    WelcomeScreen VerticalScroll { height: auto; max-height: 16; }
    WelcomeScreen Horizontal { height: auto; align-horizontal: right; margin-top: 1; }
    """
    BINDINGS = [
        Binding("enter", "close", "Start", show=False),
        Binding("escape", "close", "Start", show=False),
    ]

    def __init__(self, text: Text, button: str) -> None:
        super().__init__()
        self.text = text
        self.button = button

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(_("Welcome to the sitroom demo"), id="welcome-title")
            with VerticalScroll():
                yield Static(self.text, id="welcome-text")
            with Horizontal():
                yield Button(self.button, id="welcome-go", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#welcome-go", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss()

    def action_close(self) -> None:
        self.dismiss()


def welcome_text(session: DemoSession[Written]) -> Text:
    """The welcome: who you play, how fast the clock runs in real time, the keys."""
    speed = session.options.speed
    quarter = format_seconds(round(15 * MINUTE / speed))
    length = format_seconds(round(session.scenario.duration / speed))
    text = Text()
    bots = len(session.bot_teams)
    read, team = session.read_in(i18n.current())
    add(text, _("You play {team} in “{title}”").format(team=team, title=read.title), one_line=True)
    text.append(
        ngettext(
            "; bots play the other {n} team.", "; bots play the other {n} teams.", bots
        ).format(n=grouped(bots))
        + "\n\n"
    )
    text.append(
        _(
            "The clock runs ×{speed}: {duration} of exercise in {length}, and a 15-minute "
            "deadline gives you {quarter} of real time. Injects arrive in your inbox; answer "
            "each before its deadline."
        ).format(
            speed=f"{speed:g}",
            duration=format_duration(session.scenario.duration),
            length=length,
            quarter=quarter,
        )
        + "\n\n"
    )
    text.append(_("Keys: "), style="bold")
    text.append(
        _("F2 the control room (p pause, x speed) and back · F3 the report · ? help · Ctrl+Q quit.")
    )
    if not session.options.autostart:
        text.append("\n\n" + _("The clock waits: start it in the control room (F2, then s)."))
    return text


class DemoApp(SafeApp[None]):
    """``sitroom demo``: starts the session when mounted, stops it when quitting."""

    TITLE = "sitroom demo"
    BINDINGS = [
        Binding("f2", "switch_view", N_("Team/Control"), priority=True),
        Binding("f3", "report", N_("Report"), priority=True),
        Binding("ctrl+q", "quit", N_("Quit"), priority=True),
    ]

    def __init__(self, session: DemoSession[Written]) -> None:
        super().__init__()
        self.session = session
        self.team_screen: TeamScreen | None = None
        self.control_screen: FacilitatorScreen | None = None
        self._stopped = False
        self.welcomed = asyncio.Event()
        """Set when the welcome closes: the clock starts then, not before."""

    async def on_mount(self) -> None:
        session = self.session
        session.on_report = self._report_ready
        try:
            await session.start_server()
        except DemoError as exc:
            self.exit(return_code=1, message=f"sitroom: {exc}")
            return
        name = session.options.name
        clients = [
            Client(session.url, session.team_code, name),
            Client(session.url, session.facilitator_code, name),
        ]
        for client in clients:
            client.start()
        # The player reads a scenario written in several languages in the one sitroom
        # speaks (SITROOM_LANG or the locale), as in a real console; one it is not written
        # in reads as played.
        team = TeamScreen(link=clients[0], lang=i18n.current())
        control = FacilitatorScreen(link=clients[1])
        self.team_screen, self.control_screen = team, control
        self.add_mode(TEAM, lambda: team)
        self.add_mode(CONTROL, lambda: control)
        # Mount both now: each reads its connection from the first second, shown or not.
        await self.switch_mode(CONTROL)
        await self.switch_mode(TEAM)
        session.start_play(clients, go=self.welcomed)
        self.title = visible(f"sitroom demo · {session.team_name}", one_line=True)
        button = _("Start the clock") if session.options.autostart else _("OK")
        self.push_screen(WelcomeScreen(welcome_text(session), button), self._welcome_closed)

    def _welcome_closed(self, _result: None) -> None:
        self.welcomed.set()

    # ------------------------------------------------------------- views

    @property
    def view(self) -> str:
        return self.current_mode

    async def action_switch_view(self) -> None:
        if self.team_screen is None:
            return
        await self.switch_mode(CONTROL if self.current_mode == TEAM else TEAM)

    # ------------------------------------------------------------- report

    def _report_ready(self, written: Written | None, error: str) -> None:
        if written is None:
            self.notify(error, title=_("Report"), severity="error", timeout=30)
            return
        self.notify(
            _(
                "The exercise is over. Report: {markdown}\n(and {html} for a browser). Press F3 "
                "to read it here."
            ).format(markdown=written.markdown, html=written.html.name),
            title=_("After-action report"),
            timeout=60,
        )

    def action_report(self) -> None:
        if isinstance(self.screen, ReportScreen):
            self.screen.dismiss()
            return
        self._open_report()

    @work(exclusive=True, group="report", exit_on_error=False)
    async def _open_report(self) -> None:
        final = self.session.ended.is_set()
        # Written again even after the end: feedback forms and hotwash notes come after it.
        try:
            written = await self.session.refresh_report()
        except Exception as exc:
            self.notify(
                _("the report could not be written: {error}").format(error=exc), severity="error"
            )
            return
        await self.push_screen(ReportScreen(written, final))

    # ------------------------------------------------------------- quitting

    async def stop(self) -> None:
        """Close both consoles' connections, then the demo's server (idempotent)."""
        if self._stopped:
            return
        self._stopped = True
        for screen in (self.team_screen, self.control_screen):
            if screen is not None:
                await screen.close_link()
        await self.session.stop()

    def quit_question(self) -> str:
        """Asked before Ctrl+Q ends the demo, as every console asks before it quits."""
        db = self.session.db
        return _(
            "Quit the demo?\n\nThe exercise stops for good (it cannot be resumed from here). "
            "Its log stays in {folder}; sitroom report {log} writes its report."
        ).format(folder=db.parent, log=db)

    async def action_quit(self) -> None:
        confirm_quit(self, self.quit_question(), self._quit)

    async def _quit(self) -> None:
        await self.stop()
        self.exit()


def make_demo_app(options: DemoOptions | None = None) -> DemoApp:
    """The demo app, as ``sitroom demo`` builds it (raises ``DemoError`` on bad options)."""
    return DemoApp(DemoSession(options or DemoOptions(), write_report))
