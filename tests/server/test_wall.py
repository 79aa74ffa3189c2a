"""The wall seat over the wire: it sees what the whole room may, and nothing to come.

A real server on loopback plays summit-deepfake (public posts, private emails and
calls, phases, controllers' notes, questions with scored options). Wall sockets
record every frame as it arrived, one from the start (live delivery) and one
joining at the end through a snapshot read from the log (a ring of two messages
no longer reaches back). Neither frame stream may hold any text of an inject not
yet delivered, nor the private content, questions or notes of one delivered; both
hold the headlines released so far, the broadcast to everyone and the break.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from engine import commands as c
from engine.net.client import Client
from engine.net.protocol import Ack, Error
from engine.net.server.app import build_app
from engine.net.server.room import Room
from engine.net.server.runner import prepare
from engine.net.server.settings import ServerSettings
from engine.roster import roster_from_counts
from engine.scenario import load_file
from engine.scenario.injects import PUBLIC_CHANNELS, Inject
from tests.server.conftest import wait_for

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "summit-deepfake.yaml"
M = 60_000
TO_EVERYONE = "Coffee break in ten minutes: grab a cup, the story waits."
TO_ONE_TEAM = "For the CERT only: your liaison waits at the side door."


class Frames:
    """Every text frame one raw socket received, as sent (a task reads them)."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.texts: list[str] = []
        self.task = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for msg in self.ws:
            if msg.type == aiohttp.WSMsgType.TEXT:
                self.texts.append(msg.data)

    def messages(self) -> list[dict[str, Any]]:
        return [json.loads(text) for text in self.texts]

    def events(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for msg in self.messages():
            if msg["type"] == "event":
                out.append(msg)
            elif msg["type"] == "snapshot":
                out.extend(msg["events"])
        return out

    def strings(self) -> str:
        """Every string value of every frame, decoded (what a screen could show)."""
        found: list[str] = []

        def walk(value: Any) -> None:
            if isinstance(value, str):
                found.append(value)
            elif isinstance(value, dict):
                for key, item in value.items():
                    found.append(str(key))
                    walk(item)
            elif isinstance(value, list):
                for item in value:
                    walk(item)

        for msg in self.messages():
            walk(msg)
        return "\n".join(found)


@contextlib.asynccontextmanager
async def served(
    tmp_path: Path, settings: ServerSettings | None = None
) -> AsyncIterator[tuple[str, dict[str, str], Room]]:
    loaded = load_file(SCENARIO)
    roster = roster_from_counts(loaded.require(), "1")
    prepared = prepare(loaded, tmp_path / "wall.db", roster, settings=settings)
    runner = web.AppRunner(build_app(prepared.room), handle_signals=False, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = next(a for a in runner.addresses if isinstance(a, tuple))[1]
    try:
        yield f"http://127.0.0.1:{port}", prepared.codes, prepared.room
    finally:
        await runner.cleanup()


@contextlib.asynccontextmanager
async def wall_socket(url: str, code: str) -> AsyncIterator[Frames]:
    async with aiohttp.ClientSession() as session, session.ws_connect(url + "/ws") as ws:
        await ws.send_str(json.dumps({"type": "hello", "v": 1, "code": code}))
        frames = Frames(ws)
        try:
            yield frames
        finally:
            frames.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await frames.task


def private_texts(inject: Inject) -> list[str]:
    """What the wall must never show of ``inject``, whether delivered or not: its
    questions, options, attachments and the controllers' notes."""
    texts = [inject.notes] + [a.text for a in inject.attachments]
    for exp in inject.expects:
        texts.append(exp.prompt)
        texts += [o.label for o in getattr(exp, "options", [])]
        texts += [i.label for i in getattr(exp, "items", [])]
    return texts


def content(inject: Inject) -> list[str]:
    return [inject.title, inject.body]


def needles(texts: list[str]) -> list[str]:
    """Distinctive pieces of ``texts``: the first and last 40 characters of each line."""
    out: list[str] = []
    for text in texts:
        for line in (s.strip() for s in text.splitlines()):
            if len(line) >= 12:
                out += [line[:40], line[-40:]]
    return out


async def play(url: str, codes: dict[str, str], room: Room) -> float:
    """The control room starts, jumps 30 minutes on, broadcasts to everyone and to one
    team, then calls a coffee break; returns the break's planned end."""
    control = Client(url, codes["facilitator:control"], "Fay")
    try:
        await control.wait_joined(5)
        cert = next(t.id for t in room.exercise.roster.teams if t.role == "cert")
        until = time.time() + 600
        for command in (
            c.Start(),
            c.Jump(to=30 * M),
            c.Broadcast(title="Housekeeping", text=TO_EVERYONE),
            c.Broadcast(text=TO_ONE_TEAM, teams=[cert]),
            c.Pause(reason="Coffee break", until=until),
        ):
            assert isinstance(await control.send(command), Ack), command
    finally:
        await control.close()
    return until


def released_and_secret(room: Room) -> tuple[list[Inject], list[str]]:
    """The public injects delivered so far, and pieces of text the wall must never hold:
    every undelivered or private inject's title and body, every question, option,
    attachment and controllers' note, the scenario's description, the one-team message."""
    scenario = room.scenario
    teams = room.exercise.teams.values()
    delivered = {
        i.id for i in scenario.injects if any(t.status_of(i.id) == "delivered" for t in teams)
    }
    public = [i for i in scenario.injects if i.id in delivered and i.channel in PUBLIC_CHANNELS]
    assert public and len(delivered) > len(public) and len(delivered) < len(scenario.injects)
    titles = {p.title for p in public}
    hidden = [i for i in scenario.injects if i not in public and i.title not in titles]
    texts = [t for i in scenario.injects for t in private_texts(i)]
    texts += [t for i in hidden for t in content(i)]
    return public, needles([*texts, scenario.description, TO_ONE_TEAM])


def paused(frames: Frames) -> bool:
    return any(e["kind"] == "pause" for e in frames.events())


async def test_a_wall_connection_never_receives_an_undelivered_inject(tmp_path: Path) -> None:
    settings = ServerSettings(team_ring=2)  # a wall joining late gets a snapshot from the log
    async with served(tmp_path, settings) as (url, codes, room):
        async with wall_socket(url, codes["wall:wall"]) as live:
            await wait_for(lambda: bool(live.texts), what="the welcome")
            until = await play(url, codes, room)
            await live.ws.send_str(
                json.dumps({"type": "command", "id": "w1", "command": {"type": "resume"}})
            )
            await wait_for(lambda: any('"w1"' in t for t in live.texts), what="a refusal")
            await wait_for(lambda: paused(live), what="the pause")
            async with wall_socket(url, codes["wall:wall"]) as late:
                await wait_for(lambda: paused(late), what="the pause, caught up")
        public, secret = released_and_secret(room)
        for name, frames in {"live": live, "late": late}.items():
            shown = frames.strings()
            leaked = [s for s in secret if s in shown]
            assert not leaked, (name, leaked[:5])
            for inject in public:
                assert inject.title in shown, (name, inject.id)
            assert TO_EVERYONE in shown, name
            pauses = [e for e in frames.events() if e["kind"] == "pause"]
            assert pauses[-1]["payload"] == {"reason": "Coffee break", "until": until}
            welcome = frames.messages()[0]
            assert welcome["type"] == "welcome" and welcome["role"] == "wall"
            assert "scenario_text" not in welcome["exercise"], name
        assert late.messages()[0]["resume"] == "snapshot"  # read from the log
        refusal = next(m for m in live.messages() if m.get("id") == "w1")
        assert refusal["code"] == "forbidden", "a wall may send nothing"
        assert room.exercise.status == "paused"


@pytest.mark.parametrize("seat", ["team:cert-01", "observer:observer"])
async def test_the_wall_command_refuses_another_seat_s_code(tmp_path: Path, seat: str) -> None:
    """``sitroom wall`` with a team's or an observer's code says which command opens it:
    a control room on the projector would show the room every answer key."""
    from tui.commands.join import Refused, console_for, open_seat
    from tui.console.login import Credentials
    from tui.wall.app import WallScreen

    async with served(tmp_path) as (url, codes, _room):
        key = seat if seat in codes else next(k for k in codes if k.startswith("team:"))
        with pytest.raises(Refused, match="sitroom join"):
            await open_seat(Credentials(url, codes[key], ""), "wall")
        for want in ("wall", "join"):  # sitroom wall, and sitroom join with a wall code
            joined = await open_seat(Credentials(url, codes["wall:wall"], ""), want)
            try:
                assert joined.role == "wall" and isinstance(console_for(joined), WallScreen)
            finally:
                await joined.client.close()


async def test_a_pause_whose_end_has_passed_is_refused(tmp_path: Path) -> None:
    async with served(tmp_path) as (url, codes, room):
        control = Client(url, codes["facilitator:control"], "Fay")
        try:
            await control.wait_joined(5)
            assert isinstance(await control.send(c.Start()), Ack)
            answer = await control.send(c.Pause(reason="Lunch", until=time.time() - 60))
            assert isinstance(answer, Error) and answer.code == "rejected"
            assert "already passed" in answer.reason
            assert room.exercise.status == "running"
        finally:
            await control.close()
