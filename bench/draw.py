"""What a team console costs to draw and to keep, measured in process (about a minute).

A browser tab is a forked ``sitroom join``: when an inject goes out to every team,
every tab's console redraws at once, so the CPU one console spends drawing an inject
decides how many tabs a gateway's cores serve within 2 s (docs/deploy.md). This
script measures that cost on one console, without a gateway or a socket:

* a team console (summit-deepfake, team ``cert``) on the fake link
  (:mod:`engine.net.fake`: the server's own shaping, in memory), 120×36, driven
  through ``run_test``;
* frames are serialized as a real driver does (a driver that is not "headless"
  and throws the bytes away), since the web driver's output is part of the cost;
* **draw CPU**: ``time.process_time`` from an inject's delivery into the link to
  the console settled with the inject's row drawn (the exercise's own work to
  release it is outside the measure), for the first inject and the later ones;
* **idle CPU**: the process's CPU over some seconds of wall time with the clock
  running at ×20 (the clock bar and countdowns move every second);
* **memory**: Python's allocations (tracemalloc, since the app was built) and the
  widget count, after the login and after ten injects.

Run ``.venv/bin/python bench/draw.py``: three runs, medians shown (``--repeat``);
``--profile FILE`` writes a cProfile of the later injects' draws (``--profile-what``
first, later or idle); ``--idle S`` sets the idle seconds. The idle figure is taken
with the newest inject open, its question counting down. To compare with another
tree, copy it (``cp -r``) and run this script from the copy.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# As the gateway runs a browser's console (tui/web/gateway.py's BROWSER_TEXTUAL).
os.environ.update({"TEXTUAL_FPS": "30", "TEXTUAL_ANIMATIONS": "none"})

from textual.drivers.headless_driver import HeadlessDriver  # noqa: E402

from engine import commands as c  # noqa: E402
from engine.events import Delivered  # noqa: E402
from engine.net.fake import FakeLink, FakeServer  # noqa: E402
from tui.console.base import ConsoleApp  # noqa: E402
from tui.team.app import TeamScreen, make_team_app  # noqa: E402
from tui.team.inbox import InboxList  # noqa: E402

SCENARIO = ROOT / "scenarios" / "summit-deepfake.yaml"
TEAM = "cert"
SIZE = (120, 36)
M = 60_000


class SerializingDriver(HeadlessDriver):
    """A headless driver that lets Textual serialize every frame (as a terminal's or the
    web driver's output is), and counts the bytes instead of writing them."""

    written = 0

    @property
    def is_headless(self) -> bool:
        return False

    def write(self, data: str) -> None:
        SerializingDriver.written += len(data)


def fake() -> FakeServer:
    return FakeServer.from_file(SCENARIO, 1, wall=lambda: 0.0)


def delivery_times(count: int) -> list[int]:
    """When the team's first ``count`` deliveries arrive (one inject or more each), from a
    run of its own, so that the measured run advances straight to each one."""
    server = fake()
    control = server.link("facilitator:control")
    server.command(control, c.Start(), "start")
    times: list[int] = []
    t = 0
    while len(times) < count and t < server.scenario.duration:
        t += 15_000
        events = server.advance_to(t)
        if any(isinstance(e.body, Delivered) and TEAM in e.body.teams for e in events):
            times.append(t)
    return times[:count]


async def settle(app: ConsoleApp[Any], link: FakeLink, until: int = 0) -> None:
    """Until every message the link holds is handled, the redraw done and no frame has
    gone out for a tenth of a second (and the inbox holds ``until`` injects).

    It only sleeps and looks: Pilot's ``pause`` sends a callback to every widget on
    screen, which would be counted as the console's work.
    """
    screen = app.console_screen
    while True:
        await asyncio.sleep(0.02)
        inbox = getattr(screen.model, "inbox", {})
        if link.backlog or screen._redraw_pending or len(inbox) < until:
            continue
        written = SerializingDriver.written
        await asyncio.sleep(0.1)
        if SerializingDriver.written == written and not link.backlog and not screen._redraw_pending:
            return


def widgets(app: ConsoleApp[Any]) -> int:
    return sum(1 for _ in app.console_screen.walk_children(with_self=True))


def mib(n: float) -> str:
    return f"{n / 2**20:6.1f} MiB"


async def run(
    injects: int,
    idle: float,
    profile: str | None,
    *,
    trace: bool = False,
    profile_what: str = "later",
) -> dict[str, Any]:
    """One console's run: CPU figures, or (``trace``) memory figures, since tracing
    Python's allocations makes everything several times slower."""
    times = delivery_times(injects)
    server = fake()
    control = server.link("facilitator:control")
    link = server.link(f"team:{TEAM}", "Amira")
    gc.collect()
    if trace:
        tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    app = make_team_app(link=link)
    app.driver_class = SerializingDriver
    app.animation_level = "none"
    out: dict[str, Any] = {}
    async with app.run_test(size=SIZE, headless=False):
        started = time.process_time()
        await settle(app, link)
        out["login_cpu"] = time.process_time() - started
        screen = app.console_screen
        assert isinstance(screen, TeamScreen)
        gc.collect()
        out["mem_login"] = tracemalloc.get_traced_memory()[0] - base
        out["widgets_login"] = widgets(app)
        server.command(control, c.Start(), "start")
        await settle(app, link)
        draws: list[float] = []
        frames: list[int] = []
        profiler = cProfile.Profile() if profile else None
        for k, t in enumerate(times):
            server.advance_to(t)
            count = len(screen.model.inbox)
            written = SerializingDriver.written
            if profiler is not None and (k > 0) == (profile_what == "later"):
                profiler.enable()
            started = time.process_time()
            await settle(app, link, count + 1)
            draws.append(time.process_time() - started)
            if profiler is not None:
                profiler.disable()
            frames.append(SerializingDriver.written - written)
            assert len(screen.model.inbox) > count, "no inject arrived"
        if profiler is not None and profile and profile_what != "idle":
            profiler.dump_stats(profile)
        out["draws"] = draws
        out["first"] = draws[0]
        out["later"] = statistics.median(draws[1:])
        out["later_max"] = max(draws[1:])
        out["bytes_first"] = frames[0]
        out["bytes_later"] = statistics.median(frames[1:])
        gc.collect()
        out["mem_played"] = tracemalloc.get_traced_memory()[0] - base
        out["widgets_played"] = widgets(app)
        tracemalloc.stop()
        if trace:
            return out
        # Idle as a player is: reading the newest inject, its question open and counting down.
        screen.query_one(InboxList).highlighted = 0
        server.command(control, c.SetSpeed(speed=20), "speed")
        await settle(app, link)
        out["idle_shown"] = screen._shown_inject
        written = SerializingDriver.written
        started_wall, started = time.monotonic(), time.process_time()
        if profiler is not None and profile_what == "idle":
            profiler.enable()
        await asyncio.sleep(idle)
        cpu = time.process_time() - started
        if profiler is not None and profile and profile_what == "idle":
            profiler.disable()
            profiler.dump_stats(profile)
        out["idle_pct"] = 100 * cpu / (time.monotonic() - started_wall)
        out["idle_bytes_s"] = (SerializingDriver.written - written) / idle
    await link.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--injects", type=int, default=10)
    parser.add_argument("--idle", type=float, default=20.0, help="seconds idle at ×20")
    parser.add_argument("--repeat", type=int, default=3, help="runs; medians are shown")
    parser.add_argument("--profile", help="write a cProfile of the later injects' draws")
    parser.add_argument(
        "--profile-what",
        choices=("first", "later", "idle"),
        default="later",
        help="what --profile profiles",
    )
    args = parser.parse_args()
    runs = [
        asyncio.run(run(args.injects, args.idle, args.profile, profile_what=args.profile_what))
        for _ in range(args.repeat)
    ]
    o = {
        k: statistics.median(r[k] for r in runs)
        for k in runs[0]
        if k not in ("draws", "idle_shown")
    }
    o["draws"] = [statistics.median(d) for d in zip(*(r["draws"] for r in runs), strict=True)]
    o |= {
        k: v for k, v in asyncio.run(run(args.injects, 0, None, trace=True)).items() if "mem" in k
    }
    print(f"team console, summit-deepfake, {SIZE[0]}x{SIZE[1]}, frames serialized")
    print(f"  login to the welcomed console   {o['login_cpu'] * 1000:7.1f} ms CPU")
    print(
        f"  draw the first inject           {o['first'] * 1000:7.1f} ms CPU"
        f"  ({o['bytes_first'] / 1024:.1f} KiB out)"
    )
    print(
        f"  draw a later inject (median)    {o['later'] * 1000:7.1f} ms CPU"
        f"  (max {o['later_max'] * 1000:.1f}; {o['bytes_later'] / 1024:.1f} KiB out)"
    )
    print("    each:", " ".join(f"{d * 1000:.0f}" for d in o["draws"]))
    print(
        f"  idle at ×20, {runs[0]['idle_shown']} open         {o['idle_pct']:7.2f} % of a core"
        f"  ({o['idle_bytes_s'] / 1024:.1f} KiB/s out)"
    )
    print(
        f"  Python memory after login       {mib(o['mem_login'])}"
        f"  ({o['widgets_login']:.0f} widgets)"
    )
    print(
        f"  Python memory after {args.injects} injects   {mib(o['mem_played'])}"
        f"  ({o['widgets_played']:.0f} widgets)"
    )


if __name__ == "__main__":
    main()
