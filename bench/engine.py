"""Engine benchmarks, measured side by side in one run (the machine is shared and noisy).

1. Cost per event: the engine playing a synthetic scenario to many teams (every
   delivery and deadline per team counts as an event) against a bare SimPy loop
   that schedules the same number of timeouts with a trivial callback.
   Target: within 2x of bare SimPy.
2. A dry-run of the largest bundled scenario with 1,000 teams, bots answering.
   Target: under 10 s.
3. Replaying a log of 100,000 inputs (a dry-run log, checked output by output).
   Target: under 2 s (20 us per input); printed beside the engine's us per event.

Run: ``.venv/bin/python bench/engine.py [--quick]``.
"""

from __future__ import annotations

import argparse
import gc
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import simpy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine import commands as c  # noqa: E402
from engine import replay  # noqa: E402
from engine.bots import profile_for  # noqa: E402
from engine.dryrun import dry_run  # noqa: E402
from engine.eventlog import EventLog  # noqa: E402
from engine.exercise import Exercise  # noqa: E402
from engine.replay import rebuild  # noqa: E402
from engine.roster import roster_from_counts  # noqa: E402
from engine.scenario import Scenario, load_bytes, load_file  # noqa: E402


def synthetic(injects: int, jitter: str = "5m") -> str:
    """A scenario whose injects are all jittered per team, so team deliveries spread out."""
    lines = [
        "id: bench",
        "title: Bench",
        "duration: 4h",
        "seed: 1",
        "teams: [{id: t, name: T}]",
        "actors: [{id: x, name: X}]",
        "objectives: [{id: o, title: O}]",
        "injects:",
    ]
    for k in range(injects):
        lines += [
            f"  - id: I{k}",
            f"    at: {1 + k * 2}m",
            f"    jitter: {jitter}",
            "    to: all",
            "    channel: email",
            "    from: x",
            f"    title: Inject {k}",
            "    expects:",
            "      - {id: d, kind: decision, objective: o, due: 10m, "
            "options: [{id: a, label: A, points: 1}, {id: b, label: B, points: 0}]}",
        ]
    return "\n".join(lines) + "\n"


def best_of(runs: int, fn: Callable[[], float]) -> float:
    return min(fn() for _ in range(runs))


def bench_per_event(teams: int, injects: int, runs: int) -> float:
    """Prints the figures; returns the engine's us per event."""
    scenario = load_bytes(synthetic(injects)).require()
    roster = roster_from_counts(scenario, teams)
    counted = {}

    def engine_run() -> float:
        ex = Exercise(scenario, roster)
        ex.submit(c.Start(), 0)
        gc.collect()
        start = time.perf_counter()
        ex.advance_to(scenario.duration)
        elapsed = time.perf_counter() - start
        events = ex.drain()
        counted["team_events"] = sum(len(e.teams) for e in events)
        counted["records"] = len(events)
        return elapsed

    engine_s = best_of(runs, engine_run)
    n = counted["team_events"]

    def bare_run() -> float:
        env = simpy.Environment()
        sink: list[tuple[float, int]] = []
        rng_times = [(i * 7919) % (4 * 3_600_000) for i in range(n)]
        start = time.perf_counter()
        for i, when in enumerate(rng_times):
            ev = env.timeout(when)
            ev.callbacks.append(lambda e, i=i: sink.append((e.env.now, i)))
        env.run()
        return time.perf_counter() - start

    def bare_process_run() -> float:
        env = simpy.Environment()
        sink: list[tuple[float, int]] = []
        per = max(1, n // teams)

        def team(k: int) -> object:
            for j in range(per):
                yield env.timeout(((k * 31 + j * 7919) % 120_000) + 1)
                sink.append((env.now, k))

        start = time.perf_counter()
        for k in range(teams):
            env.process(team(k))
        env.run()
        return time.perf_counter() - start

    bare_s = best_of(runs, bare_run)
    proc_s = best_of(runs, bare_process_run)
    print(
        f"1. cost per event ({teams:,} teams x {injects} injects: {n:,} team deliveries and "
        f"deadlines in {counted['records']:,} log records)"
    )
    print(f"   sitroom engine           {engine_s * 1e6 / n:7.2f} us/event  ({engine_s:.3f} s)")
    print(
        f"   bare SimPy, callbacks    {bare_s * 1e6 / n:7.2f} us/event  ({bare_s:.3f} s)"
        f"   ratio engine/bare {engine_s / bare_s:.2f}x (target <= 2x)"
    )
    print(
        f"   bare SimPy, processes    {proc_s * 1e6 / n:7.2f} us/event  ({proc_s:.3f} s)"
        f"   ratio engine/bare {engine_s / proc_s:.2f}x"
    )
    return engine_s * 1e6 / n


def largest_scenario() -> tuple[Path, Scenario]:
    found = []
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        loaded = load_file(path)
        if loaded.ok:
            found.append((len(loaded.require().injects), path, loaded.require()))
    found.sort(key=lambda x: (x[0], x[1].name))
    _, path, scenario = found[-1]
    return path, scenario


def bench_dry_run(teams: int) -> Path:
    path, scenario = largest_scenario()
    per_role = max(1, teams // len(scenario.teams))
    roster = roster_from_counts(scenario, per_role)
    profiles = {s.id: profile_for(i, "mix") for i, s in enumerate(roster.teams)}
    gc.collect()
    start = time.perf_counter()
    result = dry_run(scenario, roster, profiles, seed=scenario.seed)
    plain = time.perf_counter() - start
    db = Path(tempfile.mkdtemp()) / "dry.db"
    loaded = load_file(path)
    log = EventLog.create(
        db,
        scenario_text=loaded.text,
        scenario_sha256=loaded.sha256,
        scenario_name=path.name,
        seed=scenario.seed,
        roster=roster,
    )
    gc.collect()
    start = time.perf_counter()
    dry_run(scenario, roster, profiles, seed=scenario.seed, log=log)
    logged = time.perf_counter() - start
    log.close()
    print(
        f"2. dry-run of {path.name} ({len(scenario.injects)} injects, {len(roster):,} teams, "
        f"{result.inputs:,} bot inputs, {len(result.events):,} events)"
    )
    print(f"   without a log {plain:6.2f} s   with the event log {logged:6.2f} s   (target < 10 s)")
    return db


def bench_replay(inputs_wanted: int, engine_us: float) -> None:
    scenario = load_bytes(synthetic(60, jitter="2m")).require()
    text = synthetic(60, jitter="2m")
    teams = inputs_wanted // 119 + 1  # each team answers about 55 times and opens 60 injects
    roster = roster_from_counts(scenario, teams)
    profiles = {s.id: profile_for(0, "diligent") for s in roster.teams}
    db = Path(tempfile.mkdtemp()) / "replay.db"
    from engine.scenario.load import scenario_hash

    log = EventLog.create(
        db,
        scenario_text=text,
        scenario_sha256=scenario_hash(text),
        scenario_name="bench",
        seed=scenario.seed,
        roster=roster,
    )
    result = dry_run(scenario, roster, profiles, seed=scenario.seed, log=log)
    log.close()
    # Both ways side by side, alternating: the rows' checksums checked in a second
    # process (the default from replay.CHECK_ASIDE_FROM events) and in the replay's own.
    ways = {"default": replay.CHECK_ASIDE_FROM, "one process": 10**12}
    timings: dict[str, list[float]] = {way: [] for way in ways}
    cpu: dict[str, list[float]] = {way: [] for way in ways}
    child_cpu: dict[str, list[float]] = {way: [] for way in ways}
    reads = []
    for _ in range(3):
        for way, threshold in ways.items():
            replay.CHECK_ASIDE_FROM = threshold
            with EventLog.open(db) as log:
                gc.collect()
                start = time.perf_counter()
                rows = sum(1 for _ in log.records(verify=False))  # what the default replay reads
                reads.append(time.perf_counter() - start)
                gc.collect()
                children = resource.getrusage(resource.RUSAGE_CHILDREN)
                start, start_cpu = time.perf_counter(), time.process_time()
                rebuilt = rebuild(log)
                cpu[way].append(time.process_time() - start_cpu)
                timings[way].append(time.perf_counter() - start)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                child_cpu[way].append(
                    after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
                )
    replay.CHECK_ASIDE_FROM = ways["default"]
    inputs = result.inputs + 1
    kinds: dict[str, int] = {}
    with EventLog.open(db) as log:
        for row in log.rows(verify=False):
            kinds[row.kind] = kinds.get(row.kind, 0) + 1
    mix = ", ".join(f"{n:,} {kind}" for kind, n in sorted(kinds.items(), key=lambda kv: -kv[1]))
    print(
        f"3. replay of a log with {inputs:,} inputs and {rebuilt.events:,} events ({teams:,} teams)"
    )
    print(
        f"   rows: {mix}; reading the {rows:,} rows alone (unverified records, as replay"
        f" reads them) {statistics.median(reads):.2f} s"
    )
    print("   target: < 2 s per 100,000 inputs (20 us per input), wall")
    per_input = {}
    for way in ways:
        wall = statistics.median(timings[way])
        per_input[way] = wall * 1e6 / inputs
        print(
            f"   {way:12} {wall:6.2f} s wall, median of 3 ({per_input[way]:.1f} us per input);"
            f" CPU least of 3: replay {min(cpu[way]) * 1e6 / inputs:.1f} us per input,"
            f" check process {min(child_cpu[way]) * 1e6 / inputs:.1f}"
        )
    print(
        f"   default / one process (wall) = {per_input['default'] / per_input['one process']:.2f};"
        f" replay us per input / engine us per event (1.) = {per_input['default'] / engine_us:.1f}"
        " (an input is an answer: checked, graded, decided, and its outputs compared)"
    )
    print(
        "   (the check needs the second core: on a machine whose cores are all busy, its"
        " wall gain shrinks or turns into a wait)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    parser.add_argument("--no-dry-run", action="store_true", help="skip 2. (the dry-run)")
    args = parser.parse_args()
    if args.quick:
        engine_us = bench_per_event(100, 40, 2)
        bench_dry_run(100)
        bench_replay(5_000, engine_us)
        return
    engine_us = bench_per_event(1_000, 80, 3)
    if not args.no_dry_run:
        bench_dry_run(1_000)
    bench_replay(100_000, engine_us)


if __name__ == "__main__":
    main()
