"""Console benchmarks: first paint, and bulk updates, measured in one run.

* time to first paint of each console (team, facilitator, evaluator), from app
  start to the first screen with its data (target: under 1 s);
* time to apply 1,000 deliveries to a team console (target: under 1 s);
* time to apply updates for 1,000 teams to the facilitator's grid (target: under 1 s).

The consoles run headless (Textual's test driver) and are fed by a scripted link,
so the figures are the consoles' own cost, not the network's.

Run: ``.venv/bin/python bench/tui.py``.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.roster import roster_from_counts  # noqa: E402
from engine.scenario import load_bytes, load_file  # noqa: E402
from engine.views import exercise_for_staff, exercise_for_team, inject_for_team  # noqa: E402
from tui.console.base import ConsoleApp  # noqa: E402
from tui.evaluator.app import make_evaluator_app  # noqa: E402
from tui.facilitator.app import make_facilitator_app  # noqa: E402
from tui.team.app import make_team_app  # noqa: E402

SCENARIO_PATH = ROOT / "scenarios" / "summit-deepfake.yaml"


class QueueLink:
    """A link fed by the benchmark; ``done`` fires when the app has drained it."""

    def __init__(self) -> None:
        self.queue: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue()

    async def messages(self) -> AsyncIterator[dict[str, Any]]:
        while True:
            item = await self.queue.get()
            if item is None:
                return
            yield item

    async def send(self, command: dict[str, Any]) -> dict[str, Any]:
        return {"type": "ack", "id": "x", "seq": 0}

    async def close(self) -> None:
        self.queue.put_nowait(None)


async def settle(app: ConsoleApp[Any], pilot: Any, link: QueueLink) -> None:
    """Wait until every queued message was handled and the redraw happened."""
    while not link.queue.empty():
        await pilot.pause()
    await pilot.pause()
    while app.console_screen._redraw_pending:
        await pilot.pause()
    await pilot.pause()


def many_injects(n: int) -> str:
    lines = [
        "id: many",
        "title: Many injects",
        "duration: 8h",
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
            "      - {id: d, kind: decision, objective: o, due: 30m, "
            "options: [{id: a, label: A, points: 1}, {id: b, label: B}]}",
        ]
    return "\n".join(lines) + "\n"


async def first_paint(
    make: Callable[[QueueLink], ConsoleApp[Any]],
    welcome: dict[str, Any],
    size: tuple[int, int] = (120, 40),
) -> float:
    link = QueueLink()
    started = time.perf_counter()
    app = make(link)
    async with app.run_test(size=size) as pilot:
        link.queue.put_nowait({"type": "link", "state": "connected"})
        link.queue.put_nowait(welcome)
        await settle(app, pilot, link)
        elapsed = time.perf_counter() - started
    return elapsed


async def team_thousand_deliveries() -> float:
    scenario = load_bytes(many_injects(1000)).require()
    welcome = {
        "type": "welcome",
        "role": "team",
        "team": "t",
        "name": "ann",
        "exercise": exercise_for_team(scenario),
        "last_seq": 0,
        "resume": "live",
    }
    events = [
        {
            "type": "event",
            "seq": k + 1,
            "t": (1 + k % 400) * 60_000,
            "kind": "delivered",
            "team": "t",
            "payload": {"inject": inject_for_team(scenario, inj), "cause": "at"},
        }
        for k, inj in enumerate(scenario.injects)
    ]
    link = QueueLink()
    app = make_team_app(link=link)
    # The burst changes the Inbox tab's label ("Inbox (1000)"), and Textual glides the
    # tab underline to the new width over 0.3 s. ``settle`` waits for idle, so that
    # cosmetic glide (a frame every 16 ms) used to count as delivery time; with
    # animations off the underline jumps, and the console does the same work.
    app.animation_level = "none"
    async with app.run_test(size=(120, 40)) as pilot:
        link.queue.put_nowait({"type": "link", "state": "connected"})
        link.queue.put_nowait(welcome)
        await settle(app, pilot, link)
        started = time.perf_counter()
        for event in events:
            link.queue.put_nowait(event)
        await settle(app, pilot, link)
        elapsed = time.perf_counter() - started
        assert len(app.console_screen.model.inbox) == 1000
    return elapsed


async def facilitator_thousand_teams() -> float:
    loaded = load_file(SCENARIO_PATH)
    scenario = loaded.require()
    roster = roster_from_counts(scenario, 334)
    welcome = {
        "type": "welcome",
        "role": "facilitator",
        "name": "lead",
        "exercise": exercise_for_staff(scenario, loaded.text, roster.to_list()),
        "last_seq": 0,
        "resume": "live",
    }
    inject = scenario.injects[0]
    teams = [s.id for s in roster.teams][:1000]
    events = [
        {
            "type": "event",
            "seq": k + 1,
            "t": 300_000 + k,
            "kind": "delivered",
            "team": team,
            "payload": {"inject": inject.id, "teams": [team], "cause": "at"},
        }
        for k, team in enumerate(teams)
    ]
    link = QueueLink()
    app = make_facilitator_app(link=link)
    async with app.run_test(size=(160, 48)) as pilot:
        link.queue.put_nowait({"type": "link", "state": "connected"})
        link.queue.put_nowait(welcome)
        await settle(app, pilot, link)
        await pilot.press("2")
        await settle(app, pilot, link)
        started = time.perf_counter()
        for event in events:
            link.queue.put_nowait(event)
        await settle(app, pilot, link)
        elapsed = time.perf_counter() - started
        assert sum(r.delivered for r in app.console_screen.model.teams.values()) == len(teams)
    return elapsed


async def main() -> None:
    loaded = load_file(SCENARIO_PATH)
    scenario = loaded.require()
    roster = roster_from_counts(scenario, 2)
    team_welcome = {
        "type": "welcome",
        "role": "team",
        "team": roster.teams[0].id,
        "name": "ann",
        "exercise": exercise_for_team(scenario),
        "last_seq": 0,
        "resume": "live",
    }
    staff = exercise_for_staff(scenario, loaded.text, roster.to_list())
    fac_welcome = {
        "type": "welcome",
        "role": "facilitator",
        "name": "lead",
        "exercise": staff,
        "last_seq": 0,
        "resume": "live",
    }
    eval_welcome = {**fac_welcome, "role": "evaluator"}
    print("first paint (median of 3, app start to the welcomed screen drawn; target < 1 s)")
    for name, make, welcome in (
        ("team", lambda link: make_team_app(link=link), team_welcome),
        ("facilitator", lambda link: make_facilitator_app(link=link), fac_welcome),
        ("evaluator", lambda link: make_evaluator_app(link=link), eval_welcome),
    ):
        runs = [await first_paint(make, welcome) for _ in range(3)]
        print(f"   {name:<12} {statistics.median(runs):6.3f} s")
    team = await team_thousand_deliveries()
    print(f"1,000 deliveries to a team console    {team:6.3f} s   (target < 1 s)")
    fac = await facilitator_thousand_teams()
    print(f"1,000 team updates to the team grid   {fac:6.3f} s   (target < 1 s)")


if __name__ == "__main__":
    asyncio.run(main())
