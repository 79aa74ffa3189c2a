"""An expired toast leaves the terminal, not only the DOM, on a screen otherwise still.

Reported from a demo in tmux at 80x24: the "Play paused" toast of a module discussion
stayed drawn for the whole pause, and a resize took it away at once, as if the toast had
left the DOM on time and the cells under it were never drawn again. A test of the DOM
(``app.screen.query(Toast)``) or of ``export_screenshot`` (a full render made on demand)
cannot see that: both are right while the terminal is wrong. So these tests keep a
:class:`Terminal`, fed with exactly what the app hands its driver (every compositor
update, as the escape sequences a real terminal would get), and read the toast there.

The report could not be reproduced (tmux at 80x24 and 160x48, under load, and the demo
under Pilot with this terminal, team and control consoles, keyboard in a text box or
not): the toast left the screen at its timeout every time. These tests hold that, for a
toast docked at the bottom and at the top (a member typing, team.tcss), at both sizes,
for a play toast and a broadcast's. They can fail: with the toast rack left without a
layout once its last toast is gone (``ToastRack.refresh`` a no-op when it holds no toast,
patched in for the check, not kept), all four time out waiting for the toast to leave
the terminal, the DOM having no toast already.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from rich.cells import cell_len
from rich.console import Console
from textual._compositor import CompositorUpdate
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input

from engine import commands as c
from tests.tui.pilots import until
from tests.tui.test_team_alerts import _room, playing, toasts
from tui.console.base import ConsoleApp
from tui.team.app import TeamScreen, make_team_app

TIMEOUT = 0.5
"""A toast's life here, in seconds (five in play)."""
LEFT = 3.0
"""Seconds a toast gone from the DOM may take to leave the terminal."""

_SEQUENCE = re.compile(
    r"\x1b\[(\d+);(\d+)H"  # cursor to row;column: the only sequence that moves text
    r"|\x1b\[[0-9;?]*[A-Za-z]"  # colours, modes: no cell changes
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # links
    r"|[\r\n]"  # every line of an update starts with a cursor move
)


class Terminal:
    """The cells of a terminal of ``size``, written only by the updates given to it.

    A region no update redraws keeps its old cells, as on a real terminal."""

    def __init__(self, size: tuple[int, int]) -> None:
        self.width, self.height = size
        self._console = Console(
            width=self.width,
            height=self.height,
            file=io.StringIO(),
            force_terminal=True,
            color_system="truecolor",
            legacy_windows=False,
        )
        self._cells = [[" "] * self.width for _ in range(self.height)]

    def write(self, update: CompositorUpdate) -> None:
        """Apply ``update`` as the escape sequences a driver writes for it."""
        data = update.render_segments(self._console)
        x = y = start = 0
        for found in _SEQUENCE.finditer(data):
            x = self._put(data[start : found.start()], x, y)
            start = found.end()
            if found[1]:
                y, x = int(found[1]) - 1, int(found[2]) - 1
        self._put(data[start:], x, y)

    def _put(self, text: str, x: int, y: int) -> int:
        """Write ``text`` from column ``x``; the column after it."""
        for char in text:
            if 0 <= y < self.height and 0 <= x < self.width:
                self._cells[y][x] = char
            x += cell_len(char)
        return x

    @property
    def lines(self) -> list[str]:
        return ["".join(row) for row in self._cells]

    def shows(self, words: str) -> bool:
        return any(words in line for line in self.lines)


def rendered(app: App[Any]) -> Terminal:
    """A terminal with a full render of the screen now (``export_screenshot``'s view)."""
    terminal = Terminal(app.size)
    terminal.write(app.screen._compositor.render_full_update())
    return terminal


def watch(app: App[Any], monkeypatch: pytest.MonkeyPatch) -> Terminal:
    """The terminal the app draws on from now: the screen as it is, then every update
    ``App._display`` is handed (headless, the driver's write is all that is skipped)."""
    terminal = rendered(app)
    display = app._display

    def displayed(screen: Screen[Any], renderable: Any) -> None:
        if isinstance(renderable, CompositorUpdate) and not app._batch_count:
            terminal.write(renderable)
        display(screen, renderable)

    monkeypatch.setattr(app, "_display", displayed)
    return terminal


async def still(pilot: Pilot[Any]) -> None:
    """The console drawn and idle: nothing else moves on the screen after this."""
    await pilot.pause(0.3)


@pytest.fixture(autouse=True)
def short_toasts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ConsoleApp, "NOTIFICATION_TIMEOUT", TIMEOUT)


async def typing_a_question(pilot: Pilot[Any], console: TeamScreen) -> None:
    """The keyboard in the Messages tab's question box: toasts dock at the top."""
    await pilot.press("3")
    await until(pilot, lambda: console.query("#question"), "the question box")
    console.query_one("#question", Input).focus()
    await until(pilot, lambda: console.has_class("-typing"), "the typing layout")


@pytest.mark.parametrize(
    ("size", "typing", "sent", "words"),
    [
        ((80, 24), False, c.Pause(), "Play paused"),
        ((80, 24), True, c.Pause(), "Play paused"),
        ((160, 48), False, c.Pause(), "Play paused"),
        ((160, 48), False, c.Broadcast(text="Coffee is in the back room."), "Coffee is in"),
    ],
    ids=["80x24-bottom", "80x24-top-typing", "160x48-bottom", "160x48-broadcast"],
)
async def test_an_expired_toast_is_no_longer_drawn(
    monkeypatch: pytest.MonkeyPatch,
    size: tuple[int, int],
    typing: bool,
    sent: c.AnyCommand,
    words: str,
) -> None:
    room = _room()
    app = make_team_app(link=room.link)
    async with playing(app, room, size=size) as (pilot, console):
        if typing:
            await typing_a_question(pilot, console)
        await still(pilot)
        terminal = watch(app, monkeypatch)
        room.control_sends(sent)
        await until(pilot, lambda: terminal.shows(words), "the toast drawn")
        assert any(words in toast for toast in toasts(app))

        await until(pilot, lambda: not toasts(app), "the toast to leave the DOM")
        # A ghost stays for good; the wait is only room for a busy machine's repaint.
        await until(pilot, lambda: not terminal.shows(words), "the toast to leave", LEFT)
        # Nothing else stale either: the terminal is what a full render shows now.
        await until(pilot, lambda: terminal.lines == rendered(app).lines, "no stale cell", LEFT)
