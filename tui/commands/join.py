"""``sitroom join URL [--name N]``: open the console your join code is for.

The code decides the console, not the command: the server's ``welcome`` names
the seat's role (team, evaluator, observer, facilitator) and this module opens
the matching screen (an observer gets the facilitator's view, read-only). So
the lines ``sitroom serve`` prints work exactly as printed.

With the address and code on the command line, joining is tried before the
screen opens: a bad code or an unreachable server ends with one clear line on
stderr and exit status 1, never a traceback. Without them (or for a team code
given without a name) the login screen asks, and says what went wrong in place.

The connection that was tried is the one the console then uses (what arrived
meanwhile is replayed to it first), so joining costs one connection, not two.

The code comes, first found, from ``--code`` or ``--code-file PATH`` (``-``: standard
input, asked for without echo on a terminal), the ``SITROOM_CODE`` environment
variable, or the login screen (where it is typed hidden). ``--code`` puts the code
in the process's arguments, which ``ps`` shows to every user of the machine; the
others do not, and are what ``sitroom serve`` prints.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import os
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Literal

from textual import work
from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.widgets import Static

from engine import i18n
from engine.aio import within
from engine.commands import AnyCommand
from engine.i18n import _
from engine.net.client import Client
from engine.net.protocol import NAME_REQUIRED, Answer, Error, Incoming, LinkChange, Welcome
from engine.net.server.seats import CODE_ENV
from engine.net.why import unreachable_by
from engine.textfile import NotUtf8, utf8_text
from tui.commands.common import fail, need_terminal
from tui.commands.options import SERVER_URL, inherit
from tui.console.base import ConsoleScreen
from tui.console.language import LanguageScreen
from tui.console.login import Credentials, LoginField, LoginScreen
from tui.console.safe import SafeApp, plain
from tui.console.screens import confirm_quit
from tui.evaluator.app import EvaluatorScreen
from tui.facilitator.app import FacilitatorScreen
from tui.team.app import TeamScreen
from tui.wall.app import WallScreen

Want = Literal["join", "facilitate", "wall"]
CodeOf = Literal["your", "facilitator", "wall"]
"""Whose join code ``--code`` takes: the seat of the command that asks for it."""
JOIN_TIMEOUT = 10.0
"""Seconds to wait for the server's answer before giving up on a join."""


class CodeError(Exception):
    """The join code could not be read; ``str()`` says why."""


STDIN = "-"


def read_code(args: argparse.Namespace) -> str:
    """The join code the command line, a file or the environment gives ('' when none).

    ``--code`` first, then ``--code-file`` (``-``: standard input, asked for without echo
    when it is a terminal), then ``SITROOM_CODE``. A file holds one code: blank lines
    and ``#`` comments aside, one line (so a whole codes file is refused, not guessed at).
    """
    if getattr(args, "code", None):
        return str(args.code)
    path = getattr(args, "code_file", None)
    if path:
        return _code_from_file(path)
    return os.environ.get(CODE_ENV, "").strip()


def _code_from_file(path: str) -> str:
    where = _("standard input") if path == STDIN else path
    try:
        if path == STDIN and sys.stdin is not None and sys.stdin.isatty():
            text = getpass.getpass(_("Join code: "), stream=sys.stderr)
        elif path == STDIN:
            buffer = getattr(sys.stdin, "buffer", None)  # None: a test's StringIO
            if buffer is None:
                text = sys.stdin.read(4096) if sys.stdin is not None else ""
            else:
                text = _code_text(buffer.read(_CODE_BYTES), where)
        else:
            with open(path, "rb") as file:
                text = _code_text(file.read(_CODE_BYTES), where)
    except (OSError, EOFError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise CodeError(
            _("cannot read the join code from {where}: {reason}").format(where=where, reason=reason)
        ) from None
    except NotUtf8 as exc:
        raise CodeError(str(exc)) from None
    lines = [line.strip() for line in text.splitlines()]
    codes = [line for line in lines if line and not line.startswith("#")]
    if not codes:
        raise CodeError(_("{where} holds no join code").format(where=where))
    if len(codes) > 1 or "\t" in codes[0]:
        raise CodeError(
            _(
                "{where} holds more than a code: give a file with one code "
                "(a line of the codes file, say), or set {env}"
            ).format(where=where, env=CODE_ENV)
        )
    return codes[0]


_CODE_BYTES = 16384
"""How much of a code file is read: a code is one short line, and a file holding more
(a whole codes file) is refused by what its first lines hold."""


def _code_text(raw: bytes, where: str) -> str:
    """A code file's first bytes as text, decoded as every file a person hands sitroom
    is (:func:`engine.textfile.utf8_text`): whole lines, so a character cut in two at the
    end of what was read is not taken for a fault."""
    if len(raw) == _CODE_BYTES and b"\n" in raw:
        raw = raw[: raw.rindex(b"\n")]
    return utf8_text(raw, where)


def attach_terminal() -> None:
    """After reading the code from a pipe, read keys from the terminal (POSIX), so
    ``pass show card | sitroom join URL --code-file -`` still has a keyboard."""
    if sys.stdin is not None and sys.stdin.isatty():
        return
    try:
        fd = os.open("/dev/tty", os.O_RDWR)
    except OSError:
        return
    try:
        os.dup2(fd, 0)
    finally:
        os.close(fd)


class Refused(Exception):
    """Joining failed; ``str()`` says why in the user's terms, ``field`` which of the login
    screen's fields to correct (the cursor waits there)."""

    def __init__(self, reason: str, *, need_name: bool = False, field: LoginField = "code") -> None:
        super().__init__(reason)
        self.need_name = need_name
        self.field: LoginField = "name" if need_name else field


@dataclass
class Joined:
    """A client that was welcomed, and the messages it has received so far."""

    client: Client
    welcome: Welcome
    received: list[Incoming] = field(default_factory=list)

    @property
    def role(self) -> str:
        return self.welcome.role


class JoinedLink:
    """The console's :class:`~tui.console.link.Link` on a joined client.

    Replays what arrived while joining, then the client's own stream; a command
    sent after the client closed for good answers with an error instead of raising.
    """

    def __init__(self, joined: Joined) -> None:
        self.client = joined.client
        self._first = list(joined.received)

    async def messages(self) -> AsyncIterator[Incoming]:
        first, self._first = self._first, []
        for message in first:
            yield message
        async for message in self.client.messages():
            yield message

    async def send(self, command: AnyCommand) -> Answer:
        # A client closed for good raises ClientClosed: ConsoleScreen.send answers it.
        return await self.client.send(command)

    async def fetch_file(self, sha256: str) -> bytes:
        return await self.client.fetch_file(sha256)

    async def close(self) -> None:
        await self.client.close()


async def open_seat(
    credentials: Credentials, want: Want = "join", timeout: float = JOIN_TIMEOUT
) -> Joined:
    """Join with ``credentials``; raises :class:`Refused` with a reason a person can act on."""
    url = credentials.url
    client = Client(url, credentials.code, credentials.name or None)
    received: list[Incoming] = []
    stream = client.messages()
    deadline = time.monotonic() + timeout
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Refused(_no_answer(url, timeout), field="url")
            try:
                msg = await within(anext(stream), left)
            except StopAsyncIteration:
                raise Refused(
                    client.why.shown() or _("the connection closed"), field="url"
                ) from None
            except TimeoutError:
                raise Refused(_no_answer(url, timeout), field="url") from None
            received.append(msg)
            try:
                _check(msg, url)
            except Refused as exc:
                if exc.need_name and want != "join":
                    message = (
                        _(
                            "this code is for a team, not a facilitator: open it, with the "
                            "same code, with {command}"
                        )
                        if want == "facilitate"
                        else _(
                            "this code is for a team, not the wall: open it, with the same "
                            "code, with {command}"
                        )
                    )
                    command = f"sitroom join {url} --name NAME"
                    raise Refused(message.format(command=command)) from None
                raise
            if isinstance(msg, Welcome):
                joined = Joined(client, msg, received)
                _check_role(joined, want, url)
                await _aclose(stream)
                return joined
    except BaseException:
        await _aclose(stream)
        await client.close()
        raise


def _no_answer(url: str, timeout: float) -> str:
    return _("no answer from {url} within {seconds} s").format(url=url, seconds=f"{timeout:g}")


async def _aclose(stream: AsyncIterator[Any]) -> None:
    """Finish the generator behind ``stream`` (the console reads the client afresh)."""
    closer = getattr(stream, "aclose", None)
    if closer is not None:
        await closer()


def _check(msg: Incoming, url: str) -> None:
    """Raise :class:`Refused` for a message that means joining cannot work."""
    if isinstance(msg, LinkChange) and msg.state in ("reconnecting", "closed"):
        if msg.cause == "unreachable":
            # The client's words name what failed: the address's own error, or a wait.
            failed = unreachable_by(msg)
            if isinstance(failed, float):
                raise Refused(_no_answer(url, failed), field="url")
            raise Refused(
                _("cannot reach the server at {url} ({reason})").format(url=url, reason=failed),
                field="url",
            )
        raise Refused(msg.shown() or _("the connection closed"), field="url")
    if isinstance(msg, Error) and msg.id is None:
        code, reason = msg.code, msg.shown() or _("refused")
        if code == "bad_code":
            raise Refused(
                _("{reason}: check the code on your card (dashes and case do not matter)").format(
                    reason=reason
                )
            )
        if NAME_REQUIRED in (msg.template, msg.reason):  # (an older server sends no template)
            raise Refused(_("team members give their name: add --name NAME"), need_name=True)
        raise Refused(reason)


def _check_role(joined: Joined, want: Want, url: str) -> None:
    if want == "wall" and joined.role != "wall":
        seat = joined.welcome.seat or joined.role
        raise Refused(
            _(
                "this code is for {seat}, not the wall: the wall shows only what the whole "
                "room may see; open this code with {command}"
            ).format(seat=seat, command=f"sitroom join {url}")
        )
    if want == "facilitate" and joined.role != "facilitator":
        seat = joined.welcome.seat or joined.role
        raise Refused(
            _(
                "this code is for {seat}, not a facilitator: open it, with the same code, "
                "with {command}"
            ).format(seat=seat, command=f"sitroom join {url}")
        )


def console_for(joined: Joined, lang: str | None = None) -> ConsoleScreen[Any]:
    """The console the welcomed seat is for, reading the joined client (a team's in
    ``lang``, for a scenario written in several)."""
    link = JoinedLink(joined)
    role = joined.role
    if role == "team":
        return TeamScreen(link=link, lang=lang)
    if role == "evaluator":
        return EvaluatorScreen(link=link)
    if role == "observer":
        return FacilitatorScreen(role="observer", link=link)
    if role == "wall":
        return WallScreen(link=link)
    return FacilitatorScreen(link=link)


_TITLES = {
    "team": TeamScreen.APP_TITLE,
    "evaluator": EvaluatorScreen.APP_TITLE,
    "observer": FacilitatorScreen.APP_TITLE,
    "facilitator": FacilitatorScreen.APP_TITLE,
    "wall": WallScreen.APP_TITLE,
}


class JoinApp(SafeApp[None]):
    """Asks for what is missing (login screen), joins, and shows the seat's console.

    A :class:`~tui.console.safe.SafeApp`, as every console's app: the consoles it shows
    notify with people's words and the server's reasons, which must never be read as
    markup (``[/]`` in a reason would stop the console).
    """

    TITLE = "sitroom"
    CSS = SafeApp.CSS + "JoinApp #joining { width: auto; color: $text-muted; }"

    def __init__(
        self,
        want: Want = "join",
        *,
        joined: Joined | None = None,
        given: Credentials | None = None,
        error: str = "",
        wrong: LoginField = "code",
        lang: str | None = None,
    ) -> None:
        super().__init__()
        self.want = want
        self.lang = lang
        """The language the player reads the scenario in (``--lang``)."""
        self.joined = joined
        self.given = given or Credentials("", "", "")
        self.error = error
        self.wrong: LoginField = wrong
        self.console_screen: ConsoleScreen[Any] | None = None

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Static(_("Joining…"), id="joining")

    def on_mount(self) -> None:
        if self.joined is not None:
            self._show(self.joined)
        else:
            self._ask(self.given, self.error, self.wrong)

    def _ask(self, given: Credentials, error: str, wrong: LoginField = "code") -> None:
        login = LoginScreen(
            url=given.url,
            code=given.code,
            name=given.name,
            ask_name=self.want == "join",
            error=error,
            wrong=wrong,
        )
        self.push_screen(login, self._login)

    def _login(self, credentials: Credentials | None) -> None:
        if credentials is None:
            self.exit()
            return
        # The address is what the player typed: text, never markup ("[b]", "[/]").
        joining = _("Joining {url}…").format(url=credentials.url)
        self.query_one("#joining", Static).update(plain(joining))
        self._attempt(credentials)

    @work(exclusive=True, group="join", exit_on_error=False)
    async def _attempt(self, credentials: Credentials) -> None:
        try:
            joined = await open_seat(credentials, self.want)
        except Refused as exc:
            self._ask(credentials, str(exc), exc.field)
            return
        self._show(joined)

    def _show(self, joined: Joined) -> None:
        self.joined = joined
        languages = joined.welcome.exercise.get("languages") or []
        if joined.role == "team" and self.lang is None and len(languages) > 1:
            # A scenario written in several languages: the player picks one, once.
            self.push_screen(LanguageScreen([str(code) for code in languages]), self._chosen)
            return
        self._open(joined)

    def _chosen(self, lang: str | None) -> None:
        self.lang = lang
        if lang is not None and lang in i18n.LANGUAGES:
            i18n.activate(lang)  # the console's own words too
        assert self.joined is not None
        self._open(self.joined)

    def _open(self, joined: Joined) -> None:
        self.console_screen = console_for(joined, self.lang)
        self.title = _(_TITLES.get(joined.role, "sitroom"))
        self.push_screen(self.console_screen)
        languages = [str(code) for code in joined.welcome.exercise.get("languages") or []]
        if joined.role == "team" and self.lang is not None and self.lang not in languages:
            # --lang names a language the scenario is not written in: say so, not ignore it.
            written = ", ".join(languages) or _("one language only")
            self.notify(
                _(
                    "The scenario is not written in {lang} ({written}): you read it as played."
                ).format(lang=self.lang, written=written),
                severity="warning",
            )

    async def action_quit(self) -> None:
        question = _(self.console_screen.QUIT_QUESTION) if self.console_screen is not None else ""
        confirm_quit(self, question, self._quit)

    async def _quit(self) -> None:
        if self.console_screen is not None:
            await self.console_screen.close_link()
        elif self.joined is not None:
            await self.joined.client.close()
        self.exit()


async def make_join_app(args: argparse.Namespace, want: Want) -> JoinApp:
    """The app ``sitroom join``/``facilitate`` runs, joined already when the command line
    says where and how; raises :class:`Refused` when that cannot work."""
    given = Credentials(args.url or "", read_code(args), args.name or "")
    lang = getattr(args, "lang", None)
    if not (given.url and given.code):
        return JoinApp(want, given=given, lang=lang)
    try:
        return JoinApp(want, joined=await open_seat(given, want), lang=lang)
    except Refused as exc:
        if exc.need_name:
            # A card's code came without a name: nothing is wrong yet, the player has not
            # typed anything. The cursor waits in the name field, with no error in red.
            return JoinApp(want, given=given, wrong="name", lang=lang)
        if os.environ.get("TEXTUAL_DRIVER"):
            # A browser tab (a card's code, sitroom web) has no terminal to print the
            # reason to: the login screen says it, with the code there to correct.
            return JoinApp(want, given=given, error=str(exc), wrong=exc.field, lang=lang)
        raise


async def main(args: argparse.Namespace, want: Want) -> int:
    """Join (if the command line says where and how), then run the console."""
    try:
        app = await make_join_app(args, want)
    except CodeError as exc:
        return fail(str(exc))
    except Refused as exc:
        return fail(_("cannot join: {reason}").format(reason=exc))
    if getattr(args, "code_file", None) == STDIN:
        attach_terminal()
    try:
        need_terminal(f"sitroom {want}")
        await app.run_async()
    finally:
        if app.joined is not None:
            with contextlib.suppress(Exception):
                await app.joined.client.close()
    return app.return_code or 0


def add_code_arguments(parser: argparse.ArgumentParser, whose: CodeOf) -> None:
    """``--code`` and ``--code-file`` (one or the other), shared with ``facilitate`` and
    ``wall``: whose code it is decides the whole sentence (one message each, so a
    translation never glues pieces)."""
    if whose == "facilitator":
        from_file = _(
            "read the facilitator's join code from a file ('-': standard input; asked for, "
            "hidden, on a terminal); or set {env}; or type it on the login screen"
        )
        given_here = _(
            "the facilitator's join code (shows in ps to every local user: prefer "
            "--code-file or {env})"
        )
    elif whose == "wall":
        from_file = _(
            "read the wall's join code from a file ('-': standard input; asked for, "
            "hidden, on a terminal); or set {env}; or type it on the login screen"
        )
        given_here = _(
            "the wall's join code (shows in ps to every local user: prefer --code-file or {env})"
        )
    else:
        from_file = _(
            "read your join code from a file ('-': standard input; asked for, "
            "hidden, on a terminal); or set {env}; or type it on the login screen"
        )
        given_here = _(
            "your join code (shows in ps to every local user: prefer --code-file or {env})"
        )
    given = parser.add_mutually_exclusive_group()
    given.add_argument("--code-file", metavar="PATH", help=from_file.format(env=CODE_ENV))
    given.add_argument("--code", metavar="CODE", help=given_here.format(env=CODE_ENV))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    inherit(parser, SERVER_URL)
    add_code_arguments(parser, "your")
    parser.add_argument("--name", metavar="NAME", help=_("your name, as your team will see it"))
    parser.add_argument(
        "--lang",
        metavar="LANG",
        help=_(
            "the language you read the scenario in, when it is written in several "
            "(en, fr); default: the one it is played in"
        ),
    )


def run(args: argparse.Namespace) -> int:
    if args.lang is not None and args.lang in i18n.LANGUAGES:
        i18n.activate(args.lang)  # the console's own words too
    return asyncio.run(main(args, "join"))
