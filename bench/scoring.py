"""Scoring and report benchmarks, on a dry-run log of 1,000 teams (one run, side by side).

1. Build the log: a dry-run of the largest bundled scenario, 1,000 teams in all,
   mixed bots, written to an event log (not timed against a target).
2. Read the log (open read-only, decode every event).
3. Scoring: fold every event into the scoreboard, then read every team's total,
   ranks and objective ratings. Target: under 2 s.
4. The report: build the model (one more fold, plus assembly) and render each
   format. Target: HTML report under 5 s (model + HTML rendering).

Figures are the best of three runs (the machine is shared and noisy).
Run: ``.venv/bin/python bench/scoring.py [--teams N]``.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.bots import profile_for  # noqa: E402
from engine.dryrun import dry_run  # noqa: E402
from engine.eventlog import EventLog  # noqa: E402
from engine.roster import roster_from_counts  # noqa: E402
from engine.scenario import Scenario, load_file  # noqa: E402
from scoring.fold import Scoreboard  # noqa: E402
from scoring.report.build import build_report  # noqa: E402
from scoring.report.render import RENDERERS  # noqa: E402
from scoring.source import LoggedExercise, read_log  # noqa: E402

T = TypeVar("T")


def timed(fn: Callable[[], T], runs: int = 3) -> tuple[float, T]:
    best, value = float("inf"), None
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - start)
    assert value is not None
    return best, value


def largest_scenario() -> tuple[Path, Scenario]:
    found = []
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        loaded = load_file(path)
        if loaded.ok:
            found.append((len(loaded.require().injects), path.name, path, loaded.require()))
    found.sort(key=lambda x: (x[0], x[1]))
    _, _, path, scenario = found[-1]
    return path, scenario


def build_log(teams: int) -> Path:
    path, scenario = largest_scenario()
    roster = roster_from_counts(scenario, max(1, teams // len(scenario.teams)))
    profiles = {s.id: profile_for(i, "mix") for i, s in enumerate(roster.teams)}
    db = Path(tempfile.mkdtemp(prefix="sitroom-bench-")) / "exercise.db"
    loaded = load_file(path)
    start = time.perf_counter()
    with EventLog.create(
        db,
        scenario_text=loaded.text,
        scenario_sha256=loaded.sha256,
        scenario_name=path.name,
        seed=scenario.seed,
        roster=roster,
    ) as log:
        result = dry_run(scenario, roster, profiles, seed=scenario.seed, log=log)
    print(
        f"1. dry-run log of {path.name}: {len(scenario.injects)} injects, {len(roster):,} teams, "
        f"{len(result.events):,} events, {result.inputs:,} inputs "
        f"({time.perf_counter() - start:.2f} s, {db.stat().st_size / 1e6:.1f} MB)"
    )
    return db


def score(logged: LoggedExercise) -> Scoreboard:
    board = Scoreboard(logged.scenario, logged.roster)
    apply = board.apply
    for event in logged.events:
        apply(event)
    for team in board.team_ids():
        board.total(team)
        board.objectives(team)
    board.ranks()
    return board


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--teams", type=int, default=1_000, help="teams in all (default 1,000)")
    args = parser.parse_args()
    db = build_log(args.teams)

    read_s, logged = timed(lambda: read_log(db))
    n = len(logged.events)
    print(f"2. read the log: {read_s:6.3f} s  ({n:,} events, {read_s * 1e6 / n:.1f} us per event)")

    score_s, board = timed(lambda: score(logged))
    results = sum(1 for _ in board.all_results())
    verdict = "ok" if score_s < 2 else "MISSED"
    print(
        f"3. scoring (fold + totals, ranks, ratings): {score_s:6.3f} s  "
        f"({score_s * 1e6 / n:.1f} us per event, {results:,} results)   target < 2 s: {verdict}"
    )

    def model() -> object:
        return build_report(
            logged.scenario,
            logged.roster,
            logged.events,
            log_name=db.name,
            seed=logged.seed,
            scenario_sha256=logged.scenario_sha256,
        )

    model_s, report = timed(model)
    print(f"4. report model (fold + assembly): {model_s:6.3f} s")
    for fmt, render in RENDERERS.items():
        render_s, text = timed(lambda render=render: render(report))  # type: ignore[misc]
        size = len(text.encode("utf-8")) / 1e6
        total = model_s + render_s
        line = (
            f"   {fmt:<4} render {render_s:6.3f} s  ({size:5.1f} MB)"
            f"   model + render {total:6.3f} s"
        )
        if fmt == "html":
            line += f"   target < 5 s: {'ok' if total < 5 else 'MISSED'}"
        print(line)


if __name__ == "__main__":
    main()
