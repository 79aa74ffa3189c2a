"""Consoles driven with Pilot against a real in-process server, for the flow tests.

Each console is the app ``sitroom join``/``facilitate`` would build, connected by
a real :class:`engine.net.client.Client` to a server built exactly as ``sitroom
serve`` builds it (``tests/server/conftest.py``). Several consoles run in one
event loop, next to the server; each one is driven under its own app context
(Textual finds "the current app" through a context variable, and a test task
holds several apps at once).

Nothing sleeps for a fixed time: :meth:`Console.until` lets the apps run
(``pilot.pause()``) until a condition on what the console shows holds, or fails
after a deadline with the screen as it was.
"""

from __future__ import annotations

import contextlib
import io
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any, Generic, TypeVar

from rich.console import Console as RichConsole
from rich.text import Text
from textual.app import App
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Button, DataTable, OptionList
from textual.widgets.data_table import CellDoesNotExist

from engine.net.client import Client
from tests.server.conftest import Served
from tests.tui.pilots import queue_keys
from tui.console.base import ConsoleApp
from tui.console.screens import ConfirmScreen
from tui.console.widgets import ClockBar
from tui.evaluator.app import EvaluatorScreen, make_evaluator_app
from tui.facilitator.app import FacilitatorScreen, make_facilitator_app
from tui.team.answer import AnswerForm
from tui.team.app import TeamScreen, make_team_app
from tui.team.inbox import InboxList
from tui.team.inject_view import InjectView

M = 60_000
SIZE = (160, 48)
"""Large enough that every form under an inject is on screen without scrolling."""
POLL = 0.01
"""Seconds between two looks at a condition: ``pilot.pause()`` without waiting for an idle
CPU, which a busy loop (a server and several consoles) may not reach for a second."""
BACKOFF = (0.02, 0.2)
"""Reconnect quickly: a restarted server is found again within a fraction of a second."""

ScreenT = TypeVar("ScreenT", TeamScreen, FacilitatorScreen, EvaluatorScreen)
W = TypeVar("W", bound=Widget)


def widget_text(app: App[Any]) -> str:
    """What every shown widget of the top screen renders, scrolled into view or not."""
    return "\n".join(str(w.render()) for w in app.screen.query("*") if w.display)


def screen_text(app: ConsoleApp[Any]) -> str:
    """What the terminal shows now (the top screen over the ones beneath), as plain text."""
    width, height = app.size
    console = RichConsole(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text()


@dataclass
class Console(Generic[ScreenT]):
    """One running console: its app, its pilot, and the client it talks through."""

    app: ConsoleApp[ScreenT]
    pilot: Pilot[None]
    client: Client

    @property
    def screen(self) -> ScreenT:
        return self.app.console_screen

    @contextlib.contextmanager
    def active(self) -> Iterator[None]:
        """Make this console "the current app" while the test touches it."""
        with self.app._context():
            yield

    def text(self) -> str:
        with self.active():
            return screen_text(self.app)

    def query_one(self, selector: str, expect: type[W]) -> W:
        with self.active():
            return self.app.screen.query_one(selector, expect)

    def toasts(self) -> list[str]:
        """The notifications on screen now, as ``title: message``."""
        with self.active():
            return [f"{n.title}: {n.message}" for n in self.app._notifications]

    async def press(self, *keys: str) -> None:
        with self.active():
            await self.pilot.press(*keys)

    async def click(self, target: str | Widget) -> None:
        with self.active():
            if isinstance(target, Widget):
                target.scroll_visible(animate=False, immediate=True)
                await self.pilot.pause()
            assert await self.pilot.click(target), f"nothing to click at {target}"

    async def pause(self) -> None:
        """Let the app process what is queued, then give the loop a moment (a poll step)."""
        with self.active():
            await self.pilot.pause(POLL)

    async def until(
        self, condition: Callable[[], object], what: str, timeout: float = 10.0
    ) -> None:
        """Let every app and the server run until ``condition()`` holds (or fail)."""
        deadline = time.monotonic() + timeout
        while True:
            with self.active():
                if condition():
                    return
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"timed out after {timeout} s waiting for {what}; the screen:\n{self.text()}"
                )
            await self.pause()

    async def until_shows(self, *texts: str, timeout: float = 10.0) -> None:
        """Wait until the screen shows every one of ``texts``."""
        await self.until(
            lambda: all(t in screen_text(self.app) for t in texts), f"{texts!r} on screen", timeout
        )


async def until_all(
    consoles: list[Console[Any]], condition: Callable[[Console[Any]], object], what: str
) -> None:
    for each in consoles:
        await each.until(partial(condition, each), f"{what} ({each.client.code[:4]}…)")


_FACTORIES: dict[str, Callable[..., ConsoleApp[Any]]] = {
    "team": make_team_app,
    "facilitator": make_facilitator_app,
    "evaluator": make_evaluator_app,
}


@contextlib.asynccontextmanager
async def console(
    served: Served | str, code: str, kind: str, name: str | None = None
) -> AsyncIterator[Console[Any]]:
    """A console of ``kind`` joined with ``code``, running until the block ends.

    ``served`` may be a plain URL so the console outlives one server (a restart on
    the same port).
    """
    url = served if isinstance(served, str) else served.url
    client = Client(url, code, name, backoff=BACKOFF)
    app = _FACTORIES[kind](link=client)
    try:
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            found = Console(app, pilot, client)
            await found.until(
                lambda: found.screen.link_state == "connected" and _welcomed(found.screen),
                f"the {kind} console to join",
            )
            yield found
    finally:
        await client.close()


def _welcomed(screen: Any) -> bool:
    model = screen.model
    return bool(getattr(model, "team", "") or getattr(model, "scenario", None))


async def open_teams(
    stack: contextlib.AsyncExitStack, served: Served, *teams: str
) -> dict[str, Console[TeamScreen]]:
    """One team console per team in ``teams``, each with its own member, open until ``stack``
    closes."""
    found = {}
    for index, team in enumerate(teams):
        found[team] = await stack.enter_async_context(
            console(served, served.code(f"team:{team}"), "team", f"member-{index + 1}")
        )
    return found


# ------------------------------------------------------------------ team console


def inbox_lines(team: Console[TeamScreen]) -> dict[str, str]:
    """Inject id → its inbox line as shown (unread dot, icon, title, deadline)."""
    inbox = team.query_one("#inbox-list", InboxList)
    with team.active():
        lines = {}
        for index in range(inbox.option_count):
            option = inbox.get_option_at_index(index)
            prompt = option.prompt
            lines[str(option.id)] = prompt.plain if isinstance(prompt, Text) else str(prompt)
        return lines


async def open_inject(team: Console[TeamScreen], inject: str) -> None:
    """Move the inbox cursor to ``inject`` with the keyboard and wait until it is shown."""
    inbox = team.query_one("#inbox-list", InboxList)
    view = team.query_one("#inject-view", InjectView)
    with team.active():
        inbox.focus()
    await team.press("home")
    for _ in range(inbox.option_count):
        if inbox.highlighted_id() == inject:
            break
        await team.press("down")
    await team.until(
        lambda: view.entry is not None and view.entry.inject == inject, f"{inject} shown"
    )


def form(team: Console[TeamScreen], ref: str) -> AnswerForm:
    return team.query_one(f"#form-{ref.replace('.', '--')}", AnswerForm)


async def type_text(console: Console[Any], text: str) -> None:
    """Type ``text`` into the focused widget, key by key, as a terminal delivers them.

    Every key is queued at once and handled in order, then this waits until the widget
    with focus has handled them all (``tests.tui.pilots.queue_keys``): ``pilot.press``
    waits for an idle CPU after each key, which a loop running a server and several
    consoles seldom reaches (up to two seconds a key).
    """
    with console.active():
        handled = queue_keys(console.app, text)
    await console.until(handled.is_set, f"the keys of {text!r} handled")


async def submit(team: Console[TeamScreen], ref: str) -> None:
    """Press the form's Submit button and confirm."""
    await team.click(form(team, ref).query_one("#submit", Button))
    await team.until(lambda: isinstance(team.app.screen, ConfirmScreen), "the confirmation")
    await team.until_shows("Submit your team's answer to:")
    await team.click(team.app.screen.query_one("#confirm", Button))


def clock_line(console: Console[Any]) -> str:
    """The clock bar as shown: elapsed time, RUNNING/PAUSED, who, connection."""
    bar = console.query_one("#clockbar", ClockBar)
    with console.active():
        return bar.render().plain


def grid_cell(console: Console[FacilitatorScreen], team: str, column: str) -> str:
    """One cell of the facilitator's team grid, as shown."""
    return _cell(console, "#team-grid", team, column)


def msel_cell(console: Console[FacilitatorScreen], inject: str, column: str) -> str:
    """One cell of the facilitator's MSEL, as shown."""
    return _cell(console, "#msel-table", inject, column)


def _cell(console: Console[Any], table: str, row: str, column: str) -> str:
    found = console.query_one(table, DataTable)
    with console.active():
        try:
            cell = found.get_cell(row, column)
        except CellDoesNotExist:
            return ""
        return cell.plain if isinstance(cell, Text) else str(cell)


async def highlight(console: Console[Any], options: OptionList, index: int) -> None:
    """Move a focused option list's cursor to ``index`` with the arrow keys."""
    for _ in range(options.option_count + 1):
        current = options.highlighted
        if current == index:
            return
        await console.press("down" if current is None or current < index else "up")
    raise AssertionError(f"could not highlight option {index} (at {options.highlighted})")
