"""A person at a console in a browser tab (or a terminal), for benchmarks and tests.

:class:`TermScreen` turns the bytes a console writes into the text a person reads.
What a browser tab shows is xterm.js interpreting the console's output (cursor moves,
text, colours). To say "the inject's title is on every screen" a benchmark needs the
same: this is a minimal terminal that keeps the characters in each cell and ignores
colours and modes. It understands what Textual writes (cursor addressing, erase,
text with wide characters, colour and mode sequences, OSC strings) and a little more;
it is not a general terminal.

Also the input side, as xterm.js sends it: keys as text and mouse clicks in SGR
mouse encoding (the mode Textual turns on).

:class:`BrowserTab` is what textual-serve's page does, over the same protocol: it
loads the page, opens ``/ws?width=&height=`` with the page's ``Origin``, sends
``["resize", …]``, ``["ping", …]`` and ``["stdin", keys]``, and feeds every binary
frame to its screen. :class:`TerminalConsole` runs ``sitroom join`` in a
pseudo-terminal, for comparison. :class:`Player` acts on either as a person does:
types the code and name on the login screen, waits for an inject's title, clicks
it, clicks an option or types an answer, submits, confirms, and waits for the
console to show the answer as the team's.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import fcntl
import json
import os
import pty
import re
import struct
import termios
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import aiohttp
from rich.cells import cell_len, get_character_cell_size

from tui.console.language import ASK as LANGUAGE_QUESTION

_TOKEN = re.compile(
    r"\x1b\[([?>=!<]?)([0-9;:]*)([ -/]*)([@-~])"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC
    r"|\x1b[P^_X][^\x1b]*\x1b\\"  # DCS, PM, APC, SOS
    r"|\x1b[()*+#%][0-9A-Za-z@]"  # charset designations
    r"|\x1b[^\[\]P^_X()*+#%]"  # two-character escapes
    r"|[\x00-\x1a\x1c-\x1f\x7f]"  # C0 controls
    r"|[^\x00-\x1f\x7f]+"  # text
)


def click(x: int, y: int, button: int = 0) -> str:
    """A mouse press and release at cell (x, y) (0-based), as xterm.js sends them."""
    return f"\x1b[<{button};{x + 1};{y + 1}M\x1b[<{button};{x + 1};{y + 1}m"


def wheel_down(x: int, y: int) -> str:
    return f"\x1b[<65;{x + 1};{y + 1}M"


@dataclass(frozen=True)
class Found:
    x: int
    y: int


class TermScreen:
    """Characters in cells, fed with a console's output."""

    def __init__(self, columns: int, rows: int) -> None:
        self.columns = columns
        self.rows = rows
        self.cells = [[" "] * columns for _ in range(rows)]
        self.x = 0
        self.y = 0
        self._saved = (0, 0)
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._pending = ""
        self.bytes_in = 0
        self.frames = 0

    # ----------------------------------------------------------------- input

    def feed(self, data: bytes) -> None:
        self.bytes_in += len(data)
        self.frames += 1
        text = self._pending + self._decoder.decode(data)
        self._pending = ""
        pos = 0
        end = len(text)
        match = _TOKEN.match
        while pos < end:
            m = match(text, pos)
            if m is None or m.end() == pos:
                if text[pos] == "\x1b" and end - pos < 64:
                    self._pending = text[pos:]  # an escape sequence cut in two
                    return
                pos += 1
                continue
            token = m.group(0)
            pos = m.end()
            first = token[0]
            if first == "\x1b":
                if m.group(4) is not None:
                    self._csi(m.group(1), m.group(2), m.group(4))
                elif token in ("\x1b7",):
                    self._saved = (self.x, self.y)
                elif token in ("\x1b8",):
                    self.x, self.y = self._saved
                elif token == "\x1bc":
                    self._erase(0, 0, self.rows - 1, self.columns)
                    self.x = self.y = 0
            elif len(token) == 1 and (first < " " or first == "\x7f"):
                self._control(first)
            else:
                self._text(token)

    def _control(self, char: str) -> None:
        if char == "\r":
            self.x = 0
        elif char == "\n":
            self.y = min(self.rows - 1, self.y + 1)
        elif char == "\b":
            self.x = max(0, self.x - 1)
        elif char == "\t":
            self.x = min(self.columns - 1, (self.x // 8 + 1) * 8)

    def _text(self, text: str) -> None:
        if self.y >= self.rows:
            return
        row = self.cells[self.y]
        if text.isascii() or cell_len(text) == len(text):
            room = self.columns - self.x
            if room <= 0:
                return
            part = text[:room]
            row[self.x : self.x + len(part)] = part
            self.x += len(part)
            return
        for char in text:
            width = get_character_cell_size(char)
            if width == 0:
                continue
            if self.x + width > self.columns:
                break
            row[self.x] = char
            if width == 2:
                row[self.x + 1] = ""
            self.x += width

    def _csi(self, private: str, params: str, final: str) -> None:
        if private:
            return  # modes (?1049h, ?25l, ?2026h, mouse) change nothing we read
        args = [int(p) if p.isdigit() else 0 for p in params.replace(":", ";").split(";")]
        first = args[0] if args else 0
        if final in "Hf":
            row = args[0] if len(args) > 0 and args[0] else 1
            col = args[1] if len(args) > 1 and args[1] else 1
            self.y = min(self.rows - 1, row - 1)
            self.x = min(self.columns - 1, col - 1)
        elif final == "A":
            self.y = max(0, self.y - max(1, first))
        elif final == "B":
            self.y = min(self.rows - 1, self.y + max(1, first))
        elif final == "C":
            self.x = min(self.columns - 1, self.x + max(1, first))
        elif final == "D":
            self.x = max(0, self.x - max(1, first))
        elif final == "G":
            self.x = min(self.columns - 1, max(1, first) - 1)
        elif final == "d":
            self.y = min(self.rows - 1, max(1, first) - 1)
        elif final == "K":
            if first == 0:
                self._erase(self.y, self.x, self.y, self.columns)
            elif first == 1:
                self._erase(self.y, 0, self.y, self.x + 1)
            else:
                self._erase(self.y, 0, self.y, self.columns)
        elif final == "J":
            if first == 0:
                self._erase(self.y, self.x, self.y, self.columns)
                self._erase(self.y + 1, 0, self.rows - 1, self.columns)
            elif first == 1:
                self._erase(0, 0, self.y - 1, self.columns)
                self._erase(self.y, 0, self.y, self.x + 1)
            else:
                self._erase(0, 0, self.rows - 1, self.columns)
        elif final == "X":
            self._erase(self.y, self.x, self.y, min(self.columns, self.x + max(1, first)))

    def _erase(self, top: int, left: int, bottom: int, right: int) -> None:
        for y in range(max(0, top), min(self.rows - 1, bottom) + 1):
            row = self.cells[y]
            row[left:right] = [" "] * (right - left)

    def resize(self, columns: int, rows: int) -> None:
        self.cells = [(r + [" "] * columns)[:columns] for r in (self.cells + [[]] * rows)[:rows]]
        self.columns, self.rows = columns, rows
        self.x, self.y = min(self.x, columns - 1), min(self.y, rows - 1)

    # ----------------------------------------------------------------- reading

    def line(self, y: int) -> str:
        return "".join(self.cells[y])

    def text(self) -> str:
        return "\n".join(self.line(y) for y in range(self.rows))

    def __contains__(self, needle: str) -> bool:
        return any(needle in self.line(y) for y in range(self.rows))

    def find_all(self, needle: str) -> list[Found]:
        """Every place ``needle`` starts (cells, 0-based), top to bottom."""
        found = []
        for y in range(self.rows):
            row = self.cells[y]
            text = "".join(row)
            start = text.find(needle)
            while start >= 0:
                found.append(Found(_column(row, start), y))
                start = text.find(needle, start + 1)
        return found

    def find(self, needle: str, *, right_of: int = -1) -> Found | None:
        """The first place ``needle`` starts at a column beyond ``right_of``."""
        for spot in self.find_all(needle):
            if spot.x > right_of:
                return spot
        return None


def _column(row: list[str], index: int) -> int:
    """The cell of the ``index``-th character of the row's text (wide characters hold two
    cells, the second empty)."""
    seen = 0
    for column, cell in enumerate(row):
        if seen >= index and cell:
            return column
        seen += len(cell)
    return len(row) - 1


# --------------------------------------------------------------------------- consoles


class ConsoleGone(Exception):
    """The console closed while we waited for something on its screen."""


class Console:
    """A screen that changes and takes keys: a browser tab or a terminal."""

    def __init__(self, columns: int, rows: int) -> None:
        self.screen = TermScreen(columns, rows)
        self.closed: str | None = None
        """Why the console closed (None while open)."""
        self.first_output: float | None = None
        self.last_output = 0.0
        """``perf_counter`` when the latest output arrived."""
        self._changed = asyncio.Event()

    def _output(self, data: bytes) -> None:
        now = time.perf_counter()
        if self.first_output is None:
            self.first_output = now
        self.last_output = now
        self.screen.feed(data)
        self._changed.set()

    def _gone(self, why: str) -> None:
        if self.closed is None:
            self.closed = why
        self._changed.set()

    async def send(self, keys: str) -> None:
        raise NotImplementedError

    async def close(self) -> None:
        raise NotImplementedError

    async def until(
        self, predicate: Callable[[TermScreen], bool], timeout: float, what: str
    ) -> float:
        """Wait until ``predicate`` holds for the screen; the ``perf_counter`` of the output
        that made it hold (when it already holds: now)."""
        deadline = time.monotonic() + timeout
        if predicate(self.screen):
            return time.perf_counter()
        while True:
            if self.closed is not None:
                raise ConsoleGone(f"the console closed ({self.closed}) before {what}")
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no {what} within {timeout:g} s")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), left)
            if predicate(self.screen):
                return self.last_output

    async def shows(self, text: str, timeout: float) -> float:
        return await self.until(lambda screen: text in screen, timeout, repr(text))

    async def settle(self, quiet: float = 0.2, timeout: float = 5.0) -> None:
        """Wait until nothing has been drawn for ``quiet`` seconds (at most ``timeout``)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.closed is None:
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), quiet)
            except TimeoutError:
                return


class BrowserTab(Console):
    """What textual-serve's page does in a browser, without the browser."""

    def __init__(
        self,
        http: aiohttp.ClientSession,
        page_url: str,
        columns: int = 120,
        rows: int = 36,
        *,
        origin: str | None = None,
    ) -> None:
        super().__init__(columns, rows)
        self.http = http
        self.page_url = page_url.rstrip("/") + "/"
        parts = urlsplit(self.page_url)
        self.origin = origin or f"{parts.scheme}://{parts.netloc}"
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.opened_at = 0.0
        self.close_code: int | None = None
        self.close_reason = ""
        self._reader: asyncio.Task[None] | None = None

    async def open(self, timeout: float = 30.0) -> None:
        """Load the page and open its socket; raises :class:`Refused` when the gateway
        says no (full, busy, another origin) and :class:`ConsoleGone` when it closes."""
        self.opened_at = time.perf_counter()
        client_timeout = aiohttp.ClientTimeout(total=timeout)
        async with self.http.get(self.page_url, timeout=client_timeout) as page:
            body = await page.text()
            if page.status != 200:
                raise Refused(f"page: {page.status}")
        found = re.search(r'data-session-websocket-url="([^"]+)"', body)
        if found is None:
            raise Refused("page: no console socket in the page")
        url = f"{found.group(1)}?width={self.screen.columns}&height={self.screen.rows}"
        try:
            self.ws = await self.http.ws_connect(
                url,
                headers={"Origin": self.origin},
                timeout=aiohttp.ClientWSTimeout(ws_close=5),
                max_msg_size=0,
                autoping=True,
            )
        except aiohttp.WSServerHandshakeError as exc:
            raise Refused(f"socket: {exc.status}") from None
        await self.ws.send_str(
            json.dumps(["resize", {"width": self.screen.columns, "height": self.screen.rows}])
        )
        await self.ws.send_str(json.dumps(["ping", str(int(time.time() * 1000))]))
        self._reader = asyncio.create_task(self._read(self.ws))

    async def _read(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        try:
            while True:
                msg = await ws.receive()
                if msg.type == aiohttp.WSMsgType.BINARY:
                    self._output(msg.data)
                elif msg.type == aiohttp.WSMsgType.CLOSE:
                    self.close_reason = str(msg.extra or "")
                    break
                elif msg.type in (
                    aiohttp.WSMsgType.CLOSING,
                    aiohttp.WSMsgType.CLOSED,
                    aiohttp.WSMsgType.ERROR,
                ):
                    self.close_reason = self.close_reason or repr(msg.data)
                    break
        except Exception as exc:
            self._gone(f"error {exc!r}")
        self.close_code = ws.close_code
        self._gone(f"closed {ws.close_code}")

    async def send(self, keys: str) -> None:
        if self.ws is None or self.ws.closed:
            raise ConsoleGone("the socket is closed")
        await self.ws.send_str(json.dumps(["stdin", keys]))

    async def close(self) -> None:
        if self.ws is not None and not self.ws.closed:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.ws.close(), 10)
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(BaseException):
                await self._reader


class Refused(Exception):
    """The gateway did not open a console: ``str()`` says how."""


class TerminalConsole(Console):
    """``sitroom join`` in a pseudo-terminal of the given size, as a terminal user runs it."""

    def __init__(self, columns: int = 120, rows: int = 36) -> None:
        super().__init__(columns, rows)
        self.proc: asyncio.subprocess.Process | None = None
        self._master = -1

    async def open(self, argv: Sequence[str], env: dict[str, str]) -> None:
        master, slave = pty.openpty()
        size = struct.pack("HHHH", self.screen.rows, self.screen.columns, 0, 0)
        fcntl.ioctl(slave, termios.TIOCSWINSZ, size)
        self.proc = await asyncio.create_subprocess_exec(
            *argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env={**env, "TERM": "xterm-256color", "COLORTERM": "truecolor"},
            start_new_session=True,
        )
        os.close(slave)
        os.set_blocking(master, False)
        self._master = master
        asyncio.get_running_loop().add_reader(master, self._readable)

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None else None

    def _readable(self) -> None:
        try:
            data = os.read(self._master, 1 << 16)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            asyncio.get_running_loop().remove_reader(self._master)
            self._gone("exited")
            return
        self._output(data)

    async def send(self, keys: str) -> None:
        if self._master < 0 or self.closed is not None:
            raise ConsoleGone("the terminal is closed")
        os.write(self._master, keys.encode())

    async def close(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.proc.terminate()
            try:
                await asyncio.wait_for(self.proc.wait(), 5)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    self.proc.kill()
                await self.proc.wait()
        if self._master >= 0:
            with contextlib.suppress(Exception):
                asyncio.get_running_loop().remove_reader(self._master)
            os.close(self._master)
            self._master = -1


# --------------------------------------------------------------------------- a person

DIALOG_LAST_LINE = "It cannot be changed afterwards."
NAME_PLACEHOLDER = "e.g. Amira"


@dataclass
class Player:
    """A person at a console: logs in, reads injects, answers as told."""

    console: Console
    name: str
    timeout: float = 60.0

    async def login(self, code: str) -> float:
        """Type the code and name on the login screen (the address is filled in); the
        ``perf_counter`` when the console is on screen."""
        c = self.console
        await c.shows("Join code", self.timeout)
        await c.send(code)
        await c.until(lambda s: code in s or "•" * len(code) in s, self.timeout, "the code typed")
        # Keys that arrive in the same read as Tab reach the box Tab leaves (Textual moves
        # the focus after handing them out; a busy console reads late): wait until the
        # terminal cursor, which Textual puts in the focused box, is in the name's box.
        await c.shows(NAME_PLACEHOLDER, self.timeout)
        box = c.screen.find(NAME_PLACEHOLDER)
        assert box is not None
        await c.send("\t")
        await c.until(lambda s: s.y == box.y, self.timeout, "the focus in the name box")
        await c.send(self.name)
        await c.shows(self.name, self.timeout)
        await c.send("\r")
        return await self.in_console()

    async def in_console(self) -> float:
        """Wait for the console; a scenario in several languages first asks which one to
        read it in (its first language is highlighted: Enter takes it)."""
        c = self.console
        mark = f"· {self.name}"
        asks = tuple(LANGUAGE_QUESTION.values())
        await c.until(
            lambda s: mark in s or any(a in s for a in asks),
            self.timeout,
            f"{mark!r} or the language question",
        )
        if mark not in c.screen:
            await c.send("\r")
        return await c.shows(mark, self.timeout)

    async def sees(self, title: str, timeout: float | None = None) -> float:
        return await self.console.shows(title, timeout or self.timeout)

    async def click(self, x: int, y: int) -> None:
        await self.console.send(click(x, y))

    async def open_inject(self, title: str) -> None:
        """Click the inject in the inbox (the leftmost place its title shows)."""
        c = self.console
        await c.shows(title, self.timeout)
        spot = min(c.screen.find_all(title), key=lambda f: f.x)
        await self.click(spot.x + 1, spot.y)
        await c.settle()

    async def reveal(self, text: str) -> Found:
        """Scroll the inject view until ``text`` is on screen."""
        c = self.console
        for _ in range(40):
            spot = c.screen.find(text)
            if spot is not None:
                return spot
            columns, rows = c.screen.columns, c.screen.rows
            await c.send(wheel_down(columns * 3 // 4, rows // 2))
            await c.settle(0.1, 2.0)
        raise TimeoutError(f"{text!r} never came into view")

    async def choose(self, label: str) -> None:
        spot = await self.reveal(label[:28])
        await self.click(spot.x + 1, spot.y)
        await self.console.settle(0.1)

    async def write(self, text: str) -> None:
        spot = await self.reveal("Write your answer")
        await self.click(spot.x + 1, spot.y)
        await self.console.settle(0.1)
        await self.console.send(text)
        words = len(text.split())
        await self.console.shows(f"{words} word", self.timeout)

    async def submit(self) -> float:
        """Press the form's Submit, then the dialog's; the ``perf_counter`` when the
        console shows the answer as sent by this member."""
        c = self.console
        spot = await self.reveal("Submit")
        await self.click(spot.x + 2, spot.y)
        await c.shows(DIALOG_LAST_LINE, self.timeout)
        cancel = c.screen.find("Cancel")
        if cancel is None:
            raise TimeoutError("the confirmation has no Cancel")
        confirm = next(
            (
                f
                for word in ("Submit", "Send anyway")
                for f in c.screen.find_all(word)
                if f.y == cancel.y and f.x > cancel.x
            ),
            None,
        )
        if confirm is None:
            raise TimeoutError("the confirmation has no Submit")
        await self.click(confirm.x + 2, confirm.y)
        sent = time.perf_counter()
        await c.shows(f"Your answer by {self.name}", self.timeout)
        return sent
