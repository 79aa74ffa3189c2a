"""Scripted links and canned exercise traffic for console tests and snapshots.

The traffic is what the server sends, made by the server's own code: a fake
server (:class:`engine.net.fake.FakeServer`: the engine, the server's shaper,
hub, welcomes and command admission, in memory) plays the exercise (the bots'
moves of a dry-run of summit-deepfake for staff, a short script of commands for
team ``cert``), and each seat's messages are what its link received, parsed by
the client's own edge. Nothing is written by hand. The traffic ends with the
clock paused and the server's wall clock stands still, so every snapshot is the
same on every run.

A :class:`ScriptedLink` replays such traffic to a console and records the
commands the console sends (answering each with an ``ack``).
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import AsyncIterator, Iterable
from pathlib import Path

from engine import commands as c
from engine.bots import profile_for
from engine.commands import AnyCommand
from engine.dryrun import dry_run
from engine.net.client import FileUnavailable, new_id
from engine.net.fake import FakeLink, FakeServer
from engine.net.protocol import Ack, Answer, Incoming
from engine.roster import Roster
from engine.scenario import Scenario, load_file

ROOT = Path(__file__).resolve().parents[2]
SCENARIO_PATH = ROOT / "scenarios" / "summit-deepfake.yaml"
M = 60_000


class ScriptedLink:
    """A link that replays queued server messages and records what the console sent."""

    def __init__(self, messages: Iterable[Incoming] = (), reply: Answer | None = None) -> None:
        self.queue: asyncio.Queue[Incoming | None] = asyncio.Queue()
        for message in messages:
            self.queue.put_nowait(message)
        self.sent: list[AnyCommand] = []
        self.reply: Answer = reply or Ack(id="t", seq=1)

    def push(self, *messages: Incoming) -> None:
        for message in messages:
            self.queue.put_nowait(message)

    async def messages(self) -> AsyncIterator[Incoming]:
        while True:
            item = await self.queue.get()
            if item is None:
                return
            yield item

    async def send(self, command: AnyCommand) -> Answer:
        self.sent.append(command)
        return self.reply

    async def fetch_file(self, sha256: str) -> bytes:
        raise FileUnavailable("a scripted link serves no files")

    async def close(self) -> None:
        self.queue.put_nowait(None)


def fake_server(teams: int | str = 1, path: Path = SCENARIO_PATH) -> FakeServer:
    """A fake server for ``path`` whose wall clock stands still (reproducible messages)."""
    return FakeServer.from_file(path, teams, wall=lambda: 0.0)


def send(server: FakeServer, link: FakeLink, command: AnyCommand) -> None:
    """Send a command as ``link``'s seat, at the exercise's current time (it must be taken)."""
    answer = server.command(link, command, new_id())
    assert isinstance(answer, Ack), answer


def played(
    path: Path, seat: str, member: str, *commands: AnyCommand, at: int = 6 * M
) -> tuple[Incoming, ...]:
    """What ``member`` at ``seat`` received of the scenario file ``path`` on the fake
    server: started, run to ``at``, ``commands`` sent as that member, then paused."""
    server = fake_server(1, path)
    control = server.link("facilitator:control")
    link = server.link(seat, member)
    send(server, control, c.Start())
    server.advance_to(at)
    for command in commands:
        send(server, link, command)
    send(server, control, c.Pause())
    return tuple(link.drain())


def scenario() -> tuple[Scenario, str]:
    loaded = load_file(SCENARIO_PATH)
    return loaded.require(), loaded.text


STAFF_SEATS = {
    "facilitator": ("facilitator:control", "control"),
    "observer": ("observer:observer", "guest"),
    "evaluator": ("evaluator:lead", "lead"),
}


@functools.cache
def _staff_traffic(until: int, teams: int) -> tuple[dict[str, tuple[Incoming, ...]], Roster]:
    server = fake_server(teams)
    sc, roster = server.scenario, server.roster
    staff = {role: server.link(seat, name) for role, (seat, name) in STAFF_SEATS.items()}
    control = staff["facilitator"]
    # The bots' moves of a dry-run, made by team members over their own links.
    profiles = {s.id: profile_for(i, "mix") for i, s in enumerate(roster.teams)}
    played = dry_run(sc, roster, profiles, seed=sc.seed)
    members: dict[tuple[str, str], FakeLink] = {}

    def member(team: str, name: str) -> FakeLink:
        key = (team, name)
        if key not in members:
            members[key] = server.link(f"team:{team}", name)
        return members[key]

    asker = roster.teams[3].id
    question = c.Ask(
        team=asker, member="Jo", actor="press", text="Can you confirm the clip is fake before six?"
    )
    script = [(e.t, e.command()) for e in played.events if e.is_input and e.t <= until]
    if until >= 3 * M:
        script.append((until - 3 * M, question))
    for t, command in sorted(script, key=lambda tc: tc[0]):
        if server.exercise.status == "running":
            server.advance_to(t)
        team = getattr(command, "team", None)
        name = getattr(command, "member", None)
        seat = control if team is None or name is None else member(team, name)
        send(server, seat, command)
    if server.exercise.status == "running":
        server.advance_to(until)
        send(server, control, c.Pause())
    return {role: tuple(link.drain()) for role, link in staff.items()}, roster


def staff_traffic(
    until: int = 50 * M, teams: int = 3, role: str = "facilitator"
) -> tuple[list[Incoming], Roster]:
    """What a staff seat received of a dry-run up to ``until`` (paused there): its welcome,
    the events, the clock. ``role``: facilitator, observer or evaluator."""
    traffic, roster = _staff_traffic(until, teams)
    return list(traffic[role]), roster


TEAM_SCRIPT: list[tuple[int, AnyCommand]] = [
    (0, c.Start()),
    (
        9 * M,
        c.Respond(team="cert", member="Bo", expectation="I-01.first-move", choice="authenticate"),
    ),
    (
        24 * M,
        c.Ask(
            team="cert",
            member="Amira",
            actor="platform",
            text="Can you share the original upload's metadata?",
        ),
    ),
    (
        27 * M,
        c.Reply(team="cert", actor="platform", text="Yes: uploaded 08:12 from a new account."),
    ),
    (
        28 * M,
        c.TeamNote(team="cert", member="Bo", text="Ministry confirms: no announcement planned."),
    ),
    (30 * M, c.Broadcast(title="Situation update", text="The platform has labelled the clip.")),
    (40 * M, c.Pause()),
]
"""What happens in team ``cert``'s first forty minutes (the engine adds its deliveries,
deadlines and decisions)."""


@functools.cache
def _team_traffic() -> tuple[Incoming, ...]:
    server = fake_server(1)
    control = server.link("facilitator:control")
    team = server.link("team:cert", "Amira")
    others: dict[str, FakeLink] = {}
    for t, command in TEAM_SCRIPT:
        if server.exercise.status == "running":
            server.advance_to(t)
        name = getattr(command, "member", None)
        if name is None:
            link = control
        elif name == team.member:
            link = team
        else:
            link = others.setdefault(name, server.link("team:cert", name))
        send(server, link, command)
    return tuple(team.drain())


def team_traffic() -> list[Incoming]:
    """What team ``cert`` (member Amira) sees forty minutes in: injects, an answer by
    another member, messages; paused."""
    return list(_team_traffic())
