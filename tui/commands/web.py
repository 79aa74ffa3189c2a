"""``sitroom web``: the consoles in a browser, one ``sitroom join`` per tab.

textual-serve runs a console in a child process for every browser tab and
relays its screen over a WebSocket; here the child is forked from a warm parent
that has imported the consoles once (:mod:`tui.web.forkserver`; ``--no-fork``
starts a new interpreter instead). Each tab therefore starts at the login
screen and becomes the console its join code is for, exactly as in a terminal.
``--server`` fills in the exercise server's address on that screen, so people
type only their code and name. The page is our own (:mod:`tui.web`): it needs
nothing from the internet.

Each tab costs a process, so the gateway (:mod:`tui.web.gateway`) opens consoles
only for its own page (``--allow-origin`` adds others), at most ``--max-sessions``
at once, started at ``--spawn-rate`` a second; docs/security.md has the rest.
"""

from __future__ import annotations

import argparse
import shlex
import sys

from engine.handouts.cards import GATEWAY_PORT
from engine.i18n import _
from tui.commands.common import fail
from tui.web import forkserver
from tui.web.gateway import ConsoleServer, Limits, origin_argument


def tab_command(server: str | None) -> str:
    """What each tab runs: this interpreter's ``sitroom join`` (a venv need not be on PATH)."""
    return shlex.join([sys.executable, "-m", "tui.cli", "join", *([server] if server else [])])


def make_server(args: argparse.Namespace) -> ConsoleServer:
    forks = None
    if not args.no_fork and forkserver.supported():
        forks = forkserver.ForkServer(["join", *([args.server] if args.server else [])], {})
    return ConsoleServer(
        tab_command(args.server),
        host=args.host,
        port=args.port,
        limits=Limits.for_machine(args.max_sessions, args.spawn_rate, forked=forks is not None),
        public_url=args.public_url.rstrip("/") if args.public_url else None,
        allowed_origins=args.allow_origin,
        forks=forks,
    )


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(_("{text} is not a positive number").format(text=text))
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(_("{text} is not a positive number").format(text=text))
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host", default="127.0.0.1", help=_("address to listen on (default 127.0.0.1)")
    )
    parser.add_argument(
        "--port",
        type=int,
        default=GATEWAY_PORT,
        help=_("port (default {port})").format(port=GATEWAY_PORT),
    )
    parser.add_argument(
        "--server", metavar="URL", help=_("exercise server to fill in on each tab's login screen")
    )
    parser.add_argument(
        "--public-url",
        metavar="URL",
        help=_(
            "the address browsers use, when not http://HOST:PORT (a proxy, say); "
            "its origin may open consoles"
        ),
    )
    parser.add_argument(
        "--allow-origin",
        metavar="ORIGIN",
        action="append",
        default=[],
        type=origin_argument,
        help=_(
            "another origin (scheme://host[:port]) whose pages may open consoles; repeatable "
            "(default: only the gateway's own page)"
        ),
    )
    parser.add_argument(
        "--max-sessions",
        metavar="N",
        type=_positive_int,
        help=_(
            "consoles open at once, at most (default: sized for this machine, about 80 MB each)"
        ),
    )
    parser.add_argument(
        "--spawn-rate",
        metavar="PER_SECOND",
        type=_positive_float,
        help=_(
            "new consoles started a second, after a burst of twice that "
            "(default: two a CPU, at least 2; one a CPU with --no-fork)"
        ),
    )
    parser.add_argument(
        "--no-fork",
        action="store_true",
        help=_(
            "start each tab's console as a new interpreter (slower to start, about twice "
            "the memory) instead of forking it from a warm parent"
        ),
    )


def run(args: argparse.Namespace) -> int:
    server = make_server(args)
    try:
        server.serve()
    except OSError as exc:
        return fail(
            _("cannot listen on {host}:{port}: {error}").format(
                host=args.host, port=args.port, error=exc.strerror or exc
            )
        )
    return 0
