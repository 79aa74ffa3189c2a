"""Crash benchmark: SIGKILL the server again and again under the 300-participant load.

The small load (300 participants in 50 teams, bots answering, notes, an
evaluator grading) plays while the server process is killed with SIGKILL at
seeded random moments (at least 20 times) and restarted each time with
``--resume`` on the same port. Some restarts are themselves killed while they
start up: once the new process holds the log (its lock file is open: it is
replaying, writing what the replay adds, loading its rings), at a seeded random
moment before it says it is serving; then it is started again. Nobody tells the
clients: the shipped client reconnects with its backoff, resends what was not
answered under the same ids, and catches up; the facilitator's console resumes
the paused clock.

Between kills the bench waits until every participant is served again (the
server's ``/metrics`` counts every seat attached), then draws the next moment.
Afterwards, against the log: every acknowledged input is there exactly once
under its origin, a replay reproduces every logged output, and every
participant received every event owed to it, its inject deliveries included
(no gaps in its sequence). Printed: kills survived (during play, and during a
``--resume`` start-up), inputs acknowledged, lost (acknowledged but missing from
the final log: must be 0), duplicates, and the median and max time from a
restart to every client served again (the restart's process start, then the
clients' backoff).

Run: ``.venv/bin/python bench/crash.py [--kills 20] [--startup-kills 10] [--seed 1]``
(about two minutes). Exit status 1 if anything acknowledged was lost or a check fails.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import ServerProc, Table, median
from bench.run import Options, Outcome, Run, execute
from engine.eventlog import lock_path


@dataclass
class Kills:
    """What the killing side did, for the report."""

    count: int
    seed: int
    startup: int = 0
    """Kills during a ``--resume`` start-up, spread over the restarts (on top of ``count``)."""
    gap: tuple[float, float] = (0.3, 3.0)
    """Seconds of service between everyone being back and the next kill (uniform)."""
    back_timeout: float = 60.0
    restarts: list[float] = field(default_factory=list)
    """Wall time each restarted process was spawned."""
    all_back: list[float] = field(default_factory=list)
    """Seconds from each restart until every seat was attached again (server's count)."""
    survived: int = 0
    stragglers: int = 0
    """Restarts after which not everyone came back within ``back_timeout``."""
    startup_killed: int = 0
    """Start-ups killed while holding the log, before serving (the next start then resumed)."""
    startup_late: int = 0
    """Start-up kills that came after the process was already serving (play kills, in effect)."""
    startup_failures: list[str] = field(default_factory=list)
    """Start-ups that ended by themselves before the kill (a resume that failed)."""
    replays: list[float] = field(default_factory=list)
    """Seconds from a resuming process taking the log to its serving (start-up with the log)."""

    async def __call__(self, run: Run) -> None:
        rng = random.Random(self.seed)
        plan = [
            self.startup // self.count + (i < self.startup % self.count) for i in range(self.count)
        ]
        rng.shuffle(plan)
        expected = run.outcome.expected + 1  # the participants and the facilitator
        for i in range(self.count):
            await asyncio.sleep(rng.uniform(*self.gap))
            await run.server.kill()
            for _ in range(plan[i]):
                await self.kill_starting(run.server, rng)
            self.restarts.append(time.time())
            previous = run.server.proc
            opened = asyncio.ensure_future(log_opened(run.server, previous, self.back_timeout))
            try:
                await run.server.start(resume=True)
            finally:
                opened.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                took = await opened
                if took is not None:
                    self.replays.append(run.server.starts[-1][1] - took)
            back = await wait_attached(run, expected, self.back_timeout)
            if back is None:
                self.stragglers += 1
            else:
                self.all_back.append(back - self.restarts[-1])
                self.survived += 1

    async def kill_starting(self, server: ServerProc, rng: random.Random) -> None:
        """Start a resume and SIGKILL it once it holds the log, before it is serving."""
        previous = server.proc
        starting = asyncio.ensure_future(server.start(resume=True, timeout=self.back_timeout))
        took = await log_opened(server, previous, self.back_timeout)
        window = median(self.replays) if self.replays else 0.3
        if took is not None:
            await asyncio.sleep(rng.uniform(0.0, 0.9 * window))
        proc = server.proc
        if proc is not None and proc is not previous and proc.returncode is not None:
            with contextlib.suppress(RuntimeError):
                await starting
            self.startup_failures.append(" | ".join(server.output[-3:]))
            return
        serving = any("sitroom: serving" in line for line in server.output)
        await server.kill()
        with contextlib.suppress(RuntimeError):
            await starting
        if serving or starting.exception() is None:
            self.startup_late += 1
        else:
            self.startup_killed += 1


async def log_opened(server: ServerProc, previous: object, timeout: float) -> float | None:
    """When the process started after ``previous`` opened the log's lock file: the moment a
    resume takes the log and starts replaying (None if it ended or ``timeout`` passed)."""
    lock = os.path.realpath(lock_path(server.db))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        proc = server.proc
        if proc is not None and proc is not previous:
            if proc.returncode is not None:
                return None
            if holds(proc.pid, lock):
                return time.time()
        await asyncio.sleep(0.002)
    return None


def holds(pid: int, path: str) -> bool:
    """Whether process ``pid`` has ``path`` open (from ``/proc``)."""
    folder = f"/proc/{pid}/fd"
    try:
        fds = os.listdir(folder)
    except OSError:
        return False
    for fd in fds:
        with contextlib.suppress(OSError):
            if os.readlink(f"{folder}/{fd}") == path:
                return True
    return False


async def wait_attached(run: Run, expected: int, timeout: float) -> float | None:
    """When the server reports every seat attached again (None after ``timeout``)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            metrics = await asyncio.to_thread(run.server.metrics)
        except OSError:
            metrics = {}
        attached = sum(v for k, v in metrics.items() if k.startswith("sitroom_connections{"))
        if attached >= expected:
            return time.time()
        await asyncio.sleep(0.05)
    return None


def served_again(outcome: Outcome, restarts: list[float]) -> list[float]:
    """Per client and restart, seconds from the restart to that client's next welcome."""
    out = []
    for result in outcome.results:
        welcomes = sorted(result.welcomes)
        for when in restarts:
            after = next((w for w in welcomes if w >= when), None)
            if after is not None:
                out.append(after - when)
    return out


def report(outcome: Outcome, kills: Kills) -> Table:
    check = outcome.check
    assert check is not None
    t = Table(
        f"sitroom crash benchmark: {kills.count + kills.startup} SIGKILLs "
        f"({kills.startup} during --resume start-up) under {outcome.expected} participants"
    )
    errors = [e for r in outcome.results for e in r.errors]
    retried = sum(len(r.ack_latency_across) for r in outcome.results)
    t.add(
        "kills survived",
        f"{kills.survived} of {kills.count}",
        ">= 20, all",
        kills.survived == kills.count and kills.count >= 20,
    )
    if kills.startup:
        t.add(
            "kills during --resume start-up",
            f"{kills.startup_killed} of {kills.startup}"
            + (f" ({kills.startup_late} landed after serving)" if kills.startup_late else ""),
            "all, each followed by a good resume",
            kills.startup_killed + kills.startup_late == kills.startup
            and not kills.startup_failures
            and kills.survived == kills.count,
        )
        t.add(
            "resume start-up holding the log, median",
            f"{median(kills.replays):.2f} s" if kills.replays else "n/a",
        )
    if kills.startup_failures:
        t.add(
            "resumes that failed by themselves", "; ".join(kills.startup_failures)[:100], "0", False
        )
    t.add("inputs acknowledged", f"{check.acknowledged}")
    t.add("  of which answered after a reconnect", f"{retried}")
    t.add("inputs lost (acknowledged, not in the log)", f"{len(check.lost)}", "0", not check.lost)
    if check.lost:
        t.add("  first lost", check.lost[0][:90])
    t.add("duplicates in the log", f"{len(check.duplicates)}", "0", not check.duplicates)
    t.add("replay of the log", check.replay[:70], "ok", check.replay == "ok")
    t.add("clients with gaps", f"{len(check.gaps)}", "0", not check.gaps)
    t.add("clients given others' events", f"{len(check.extra)}", "0", not check.extra)
    t.add(
        "deliveries received / owed",
        f"{check.deliveries_received} / {check.deliveries_owed}",
        "all",
        check.deliveries_received == check.deliveries_owed,
    )
    t.add("clients that saw the end", f"{len(outcome.results) - check.not_ended + 1}")
    t.add(
        "errors",
        f"{len(errors)}" + (f" (first: {errors[0][1]}: {errors[0][2][:60]})" if errors else ""),
        "0",
        not errors,
    )
    back = kills.all_back
    t.add(
        "restart to all served, median",
        f"{median(back):.2f} s" if back else "n/a",
    )
    t.add("restart to all served, max", f"{max(back):.2f} s" if back else "n/a")
    per_client = served_again(outcome, kills.restarts)
    t.add("restart to a client served, median", f"{median(per_client):.2f} s")
    starts = [serving - spawned for spawned, serving in outcome.server_starts[1:]]
    t.add("server process start (resume), median", f"{median(starts):.2f} s" if starts else "n/a")
    duplicates_dropped = sum(r.duplicates for r in outcome.results)
    t.add("events the clients dropped as seen", f"{duplicates_dropped}")
    t.add("snapshots sent", f"{sum(r.snapshots for r in outcome.results)}")
    t.add("server CPU time (all processes)", f"{outcome.cpu_seconds:.1f} s")
    t.add(
        "exercise played", f"{outcome.exercise_ms / 60_000:.0f} min at x{outcome.options.speed:g}"
    )
    if outcome.control_errors:
        t.add("facilitator errors", "; ".join(outcome.control_errors)[:100])
    if kills.stragglers:
        t.add("restarts not everyone came back from", f"{kills.stragglers}", "0", False)
    return t


def options(teams: int, per_team: int, speed: float, processes: int, seed: int) -> Options:
    return Options(
        teams=teams,
        per_team=per_team,
        speed=speed,
        processes=processes,
        notes=0.5,
        seed=seed,
        wall_limit=900.0,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=20, help="kills during play")
    parser.add_argument(
        "--startup-kills",
        type=int,
        default=10,
        help="kills of a restarting server while it resumes (before it serves)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--speed", type=float, default=100.0)
    parser.add_argument("--teams", type=int, default=50)
    parser.add_argument("--per-team", type=int, default=6)
    parser.add_argument("--processes", type=int, default=1)
    args = parser.parse_args(argv)
    kills = Kills(args.kills, args.seed, startup=args.startup_kills)
    opts = options(args.teams, args.per_team, args.speed, args.processes, args.seed)
    outcome = asyncio.run(execute(opts, kills))
    table = report(outcome, kills)
    print(table.render())
    if table.failed:
        print(f"\nmissed: {', '.join(table.failed)}")
    return 1 if table.failed else 0


if __name__ == "__main__":
    sys.exit(main())
