"""What a wall seat receives of a short exercise, made by the server's own code.

A fake server (:class:`engine.net.fake.FakeServer`: the engine, the server's
shaper, hub and welcomes) plays summit-deepfake with one team per role: the clock
starts, the story's first injects go out (social posts, news, emails, calls), the
control room broadcasts to everyone and to one team, and finally calls a coffee
break with a planned end. The wall's link records what it received, parsed by the
client's own edge; nothing is written by hand. The server's wall clock stands
still, so every run gives the same messages.
"""

from __future__ import annotations

import functools

from engine import commands as c
from engine.net.fake import FakeServer
from engine.net.protocol import Incoming
from tests.tui.scripted import ROOT, SCENARIO_PATH, M, send

EPOCH = 1_000_000_000.0
MODULES_PATH = ROOT / "scenarios" / "election-disinfo.yaml"
"""A library scenario with modules (discussions)."""
"""The wall clock's "now" in the tests (2001-09-09 01:46:40 UTC)."""
BACK_AT = EPOCH + 800
"""The break's planned end: 02:00:00 UTC, 13:20 after :data:`EPOCH`."""
TO_EVERYONE = "Coffee break in 10 minutes: the clock stops, the story does not."
TO_ONE_TEAM = "CERT only: your liaison is waiting at the side door."


def wall_server() -> FakeServer:
    return FakeServer.from_file(SCENARIO_PATH, 1, wall=lambda: 0.0)


@functools.cache
def _traffic(stage: str) -> tuple[Incoming, ...]:
    if stage == "discussion":  # election-disinfo's first module, due at 0:43
        talks = FakeServer.from_file(MODULES_PATH, 1, wall=lambda: EPOCH)
        wall = talks.link("wall:wall")
        send(talks, talks.link("facilitator:control"), c.Start())
        talks.advance_to(43 * M)
        return tuple(wall.drain())
    server = wall_server()
    wall = server.link("wall:wall")
    control = server.link("facilitator:control")
    if stage != "ready":
        send(server, control, c.Start())
        server.advance_to(16 * M)
        send(server, control, c.Broadcast(title="Housekeeping", text=TO_EVERYONE))
        cert = next(t.id for t in server.roster.teams if t.role == "cert")
        send(server, control, c.Broadcast(text=TO_ONE_TEAM, teams=[cert]))
        server.advance_to(26 * M)
    if stage == "break":
        send(server, control, c.Pause(reason="Coffee break", until=BACK_AT))
    return tuple(wall.drain())


def wall_traffic(stage: str = "break") -> list[Incoming]:
    """What the wall received: ``ready`` (before the start), ``running`` (26 minutes in)
    or ``break`` (then paused for a coffee break until :data:`BACK_AT`); ``discussion``:
    election-disinfo paused for its first module's discussion."""
    return list(_traffic(stage))
