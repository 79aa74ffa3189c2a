"""Bench: how long a live server's event loop stalls while text answers are graded.

Sixty communications tables send their holding statement at the same moment. The
meaning grader takes 10-40 ms an answer; graded on the event loop, every console's
traffic waits for all of them. :class:`engine.live.LiveExercise` grades them in its
grading thread instead (``grade_ahead``). This bench takes the same answers both ways,
side by side in one run, on a live exercise of the engine's test fixture (its text
expectation ``T1.s``), and prints:

- the longest stall of the loop (a ticker that wakes every millisecond measures the
  longest gap between two of its ticks), and its p99 gap;
- the time until every answer is logged;
- whether both ways logged the same verdicts (they must: the grade is the same).

Run::

    .venv/bin/python bench/grade_loop.py            # 60 answers
    .venv/bin/python bench/grade_loop.py --answers 200
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
os.environ.pop("SITROOM_TEXT_GRADER", None)

from engine import commands as c  # noqa: E402
from engine.clock import Clock  # noqa: E402
from engine.eventlog import EventLog  # noqa: E402
from engine.exercise import Exercise  # noqa: E402
from engine.live import LiveExercise  # noqa: E402
from engine.meaning import intake  # noqa: E402
from engine.roster import roster_from_counts  # noqa: E402
from engine.scenario import load_file  # noqa: E402

FIXTURE = ROOT / "tests" / "engine" / "fixture.yaml"
STATEMENTS = [
    "The power grid is running normally and no shutdown is planned. The video is a fake.",
    "We are checking the clip with the grid operator; official channels will say more.",
    "The electricity network works as usual; the deepfake did not come from the ministry.",
    "No comment at this stage, we are looking into it.",
]


async def _take(answers: int, ahead: bool, folder: Path) -> dict[str, float | list[float]]:
    loaded = load_file(FIXTURE)
    scenario = loaded.require()
    roster = roster_from_counts(scenario, answers)
    log = EventLog.create(
        folder / f"{'ahead' if ahead else 'loop'}.db",
        scenario_text=loaded.text,
        scenario_sha256=loaded.sha256,
        scenario_name="fixture",
        seed=scenario.seed,
        roster=roster,
    )
    live = LiveExercise(Exercise(scenario, roster), log, Clock())
    live.grade_ahead = ahead
    runner = asyncio.create_task(live.run())
    teams = [t.id for t in roster.teams][:answers]
    assert (await live.submit(c.Start())).ok
    assert (await live.submit(c.Release(inject="T1", teams=teams))).ok

    gaps: list[float] = []
    stop = asyncio.Event()

    async def ticker() -> None:
        last = time.perf_counter()
        while not stop.is_set():
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    ticks = asyncio.create_task(ticker())
    await asyncio.sleep(0.02)
    t0 = time.perf_counter()
    outcomes = await asyncio.gather(
        *(
            live.submit(
                c.Respond(
                    team=team,
                    member="ana",
                    expectation="T1.s",
                    # Each text differs: no answer is a cache hit.
                    text=f"{STATEMENTS[i % len(STATEMENTS)]} (table {i})",
                )
            )
            for i, team in enumerate(teams)
        )
    )
    taken = time.perf_counter() - t0
    stop.set()
    await ticks
    live.stop()
    await runner
    assert all(o.ok for o in outcomes), [o.reason for o in outcomes if not o.ok][:3]
    points = [
        e.body.verdict.points
        for e in log.events()
        if isinstance(e.body, c.Respond) and e.body.verdict is not None
    ]
    log.close()
    gaps.sort()
    return {
        "stall_ms": gaps[-1] * 1000,
        "p99_ms": gaps[int(0.99 * (len(gaps) - 1))] * 1000,
        "taken_s": taken,
        "points": points,
    }


async def _main(answers: int) -> None:
    intake.warm_up()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        on_loop = await _take(answers, False, folder)
        intake._cache.clear()  # the same answers again, graded again
        ahead = await _take(answers, True, folder)
    print(f"{answers} text answers at once (meaning grader, engine fixture T1.s)")
    print(f"{'':24}{'on the loop':>14}{'grading thread':>16}{'ratio':>8}")
    for key, label in (("stall_ms", "longest loop stall ms"), ("p99_ms", "p99 loop gap ms")):
        a, b = float(on_loop[key]), float(ahead[key])  # type: ignore[arg-type]
        print(f"{label:24}{a:14.1f}{b:16.1f}{a / b:8.1f}")
    a, b = float(on_loop["taken_s"]), float(ahead["taken_s"])  # type: ignore[arg-type]
    print(f"{'all logged s':24}{a:14.2f}{b:16.2f}{a / b:8.2f}")
    same = on_loop["points"] == ahead["points"]
    print(f"same verdicts both ways: {same}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--answers", type=int, default=60)
    args = ap.parse_args(argv)
    asyncio.run(_main(args.answers))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
