"""The room: one live exercise behind the network, and what every session shares.

It owns the :class:`~engine.live.LiveExercise` (the only code that touches the
engine), the seats, the hub and the record of which messages were already
applied. It answers sessions' commands exactly once: a message id seen before
(in this run, still in flight, or in the log from before a crash) gets the
original answer instead of being applied again, if it carries the same body.
The same id with another body is refused (``id_reused``): the record keeps a
digest of each applied body, computed from the logged payload after a restart,
so the log needs no column for it.

It also keeps what limits a seat across its sockets: how many it holds open,
and its budget of commands and bytes written to the log per minute.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import time
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from engine import commands as c
from engine.clock import Clock
from engine.eventlog import EventLog, LogError
from engine.events import Event, parse_command
from engine.exercise import Exercise
from engine.i18n import N_
from engine.i18n.phrase import Phrase
from engine.live import LiveExercise
from engine.meaning.intake import text_graded, warm_up
from engine.net.protocol import SHUTTING_DOWN, ErrorCode
from engine.net.server.audience import (
    STAFF,
    WALL,
    Resume,
    Shaper,
    Welcomes,
    clock_text,
    is_clock_change,
)
from engine.net.server.catchup import build_snapshot
from engine.net.server.files import FileStore
from engine.net.server.guard import LineLimiter, TokenBucket, describe, echo
from engine.net.server.guesses import WrongCodes
from engine.net.server.hub import Hub
from engine.net.server.metrics import Gauges, Metrics
from engine.net.server.seats import HEADER_KEY, Seat, SeatBook, codes_path, join_line, read_codes
from engine.net.server.seats import format_codes as _format_codes
from engine.net.server.seats import write_codes as _write_codes
from engine.net.server.settings import ServerSettings
from engine.scenario.lang import translations_of

if TYPE_CHECKING:
    from engine.net.server.connection import Session

log = logging.getLogger("sitroom.server")
State = Literal["starting", "serving", "closing", "closed"]


@dataclass(frozen=True, slots=True)
class Result:
    """The answer to a command: its logged seq, or an error code and reason."""

    seq: int | None
    code: ErrorCode | None = None
    reason: str = ""
    limit: str = ""
    """What refused it (``seat_commands``, ``seat_bytes``, ``id_reused``), if not the exercise."""


def escape_member(member: str) -> str:
    """A member name safe inside an origin (``seat/member/id``): no bare ``/``."""
    return member.replace("%", "%25").replace("/", "%2F")


def digest_of(kind: str, payload: str) -> bytes:
    """What identifies a command's body: its type and its logged payload, hashed."""
    return hashlib.blake2b(f"{kind}\x1f{payload}".encode(), digest_size=16).digest()


def body_of(cmd: c.Command) -> tuple[bytes, int]:
    """A command's digest (as :func:`digest_of` computes it from the log) and its size
    in bytes as the log will hold it."""
    payload = cmd.model_dump_json(exclude={"type"}, exclude_none=True)
    return digest_of(cmd.type, payload), len(payload.encode())


def logged_digest(kind: str, payload: str) -> bytes:
    """The digest of a logged command as its sender sent it: a text answer's verdict
    was added by the engine when it took the answer, so a retry (which has none) is
    compared without it."""
    if kind == "respond" and '"verdict"' in payload:
        cmd = parse_command(kind, payload)
        assert isinstance(cmd, c.Respond)
        return body_of(cmd.model_copy(update={"verdict": None}))[0]
    return digest_of(kind, payload)


def reused(origin: str, seq: int | None = None) -> Result:
    """The answer to a message id already used for another body."""
    mid = origin.split("/", 2)[-1]
    first = f" (#{seq})" if seq is not None else " (still being applied)"
    return Result(
        None,
        "id_reused",
        f"message id {echo(mid)} was already used for a different command{first}: "
        "send each new command under a new id",
        "id_reused",
    )


class SeatBudget:
    """What one seat may have written to the log per minute: commands and bytes.

    Two token buckets holding a minute's worth each; a command is charged to both
    or to neither.
    """

    def __init__(self, commands_per_minute: int, bytes_per_minute: int) -> None:
        self.commands = TokenBucket(commands_per_minute / 60.0, commands_per_minute)
        self.bytes = TokenBucket(bytes_per_minute / 60.0, bytes_per_minute)

    def charge(self, size: int) -> Result | None:
        """Take one command of ``size`` bytes; a refusal (``rate_limited``) when spent."""
        if self.commands.refill() < 1.0:
            return Result(
                None,
                "rate_limited",
                f"this seat's budget of {int(self.commands.burst)} commands a minute is "
                "spent: wait a moment, then resend",
                "seat_commands",
            )
        if self.bytes.refill() < size:
            return Result(
                None,
                "rate_limited",
                f"this seat's budget of {int(self.bytes.burst)} bytes a minute written to "
                "the log is spent: wait a moment, then resend (or write less)",
                "seat_bytes",
            )
        self.commands.take(1.0)
        self.bytes.take(size)
        return None


class Room:
    def __init__(
        self,
        exercise: Exercise,
        log_: EventLog,
        seats: SeatBook,
        *,
        settings: ServerSettings | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.settings = settings or ServerSettings()
        self.seats = seats
        self.log = log_
        self.scenario = exercise.scenario
        self.files = FileStore()
        """The scenario's attachment files, by sha256 (``GET /files/SHA256``)."""
        self.metrics = Metrics()
        # The exercise is played in the scenario's first language; a scenario written
        # in several also reaches each member in the one they chose.
        self.translations = translations_of(log_.scenario_text, log_.scenario_name)
        self.shaper = Shaper(exercise.scenario, self.translations)
        self.hub = Hub(
            self.shaper,
            self.metrics,
            exercise.teams,
            team_ring=self.settings.team_ring,
            staff_ring=self.settings.staff_ring,
            now=lambda: self.now(),
            presence_grace=self.settings.presence_grace,
        )
        self.live = LiveExercise(exercise, log_, clock or Clock(), publish=self._published)
        self.done: dict[str, tuple[int, bytes]] = {}
        """Origins of logged inputs, their seq and their body's digest: what a retry is
        answered from (filled from the log by :meth:`start`)."""
        self._inflight: dict[str, tuple[bytes, asyncio.Future[Result]]] = {}
        self.tasks: set[asyncio.Task[Any]] = set()
        """Command tasks of every session (they outlive a dropped socket)."""
        self.sessions: set[Session] = set()
        self.state: State = "starting"
        self.failed = asyncio.Event()
        """Set if the engine's task dies: the runner then stops the server."""
        self._run_task: asyncio.Task[None] | None = None
        self._snapshots: dict[tuple[str, int], asyncio.Future[str]] = {}
        self.welcomes = Welcomes(
            self.scenario,
            log_.scenario_text,
            log_.roster.to_list(),
            seats.controllers(),
            self.translations,
        )
        self.url = ""
        """The address people join at (for join commands written on a revoke)."""
        self.program = "sitroom"
        """How join commands run sitroom (set by ``sitroom serve``: a full path when
        ``sitroom`` is not on PATH)."""
        self.lines = LineLimiter(self.settings.log_lines_per_second, self.settings.log_burst)
        """The rate limit on lines about bad input and failed sessions."""
        self.wrong_codes = WrongCodes(
            self.settings.wrong_codes_per_minute, self.settings.wrong_codes_burst
        )
        """Wrong join codes per address (a guesser's budget)."""
        self.seat_sockets: Counter[str] = Counter()
        """Sockets each seat holds open (joined or joining)."""
        self.budgets: dict[str, SeatBudget] = {}
        self._members = {t.id: t.members for t in exercise.roster.teams}

    @property
    def exercise(self) -> Exercise:
        return self.live.exercise

    # ------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        """Load recent history into the rings and the record of applied messages, and
        start the engine's task."""
        log_ = self.log

        def read() -> tuple[list[Event], dict[str, tuple[int, bytes]]]:
            events: list[Event] = []
            done: dict[str, tuple[int, bytes]] = {}
            for row in log_.rows(verify=False):
                events.append(row.event(log_.path))
                if row.origin is not None:
                    done[row.origin] = (row.seq, logged_digest(row.kind, row.payload))
            return events, done

        events, done = await asyncio.to_thread(read)
        if text_graded(self.exercise.scenario):
            # Load the meaning grader's model now, off the loop, rather than stall every
            # console for 2 s when the first text answer comes in.
            await asyncio.to_thread(warm_up)
        self.done.update(done)
        self.hub.load(events)
        self._run_task = asyncio.create_task(self.live.run(), name="sitroom-live")
        self._run_task.add_done_callback(self._run_done)
        self.state = "serving"

    def _run_done(self, task: asyncio.Task[None]) -> None:
        if task.cancelled() or task.exception() is None:
            return
        if isinstance(task.exception(), LogError):  # the server stays up, refusing inputs
            log.critical("%s: refusing every input from now on%s", task.exception(), _RESTART)
            return
        log.critical("the exercise engine stopped: %r", task.exception(), exc_info=task.exception())
        self.failed.set()

    async def shutdown(self, reason: str = SHUTTING_DOWN) -> None:
        """Stop taking commands, log what is in flight, say goodbye to every session."""
        if self.state in ("closing", "closed"):
            return
        self.state = "closing"
        pending = [t for t in self.tasks if not t.done()]
        if pending:
            await asyncio.wait(pending, timeout=self.settings.goodbye_timeout)
        self.live.stop()
        if self._run_task is not None:
            with contextlib.suppress(Exception):
                await self._run_task
        sessions = list(self.sessions)
        if sessions:
            await asyncio.gather(*(s.goodbye(reason) for s in sessions), return_exceptions=True)
        self.state = "closed"

    def close_log(self) -> None:
        self.log.close()

    # ------------------------------------------------------------ publishing

    def _published(self, events: list[Event]) -> None:
        self.metrics.count_inputs(sum(1 for e in events if e.is_input))
        self.hub.publish(events, time.time())
        if any(is_clock_change(e) for e in events):
            self.hub.send_all(self.clock_text())

    def now(self) -> int:
        """Exercise time now: the clock's while it runs (the engine's lags between events)."""
        ex, clock = self.exercise, self.live.clock
        return max(clock.now(), ex.now) if ex.status == "running" else ex.now

    def clock_text(self) -> str:
        ex = self.exercise
        return clock_text(self.now(), ex.status, ex.speed, time.time(), self.scenario.duration)

    def welcome_text(self, seat: Seat, name: str, last_seq: int, resume: Resume) -> str:
        return self.welcomes.text(seat, name, last_seq, resume)

    async def snapshot(self, audience: str, upto: int) -> str:
        """Everything ``audience`` may see up to ``upto``; concurrent requests share one read."""
        key = (audience, upto)
        found = self._snapshots.get(key)
        if found is None:
            path = self.log.path
            found = asyncio.ensure_future(
                asyncio.to_thread(build_snapshot, path, self.shaper, audience, upto)
            )
            self._snapshots = {k: v for k, v in self._snapshots.items() if k[1] == upto}
            self._snapshots[key] = found
        return await asyncio.shield(found)

    # ------------------------------------------------------------ commands

    async def submit(
        self, cmd: c.Command, origin: str, *, budget: SeatBudget | None = None
    ) -> Result:
        """Apply a command once per origin; answers retries with the first answer.

        A retry must carry the same body: the same origin with another body is
        refused (``id_reused``). A new command is charged to ``budget`` (refused
        when it is spent); a retry is not.
        """
        digest, size = body_of(cmd)
        found = self.done.get(origin)
        if found is not None:
            if found[1] != digest:
                return reused(origin, found[0])
            self.metrics.duplicates_total += 1
            return Result(found[0])
        waiting = self._inflight.get(origin)
        if waiting is not None:
            if waiting[0] != digest:
                return reused(origin)
            self.metrics.duplicates_total += 1
            return await asyncio.shield(waiting[1])
        if self.live.failure is not None:
            return Result(None, "unavailable", log_refusal(self.live.failure))
        if self.state != "serving":
            return Result(
                None,
                "unavailable",
                Phrase(N_("the server is shutting down: resend after reconnecting")),
            )
        if budget is not None:
            refused = budget.charge(size)
            if refused is not None:
                self.metrics.refused[refused.limit] += 1
                return refused
        future: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._inflight[origin] = (digest, future)
        result = Result(None, "internal", "the server failed to apply this command (logged)")
        try:
            outcome = await self.live.submit(cmd, origin)
            if outcome.ok:
                seq = outcome.input.seq
                self.done[origin] = (seq, digest)
                result = Result(seq)
            else:
                self.metrics.rejected_total += 1
                result = Result(None, "rejected", outcome.reason)
        except LogError as exc:
            result = Result(None, "unavailable", log_refusal(exc))
        except Exception as exc:
            if self.lines.log(
                logging.ERROR, "command %s from %s failed: %s", cmd.type, origin, describe(exc)
            ):
                log.debug("the failure of command %s", cmd.type, exc_info=exc)
        finally:
            del self._inflight[origin]
            future.set_result(result)
        return result

    def spawn(self, coro: Any) -> asyncio.Task[Any]:
        task: asyncio.Task[Any] = asyncio.create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self._spawned_done)
        return task

    def _spawned_done(self, task: asyncio.Task[Any]) -> None:
        """Forget a finished task; a failure is one rate-limited line, not a traceback."""
        self.tasks.discard(task)
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None:
            self.metrics.session_errors_total += 1
            if self.lines.log(logging.ERROR, "a session's task failed: %s", describe(exc)):
                log.debug("the failure of a session's task", exc_info=exc)

    async def join(self, seat: Seat, member: str) -> None:
        """Record a team member's first arrival (needed for whole-team answers)."""
        assert seat.team is not None
        team = self.exercise.teams.get(seat.team)
        if team is None or member in team.joined:
            return
        origin = f"{seat.key}/{escape_member(member)}#join"
        result = await self.submit(c.Join(team=seat.team, member=member), origin)
        if result.seq is None:
            self.lines.log(
                logging.WARNING, "join of %s to %s not logged: %s", member, seat.team, result.reason
            )

    # ------------------------------------------------------------ limits per seat

    def sockets_for(self, seat: Seat) -> int:
        """How many sockets ``seat`` may hold open at once."""
        members = self._members.get(seat.team or "", ()) if seat.role == "team" else ()
        return self.settings.sockets_for(members)

    def budget_for(self, seat: Seat) -> SeatBudget | None:
        """The seat's budget of log writes (None: staff, unless budgeted too)."""
        if seat.role != "team" and not self.settings.budget_staff:
            return None
        budget = self.budgets.get(seat.key)
        if budget is None:
            settings = self.settings
            budget = self.budgets[seat.key] = SeatBudget(
                settings.seat_commands_per_minute, settings.seat_bytes_per_minute
            )
        return budget

    # ------------------------------------------------------------ seats

    async def revoke(self, key: str) -> tuple[str, str]:
        """Replace a seat's code; returns the new code and its join command."""
        seat = self.seats.seats[key]
        code = self.seats.reissue(key)
        header = self.seats.to_header()
        await self.live.write_log(lambda lg: lg.set_header(HEADER_KEY, header))
        url = self.url
        path = codes_path(self.log.path)
        if path.exists():
            codes = read_codes(path)
            codes[key] = code
            lines = _format_codes(self.seats, codes, url, self.scenario.title, self.program)
            await asyncio.to_thread(_write_codes, path, lines)
        for session in list(self.sessions):
            if session.seat is not None and session.seat.key == key:
                self.spawn(session.revoked())
        log.warning("join code of seat %s revoked and reissued", key)
        return code, join_line(seat, code, url, self.program)

    # ------------------------------------------------------------ metrics

    def gauges(self) -> Gauges:
        roles = {"team": 0, "facilitator": 0, "evaluator": 0, "observer": 0, "wall": 0}
        for session in self.sessions:
            if session.seat is not None and session.attached:
                roles[session.seat.role] += 1
        live = [s for s in self.sessions if s.attached]
        return Gauges(
            connections=roles,
            queue_depths=[len(s.queue) for s in live],
            queue_bytes=[s.queued_bytes for s in live],
            log_bytes=self.log.size_bytes(),
            log_seq=self.log.next_seq - 1,
            exercise_ms=self.exercise.now,
            status=self.exercise.status,
            log_lines_suppressed=self.lines.suppressed_total,
        )


_RESTART = " (clients keep theirs to resend): stop this server, fix that, restart with --resume"


def log_refusal(exc: LogError) -> str:
    """Why a command was not applied when the log cannot be written (``unavailable``: the
    client keeps it and resends it after reconnecting to the restarted server)."""
    return (
        f"not recorded: the server cannot write its event log ({exc.cause}); your command "
        "is kept and resent when the facilitator has restarted the server"
    )


def audience_of(seat: Seat) -> str:
    """The audience a seat's sessions belong to: its team, the wall, or staff."""
    if seat.role == "team":
        return str(seat.team)
    return WALL if seat.role == "wall" else STAFF
