"""The benchmarks' server process and after-the-fact checks, shared by load, crash and tests.

:class:`ServerProc` runs ``python -m tui.cli serve`` on loopback, exactly as an
operator would, on a port chosen up front (a restarted server comes back at the
same address, so the clients find it by themselves), and reads its CPU time and
peak memory from ``/proc``. The checks open the log read-only when the run is
over and hold every participant's record against it: every acknowledged input
is there once under its origin, a replay reproduces every logged output, and
each participant received exactly the events its seat is entitled to, with no
gaps (and nothing it is not entitled to).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import statistics
import sys
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench.participants import Result
from engine.eventlog import EventLog
from engine.events import DELIVERED, Event
from engine.net.server.audience import Shaper
from engine.net.server.seats import codes_path, read_codes
from engine.replay import ReplayMismatch, rebuild

ROOT = Path(__file__).resolve().parents[1]
_TICK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class ProcStats:
    cpu_seconds: float = 0.0
    """User + system CPU time of every server process so far (restarts add up)."""
    peak_rss: int = 0
    """The largest peak resident set of any server process, in bytes."""


def read_proc(pid: int) -> tuple[float, int]:
    """(CPU seconds, peak RSS bytes) of a live process, from ``/proc``."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / _TICK
    peak = 0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                peak = int(line.split()[1]) * 1024
    return cpu, peak


@dataclass
class ServerProc:
    """``sitroom serve`` in a child process: start, kill, restart with ``--resume``, stop."""

    scenario: Path
    db: Path
    teams: str
    port: int = 0
    speed: float | None = None
    extra: tuple[str, ...] = ()
    proc: asyncio.subprocess.Process | None = None
    output: list[str] = field(default_factory=list)
    stats: ProcStats = field(default_factory=ProcStats)
    starts: list[tuple[float, float]] = field(default_factory=list)
    """(spawned, serving) wall times of every start."""
    _reader: asyncio.Task[None] | None = None
    _cpu_here: float = 0.0

    def __post_init__(self) -> None:
        if not self.port:
            self.port = free_port()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def codes(self) -> dict[str, str]:
        return read_codes(codes_path(self.db))

    async def start(self, *, resume: bool = False, timeout: float = 120.0) -> None:
        args = [
            sys.executable,
            "-m",
            "tui.cli",
            "serve",
            str(self.scenario),
            "--db",
            str(self.db),
            "--port",
            str(self.port),
            "--teams",
            self.teams,
            "--quiet",
            "--log-level",
            "warning",
            *self.extra,
        ]
        if self.speed is not None and not resume:
            args += ["--speed", str(self.speed)]
        if resume:
            args.append("--resume")
        spawned = time.time()
        self.output = []
        self.proc = await asyncio.create_subprocess_exec(
            *args,
            cwd=ROOT,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self._cpu_here = 0.0
        self._reader = asyncio.create_task(self._read(self.proc))
        deadline = time.monotonic() + timeout
        while not any("sitroom: serving" in line for line in self.output):
            if self.proc.returncode is not None or time.monotonic() > deadline:
                raise RuntimeError("the server did not start:\n" + "\n".join(self.output[-20:]))
            await asyncio.sleep(0.01)
        self.starts.append((spawned, time.time()))

    async def _read(self, proc: asyncio.subprocess.Process) -> None:
        assert proc.stdout is not None
        async for line in proc.stdout:
            self.output.append(line.decode(errors="replace").rstrip("\n"))

    def sample(self) -> None:
        """Read the live process's CPU time and peak memory (call before it stops)."""
        if self.proc is None or self.proc.returncode is not None:
            return
        with contextlib.suppress(OSError, IndexError, ValueError):
            cpu, peak = read_proc(self.proc.pid)
            self.stats.peak_rss = max(self.stats.peak_rss, peak)
            self.stats.cpu_seconds += cpu - self._cpu_here
            self._cpu_here = cpu

    async def kill(self) -> None:
        assert self.proc is not None
        self.sample()
        self.proc.kill()
        await self.proc.wait()
        if self._reader is not None:
            await self._reader

    async def terminate(self, timeout: float = 60.0) -> int:
        assert self.proc is not None
        self.sample()
        self.proc.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(self.proc.wait(), timeout)
        if self._reader is not None:
            await self._reader
        return code

    async def ensure_stopped(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            await self.kill()

    def metrics(self) -> dict[str, float]:
        """``GET /metrics`` as {series: value} (labels kept in the name)."""
        with urllib.request.urlopen(self.url + "/metrics", timeout=10) as response:
            text = response.read().decode()
        out: dict[str, float] = {}
        for line in text.splitlines():
            if line and not line.startswith("#"):
                name, _, value = line.rpartition(" ")
                with contextlib.suppress(ValueError):
                    out[name] = float(value)
        return out


# ---------------------------------------------------------------------- checks


@dataclass
class LogCheck:
    events: int = 0
    inputs: int = 0
    acknowledged: int = 0
    lost: list[str] = field(default_factory=list)
    """Acknowledged origins missing from the log, or logged under another seq."""
    duplicates: list[str] = field(default_factory=list)
    """Inputs logged twice (one origin, or one member's identical note or answer)."""
    replay: str = "ok"
    """"ok", or the replay's first mismatch."""
    gaps: list[str] = field(default_factory=list)
    """Participants that missed events owed to them (seat, member, how many, first)."""
    extra: list[str] = field(default_factory=list)
    """Participants that received an event not meant for them."""
    deliveries_owed: int = 0
    deliveries_received: int = 0
    not_ended: int = 0


def audiences(events: list[Event], shaper: Shaper) -> dict[int, frozenset[str] | None]:
    """For each team-visible event, the teams that see it (None: every team)."""
    out: dict[int, frozenset[str] | None] = {}
    for event in events:
        teams: set[str] = set()
        every = False
        for view in shaper.team_views(event):
            if view.teams is None:
                every = True
            else:
                teams.update(view.teams)
        if every:
            out[event.seq] = None
        elif teams:
            out[event.seq] = frozenset(teams)
    return out


def check_log(db: Path, results: list[Result]) -> LogCheck:
    """Hold every participant's record against the log (the server must be stopped)."""
    check = LogCheck()
    with EventLog.open(db, readonly=True) as log:
        events = list(log.events())
        try:
            rebuilt = rebuild(log)
        except ReplayMismatch as exc:
            check.replay = str(exc)
            rebuilt = None
    check.events = len(events)
    by_origin: dict[str, list[int]] = {}
    repeats: Counter[tuple[str, str, str]] = Counter()
    for event in events:
        if not event.is_input:
            continue
        check.inputs += 1
        if event.origin:
            by_origin.setdefault(event.origin, []).append(event.seq)
        if event.kind in ("team_note", "respond"):
            p = event.payload
            what = str(p.get("text") if event.kind == "team_note" else p.get("expectation"))
            repeats[(event.kind, str(p.get("member")), what)] += 1
    for origin, seqs in by_origin.items():
        if len(seqs) > 1:
            check.duplicates.append(f"{origin} logged {len(seqs)} times")
    for (kind, member, what), n in repeats.items():
        if n > 1:
            check.duplicates.append(f"{kind} by {member} ({what[:40]}) logged {n} times")
    for result in results:
        for origin, seq in result.acks:
            check.acknowledged += 1
            if by_origin.get(origin) != [seq]:
                check.lost.append(f"{origin} acked as #{seq}, log has {by_origin.get(origin)}")
    if rebuilt is not None:
        shaper = Shaper(rebuilt.exercise.scenario)
        seen = audiences(events, shaper)
        every = [e.seq for e in events]
        owed_by_team: dict[str, list[int]] = {}
        for result in results:
            if result.team is None:
                owed = every
            else:
                owed = owed_by_team.get(result.team) or [
                    seq for seq, teams in seen.items() if teams is None or result.team in teams
                ]
                owed_by_team[result.team] = owed
            got = set(result.seqs)
            missing = [s for s in owed if s not in got]
            if missing:
                check.gaps.append(
                    f"{result.seat} {result.member}: {len(missing)} missing, first #{missing[0]}"
                )
            unwanted = got - set(owed)
            if unwanted:
                check.extra.append(f"{result.seat} {result.member}: {len(unwanted)} not theirs")
            if not result.ended:
                check.not_ended += 1
        delivered = [e for e in events if e.kind == DELIVERED]
        for result in results:
            if result.team is not None:
                check.deliveries_owed += sum(1 for e in delivered if result.team in e.teams)
                check.deliveries_received += len(result.injects)
    return check


# ---------------------------------------------------------------------- figures


def pct(values: list[float], q: float) -> float:
    """The q-th percentile (0 to 100) by nearest rank; nan when empty."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def ms(seconds: float) -> str:
    return "n/a" if seconds != seconds else f"{seconds * 1000:.1f} ms"


class Table:
    """Figures beside their targets, with a verdict, printed as they are added."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.rows: list[tuple[str, str, str, bool | None]] = []
        self.failed: list[str] = []

    def add(self, name: str, value: str, target: str = "", ok: bool | None = None) -> None:
        self.rows.append((name, value, target, ok))
        if ok is False:
            self.failed.append(name)

    def render(self) -> str:
        width = max(len(r[0]) for r in self.rows) + 2
        vwidth = max(len(r[1]) for r in self.rows) + 2
        lines = [self.title, "-" * len(self.title)]
        for name, value, target, ok in self.rows:
            verdict = "" if ok is None else ("  ok" if ok else "  MISSED")
            goal = f"target {target}" if target else ""
            lines.append(f"{name:<{width}}{value:<{vwidth}}{goal}{verdict}".rstrip())
        return "\n".join(lines)


def teams_spec(roles: int, teams: int) -> str:
    """``--teams`` for ``teams`` teams over ``roles`` roles (equal counts)."""
    if teams % roles:
        raise ValueError(f"{teams} teams do not split evenly over {roles} roles")
    return str(teams // roles)


def all_results(groups: list[list[Result]]) -> list[Result]:
    return [r for g in groups for r in g]
