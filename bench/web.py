"""Browser play at room scale: real browser-protocol sessions through ``sitroom web``.

For each session count N (default 50, 150, 300) it starts a real ``sitroom serve``
(summit-deepfake, five members a team) and a real ``sitroom web --server URL`` on
loopback, then opens N tabs as textual-serve's page does (the page, then ``/ws`` with
the page's ``Origin``; :mod:`bench.webclient`), arriving at ``--arrival`` a second.
Each tab types its team's code and a name on the login screen and plays: the
facilitator releases injects to every team, one after another; every tab waits for
the title on its screen, clicks the inject in the inbox, and one member a team
answers it as the bot teams would (:class:`engine.bots.BotTeams`: it clicks the
option, ticks the items or types the text, submits, confirms, and waits for its
answer on screen). Beside them, in the same run, a terminal ``sitroom join`` of the
first team (in a pseudo-terminal of the same size) does the same, so the gateway's
share is visible.

Printed for each N, with the load average (the machine is shared):

* memory: PSS and USS of the gateway and every process under it (read from
  ``/proc/PID/smaps_rollup``), in total and per session, when every tab is idle at
  its console and after play; the terminal console's beside it;
* time to first paint (page request to the login screen on the tab's screen), and
  from pressing Join to the console;
* time from an inject's release (the facilitator's command) to its title on each
  screen: p50, p99, max; an answer's time from the confirm click to the console
  showing it;
* CPU: the gateway process and the consoles under it, the exercise server and this
  benchmark, while an inject reaches every team, and while everyone is idle;
* failures, with the first reasons.

Bounded: sessions stop opening when the machine's available memory falls under
``--memory-floor``; every wait has a deadline; each N has ``--time-limit``.
``--quick`` is a smoke run (10 sessions, two injects). The benchmark raises its own
priority when it may (root): its tabs stand for browsers on other machines.
``--gateways 2`` runs two gateways in front of the one server (tabs alternate);
``--via URL`` loads the
pages from a reverse proxy in front of them instead (the gateways are given it as
``--public-url``). ``--gateway-arg ARG`` passes options to ``sitroom web``.

Run: ``.venv/bin/python bench/web.py --sessions 50``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import resource
import signal
import sys
import tempfile
import time
from collections.abc import Awaitable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp

from bench.harness import ROOT, ServerProc, Table, free_port, median, pct
from bench.participants import Control, raise_open_files, scenario_path
from bench.webclient import BrowserTab, Console, Player, TerminalConsole
from engine import commands as c
from engine.bots import PROFILES, BotTeams
from engine.events import Delivered, Event
from engine.roster import roster_from_counts
from engine.scenario import load_file
from engine.scenario.expectations import ChecklistExpectation, DecisionExpectation
from engine.scenario.model import Scenario

MIB = 1 << 20
GIB = 1 << 30
TARGET_TOTAL = 6 * GIB
"""The issue's target: 300 playing sessions under 6 GiB PSS."""
TARGET_SESSIONS = 300
TARGET_VISIBLE = 2.0
ROUNDS = ("I-01", "I-15", "I-09", "I-24")
"""Injects released to every team, in turn: two decisions, a text, one to read."""
T = TypeVar("T")


# --------------------------------------------------------------------------- /proc


def parent_of(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as f:
        return int(f.read().rsplit(")", 1)[1].split()[1])


def children_of(root: int) -> list[int]:
    """Every process under ``root`` (not ``root`` itself)."""
    parent: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError), open(f"/proc/{entry}/stat") as f:
            parent[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
    out: list[int] = []
    frontier = [root]
    while frontier:
        pid = frontier.pop()
        kids = [p for p, pp in parent.items() if pp == pid]
        out.extend(kids)
        frontier.extend(kids)
    return out


@dataclass
class Memory:
    pss: int = 0
    uss: int = 0
    processes: int = 0

    def __add__(self, other: Memory) -> Memory:
        return Memory(self.pss + other.pss, self.uss + other.uss, self.processes + other.processes)


def memory_of(pids: Iterable[int]) -> Memory:
    """PSS and USS (private clean + dirty) of these processes, from ``smaps_rollup``."""
    total = Memory()
    for pid in pids:
        fields: dict[str, int] = {}
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    parts = line.split()
                    if len(parts) >= 2 and parts[0].endswith(":") and parts[1].isdigit():
                        fields[parts[0][:-1]] = int(parts[1]) * 1024
        except OSError:
            continue
        total += Memory(
            fields.get("Pss", 0),
            fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0),
            1,
        )
    return total


def cpu_of(pids: Iterable[int], *, reaped: bool = False) -> float:
    """User + system CPU seconds of these processes so far; with ``reaped``, also that of
    their children that have ended (so a console that ends mid-round still counts)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        with contextlib.suppress(OSError, IndexError, ValueError), open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            if reaped:
                total += (int(fields[13]) + int(fields[14])) / tick
    return total


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def available_memory() -> int:
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    return 0


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


# --------------------------------------------------------------------------- the gateway


@dataclass
class GatewayProc:
    """``sitroom web`` in a child process, on loopback."""

    server_url: str
    max_sessions: int
    spawn_rate: float
    extra: tuple[str, ...] = ()
    public_url: str | None = None
    port: int = field(default_factory=free_port)
    proc: asyncio.subprocess.Process | None = None
    output: list[str] = field(default_factory=list)
    _reader: asyncio.Task[None] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    async def start(self, timeout: float = 60.0) -> None:
        args = [
            sys.executable,
            "-m",
            "tui.cli",
            "web",
            "--port",
            str(self.port),
            "--server",
            self.server_url,
            "--max-sessions",
            str(self.max_sessions),
            "--spawn-rate",
            str(self.spawn_rate),
            *(["--public-url", self.public_url] if self.public_url else []),
            *self.extra,
        ]
        self.proc = await asyncio.create_subprocess_exec(
            *args,
            cwd=ROOT,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self._reader = asyncio.create_task(self._read(self.proc))
        deadline = time.monotonic() + timeout
        while not any("sitroom web: consoles at" in line for line in self.output):
            if self.proc.returncode is not None or time.monotonic() > deadline:
                raise RuntimeError("the gateway did not start:\n" + "\n".join(self.output[-20:]))
            await asyncio.sleep(0.05)

    async def _read(self, proc: asyncio.subprocess.Process) -> None:
        assert proc.stdout is not None
        async for line in proc.stdout:
            self.output.append(line.decode(errors="replace").rstrip("\n"))

    def tree(self) -> list[int]:
        return children_of(self.pid)

    async def stop(self, timeout: float = 30.0) -> None:
        if self.proc is None or self.proc.returncode is not None:
            return
        self.proc.send_signal(signal.SIGINT)
        try:
            await asyncio.wait_for(self.proc.wait(), timeout)
        except TimeoutError:
            for pid in [self.pid, *self.tree()]:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            await self.proc.wait()
        if self._reader is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._reader, 5)


# --------------------------------------------------------------------------- a run


@dataclass
class Options:
    sessions: int
    per_team: int = 5
    arrival: float = 2.0
    """New tabs a second."""
    spawn_rate: float | None = None
    """The gateway's ``--spawn-rate`` (default: the arrival rate)."""
    columns: int = 120
    rows: int = 36
    rounds: tuple[str, ...] = ROUNDS
    gateways: int = 1
    ports: tuple[int, ...] = ()
    """The gateways' ports (default: free ones), for a proxy configured in advance."""
    via: str | None = None
    gateway_args: tuple[str, ...] = ()
    terminal: bool = True
    memory_floor: int = 3 * GIB
    time_limit: float = 900.0
    timeout: float = 60.0
    scenario: str = "summit-deepfake"


@dataclass
class Session:
    index: int
    team: str
    name: str
    code: str
    answers: bool
    tab: Console | None = None
    player: Player | None = None
    first_paint: float | None = None
    to_console: float | None = None
    ready: bool = False
    failure: str | None = None
    visible: dict[str, float] = field(default_factory=dict)
    acked: list[float] = field(default_factory=list)


@dataclass
class Sample:
    label: str
    gateway: Memory
    consoles: Memory
    terminal: Memory
    sessions: int
    load: str
    per_gateway: list[int] = field(default_factory=list)
    """Processes under each gateway."""


@dataclass
class RoundFigures:
    inject: str
    visible: list[float]
    missing: int
    terminal: float | None
    wall: float
    gateway_cpu: float
    consoles_cpu: float
    server_cpu: float
    bench_cpu: float
    load: str


@dataclass
class Outcome:
    options: Options
    opened: int = 0
    ready: int = 0
    stopped_opening: str = ""
    failures: list[str] = field(default_factory=list)
    first_paint: list[float] = field(default_factory=list)
    to_console: list[float] = field(default_factory=list)
    terminal_console: float | None = None
    samples: list[Sample] = field(default_factory=list)
    rounds: list[RoundFigures] = field(default_factory=list)
    acked: list[float] = field(default_factory=list)
    idle_cpu: tuple[float, float, float] = (0.0, 0.0, 0.0)
    """Gateway, consoles and server CPU seconds a second while everyone is idle."""
    refused: dict[str, int] = field(default_factory=dict)
    load_start: str = ""
    load_end: str = ""
    gateway_lines: list[str] = field(default_factory=list)


def plans(scenario: Scenario, inject: str, team: str) -> list[c.Respond]:
    """What a diligent bot team answers to ``inject`` (the same draw the dry-run makes)."""
    bots = BotTeams(scenario, scenario.seed, {team: PROFILES["diligent"]}, evaluator=False)
    event = Event(Delivered(inject=inject, teams=[team], cause="release"), t=0)
    return [p.cmd for p in bots.react(event) if isinstance(p.cmd, c.Respond)]


async def answer(player: Player, scenario: Scenario, respond: c.Respond) -> float:
    """Give one planned answer through the screen; seconds from the confirm to the
    console showing it."""
    exp = scenario.expectation(respond.expectation)
    if isinstance(exp, DecisionExpectation):
        label = next(o.label for o in exp.options if o.id == respond.choice)
        await player.choose(label)
    elif isinstance(exp, ChecklistExpectation):
        for item in exp.items:
            if item.id in (respond.items or []):
                await player.choose(item.label)
    else:
        await player.write(respond.text or "We are on it.")
    sent = await player.submit()
    return player.console.last_output - sent


class WebBench:
    def __init__(self, options: Options, workdir: Path) -> None:
        self.o = options
        path = scenario_path(options.scenario)
        self.scenario = load_file(path).require()
        roles = len(self.scenario.teams)
        per_role = max(1, -(-options.sessions // (options.per_team * roles)))
        self.roster = roster_from_counts(self.scenario, str(per_role))
        self.server = ServerProc(path, workdir / "exercise.db", str(per_role))
        self.gateways: list[GatewayProc] = []
        self.control: Control | None = None
        self.sessions: list[Session] = []
        self.terminal: Session | None = None
        self.outcome = Outcome(options)
        self.http: aiohttp.ClientSession | None = None

    # ------------------------------------------------------------------ set-up

    async def setup(self) -> None:
        o = self.o
        self.outcome.load_start = load_average()
        await self.server.start()
        codes = self.server.codes()
        self.control = Control(self.server.url, codes["facilitator:control"])
        await self.control.join()
        await self.control.command(c.Start())
        await self.control.command(c.Pause())
        per_gateway = -(-o.sessions // o.gateways) + 2
        for k in range(o.gateways):
            gateway = GatewayProc(
                self.server.url,
                max_sessions=per_gateway,
                spawn_rate=(o.spawn_rate or o.arrival) / o.gateways,
                extra=o.gateway_args,
                public_url=o.via,
                port=o.ports[k] if k < len(o.ports) else free_port(),
            )
            await gateway.start()
            self.gateways.append(gateway)
        teams = [t.id for t in self.roster.teams]
        for i in range(o.sessions):
            team = teams[i % len(teams)]
            k = i // len(teams)
            self.sessions.append(
                Session(i, team, f"{team}-w{k}", codes[f"team:{team}"], answers=k == 0)
            )
        if o.terminal:
            team = teams[0]
            self.terminal = Session(-1, team, f"{team}-term", codes[f"team:{team}"], False)
        connector = aiohttp.TCPConnector(limit=0, force_close=False)
        self.http = aiohttp.ClientSession(connector=connector)

    def page_url(self, index: int) -> str:
        if self.o.via:
            return self.o.via
        return self.gateways[index % len(self.gateways)].url

    # ------------------------------------------------------------------ sessions

    async def open_terminal(self) -> None:
        session = self.terminal
        if session is None:
            return
        console = TerminalConsole(self.o.columns, self.o.rows)
        session.tab = console
        session.player = Player(console, session.name, self.o.timeout)
        env = {k: v for k, v in os.environ.items() if k != "SITROOM_CODE"}
        env["SITROOM_CODE"] = session.code
        argv = [sys.executable, "-m", "tui.cli", "join", self.server.url, "--name", session.name]
        started = time.perf_counter()
        await console.open(argv, {**env, "PYTHONPATH": str(ROOT)})
        try:
            ready = await session.player.in_console()
            self.outcome.terminal_console = ready - started
            session.ready = True
        except (TimeoutError, Exception) as exc:
            session.failure = f"terminal: {exc}"
            self.outcome.failures.append(session.failure)

    async def open_session(self, session: Session) -> None:
        assert self.http is not None
        tab = BrowserTab(self.http, self.page_url(session.index), self.o.columns, self.o.rows)
        session.tab = tab
        session.player = player = Player(tab, session.name, self.o.timeout)
        try:
            await tab.open(self.o.timeout)
            painted = await tab.shows("Join code", self.o.timeout)
            session.first_paint = painted - tab.opened_at
            pressed = time.perf_counter()
            ready = await player.login(session.code)
            session.to_console = ready - pressed
            session.ready = True
        except Exception as exc:
            reason = f"{type(exc).__name__}: {exc}"
            if isinstance(tab, BrowserTab) and tab.close_code is not None:
                reason += f" (close {tab.close_code} {tab.close_reason[:60]})"
            session.failure = reason
            if os.environ.get("WEBBENCH_DUMP"):
                print(f"--- {session.name}: {reason}\n{tab.screen.text()}", file=sys.stderr)

    async def open_all(self) -> None:
        o = self.o
        tasks: list[asyncio.Task[None]] = []
        start = time.monotonic()
        for i, session in enumerate(self.sessions):
            at = start + i / o.arrival
            await asyncio.sleep(max(0.0, at - time.monotonic()))
            if available_memory() < o.memory_floor:
                self.outcome.stopped_opening = (
                    f"stopped opening at {i}: available memory under {o.memory_floor / GIB:.1f} GiB"
                )
                break
            tasks.append(asyncio.create_task(self.open_session(session)))
            self.outcome.opened += 1
        if tasks:
            await asyncio.wait(tasks, timeout=o.timeout * 3)
        for task in tasks:
            if not task.done():
                task.cancel()

    def live(self) -> list[Session]:
        return [s for s in self.sessions if s.ready and s.failure is None]

    # ------------------------------------------------------------------ measuring

    def console_pids(self) -> list[int]:
        return [pid for g in self.gateways for pid in g.tree()]

    def warm_parents(self) -> list[int]:
        """The gateways' warm parents (their direct children running the fork server)."""
        found = []
        for pid in self.console_pids():
            with contextlib.suppress(OSError):
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    forkserver = b"tui.web.forkserver" in f.read()
                if forkserver and parent_of(pid) in {g.pid for g in self.gateways}:
                    found.append(pid)
        return found

    def sample(self, label: str) -> None:
        gateway = memory_of(g.pid for g in self.gateways)
        consoles = memory_of(self.console_pids())
        terminal = Memory()
        if self.terminal is not None and isinstance(self.terminal.tab, TerminalConsole):
            pid = self.terminal.tab.pid
            if pid is not None:
                terminal = memory_of([pid])
        per_gateway = [len(g.tree()) for g in self.gateways]
        running = consoles.processes - len(self.warm_parents())
        self.outcome.samples.append(
            Sample(label, gateway, consoles, terminal, running, load_average(), per_gateway)
        )

    def consoles_cpu(self) -> float:
        """CPU seconds of every console so far, those that ended included."""
        gateways = [g.pid for g in self.gateways]
        return cpu_of(self.console_pids(), reaped=True) + (
            cpu_of(gateways, reaped=True) - cpu_of(gateways)
        )

    async def idle_cpu(self, seconds: float = 5.0) -> None:
        gateway = [g.pid for g in self.gateways]
        server = [self.server.proc.pid] if self.server.proc else []
        before = cpu_of(gateway), self.consoles_cpu(), cpu_of(server)
        await asyncio.sleep(seconds)
        after = cpu_of(gateway), self.consoles_cpu(), cpu_of(server)
        self.outcome.idle_cpu = (
            (after[0] - before[0]) / seconds,
            (after[1] - before[1]) / seconds,
            (after[2] - before[2]) / seconds,
        )

    # ------------------------------------------------------------------ play

    async def play_round(self, inject: str) -> None:
        o, control = self.o, self.control
        assert control is not None
        title = self.scenario.inject_by_id[inject].title[:24]
        live = self.live()
        players = [*live, *([self.terminal] if self.terminal and self.terminal.ready else [])]
        for s in players:
            assert s.tab is not None
            if title in s.tab.screen:
                s.failure = f"{inject}: its title was on screen before the release"
        gateway = [g.pid for g in self.gateways]
        server = [self.server.proc.pid] if self.server.proc else []
        cpu0 = cpu_of(gateway), self.consoles_cpu(), cpu_of(server), own_cpu()
        released = time.perf_counter()
        await control.command(c.Release(inject=inject))

        async def see(s: Session) -> None:
            assert s.player is not None
            try:
                seen = await s.player.sees(title, o.timeout)
                s.visible[inject] = seen - released
            except Exception as exc:
                s.failure = s.failure or f"{inject} not seen: {exc}"

        await gather_bounded([see(s) for s in players], o.timeout + 5)
        wall = time.perf_counter() - released
        cpu1 = cpu_of(gateway), self.consoles_cpu(), cpu_of(server), own_cpu()
        seen = [s.visible[inject] for s in live if inject in s.visible]
        term = self.terminal.visible.get(inject) if self.terminal else None
        self.outcome.rounds.append(
            RoundFigures(
                inject,
                seen,
                len(live) - len(seen),
                term,
                wall,
                cpu1[0] - cpu0[0],
                cpu1[1] - cpu0[1],
                cpu1[2] - cpu0[2],
                cpu1[3] - cpu0[3],
                load_average(),
            )
        )

        async def act(s: Session) -> None:
            assert s.player is not None
            if inject not in s.visible:
                return
            try:
                await s.player.open_inject(title)
                if s.answers:
                    for respond in plans(self.scenario, inject, s.team):
                        s.acked.append(await answer(s.player, self.scenario, respond))
            except Exception as exc:
                s.failure = s.failure or f"{inject} play: {type(exc).__name__}: {exc}"
                if isinstance(s.tab, BrowserTab) and s.tab.close_code is not None:
                    s.failure += f" (close {s.tab.close_code} {s.tab.close_reason[:60]})"
                if os.environ.get("WEBBENCH_DUMP") and s.tab is not None:
                    print(f"--- {s.name}: {s.failure}\n{s.tab.screen.text()}", file=sys.stderr)

        await gather_bounded([act(s) for s in players], o.timeout * 2)

    # ------------------------------------------------------------------ whole run

    async def run(self) -> Outcome:
        o, out = self.o, self.outcome
        await self.setup()
        await self.open_terminal()
        await self.open_all()
        out.ready = len(self.live())
        out.first_paint = [s.first_paint for s in self.sessions if s.first_paint is not None]
        out.to_console = [s.to_console for s in self.sessions if s.to_console is not None]
        for s in self.live():
            assert s.tab is not None
            await s.tab.settle(0.05, 0.5)
        await asyncio.sleep(3)  # the last to log in finish drawing
        self.sample("idle at the console")
        await self.idle_cpu()
        for inject in o.rounds:
            await self.play_round(inject)
        self.sample("after play")
        out.acked = [x for s in self.sessions for x in s.acked]
        out.failures += [f"{s.name}: {s.failure}" for s in self.sessions if s.failure is not None]
        if self.terminal is not None and self.terminal.failure and self.terminal.ready:
            out.failures.append(f"terminal: {self.terminal.failure}")
        return out

    async def cleanup(self) -> None:
        out = self.outcome
        tabs = [s.tab for s in self.sessions if s.tab is not None]
        await gather_bounded([t.close() for t in tabs], 60)
        if self.terminal is not None and self.terminal.tab is not None:
            await self.terminal.tab.close()
        if self.http is not None:
            await self.http.close()
        for gateway in self.gateways:
            if os.environ.get("WEBBENCH_GATEWAY_LOG"):
                with open(os.environ["WEBBENCH_GATEWAY_LOG"], "a") as log:
                    log.write("\n".join(gateway.output) + "\n")
            for line in gateway.output:
                if any(w in line for w in ("refused", "lost", "Traceback", "ERROR", "WARN")):
                    out.gateway_lines.append(line)
        await asyncio.sleep(0.5)
        await gather_bounded([g.stop() for g in self.gateways], 40)
        if self.control is not None:
            with contextlib.suppress(Exception):
                await self.control.client.close()
        with contextlib.suppress(Exception):
            await self.server.terminate(30)
        await self.server.ensure_stopped()
        out.load_end = load_average()


async def gather_bounded(aws: list[Awaitable[T]], timeout: float) -> None:
    """Run these together; cancel what is left after ``timeout`` seconds."""
    tasks = [asyncio.ensure_future(a) for a in aws]
    if not tasks:
        return
    _done, pending = await asyncio.wait(tasks, timeout=timeout)
    for task in pending:
        task.cancel()
    for task in pending:
        with contextlib.suppress(BaseException):
            await task


async def run_once(options: Options) -> Outcome:
    with tempfile.TemporaryDirectory(prefix="sitroom-webbench-") as workdir:
        bench = WebBench(options, Path(workdir))
        try:
            await asyncio.wait_for(bench.run(), options.time_limit)
        except TimeoutError:
            bench.outcome.failures.append(f"the run exceeded {options.time_limit:g} s")
        finally:
            await bench.cleanup()
        return bench.outcome


# --------------------------------------------------------------------------- report


def _mib(n: float) -> str:
    return f"{n / MIB:.1f} MiB"


def _s(values: list[float]) -> str:
    if not values:
        return "n/a"
    return f"{median(values):.2f} / {pct(values, 99):.2f} / {max(values):.2f} s"


def report(out: Outcome, label: str = "") -> Table:
    o = out.options
    gateways = f", {o.gateways} gateways" if o.gateways > 1 else ""
    via = f" via {o.via}" if o.via else ""
    extra = f" ({' '.join(o.gateway_args)})" if o.gateway_args else ""
    t = Table(f"sitroom web: {o.sessions} browser sessions{gateways}{via}{extra} {label}".strip())
    t.add("load average at start / end", f"{out.load_start} / {out.load_end}")
    t.add(
        "sessions at the console",
        f"{out.ready} of {o.sessions} (opened {out.opened})",
        f"{o.sessions}",
        out.ready == o.sessions,
    )
    if out.stopped_opening:
        t.add("  stopped", out.stopped_opening)
    t.add("first paint p50/p99/max", _s(out.first_paint))
    t.add("Join to console p50/p99/max", _s(out.to_console))
    if out.terminal_console is not None:
        t.add("  terminal join: start to console", f"{out.terminal_console:.2f} s")
    per_session_target = TARGET_TOTAL / TARGET_SESSIONS
    for sample in out.samples:
        n = max(1, sample.sessions)
        total = sample.gateway + sample.consoles
        t.add(f"memory, {sample.label} (load {sample.load})", f"{n} consoles running")
        t.add(
            "  PSS total (gateway + consoles)",
            f"{total.pss / GIB:.2f} GiB",
            f"< {TARGET_TOTAL / GIB * n / TARGET_SESSIONS:.2f} GiB at {n}",
            total.pss < per_session_target * n,
        )
        t.add("  PSS per session", _mib(total.pss / n), f"< {_mib(per_session_target)}")
        t.add("  USS total / per session", f"{total.uss / GIB:.2f} GiB / {_mib(total.uss / n)}")
        t.add(
            "  gateway process PSS / USS",
            f"{_mib(sample.gateway.pss)} / {_mib(sample.gateway.uss)}",
        )
        split = " + ".join(str(n) for n in sample.per_gateway)
        t.add(
            "  processes under the gateway",
            f"{sample.consoles.processes}" + (f" ({split})" if len(sample.per_gateway) > 1 else ""),
        )
        if sample.terminal.processes:
            t.add(
                "  terminal join PSS / USS",
                f"{_mib(sample.terminal.pss)} / {_mib(sample.terminal.uss)}",
            )
    gw, consoles, server = out.idle_cpu
    t.add(
        "idle CPU: gateway / consoles / server",
        f"{gw:.0%} / {consoles:.0%} ({consoles / max(1, out.ready):.1%} each) / {server:.0%}"
        " of a core",
    )
    every: list[float] = []
    for r in out.rounds:
        every += r.visible
        term = f"{r.terminal:.2f} s" if r.terminal is not None else "n/a"
        t.add(
            f"inject {r.inject} visible p50/p99/max (load {r.load})",
            _s(r.visible) + (f", {r.missing} never" if r.missing else ""),
        )
        t.add("  terminal join saw it after", term)
        t.add(
            "  CPU while it reached everyone",
            f"{r.wall:.1f} s: gateway {r.gateway_cpu:.2f} s, consoles {r.consoles_cpu:.1f} s "
            f"({r.consoles_cpu / max(1, len(r.visible) + r.missing) * 1000:.0f} ms each), "
            f"server {r.server_cpu:.2f} s, bench {r.bench_cpu:.1f} s",
        )
    p99 = pct(every, 99) if every else float("nan")
    t.add(
        "inject visible, all rounds p50/p99/max",
        _s(every),
        f"p99 < {TARGET_VISIBLE:g} s",
        bool(every) and p99 < TARGET_VISIBLE and all(r.missing == 0 for r in out.rounds),
    )
    t.add("answer shown after confirm p50/p99/max", _s(out.acked) + f" ({len(out.acked)})")
    t.add("failures", f"{len(out.failures)}", "0", not out.failures)
    for failure in out.failures[:5]:
        t.add("  ", failure[:150])
    for line in out.gateway_lines[:5]:
        t.add("  gateway said", line[:150])
    return t


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sessions",
        type=lambda s: [int(x) for x in s.split(",")],
        default=[50, 150, 300],
        help="session counts, comma-separated (default 50,150,300)",
    )
    parser.add_argument("--quick", action="store_true", help="a smoke run: 10 sessions, 2 injects")
    parser.add_argument("--arrival", type=float, default=2.0, help="new tabs a second")
    parser.add_argument("--spawn-rate", type=float, help="the gateway's (default: --arrival)")
    parser.add_argument("--per-team", type=int, default=5)
    parser.add_argument("--size", default="120x36", help="each tab's terminal, COLSxROWS")
    parser.add_argument("--rounds", default=",".join(ROUNDS), help="injects to release")
    parser.add_argument("--gateways", type=int, default=1)
    parser.add_argument("--via", metavar="URL", help="load pages from this proxy")
    parser.add_argument(
        "--ports",
        type=lambda s: tuple(int(x) for x in s.split(",")),
        default=(),
        help="the gateways' ports, comma-separated (for a proxy set up in advance)",
    )
    parser.add_argument(
        "--gateway-arg", action="append", default=[], help="an option for sitroom web"
    )
    parser.add_argument("--no-terminal", action="store_true")
    parser.add_argument("--memory-floor", type=float, default=3.0, help="GiB (default 3)")
    parser.add_argument("--time-limit", type=float, default=900.0, help="seconds for each N")
    args = parser.parse_args(argv)
    raise_open_files()
    # The tabs stand for browsers on other machines: on this one they must not starve
    # behind the consoles they measure (a tab that answers the gateway's ping late is
    # dropped). Needs root; without it the figures include that contention.
    with contextlib.suppress(OSError):
        os.nice(-5)
    columns, rows = (int(x) for x in args.size.lower().split("x"))
    counts = [10] if args.quick else args.sessions
    rounds = tuple(args.rounds.split(","))[: 2 if args.quick else None]
    failed = False
    for n in counts:
        options = Options(
            sessions=n,
            per_team=args.per_team,
            arrival=args.arrival,
            spawn_rate=args.spawn_rate,
            columns=columns,
            rows=rows,
            rounds=rounds,
            gateways=args.gateways,
            ports=args.ports,
            via=args.via,
            gateway_args=tuple(args.gateway_arg),
            terminal=not args.no_terminal,
            memory_floor=int(args.memory_floor * GIB),
            time_limit=args.time_limit,
        )
        outcome = asyncio.run(run_once(options))
        table = report(outcome)
        print(table.render(), flush=True)
        print(flush=True)
        failed = failed or bool(table.failed)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
