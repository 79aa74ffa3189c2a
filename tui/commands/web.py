"""``sitroom web``: the consoles in a browser, one ``sitroom join`` per tab.

textual-serve runs the command in a child process for every browser tab and
relays its screen over a WebSocket. Each tab therefore starts at the login
screen and becomes the console its join code is for, exactly as in a terminal.
``--server`` fills in the exercise server's address on that screen, so people
type only their code and name. The page is our own (:mod:`tui.web`): it needs
nothing from the internet.
"""

from __future__ import annotations

import argparse
import shlex
import sys

from aiohttp import web
from textual_serve.server import Server

from engine.net.server.runner import public_url
from tui.commands.common import fail
from tui.web import TEMPLATES


class ConsoleServer(Server):
    """textual-serve, announcing itself in sitroom's words instead of its banner."""

    async def on_startup(self, app: web.Application) -> None:
        print(
            f"sitroom web: consoles at {self.public_url} (each tab asks for a join code); "
            "Ctrl+C stops",
            flush=True,
        )


def tab_command(server: str | None) -> str:
    """What each tab runs: this interpreter's ``sitroom join`` (a venv need not be on PATH)."""
    return shlex.join([sys.executable, "-m", "tui.cli", "join", *([server] if server else [])])


def make_server(args: argparse.Namespace) -> ConsoleServer:
    url = args.public_url or public_url(args.host, args.port, tls=False)
    return ConsoleServer(
        tab_command(args.server),
        host=args.host,
        port=args.port,
        title="sitroom",
        public_url=url.rstrip("/"),
        templates_path=TEMPLATES,
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    parser.add_argument("--port", type=int, default=8471, help="port (default 8471)")
    parser.add_argument(
        "--server", metavar="URL", help="exercise server to fill in on each tab's login screen"
    )
    parser.add_argument(
        "--public-url",
        metavar="URL",
        help="the address browsers use, when not http://HOST:PORT (a proxy, say)",
    )


def run(args: argparse.Namespace) -> int:
    server = make_server(args)
    try:
        server.serve()
    except OSError as exc:
        return fail(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}")
    return 0
