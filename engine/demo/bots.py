"""Bot teams and a bot evaluator that play the demo over real WebSockets.

Why sockets and not calls into the room: a bot then sees exactly what a human
team sees (the server shapes and filters every event for its audience) and may
do only what the team's seat may do (the server fills in and checks identities).
The demo thus exercises the path people use, and bots cannot cheat by reading
the engine. The cost is a few loopback connections.

The answers themselves are planned by :class:`engine.bots.BotTeams`, the same
profiles the dry-run uses. A plan says "at exercise time t, send this command";
each bot follows the exercise clock from the server's ``clock`` messages, so a
pause or a change of speed in the control room holds or hurries the bots too.

A bot's connection is anything with the client's interface (:class:`BotLink`):
the shipped :class:`~engine.net.client.Client`, or a fake link in tests.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import logging
from typing import Protocol

from pydantic import ValidationError

from engine import commands as c
from engine.aio import woken
from engine.bots import BotTeams, Planned
from engine.clock import ClockView
from engine.events import Delivered, Event
from engine.net.client import ClientClosed
from engine.net.protocol import (
    Answer,
    ClockMsg,
    Error,
    EventMsg,
    Incoming,
    Snapshot,
    Welcome,
    staff_event,
    team_event,
)
from engine.views import InjectShown

log = logging.getLogger("sitroom.demo")

_MAX_NAP = 0.5
"""Longest sleep between looks at the clock (seconds of wall time)."""


class BotLink(Protocol):
    """What a bot needs of its connection (the shipped client and the fake link have it)."""

    def start(self) -> None: ...

    async def send(self, command: c.AnyCommand, *, id: str | None = None) -> Answer: ...

    async def close(self) -> None: ...


class BotSeat:
    """One bot on one seat: follows the clock, reacts to events, sends planned commands.

    Its link is made with :meth:`on_message` as the callback, then handed to
    :meth:`start`::

        bot = BotTeam("cert", planner)
        bot.start(Client(url, code, "cert bot", on_message=bot.on_message))
    """

    def __init__(self, bots: BotTeams) -> None:
        self.bots = bots
        self.clock = ClockView()
        self.link: BotLink | None = None
        self.welcome: Welcome | None = None
        self._plans: list[tuple[int, int, Planned]] = []
        self._order = itertools.count()
        self._seen: set[int] = set()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.sent = 0
        """Commands the server acknowledged."""
        self.refused: list[str] = []
        """Reasons of commands the server did not take (kept for tests and debugging)."""
        self.unreadable = 0
        """Events whose payload did not parse as this seat's view (ignored)."""

    # ------------------------------------------------------------ lifecycle

    def start(self, link: BotLink) -> None:
        self.link = link
        link.start()
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name=f"demo-bot {type(self).__name__}")

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        if self.link is not None:
            await self.link.close()

    # ------------------------------------------------------------ input

    def on_message(self, msg: Incoming) -> None:
        if isinstance(msg, ClockMsg):
            self.clock.update(msg.now, msg.status, msg.speed, msg.duration)
        elif isinstance(msg, EventMsg):
            self._event(msg)
        elif isinstance(msg, Snapshot):
            for event in msg.events:
                self._event(event)
        elif isinstance(msg, Welcome):
            self.welcome = msg
            return
        else:
            return
        self._wake.set()

    def _event(self, msg: EventMsg) -> None:
        if msg.seq in self._seen:
            return
        self._seen.add(msg.seq)
        try:
            event = self.to_engine_event(msg)
        except ValidationError as exc:
            self.unreadable += 1
            log.warning("bot: unreadable %s event #%d: %s", msg.kind, msg.seq, exc)
            return
        if event is None:
            return
        for plan in self.bots.react(event):
            heapq.heappush(self._plans, (plan.t, next(self._order), plan))

    def to_engine_event(self, msg: EventMsg) -> Event | None:
        """The engine event a received event stands for, as far as bots need it."""
        raise NotImplementedError

    def command(self, plan: Planned) -> c.AnyCommand:
        """The planned command as this seat sends it."""
        return plan.cmd

    # ------------------------------------------------------------ output

    async def _run(self) -> None:
        while True:
            self._wake.clear()
            nap = self._due_in()
            if nap == 0.0:
                _, _, plan = heapq.heappop(self._plans)
                await self._send(plan)
                continue
            await woken(self._wake, nap)

    def _due_in(self) -> float | None:
        """0 when the first plan is due, else how long to nap (None: until woken)."""
        if not self._plans:
            return None
        wait = self.clock.seconds_until(self._plans[0][0])
        return None if wait is None else min(_MAX_NAP, wait)

    async def _send(self, plan: Planned) -> None:
        assert self.link is not None
        try:
            reply = await self.link.send(self.command(plan))
        except ClientClosed as exc:
            self.refused.append(str(exc))
            return
        if isinstance(reply, Error):
            self.refused.append(reply.reason)
        else:
            self.sent += 1


class BotTeam(BotSeat):
    """A bot playing one team (on that team's seat): answers what is delivered to it."""

    def __init__(self, team: str, bots: BotTeams) -> None:
        super().__init__(bots)
        self.team = team

    def to_engine_event(self, msg: EventMsg) -> Event | None:
        body = team_event(msg).body
        if not isinstance(body, InjectShown):
            return None
        delivered = Delivered(inject=body.inject.id, teams=[self.team], cause=body.cause)
        return Event(delivered, msg.t, msg.seq)


class BotEvaluator(BotSeat):
    """A bot evaluator (an evaluator seat) grading the bot teams' manual expectations."""

    def to_engine_event(self, msg: EventMsg) -> Event | None:
        event = staff_event(msg)
        return event if isinstance(event.body, c.Respond) else None

    def command(self, plan: Planned) -> c.AnyCommand:
        """Grades go in the seat's name (the server refuses another evaluator's)."""
        cmd = plan.cmd
        seat = self.welcome.seat if self.welcome is not None else None
        if isinstance(cmd, c.Grade | c.Rate) and seat is not None:
            return cmd.model_copy(update={"evaluator": seat.split(":", 1)[1]})
        return cmd
