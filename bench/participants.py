"""Simulated participants for the load and crash benchmarks: real clients that play like bots.

Every participant is one :class:`engine.net.client.Client` (the shipped client, with
its own reconnection, resending and deduplication) holding a team seat under a
member's name, or a staff seat. A :class:`Crowd` runs many of them on one event
loop, sharing one aiohttp session, one estimate of the exercise clock and one
scheduler, because the load generator shares the machine's two cores with the
server: a sleeping task per planned answer, or a session per socket, would
measure the generator rather than the server.

What the participants answer comes from :class:`engine.bots.BotTeams`, the same
logic the dry-run uses: when a team receives an inject, its bot plans answers at
exercise times; a member of the team (every member, for ``answer_by: all``)
sends each one when the clock gets there. Members also write team notes about
some deliveries, so there are inputs from every socket to acknowledge. An
evaluator seat grades manual answers the way the bot evaluator does.

Everything a participant sees is recorded (the sequence numbers, when live
events arrived against the server's ``wall`` stamp, every acknowledgement and
error, every welcome), so the benchmarks can check afterwards, against the log,
that nothing acknowledged was lost and that nothing owed was missed.

A crowd runs in the caller's loop (the test suite) or in a child process
(:class:`RemoteCrowd`, driven over a pipe), with the same code either way.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import multiprocessing as mp
import random
import resource
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import aiohttp
from pydantic import ValidationError

from engine import commands as c
from engine.bots import BotTeams, Profile, profile_for
from engine.clock import ClockView, WallClock
from engine.events import DELIVERED, ENDED, Delivered, Event
from engine.net.client import Client, ClientClosed
from engine.net.protocol import (
    Ack,
    Answer,
    ClockMsg,
    EventMsg,
    Incoming,
    Snapshot,
    Welcome,
    staff_event,
    team_event,
)
from engine.net.server.room import escape_member
from engine.scenario import load_file
from engine.scenario.model import Scenario
from engine.views import InjectShown


def raise_open_files() -> int:
    """Lift this process's open-file limit to its hard limit (5,000 sockets need it)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        target = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


SEND_RATE = 10.0
"""Commands a participant sends per second at most, sustained (the server allows 20)."""
SEND_BURST = 20.0


# ---------------------------------------------------------------------- specs


@dataclass(frozen=True)
class SeatSpec:
    """One participant: the seat it joins (``team:cert-01``), its code and its name."""

    seat: str
    code: str
    member: str
    team: str | None = None
    """The team played (None for a staff seat)."""
    grades: bool = False
    """An evaluator that grades manual answers like the bot evaluator."""


@dataclass(frozen=True)
class CrowdSpec:
    """What a crowd needs to play: where, which scenario, who, and how."""

    url: str
    scenario: str
    seats: tuple[SeatSpec, ...]
    teams: tuple[str, ...]
    """Every team of the exercise in roster order (bot profiles go by position)."""
    cutoff: int
    """Exercise time (ms) after which nobody sends anything new: the end stays clean."""
    profile: str = "mix"
    notes: float = 0.5
    """Chance that a member writes a team note about a delivery."""
    seed: int = 0
    concurrency: int = 200
    """Joins in progress at once (people do not all press enter in the same millisecond)."""
    backoff: tuple[float, float] = (0.25, 10.0)
    """The client's reconnection backoff (the shipped default)."""
    join_timeout: float = 60.0


def team_seats(codes: dict[str, str], teams: list[str], per_team: int) -> list[SeatSpec]:
    """``per_team`` members for each team, named ``TEAM-pK``."""
    out = []
    for team in teams:
        code = codes[f"team:{team}"]
        for k in range(per_team):
            out.append(SeatSpec(f"team:{team}", code, f"{team}-p{k}", team))
    return out


def split(seats: list[SeatSpec], parts: int) -> list[list[SeatSpec]]:
    """Seats in ``parts`` groups with whole teams in each (a team's members plan together)."""
    groups: list[list[SeatSpec]] = [[] for _ in range(max(1, parts))]
    order: dict[str, int] = {}
    for seat in seats:
        key = seat.team or seat.seat
        index = order.setdefault(key, len(order) % len(groups))
        groups[index].append(seat)
    return [g for g in groups if g]


# ---------------------------------------------------------------------- results


@dataclass
class Result:
    """What one participant saw and did (plain data: it crosses a process boundary)."""

    seat: str
    member: str
    team: str | None
    seqs: list[int] = field(default_factory=list)
    """Event sequence numbers received, in order, each once."""
    delivery_latency: list[float] = field(default_factory=list)
    """Seconds from the server's send decision (``wall``) to receipt, live deliveries."""
    event_latency: list[float] = field(default_factory=list)
    """The same for every live event."""
    ack_latency: list[float] = field(default_factory=list)
    """Seconds from send to ack, for commands answered on the connection they went out on."""
    ack_latency_across: list[float] = field(default_factory=list)
    """Send to ack for commands whose answer came after a reconnection."""
    acks: list[tuple[str, int]] = field(default_factory=list)
    """(origin, seq) of every acknowledged command."""
    errors: list[tuple[str, str, str]] = field(default_factory=list)
    """(origin, code, reason) of every command not acknowledged."""
    welcomes: list[float] = field(default_factory=list)
    """Wall time of every welcome (the first join, then each reconnection)."""
    join_seconds: float | None = None
    injects: list[str] = field(default_factory=list)
    """Inject ids received, in order."""
    duplicates: int = 0
    """Events the client dropped as already seen (the overlap of a reconnection)."""
    snapshots: int = 0
    ended: bool = False


# ---------------------------------------------------------------------- the clock


@dataclass
class ExerciseClock(ClockView):
    """The exercise clock as the server last announced it, extrapolated on the wall clock.

    Anchored on the server's ``wall`` stamp (one machine, one ``time.time``), so
    every participant process agrees, however late it read the message; an older
    announcement arriving after a newer one is ignored.
    """

    wall: WallClock = time.time
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    def announced(self, msg: ClockMsg) -> None:
        """A ``clock`` message: a reading taken at the server's ``wall`` stamp."""
        stamp = msg.wall
        if stamp < self.received:
            return
        if stamp == self.received and msg.status == self.status:
            return
        self.update(msg.now, msg.status, msg.speed, at=stamp)
        self.changed.set()


class Scheduler:
    """One task that fires planned actions at exercise times (a heap, not a task each)."""

    def __init__(self, clock: ExerciseClock, cutoff: int) -> None:
        self.clock = clock
        self.cutoff = cutoff
        self._heap: list[tuple[int, int, Callable[[], None]]] = []
        self._n = 0
        self._wake = asyncio.Event()
        self.stopped = False
        self.dropped = 0
        """Plans past the cutoff, never sent."""

    def at(self, t: int, action: Callable[[], None]) -> None:
        if t >= self.cutoff:
            self.dropped += 1
            return
        self._n += 1
        heapq.heappush(self._heap, (t, self._n, action))
        self._wake.set()

    async def run(self) -> None:
        clock, heap = self.clock, self._heap
        while not self.stopped:
            while heap and clock.running and heap[0][0] <= clock.now():
                heapq.heappop(heap)[2]()
            delay = clock.seconds_until(heap[0][0]) if heap else None
            self._wake.clear()
            clock.changed.clear()
            waits = [
                asyncio.ensure_future(self._wake.wait()),
                asyncio.ensure_future(clock.changed.wait()),
            ]
            try:
                await asyncio.wait(waits, timeout=delay, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for w in waits:
                    w.cancel()

    def stop(self) -> None:
        self.stopped = True
        self._wake.set()


# ---------------------------------------------------------------------- participants


class Participant:
    """One person at a console: a shipped client and a record of what happened."""

    def __init__(self, crowd: Crowd, spec: SeatSpec, index: int) -> None:
        self.crowd = crowd
        self.spec = spec
        self.result = Result(spec.seat, spec.member, spec.team)
        self.client: Client | None = None
        self._tag = f"{index:x}."
        self._count = 0
        self._live_from = 0
        self._last = 0
        self._next = 0.0

    @property
    def origin_prefix(self) -> str:
        """How the server names this participant's inputs: a staff seat joins without a
        name, so the server uses the seat's."""
        spec = self.spec
        member = spec.member if spec.team is not None else spec.seat.split(":", 1)[1]
        return f"{spec.seat}/{escape_member(member)}/"

    def connect(self, session: aiohttp.ClientSession, rng: random.Random) -> Client:
        spec = self.spec
        name = spec.member if spec.team is not None else None
        self.client = Client(
            self.crowd.spec.url,
            spec.code,
            name,
            on_message=self.on_message,
            session=session,
            backoff=self.crowd.spec.backoff,
            rng=rng,
        )
        return self.client

    # -------------------------------------------------------------- receiving

    def on_message(self, msg: Incoming) -> None:
        if isinstance(msg, EventMsg):
            self._event(msg, time.time(), msg.seq > self._live_from)
        elif isinstance(msg, ClockMsg):
            self.crowd.clock.announced(msg)
        elif isinstance(msg, Welcome):
            self.result.welcomes.append(time.time())
            self._live_from = msg.last_seq
        elif isinstance(msg, Snapshot):
            self.result.snapshots += 1
            for event in msg.events:
                self._event(event, 0.0, False)

    def _event(self, msg: EventMsg, received: float, live: bool) -> None:
        seq = msg.seq
        if seq <= self._last:
            return
        self._last = seq
        result = self.result
        result.seqs.append(seq)
        if live and msg.wall:
            lag = received - msg.wall
            result.event_latency.append(lag)
            if msg.kind == DELIVERED:
                result.delivery_latency.append(lag)
        try:
            if self.spec.team is not None:
                self._team_event(msg, self.spec.team)
            else:
                self._staff_event(msg)
        except ValidationError as exc:
            result.errors.append((f"event #{seq}", "unreadable", str(exc)[:200]))

    def _team_event(self, msg: EventMsg, team: str) -> None:
        body = team_event(msg).body
        if isinstance(body, InjectShown):
            self.result.injects.append(body.inject.id)
            self.crowd.delivered(team, body.inject.id, msg.t)
        elif body.type == ENDED:
            self._ended()

    def _staff_event(self, msg: EventMsg) -> None:
        event = staff_event(msg)
        if isinstance(event.body, c.Respond) and self.spec.grades:
            self.crowd.graded(self, event)
        elif event.kind == ENDED:
            self._ended()

    def _ended(self) -> None:
        self.result.ended = True
        self.crowd.note_ended()

    # -------------------------------------------------------------- sending

    def send(self, command: c.AnyCommand) -> None:
        """Send a command in the background (its answer is recorded)."""
        self.crowd.spawn(self._send(command))

    async def _send(self, command: c.AnyCommand) -> None:
        client = self.client
        assert client is not None
        # Pace like a console would (a token bucket below the server's rate limit): a crowd
        # whose loop fell behind fires a backlog of plans at once, which people never do.
        now = time.monotonic()
        self._next = max(self._next, now - SEND_BURST / SEND_RATE) + 1 / SEND_RATE
        if self._next > now:
            await asyncio.sleep(self._next - now)
        self._count += 1
        mid = f"{self._tag}{self._count}"
        origin = self.origin_prefix + mid
        connects = client.connects
        start = time.perf_counter()
        try:
            reply = await client.send(command, id=mid)
        except ClientClosed as exc:
            self.result.errors.append((origin, "closed", str(exc)))
            return
        elapsed = time.perf_counter() - start
        if isinstance(reply, Ack):
            self.result.acks.append((origin, reply.seq or 0))
            lane = self.result.ack_latency
            if client.connects != connects:
                lane = self.result.ack_latency_across
            lane.append(elapsed)
        else:
            self.result.errors.append((origin, reply.code, reply.reason))


class Crowd:
    """Many participants on one event loop, playing their teams like the bots do."""

    def __init__(self, spec: CrowdSpec) -> None:
        self.spec = spec
        self.scenario: Scenario = load_file(spec.scenario).require()
        self.seed = spec.seed or self.scenario.seed
        profiles: dict[str, Profile] = {
            team: profile_for(i, spec.profile) for i, team in enumerate(spec.teams)
        }
        self.bots = BotTeams(self.scenario, self.seed, profiles)
        self.clock = ExerciseClock()
        self.scheduler = Scheduler(self.clock, spec.cutoff)
        self.participants = [Participant(self, s, i) for i, s in enumerate(spec.seats)]
        self.members: dict[str, list[Participant]] = {}
        for p in self.participants:
            if p.spec.team is not None:
                self.members.setdefault(p.spec.team, []).append(p)
        self._planned: set[tuple[str, str]] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._idle = asyncio.Event()
        self._idle.set()
        self._ended = asyncio.Event()
        self._ended_count = 0
        self._session: aiohttp.ClientSession | None = None
        self._scheduler_task: asyncio.Task[None] | None = None

    # -------------------------------------------------------------- planning

    def delivered(self, team: str, inject: str, t: int) -> None:
        """A team received an inject: plan its answers (once per team, whoever saw it first)."""
        if (team, inject) in self._planned:
            return
        self._planned.add((team, inject))
        members = self.members[team]
        event = Event(Delivered(inject=inject, teams=[team], cause="at"), t)
        for plan in self.bots.react(event):
            answer = plan.cmd
            if not isinstance(answer, c.Respond):
                continue
            ref = answer.expectation
            exp = self.scenario.expectation(ref)
            if exp.answer_by == "all":
                for k, member in enumerate(members):
                    self.scheduler.at(plan.t + 2000 * k, _sender(member, answer))
            else:
                member = members[zlib.crc32(ref.encode()) % len(members)]
                self.scheduler.at(plan.t, _sender(member, answer))
        for member in members:
            rng = random.Random(f"{self.seed}/note/{member.spec.member}/{inject}")
            if rng.random() < self.spec.notes:
                name = member.spec.member
                note = c.TeamNote(team=team, member=name, text=f"{name} on {inject}: seen")
                self.scheduler.at(t + rng.randint(20, 300) * 1000, _sender(member, note))

    def graded(self, evaluator: Participant, event: Event) -> None:
        """An answer reached the grading evaluator: grade it as the bot evaluator would,
        in the evaluator seat's name."""
        seat_name = evaluator.spec.seat.split(":", 1)[1]
        for plan in self.bots.react(event):
            grade = plan.cmd
            if isinstance(grade, c.Grade):
                grade = grade.model_copy(update={"evaluator": seat_name})
            self.scheduler.at(plan.t, _sender(evaluator, grade))

    def spawn(self, coro: Any) -> None:
        task: asyncio.Task[None] = asyncio.ensure_future(coro)
        self._tasks.add(task)
        self._idle.clear()
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not self._tasks:
            self._idle.set()

    def note_ended(self) -> None:
        self._ended_count += 1
        if self._ended_count >= len(self.participants):
            self._ended.set()

    # -------------------------------------------------------------- phases

    async def join(self) -> dict[str, Any]:
        """Connect everyone (``concurrency`` at a time); returns join figures."""
        raise_open_files()
        connector = aiohttp.TCPConnector(limit=0, force_close=False)
        timeout = aiohttp.ClientTimeout(total=None, connect=10.0, sock_connect=10.0)
        self._session = aiohttp.ClientSession(connector=connector, timeout=timeout)
        self._scheduler_task = asyncio.ensure_future(self.scheduler.run())
        gate = asyncio.Semaphore(self.spec.concurrency)
        failures: list[str] = []

        async def one(p: Participant, k: int) -> None:
            async with gate:
                assert self._session is not None
                client = p.connect(self._session, random.Random(f"{self.seed}/backoff/{k}"))
                start = time.perf_counter()
                try:
                    await client.wait_joined(self.spec.join_timeout)
                except (TimeoutError, ClientClosed) as exc:
                    failures.append(f"{p.spec.member}: {exc}")
                    return
                p.result.join_seconds = time.perf_counter() - start

        start = time.perf_counter()
        await asyncio.gather(*(one(p, k) for k, p in enumerate(self.participants)))
        return {
            "joined": len(self.participants) - len(failures),
            "failures": failures[:10],
            "seconds": time.perf_counter() - start,
        }

    def connected(self) -> int:
        return sum(1 for p in self.participants if p.client and p.client.state == "connected")

    async def quiesce(self, timeout: float = 60.0) -> int:
        """Stop planning new sends; wait for the answers to those sent. Returns those left."""
        self.scheduler.stop()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._idle.wait(), timeout)
        return len(self._tasks)

    async def finish(self, timeout: float = 60.0) -> list[Result]:
        """Wait until everyone has seen the end, then close every client."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._ended.wait(), timeout)
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(
            *(p.client.close() for p in self.participants if p.client is not None),
            return_exceptions=True,
        )
        if self._scheduler_task is not None:
            self.scheduler.stop()
            with contextlib.suppress(Exception):
                await self._scheduler_task
        if self._session is not None:
            await self._session.close()
        for p in self.participants:
            if p.client is not None:
                p.result.duplicates = p.client.duplicates
        return [p.result for p in self.participants]

    def stats(self) -> dict[str, Any]:
        return {"connected": self.connected(), "dropped_plans": self.scheduler.dropped}


def _sender(p: Participant, command: c.AnyCommand) -> Callable[[], None]:
    """Send ``command`` as ``p`` (a team member answers in their own name)."""
    if p.spec.team is not None and isinstance(command, c.Respond):
        command = command.model_copy(update={"member": p.spec.member})
    return lambda: p.send(command)


# ---------------------------------------------------------------------- processes


def _serve_pipe(conn: Connection, spec: CrowdSpec) -> None:
    """A child process's life: a crowd answering the parent's phase requests."""

    async def main() -> None:
        crowd = Crowd(spec)
        while True:
            request, arg = await asyncio.to_thread(conn.recv)
            if request == "join":
                conn.send(await crowd.join())
            elif request == "stats":
                conn.send(crowd.stats())
            elif request == "quiesce":
                conn.send(await crowd.quiesce(arg))
            elif request == "finish":
                conn.send(await crowd.finish(arg))
                return

    asyncio.run(main())


class RemoteCrowd:
    """A :class:`Crowd` in a child process, with the same phases as awaitables."""

    def __init__(self, spec: CrowdSpec) -> None:
        context = mp.get_context("spawn")
        self._conn, child = context.Pipe()
        self.process = context.Process(target=_serve_pipe, args=(child, spec), daemon=True)
        self.process.start()
        self._lock = asyncio.Lock()

    async def _ask(self, request: str, arg: Any = None) -> Any:
        async with self._lock:
            self._conn.send((request, arg))
            return await asyncio.to_thread(self._conn.recv)

    async def join(self) -> dict[str, Any]:
        result: dict[str, Any] = await self._ask("join")
        return result

    async def stats(self) -> dict[str, Any]:
        result: dict[str, Any] = await self._ask("stats")
        return result

    async def quiesce(self, timeout: float = 60.0) -> int:
        result: int = await self._ask("quiesce", timeout)
        return result

    async def finish(self, timeout: float = 60.0) -> list[Result]:
        result: list[Result] = await self._ask("finish", timeout)
        self.process.join(10)
        return result

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
            self.process.join(5)


class LocalCrowd:
    """A :class:`Crowd` on the caller's loop, behind the same interface as :class:`RemoteCrowd`."""

    def __init__(self, spec: CrowdSpec) -> None:
        self.crowd = Crowd(spec)

    async def join(self) -> dict[str, Any]:
        return await self.crowd.join()

    async def stats(self) -> dict[str, Any]:
        return self.crowd.stats()

    async def quiesce(self, timeout: float = 60.0) -> int:
        return await self.crowd.quiesce(timeout)

    async def finish(self, timeout: float = 60.0) -> list[Result]:
        return await self.crowd.finish(timeout)

    def kill(self) -> None:
        """Nothing to kill: :meth:`finish` closes the clients."""


AnyCrowd = LocalCrowd | RemoteCrowd


def crowds(spec: CrowdSpec, processes: int, probe: frozenset[str] = frozenset()) -> list[AnyCrowd]:
    """``processes`` child-process crowds splitting the seats by team (0: one crowd here).

    The teams in ``probe`` get a process of their own: with a few sockets its loop is
    never behind, so what its clients measure is the server's share of the latency
    (and the machine's), not the generator's.
    """
    if processes <= 0:
        return [LocalCrowd(spec)]
    seats = [s for s in spec.seats if s.team not in probe]
    groups = split(seats, processes)
    if probe:
        groups.append([s for s in spec.seats if s.team in probe])
    return [RemoteCrowd(replace(spec, seats=tuple(group))) for group in groups]


# ---------------------------------------------------------------------- the facilitator


class Control:
    """The facilitator: sets the speed, starts, resumes after every restart, ends."""

    def __init__(self, url: str, code: str, *, backoff: tuple[float, float] = (0.25, 10.0)):
        self.clock = ExerciseClock()
        self.result = Result("facilitator:control", "control", None)
        self.client = Client(url, code, on_message=self._on_message, backoff=backoff)
        self.keep_running = False
        """Resume the clock whenever it is found paused (after a ``--resume``)."""
        self.ended = asyncio.Event()
        self.resumes = 0
        self.errors: list[str] = []
        self._resuming = False
        self._resumer: asyncio.Future[None] | None = None
        self._last = 0

    def _on_message(self, msg: Incoming) -> None:
        if isinstance(msg, ClockMsg):
            self.clock.announced(msg)
            if msg.status == "ended":
                self.ended.set()
            elif msg.status == "paused" and self.keep_running and not self._resuming:
                self._resuming = True
                self._resumer = asyncio.ensure_future(self._resume())
        elif isinstance(msg, Welcome):
            self.result.welcomes.append(time.time())
        elif isinstance(msg, EventMsg) and msg.seq > self._last:
            self._last = msg.seq
            self.result.seqs.append(msg.seq)
            self.result.ended = self.result.ended or msg.kind == ENDED
        elif isinstance(msg, Snapshot):
            for event in msg.events:
                if event.seq > self._last:
                    self._last = event.seq
                    self.result.seqs.append(event.seq)

    async def _resume(self) -> None:
        """Resume until the clock runs: a retried resume answered from before a crash
        (whose replay paused again) changes nothing, so look again after each answer."""
        try:
            while self.keep_running and self.clock.status == "paused":
                reply = await self.client.send(c.Resume())
                if isinstance(reply, Ack):
                    self.resumes += 1
                elif "only a paused" not in reply.reason:
                    self.errors.append(f"resume: {reply.code}: {reply.reason}")
                await asyncio.sleep(0.05)
        finally:
            self._resuming = False

    async def command(self, command: c.AnyCommand) -> Answer:
        reply = await self.client.send(command)
        if not isinstance(reply, Ack):
            self.errors.append(f"{command.type}: {reply.code}: {reply.reason}")
        return reply

    async def join(self, timeout: float = 30.0) -> None:
        await self.client.wait_joined(timeout)

    async def start(self, speed: float) -> None:
        await self.command(c.SetSpeed(speed=speed))
        await self.command(c.Start())
        self.keep_running = True

    async def play_until(self, t: int, wall_limit: float) -> None:
        """Until the exercise clock passes ``t`` (or it ends, or ``wall_limit`` s pass)."""
        deadline = time.monotonic() + wall_limit
        while time.monotonic() < deadline and not self.ended.is_set():
            if self.clock.running and self.clock.now() >= t:
                return
            await asyncio.sleep(0.1)

    async def end(self) -> None:
        self.keep_running = False
        if not self.ended.is_set():
            await self.command(c.End(reason="benchmark over"))

    async def close(self) -> None:
        await self.client.close()


def scenario_path(name: str) -> Path:
    root = Path(__file__).resolve().parents[1]
    path = Path(name)
    return path if path.exists() else root / "scenarios" / f"{name}.yaml"
