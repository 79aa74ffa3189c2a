"""A server in a child process with few file descriptors, for the half-open test.

``python -m tests.server.limited_server DB SPARE IDLE``: builds the server as
``sitroom serve`` does (``prepare``, ``build_app``), with ``http_idle_timeout``
IDLE, lowers its descriptor limit to what it uses plus SPARE, logs to stderr as
``sitroom serve`` does, and prints one JSON line (url, a team's code) when it
listens. It serves until killed.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import resource
import sys
from pathlib import Path

from aiohttp import web

from engine.net.server.app import build_app
from engine.net.server.runner import prepare
from engine.net.server.settings import ServerSettings
from engine.roster import roster_from_counts
from engine.scenario import load_file

FIXTURE = Path(__file__).resolve().parents[1] / "engine" / "fixture.yaml"


async def main(db: Path, spare: int, idle: float) -> None:
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    loaded = load_file(FIXTURE)
    roster = roster_from_counts(loaded.require(), "2")
    prepared = prepare(loaded, db, roster, settings=ServerSettings(http_idle_timeout=idle))
    runner = web.AppRunner(build_app(prepared.room), handle_signals=False, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, backlog=1024)
    await site.start()
    port = next(a for a in runner.addresses if isinstance(a, tuple))[1]
    used = len(os.listdir("/proc/self/fd"))
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (used + spare, hard))
    url = f"http://127.0.0.1:{port}"
    print(json.dumps({"url": url, "code": prepared.codes["team:b-01"]}), flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])))
