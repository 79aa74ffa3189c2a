"""One benchmark run from start to verdict, shared by ``load.py``, ``crash.py`` and the tests.

Phases, in order: start the server process; join the facilitator, then every
participant (a bounded number at a time); set the speed and start the clock;
play until the exercise clock reaches the cutoff (while ``during`` runs: the
crash bench kills the server in it); stop planning and wait for every answer;
end the exercise and wait until everyone has seen the end; read the server's
CPU time, memory and counters, stop it with SIGTERM; check the log.

Everything is bounded: each phase has a deadline, and :meth:`Run.cleanup` kills
whatever is still running (server, crowd processes), whatever went wrong.
"""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.harness import LogCheck, ServerProc, check_log
from bench.participants import (
    AnyCrowd,
    Control,
    CrowdSpec,
    Result,
    SeatSpec,
    crowds,
    raise_open_files,
    scenario_path,
    team_seats,
)
from engine.roster import roster_from_counts
from engine.scenario import load_file


@dataclass
class Options:
    scenario: str = "summit-deepfake"
    teams: int = 50
    per_team: int = 6
    speed: float = 150.0
    processes: int = 1
    """Crowd processes (0: the participants run on the caller's loop)."""
    notes: float = 0.5
    margin: int = 10 * 60_000
    """Nobody sends anything planned within this much exercise time of the end."""
    stop_at: int | None = None
    """Exercise time to stop playing at (default: the scenario's duration less the margin)."""
    backoff: tuple[float, float] = (0.25, 10.0)
    concurrency: int = 200
    seed: int = 0
    wall_limit: float = 600.0
    """Longest the play phase may take, in seconds."""
    port: int = 0
    workdir: Path | None = None
    probe_teams: int = 0
    """Teams whose members run in a process of their own, lightly loaded (see ``crowds``)."""


@dataclass
class Outcome:
    options: Options
    joined: int = 0
    expected: int = 0
    join_seconds: float = 0.0
    join_failures: list[str] = field(default_factory=list)
    held: int = 0
    """Connections the crowds held at the end of play."""
    server_connections: dict[str, float] = field(default_factory=dict)
    metrics: dict[str, float] = field(default_factory=dict)
    results: list[Result] = field(default_factory=list)
    control: Result | None = None
    control_errors: list[str] = field(default_factory=list)
    left_in_flight: int = 0
    dropped_plans: int = 0
    play_seconds: float = 0.0
    exercise_ms: int = 0
    cpu_seconds: float = 0.0
    peak_rss: int = 0
    check: LogCheck | None = None
    server_starts: list[tuple[float, float]] = field(default_factory=list)
    exit_code: int | None = None
    probe: frozenset[str] = frozenset()
    """The probe's teams."""


During = Callable[["Run"], Awaitable[Any]]


class Run:
    def __init__(self, options: Options) -> None:
        self.options = options
        raise_open_files()
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        if options.workdir is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="sitroom-bench-")
            workdir = Path(self._tmp.name)
        else:
            workdir = options.workdir
        path = scenario_path(options.scenario)
        self.scenario = load_file(path).require()
        roles = len(self.scenario.teams)
        if options.teams % roles:
            raise ValueError(f"{options.teams} teams do not split evenly over {roles} roles")
        spec = str(options.teams // roles)
        self.roster = roster_from_counts(self.scenario, spec)
        self.server = ServerProc(path, workdir / "exercise.db", spec, options.port)
        self.crowds: list[AnyCrowd] = []
        self.control: Control | None = None
        self.outcome = Outcome(options)
        self.cutoff = options.stop_at or self.scenario.duration - options.margin
        self._path = path

    async def setup(self) -> None:
        o, outcome = self.options, self.outcome
        await self.server.start()
        codes = self.server.codes()
        self.control = Control(self.server.url, codes["facilitator:control"], backoff=o.backoff)
        await self.control.join()
        teams = [t.id for t in self.roster.teams]
        seats = team_seats(codes, teams, o.per_team)
        evaluator = next(k for k in codes if k.startswith("evaluator:"))
        seats.append(SeatSpec(evaluator, codes[evaluator], "evaluator", None, grades=True))
        outcome.expected = len(seats)
        spec = CrowdSpec(
            url=self.server.url,
            scenario=str(self._path),
            seats=tuple(seats),
            teams=tuple(teams),
            cutoff=self.cutoff,
            notes=o.notes,
            seed=o.seed,
            concurrency=o.concurrency,
            backoff=o.backoff,
        )
        outcome.probe = (
            frozenset(teams[len(teams) - o.probe_teams :]) if o.probe_teams else frozenset()
        )
        self.crowds = crowds(spec, o.processes, outcome.probe)
        start = time.perf_counter()
        joins = await asyncio.gather(*(c.join() for c in self.crowds))
        outcome.join_seconds = time.perf_counter() - start
        outcome.joined = sum(j["joined"] for j in joins)
        outcome.join_failures = [f for j in joins for f in j["failures"]]

    async def play(self, during: During | None = None) -> None:
        o, outcome, control = self.options, self.outcome, self.control
        assert control is not None
        start = time.perf_counter()
        await control.start(o.speed)
        player = asyncio.ensure_future(control.play_until(self.cutoff, o.wall_limit))
        side = asyncio.ensure_future(during(self)) if during is not None else None
        sampler = asyncio.ensure_future(self._sample())
        try:
            # With ``during`` (the crash bench's kills), play lasts as long as it does; the
            # participants stop sending at the cutoff in any case.
            await (side if side is not None else player)
        finally:
            player.cancel()
            sampler.cancel()
            if side is not None and not side.done():
                side.cancel()
        outcome.play_seconds = time.perf_counter() - start
        outcome.exercise_ms = control.clock.now()
        stats = await asyncio.gather(*(c.stats() for c in self.crowds))
        outcome.held = sum(s["connected"] for s in stats)
        with contextlib.suppress(OSError):
            metrics = await asyncio.to_thread(self.server.metrics)
            outcome.server_connections = {
                k: v for k, v in metrics.items() if k.startswith("sitroom_connections")
            }

    async def _sample(self) -> None:
        while True:
            self.server.sample()
            await asyncio.sleep(0.5)

    async def finish(self) -> Outcome:
        outcome, control = self.outcome, self.control
        assert control is not None
        left = await asyncio.gather(*(c.quiesce(120.0) for c in self.crowds))
        outcome.left_in_flight = sum(left)
        await control.end()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(control.ended.wait(), 60)
        groups = await asyncio.gather(*(c.finish(120.0) for c in self.crowds))
        outcome.results = [r for g in groups for r in g]
        with contextlib.suppress(OSError):
            outcome.metrics = await asyncio.to_thread(self.server.metrics)
        outcome.dropped_plans = 0
        outcome.control = control.result
        outcome.control_errors = control.errors
        await control.close()
        outcome.exit_code = await self.server.terminate()
        outcome.cpu_seconds = self.server.stats.cpu_seconds
        outcome.peak_rss = self.server.stats.peak_rss
        outcome.server_starts = list(self.server.starts)
        checked = [*outcome.results, control.result]
        outcome.check = await asyncio.to_thread(check_log, self.server.db, checked)
        return outcome

    async def cleanup(self) -> None:
        for crowd in self.crowds:
            crowd.kill()
        if self.control is not None:
            with contextlib.suppress(Exception):
                await self.control.close()
        await self.server.ensure_stopped()
        if self._tmp is not None:
            self._tmp.cleanup()


async def execute(options: Options, during: During | None = None, limit: float = 1800.0) -> Outcome:
    """A whole run within ``limit`` seconds; always cleans up its processes."""
    run = Run(options)
    try:

        async def whole() -> Outcome:
            await run.setup()
            await run.play(during)
            return await run.finish()

        return await asyncio.wait_for(whole(), limit)
    finally:
        await run.cleanup()
