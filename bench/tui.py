"""Console benchmarks: first paint, and bulk updates, measured in one run.

* time to first paint of each console (team, facilitator, evaluator), from app
  start to the first screen with its data (target: under 1 s);
* time to apply 1,000 deliveries to a team console (target: under 1 s);
* time to apply updates for 1,000 teams to the facilitator's grid (target: under 1 s).

The consoles run headless (Textual's test driver) and are fed by the fake link
(:mod:`engine.net.fake`: what the server would send, made by its own shaper, in
memory), so the figures are the consoles' own cost, not the network's.

Run: ``.venv/bin/python bench/tui.py``.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine import commands as c  # noqa: E402
from engine.net.fake import FakeLink, FakeServer  # noqa: E402
from engine.roster import roster_from_counts  # noqa: E402
from engine.scenario import load_bytes, load_file  # noqa: E402
from engine.scenario.load import LoadResult  # noqa: E402
from tui.console.base import ConsoleApp  # noqa: E402
from tui.evaluator.app import make_evaluator_app  # noqa: E402
from tui.facilitator.app import make_facilitator_app  # noqa: E402
from tui.team.app import make_team_app  # noqa: E402

SCENARIO_PATH = ROOT / "scenarios" / "summit-deepfake.yaml"
M = 60_000


def fake(loaded: LoadResult, teams: int | str) -> FakeServer:
    """A fake server (the server's own shaping, in memory) whose wall clock stands still."""
    return FakeServer(loaded, roster_from_counts(loaded.require(), teams), wall=lambda: 0.0)


async def settle(app: ConsoleApp[Any], pilot: Any, link: FakeLink) -> None:
    """Wait until every message the link holds was handled and the redraw happened."""
    while link.backlog:
        await pilot.pause()
    await pilot.pause()
    while app.console_screen._redraw_pending:
        await pilot.pause()
    await pilot.pause()


def many_injects(n: int) -> str:
    lines = [
        "id: many",
        "title: Many injects",
        "duration: 16h",
        "teams: [{id: t, name: Team}]",
        "actors: [{id: x, name: Newsroom, kind: press}]",
        "objectives: [{id: o, title: O}]",
        "injects:",
    ]
    for k in range(n):
        channel = ("news", "email", "social", "alert")[k % 4]
        lines += [
            f"  - id: I{k}",
            f"    at: {1 + k % 400}m",
            "    to: all",
            f"    channel: {channel}",
            "    from: x",
            f"    title: Inject number {k}",
            "    body: Some *markdown* text for the inject.",
            "    expects:",
            "      - {id: d, kind: decision, objective: o, due: 7h, "
            "options: [{id: a, label: A, points: 1}, {id: b, label: B}]}",
        ]
    return "\n".join(lines) + "\n"


async def first_paint(
    make: Callable[[FakeLink], ConsoleApp[Any]],
    server: FakeServer,
    seat: str,
    size: tuple[int, int] = (120, 40),
) -> float:
    """App start to the welcomed screen drawn (the link holds the welcome and the clock)."""
    link = server.link(seat, "ann")
    started = time.perf_counter()
    app = make(link)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot, link)
        elapsed = time.perf_counter() - started
    await link.close()
    return elapsed


async def team_thousand_deliveries() -> float:
    server = fake(load_bytes(many_injects(1000)), 1)
    control = server.link("facilitator:control")
    link = server.link("team:t", "ann")
    app = make_team_app(link=link)
    # The burst changes the Inbox tab's label ("Inbox (1000)"), and Textual glides the
    # tab underline to the new width over 0.3 s. ``settle`` waits for idle, so that
    # cosmetic glide (a frame every 16 ms) used to count as delivery time; with
    # animations off the underline jumps, and the console does the same work.
    app.animation_level = "none"
    async with app.run_test(size=(120, 40)) as pilot:
        await control.send(c.Start())
        await settle(app, pilot, link)
        # The fake server delivers the 1,000 injects into the link without yielding to
        # the app, so the clock starts with all of them waiting, as from a socket burst.
        delivered = server.advance_to(400 * M)
        assert sum(e.kind == "delivered" for e in delivered) == 1000
        started = time.perf_counter()
        await settle(app, pilot, link)
        elapsed = time.perf_counter() - started
        assert len(app.console_screen.model.inbox) == 1000
    return elapsed


async def facilitator_thousand_teams() -> float:
    server = fake(load_file(SCENARIO_PATH), 334)
    link = server.link("facilitator:control", "lead")
    inject = server.scenario.injects[0]
    teams = [s.id for s in server.roster.teams][:1000]
    app = make_facilitator_app(link=link)
    async with app.run_test(size=(160, 48)) as pilot:
        await link.send(c.Start())
        await settle(app, pilot, link)
        await pilot.press("2")
        await settle(app, pilot, link)
        # One release per team (each a release and a delivery: 2,000 events), applied
        # by the fake server without yielding: all of them wait when the clock starts.
        for team in teams:
            reply = await link.send(c.Release(inject=inject.id, teams=[team]))
            assert reply.type == "ack", reply
        started = time.perf_counter()
        await settle(app, pilot, link)
        elapsed = time.perf_counter() - started
        assert sum(r.delivered for r in app.console_screen.model.teams.values()) == len(teams)
    return elapsed


async def main() -> None:
    server = fake(load_file(SCENARIO_PATH), 2)
    team = server.roster.teams[0].id
    print("first paint (median of 3, app start to the welcomed screen drawn; target < 1 s)")
    for name, make, seat in (
        ("team", lambda link: make_team_app(link=link), f"team:{team}"),
        ("facilitator", lambda link: make_facilitator_app(link=link), "facilitator:control"),
        ("evaluator", lambda link: make_evaluator_app(link=link), "evaluator:lead"),
    ):
        runs = [await first_paint(make, server, seat) for _ in range(3)]
        print(f"   {name:<12} {statistics.median(runs):6.3f} s")
    team_s = await team_thousand_deliveries()
    print(f"1,000 deliveries to a team console    {team_s:6.3f} s   (target < 1 s)")
    fac = await facilitator_thousand_teams()
    print(f"1,000 team updates to the team grid   {fac:6.3f} s   (target < 1 s; 2,000 events)")


if __name__ == "__main__":
    asyncio.run(main())
