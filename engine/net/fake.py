"""A fake link: the server's own shaping and fan-out in memory, behind the client's interface.

Shipped beside the real client the way httpx ships ``MockTransport``: consoles,
bots and benchmarks take anything with the client's interface, and tests give
them a :class:`FakeLink` instead of a socket. What a fake link delivers is what
the real server would send that seat, made by the server's own code, never by
hand: the engine (:class:`~engine.exercise.Exercise`) applies the commands; the
server's :class:`~engine.net.server.audience.Shaper`, :class:`~engine.net.server.hub.Hub`
(rings and all), :class:`~engine.net.server.audience.Welcomes`, clock message,
snapshot and command admission (:func:`~engine.net.server.connection.admit`:
authorisation, identity, validation) turn it into wire text; and the link reads
that text through the client's own edge (:class:`~engine.net.client.Edge`), so it
hands out the very messages a :class:`~engine.net.client.Client` would.

What differs from a live server is time: nothing runs on the wall clock. The
exercise clock moves when the test says (:meth:`FakeServer.advance_to`, or a
``jump`` sent by a facilitator's link), and commands apply at once, at the
exercise's current time. The server's ``wall`` stamps come from a callable
(:func:`time.time` by default; a constant makes output reproducible).

Example::

    server = FakeServer.from_file("scenarios/summit-deepfake.yaml", teams=1)
    control = server.link("facilitator:control")
    team = server.link("team:cert", "Amira")
    await control.send(c.Start())
    server.advance_to(10 * 60_000)
    async for msg in team.messages(): ...
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

from engine import commands as c
from engine.aio import within
from engine.commands import AnyCommand
from engine.events import Event
from engine.exercise import Exercise
from engine.net.client import (
    Callback,
    ClientClosed,
    Edge,
    EdgeCounters,
    FileUnavailable,
    check_file,
    command_message,
    new_id,
    no_such_file,
)
from engine.net.protocol import (
    SERVER_ADAPTER,
    SHUTTING_DOWN,
    Ack,
    Answer,
    Bye,
    Error,
    Incoming,
    LinkState,
    Welcome,
)
from engine.net.server.audience import (
    STAFF,
    Resume,
    Shaper,
    Welcomes,
    clock_text,
    is_clock_change,
)
from engine.net.server.catchup import snapshot_of
from engine.net.server.connection import (
    Refused,
    ack_text,
    admit,
    bye_text,
    error_text,
    unknown_controller,
)
from engine.net.server.hub import Hub
from engine.net.server.metrics import Metrics
from engine.net.server.room import audience_of, body_of, escape_member, reused
from engine.net.server.seats import Seat, SeatBook
from engine.net.server.settings import ServerSettings
from engine.net.why import BY_CLIENT, GOODBYE, Why, lost
from engine.roster import Roster, roster_from_counts
from engine.scenario import load_file
from engine.scenario.attachfiles import Served, served_files
from engine.scenario.lang import translations_of
from engine.scenario.load import LoadResult

WallClock = Callable[[], float]


class FakeServer:
    """One exercise served in memory to any number of :class:`FakeLink`\\ s.

    ``scenario`` is the loaded scenario (its text is what staff are sent); the
    seats are those ``sitroom serve`` issues for ``roster`` (``team:ID``,
    ``facilitator:control``, ``evaluator:lead``, ``observer:observer``, …).
    """

    def __init__(
        self,
        scenario: LoadResult,
        roster: Roster,
        seed: int | None = None,
        *,
        facilitators: int = 1,
        evaluators: int = 1,
        observers: int = 1,
        settings: ServerSettings | None = None,
        wall: WallClock = time.time,
    ) -> None:
        sc = scenario.require()
        self.scenario = sc
        self.roster = roster
        self.settings = settings or ServerSettings()
        self.exercise = Exercise(sc, roster, sc.seed if seed is None else seed)
        self.seats, _codes = SeatBook.issue(
            roster, facilitators=facilitators, evaluators=evaluators, observers=observers
        )
        self.wall = wall
        self.metrics = Metrics()
        translations = translations_of(scenario.text, scenario.name, scenario.languages)
        self.shaper = Shaper(sc, translations)
        self.files: dict[str, Served] = (
            {} if scenario.folder is None else served_files(sc, scenario.folder)
        )
        """Attachment files by sha256, as the real server's ``Room.files``."""
        self.hub = Hub(
            self.shaper,
            self.metrics,
            self.exercise.teams,
            team_ring=self.settings.team_ring,
            staff_ring=self.settings.staff_ring,
            now=lambda: self.exercise.now,
        )
        self.welcomes = Welcomes(
            sc, scenario.text, roster.to_list(), self.seats.controllers(), translations
        )
        self.events: list[Event] = []
        """Every event so far, numbered as the log would number them (the fake's log)."""
        self.links: list[FakeLink] = []
        self._done: dict[str, tuple[int, bytes]] = {}

    @classmethod
    def from_file(
        cls,
        path: str | Path,
        teams: str | int = 1,
        seed: int | None = None,
        *,
        settings: ServerSettings | None = None,
        wall: WallClock = time.time,
    ) -> FakeServer:
        """A fake server for a scenario file, ``teams`` as ``sitroom serve --teams`` takes it."""
        loaded = load_file(path)
        roster = roster_from_counts(loaded.require(), teams)
        return cls(loaded, roster, seed, settings=settings, wall=wall)

    # ------------------------------------------------------------------ time

    @property
    def now(self) -> int:
        """Exercise time (ms)."""
        return self.exercise.now

    def advance_to(self, t: int) -> list[Event]:
        """Let the running exercise clock reach ``t`` (ms); returns what happened on the way.

        Everything due by then is delivered to the links, as a live server would
        deliver it. Raises :class:`RuntimeError` unless the clock runs: a live
        server's clock stands still before the start, while paused and after the end.
        """
        ex = self.exercise
        if ex.status != "running":
            raise RuntimeError(f"the exercise clock does not run (the exercise is {ex.status})")
        ex.advance_to(ex.bound(t))  # as a live server: never past a module's discussion
        return self._publish(ex.drain())

    # ------------------------------------------------------------------ links

    def link(
        self,
        seat: str,
        name: str | None = None,
        *,
        last_seq: int = 0,
        on_message: Callback | None = None,
    ) -> FakeLink:
        """A joined link on ``seat`` (a seat key such as ``team:cert``), as member ``name``.

        Team members must give a name (as with the real server); staff seats are
        named after the seat unless given one.
        """
        found = self.seats.seats.get(seat)
        if found is None:
            raise KeyError(f"no seat {seat!r}: the seats are {', '.join(self.seats.seats)}")
        if found.role == "team" and not name:
            raise ValueError("team members must give a name")
        link = FakeLink(self, found, name or found.name, last_seq, on_message)
        self.links.append(link)
        self._join(link)
        return link

    def shutdown(self, reason: str = SHUTTING_DOWN) -> None:
        """Say goodbye to every link and close it, as a server stopping gracefully does."""
        for link in list(self.links):
            if link.state != "closed":
                link._receive(bye_text(reason))
                link._finish(link.why)

    def _join(self, link: FakeLink) -> None:
        """What a session does on a ``hello``: record the member, subscribe, catch up."""
        seat = link.seat
        if seat.role == "team":
            assert seat.team is not None
            team = self.exercise.teams.get(seat.team)
            if team is not None and link.member not in team.joined:
                join = c.Join(team=seat.team, member=link.member)
                self._apply(join, f"{seat.key}/{escape_member(link.member)}#join")
        upto = self.hub.last_seq
        missed = self.hub.subscribe(link, link.last_seq)
        mode: Resume = "snapshot" if missed is None else ("catchup" if missed else "live")
        link._receive(self.welcomes.text(seat, link.member, upto, mode))
        link._receive(self._clock_text())
        if missed is None:
            link._receive(snapshot_of(self.events, self.shaper, link.audience, upto))
        else:
            for text in missed:
                link._receive(text)
        if link.audience == STAFF:  # after the catch-up, as a session: who is connected
            link._receive(self.hub.presence.text())

    # ------------------------------------------------------------------ commands

    def command(self, link: FakeLink, command: AnyCommand, mid: str) -> Answer:
        """A command from ``link``, admitted, applied and answered as the room would."""
        seat = link.seat
        try:
            send = admit(seat, link.member, command_message(command, mid))
        except Refused as exc:
            return _answer(error_text(exc.code, exc.reason, mid))
        unknown = unknown_controller(self.seats, send.command)
        if unknown is not None:
            return _answer(error_text("bad_message", unknown, mid))
        origin = f"{seat.key}/{escape_member(link.member)}/{mid}"
        digest, _size = body_of(send.command)
        found = self._done.get(origin)
        if found is not None:
            if found[1] != digest:
                refused = reused(origin, found[0])
                assert refused.code is not None
                return _answer(error_text(refused.code, refused.reason, mid))
            self.metrics.duplicates_total += 1
            return _answer(ack_text(mid, found[0]))
        applied = self._apply(send.command, origin)
        if isinstance(applied, str):
            self.metrics.rejected_total += 1
            return _answer(error_text("rejected", applied, mid))
        return _answer(ack_text(mid, applied))

    def _apply(self, cmd: AnyCommand, origin: str) -> int | str:
        """Apply a command now; its logged seq, or why the exercise refused it."""
        ex = self.exercise
        outcome = ex.submit(cmd, ex.now)
        if not outcome.ok:
            return outcome.reason
        outcome.input.origin = origin
        self._publish(ex.drain())
        seq = outcome.input.seq
        self._done[origin] = (seq, body_of(cmd)[0])
        self.metrics.count_inputs(1)
        return seq

    def _publish(self, events: list[Event]) -> list[Event]:
        """Log (number) and fan out, as the room does after a commit."""
        if not events:
            return events
        wall = self.wall()
        for event in events:
            event.seq = len(self.events) + 1
            event.wall = wall
            self.events.append(event)
        self.hub.publish(events, wall)
        if any(is_clock_change(e) for e in events):
            self.hub.send_all(self._clock_text())
        return events

    def _clock_text(self) -> str:
        ex = self.exercise
        return clock_text(ex.now, ex.status, ex.speed, self.wall(), self.scenario.duration)


def _answer(text: str) -> Answer:
    msg = SERVER_ADAPTER.validate_json(text)
    assert isinstance(msg, Ack | Error), msg
    return msg


class FakeLink(EdgeCounters):
    """One seat's connection to a :class:`FakeServer`, with the client's interface.

    Like :class:`~engine.net.client.Client`: :meth:`messages` (or ``on_message``)
    hands out typed messages in order, a :class:`~engine.net.protocol.LinkChange`
    first; :meth:`send` answers with an ``Ack`` or ``Error``; ``welcome``,
    ``state``, ``last_seq``, ``duplicates`` and ``bad_frames`` mean what they mean
    there. :meth:`drop` and :meth:`reconnect` play a lost connection and its return
    (catching up from the hub's ring, or by snapshot, like a real reconnection).
    """

    def __init__(
        self,
        server: FakeServer,
        seat: Seat,
        member: str,
        last_seq: int = 0,
        on_message: Callback | None = None,
    ) -> None:
        self.server = server
        self.seat = seat
        self.member = member
        self.name = member
        self.audience = audience_of(seat)
        self._edge = Edge(last_seq)
        self._on_message = on_message
        self._queue: asyncio.Queue[Incoming | None] = asyncio.Queue()
        self._up = asyncio.Event()
        self.state: LinkState = "connecting"
        self.welcome: Welcome | None = None
        self.why = Why()
        """Why the link last went down (or closed for good), as the client decides it."""
        self.connects = 0

    @property
    def pending(self) -> int:
        """Commands waiting for an answer (none: the fake answers at once when up)."""
        return 0

    @property
    def backlog(self) -> int:
        """Messages received and not yet taken by :meth:`messages` (or :meth:`drain`)."""
        return self._queue.qsize()

    # ------------------------------------------------------------------ the client's interface

    def start(self) -> None:
        """Nothing to start: a fake link is joined when made (for the client's interface)."""

    async def wait_joined(self, timeout: float | None = None) -> Welcome:
        if self.state == "closed":
            raise ClientClosed(self.why)
        await within(self._up.wait(), timeout)
        assert self.welcome is not None
        return self.welcome

    async def messages(self) -> AsyncIterator[Incoming]:
        """Server messages and link changes, in order, until the link closes."""
        while True:
            item = await self._queue.get()
            if item is None:
                return
            yield item

    def drain(self) -> list[Incoming]:
        """Everything :meth:`messages` would yield now, taken without waiting."""
        out: list[Incoming] = []
        while not self._queue.empty():
            item = self._queue.get_nowait()
            if item is None:
                self._queue.put_nowait(None)
                break
            out.append(item)
        return out

    async def send(self, command: AnyCommand, *, id: str | None = None) -> Answer:
        """Apply a command as this seat; waits while the link is down (like the client)."""
        mid = id or new_id()
        self._check_open()
        await self._up.wait()
        self._check_open()
        return self.server.command(self, command, mid)

    async def ping(self) -> Answer:
        self._check_open()
        return _answer(ack_text(new_id(), None))

    async def fetch_file(self, sha256: str) -> bytes:
        """An attachment's file, as the real server would serve it (its ``files``)."""
        found = self.server.files.get(sha256)
        if found is None:
            raise FileUnavailable(no_such_file(404))
        return check_file(found.path.read_bytes(), sha256)

    async def close(self) -> None:
        self._finish(BY_CLIENT)

    def _check_open(self) -> None:
        if self.state == "closed":
            raise ClientClosed(self.why if self.why.reason else BY_CLIENT)

    # ------------------------------------------------------------------ connection trouble

    @property
    def reason(self) -> str:
        """Why the link last went down, in English."""
        return self.why.reason

    def drop(self, reason: str = "the cable was pulled") -> None:
        """The connection is lost: nothing arrives until :meth:`reconnect`."""
        if self.state != "connected":
            return
        self.server.hub.unsubscribe(self)
        self._up.clear()
        self.why = lost(reason)
        self._set_state("reconnecting", self.why)

    def reconnect(self) -> None:
        """Join again with the last sequence number seen (dropping first if still up)."""
        if self.state == "closed":
            raise ClientClosed(self.why)
        self.drop()
        self.server._join(self)

    # ------------------------------------------------------------------ the hub's side

    def deliver(self, text: str) -> None:
        """A message from the hub (the server's fan-out)."""
        self._receive(text)

    def _receive(self, text: str) -> None:
        """One frame, handled as the client handles it."""
        msg = self._edge.read(text)
        if msg is None:
            return
        if isinstance(msg, Welcome):
            self.connects += 1
            self.welcome = msg
            self._set_state("connected")
            self._emit(msg)
            self._up.set()
            return
        if isinstance(msg, Bye):
            self.why = Why.heard("goodbye", msg, GOODBYE)
        self._emit(msg)

    def _emit(self, message: Incoming) -> None:
        if self._on_message is not None:
            self._on_message(message)
        else:
            self._queue.put_nowait(message)

    def _set_state(self, state: LinkState, why: Why | None = None) -> None:
        if state == self.state and state != "connected":
            return
        self.state = state
        self._emit((why or Why()).change(state))

    def _finish(self, why: Why) -> None:
        if self.state == "closed":
            return
        self.server.hub.unsubscribe(self)
        self.why = why
        self.state = "closed"
        self._emit(why.change("closed"))
        self._queue.put_nowait(None)
        self._up.set()
