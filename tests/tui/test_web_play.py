"""Browser play through ``sitroom web`` with the real consoles and a real exercise server.

A few tabs speak textual-serve's page protocol (:class:`bench.webclient.BrowserTab`:
the page, then ``/ws`` with its ``Origin``, ``stdin`` and ``resize`` frames, the
console's screen read back from its output) to a gateway built as ``sitroom web
--server URL`` builds it, in front of an in-process exercise server. Each tab logs in
with its team's code and a name, as a person types them; the facilitator releases an
inject; every tab shows its title; one member answers it (clicks the option, Submit,
then the confirmation's Submit) and the console shows the answer as the team's.
The consoles are ``sitroom join`` forked from the gateway's warm parent.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from bench.webclient import BrowserTab, Player
from engine import commands as c
from engine.net.protocol import Ack
from tests.server.conftest import serving
from tui.cli import build_parser
from tui.commands.web import make_server
from tui.web.gateway import ConsoleServer

TIMEOUT = 60.0
"""Generous: the machine may be busy, and a console takes about a CPU second to start."""


@contextlib.asynccontextmanager
async def gateway(server_url: str, *argv: str) -> AsyncIterator[tuple[str, ConsoleServer]]:
    args = build_parser().parse_args(["web", "--port", "0", "--server", server_url, *argv])
    server = make_server(args)
    runner = web.AppRunner(await server.make_app(), handle_signals=False, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = next(a for a in runner.addresses if isinstance(a, tuple))[1]
    try:
        yield f"http://127.0.0.1:{port}", server
    finally:
        await runner.cleanup()


@pytest.mark.slow  # about 12 s: three real consoles and a server
async def test_tabs_log_in_see_a_released_inject_and_an_answer_is_acknowledged(
    tmp_path: Path,
) -> None:
    async with (
        serving(tmp_path) as served,
        gateway(served.url) as (url, server),
        aiohttp.ClientSession() as http,
    ):
        control, _ = await served.client("facilitator:control")
        for command in (c.Start(), c.Pause()):
            assert isinstance(await control.send(command), Ack)
        members = [("a-01", "Ana"), ("a-01", "Bo"), ("b-01", "Cy")]
        tabs = [BrowserTab(http, url, 100, 32) for _ in members]
        players = [Player(tab, name, TIMEOUT) for tab, (_, name) in zip(tabs, members, strict=True)]

        async def log_in(player: Player, tab: BrowserTab, team: str) -> None:
            await tab.open(TIMEOUT)
            await player.login(served.code(f"team:{team}"))

        await asyncio.gather(
            *(log_in(p, t, team) for p, t, (team, _) in zip(players, tabs, members, strict=True))
        )
        assert server.forks is not None and server.forks.starts == 1
        assert server.spawned == 3

        assert isinstance(await control.send(c.Release(inject="A1")), Ack)
        await asyncio.gather(*(p.sees("Opening decision") for p in players))

        ana = players[0]
        await ana.open_inject("Opening decision")
        await ana.choose("Good")
        await ana.submit()  # waits for "Your answer by Ana" on her screen
        # Her teammate's console shows the team's answer too; the other team's does not.
        await players[1].open_inject("Opening decision")
        await players[1].console.shows("Your answer by Ana", TIMEOUT)
        assert "Your answer by Ana" not in tabs[2].screen
        for tab in tabs:
            await tab.close()
