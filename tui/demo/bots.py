"""Bot teams and a bot evaluator that play the demo over real WebSockets.

Why sockets and not calls into the room: a bot then sees exactly what a human
team sees (the server shapes and filters every event for its audience) and may
do only what the team's seat may do (the server fills in and checks identities).
The demo thus exercises the path people use, and bots cannot cheat by reading
the engine. The cost is a few loopback connections.

The answers themselves are planned by :class:`engine.bots.BotTeams`, the same
profiles the dry-run uses. A plan says "at exercise time t, send this"; each bot
follows the exercise clock from the server's ``clock`` messages, so a pause or a
change of speed in the control room holds or hurries the bots too.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
from typing import Any

from engine.bots import BotTeams, Planned
from engine.client import Client, ClientClosed
from engine.events import DELIVERED, Event
from tui.model.clock import ConsoleClock

_MAX_NAP = 0.5
"""Longest sleep between looks at the clock (seconds of wall time)."""


class BotSeat:
    """One bot connection: follows the clock, reacts to events, sends planned commands."""

    def __init__(self, url: str, code: str, name: str, bots: BotTeams) -> None:
        self.bots = bots
        self.clock = ConsoleClock()
        self.client = Client(url, code, name, on_message=self._on_message, heartbeat=None)
        self._plans: list[tuple[int, int, Planned]] = []
        self._order = itertools.count()
        self._seen: set[int] = set()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.sent = 0
        """Commands the server acknowledged."""
        self.refused: list[str] = []
        """Reasons of commands the server did not take (kept for tests and debugging)."""

    # ------------------------------------------------------------ lifecycle

    def start(self) -> None:
        self.client.start()
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name=f"demo-bot {self.client.name}")

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        await self.client.close()

    # ------------------------------------------------------------ input

    def _on_message(self, msg: dict[str, Any]) -> None:
        kind = msg.get("type")
        if kind == "clock":
            self.clock.update(
                int(msg["now"]), str(msg["status"]), float(msg["speed"]), int(msg["duration"])
            )
        elif kind == "event":
            self._event(msg)
        elif kind == "snapshot":
            for event in msg.get("events", []):
                self._event(event)
        else:
            return
        self._wake.set()

    def _event(self, msg: dict[str, Any]) -> None:
        seq = int(msg.get("seq", 0))
        if seq in self._seen:
            return
        self._seen.add(seq)
        event = self.to_engine_event(msg)
        if event is None:
            return
        for plan in self.bots.react(event):
            heapq.heappush(self._plans, (plan.t, next(self._order), plan))

    def to_engine_event(self, msg: dict[str, Any]) -> Event | None:
        """The engine event a wire event stands for, as far as bots need it."""
        raise NotImplementedError

    def wire_command(self, plan: Planned) -> dict[str, Any]:
        """The command as this seat sends it (the server fills in who sends it)."""
        return plan.cmd.model_dump(mode="json", exclude_none=True)

    # ------------------------------------------------------------ output

    async def _run(self) -> None:
        while True:
            self._wake.clear()
            nap = self._due_in()
            if nap == 0.0:
                _, _, plan = heapq.heappop(self._plans)
                await self._send(plan)
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), nap)

    def _due_in(self) -> float | None:
        """0 when the first plan is due, else how long to nap (None: until woken)."""
        if not self._plans or self.clock.status != "running":
            return None
        left_ms = self._plans[0][0] - self.clock.now()
        if left_ms <= 0:
            return 0.0
        return min(_MAX_NAP, left_ms / 1000 / max(self.clock.speed, 1e-6))

    async def _send(self, plan: Planned) -> None:
        try:
            reply = await self.client.send(self.wire_command(plan))
        except ClientClosed as exc:
            self.refused.append(str(exc))
            return
        if reply.get("type") == "ack":
            self.sent += 1
        else:
            self.refused.append(str(reply.get("reason", reply)))


class BotTeam(BotSeat):
    """A bot playing one team with that team's join code."""

    def __init__(self, url: str, code: str, team: str, bots: BotTeams) -> None:
        super().__init__(url, code, f"{team} bot", bots)
        self.team = team

    def to_engine_event(self, msg: dict[str, Any]) -> Event | None:
        if msg.get("kind") != DELIVERED:
            return None
        inject = msg.get("payload", {}).get("inject", {})
        if not isinstance(inject, dict) or "id" not in inject:
            return None
        payload = {"inject": inject["id"], "teams": [self.team]}
        return Event(DELIVERED, int(msg["t"]), payload, seq=int(msg["seq"]))


class BotEvaluator(BotSeat):
    """A bot evaluator (an evaluator seat) grading the bot teams' manual expectations."""

    def to_engine_event(self, msg: dict[str, Any]) -> Event | None:
        if msg.get("kind") != "respond":
            return None
        return Event("respond", int(msg["t"]), dict(msg.get("payload", {})), seq=int(msg["seq"]))

    def wire_command(self, plan: Planned) -> dict[str, Any]:
        command = super().wire_command(plan)
        command.pop("evaluator", None)  # the server grades in the seat's name
        return command
