"""The fake link (``engine.net.fake``) hands each seat what the real server sends it.

The same play runs twice: through a real server (in-process, real sockets, the
shipped client) and through a :class:`FakeServer`. Every seat must receive the
same typed messages in the same order, save the server's wall-clock stamps, and
every command the same answer. The real clock runs so slowly (speed 1e-4) that
it never moves by itself within the test: time moves only by jumps, as in the
fake.

Then what the fake adds: its own clock (``advance_to``), dropped links catching
up (from the ring, or by snapshot), and the client's interface.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from engine import commands as c
from engine.net.client import ClientClosed, Edge
from engine.net.fake import FakeLink, FakeServer
from engine.net.protocol import (
    Ack,
    ClockMsg,
    Error,
    EventMsg,
    Incoming,
    LinkChange,
    Snapshot,
    Welcome,
    team_event,
)
from engine.net.server.settings import ServerSettings
from engine.roster import roster_from_counts
from engine.scenario import load_file
from engine.views import InjectShown
from tests.server.conftest import FIXTURE, M, Recorder, serving

SEATS: list[tuple[str, str | None]] = [
    ("facilitator:control", "Fay"),
    ("evaluator:lead", "Eve"),
    ("observer:observer", None),
    ("team:a-01", "amira"),
    ("team:a-01", "ali"),
    ("team:a-02", "al"),
    ("team:b-01", "bo"),
]
SLOW = 1e-4
"""Exercise seconds per wall second: the live clock stays put for the test's length."""


def script() -> list[tuple[int, c.AnyCommand]]:
    """(seat index, command): every kind of event, time moved by jumps only."""
    return [
        (0, c.SetSpeed(speed=SLOW)),
        (0, c.Start()),
        (0, c.Hold(inject="C1", teams=["b-02"])),
        (0, c.Jump(to=11 * M)),
        (3, c.Respond(team="a-01", member="amira", expectation="A1.d", choice="good")),
        (5, c.Respond(team="a-02", member="al", expectation="A1.d", choice="bad")),
        (3, c.Respond(team="a-02", member="amira", expectation="A1.d", choice="bad")),
        (3, c.Ask(team="a-01", member="amira", actor="x", text="is it real?")),
        (0, c.Reply(actor="x", team="a-01", text="no comment")),
        (4, c.TeamNote(team="a-01", member="ali", text="called the ministry")),
        (0, c.Broadcast(text="to a-01 only", teams=["a-01"])),
        (0, c.Broadcast(text="to everyone", actor="x")),
        (0, c.Pause(reason="coffee")),
        (0, c.Pause(reason="already paused")),
        (0, c.Resume()),
        (0, c.Release(inject="K1", teams=["a-02"])),
        (0, c.Cancel(inject="T1", teams=["b-01"])),
        (0, c.Jump(to=62 * M)),
        (1, c.Grade(evaluator="lead", team="a-01", expectation="T1.m", points=4)),
        (1, c.Rate(evaluator="lead", team="a-01", objective="obj", rating="S")),
        (1, c.Note(author="lead", text="good call", team="a-01")),
        (2, c.Note(author="x", text="observers only watch")),
        (0, c.End(reason="done")),
    ]


def comparable(msg: Incoming) -> Any:
    """A message without what differs between two runs: wall stamps and message ids."""
    if isinstance(msg, LinkChange):
        return ("link", msg.state)
    if isinstance(msg, EventMsg | ClockMsg):
        return msg.model_dump(exclude={"wall"})
    if isinstance(msg, Snapshot):
        return ("snapshot", msg.last_seq, [comparable(e) for e in msg.events])
    return msg.model_dump()


def answer_of(reply: Ack | Error) -> Any:
    return reply.model_dump(exclude={"id"})


async def test_every_seat_gets_from_the_fake_what_the_real_server_sends(tmp_path: Path) -> None:
    real_answers: list[Any] = []
    async with serving(tmp_path) as served:
        clients = [await served.client(seat, name) for seat, name in SEATS]
        for who, command in script():
            real_answers.append(answer_of(await clients[who][0].send(command)))
        for _, rec in clients:
            await rec.wait(lambda r: "ended" in r.kinds(), what="the end")
            await rec.wait(lambda r: r.of(ClockMsg)[-1].status == "ended", what="the clock")
        real = [[comparable(m) for m in rec.messages] for _, rec in clients]
        last_seq = served.room.hub.last_seq

    loaded = load_file(FIXTURE)
    server = FakeServer(loaded, roster_from_counts(loaded.require(), "2"), evaluators=2)
    links = [server.link(seat, name) for seat, name in SEATS]
    fake_answers = [answer_of(await links[who].send(command)) for who, command in script()]
    fake = [[comparable(m) for m in link.drain()] for link in links]

    assert fake_answers == real_answers
    assert sum(isinstance(a, dict) and a["type"] == "error" for a in fake_answers) == 3
    assert server.events[-1].seq == last_seq
    for (seat, name), got, want in zip(SEATS, fake, real, strict=True):
        assert got == want, (seat, name)
    assert {m[0] for m in fake[0] if isinstance(m, tuple)} == {"link"}


# ---------------------------------------------------------------------- the fake's own


def fixture_server(**kwargs: Any) -> FakeServer:
    return FakeServer.from_file(FIXTURE, "2", wall=lambda: 0.0, **kwargs)


def events_of(messages: list[Incoming]) -> list[EventMsg]:
    out: list[EventMsg] = []
    for msg in messages:
        if isinstance(msg, EventMsg):
            out.append(msg)
        elif isinstance(msg, Snapshot):
            out.extend(msg.events)
    return out


async def test_time_moves_when_the_test_says_and_only_while_the_clock_runs() -> None:
    server = fixture_server()
    control = server.link("facilitator:control")
    team = server.link("team:a-01", "amira")
    with pytest.raises(RuntimeError, match="ready"):
        server.advance_to(10 * M)
    assert isinstance(await control.send(c.Start()), Ack)
    happened = server.advance_to(10 * M)
    assert [e.kind for e in happened] == ["delivered"] and server.now == 10 * M
    received = team.drain()
    assert isinstance(received[0], LinkChange) and isinstance(received[1], Welcome)
    bodies = [team_event(e).body for e in events_of(received)]
    shown = [b for b in bodies if isinstance(b, InjectShown)]
    assert [b.inject.id for b in shown] == ["A1"]
    clocks = [m for m in received if isinstance(m, ClockMsg)]
    assert clocks[-1].status == "running" and clocks[-1].wall == 0.0
    await control.send(c.Pause())
    with pytest.raises(RuntimeError, match="paused"):
        server.advance_to(20 * M)
    await control.send(c.Resume())
    assert {e.kind for e in server.advance_to(20 * M)} >= {"deadline"}


async def test_a_dropped_link_catches_up_on_reconnecting_and_sends_once_back() -> None:
    server = fixture_server()
    control = server.link("facilitator:control")
    team = server.link("team:a-01", "amira")
    await control.send(c.Start())
    server.advance_to(10 * M)
    before = events_of(team.drain())
    team.drop("cable pulled")
    [change] = team.drain()
    assert team.state == "reconnecting" and isinstance(change, LinkChange)
    assert (change.state, change.cause, change.reason) == (
        "reconnecting",
        "lost",
        "connection lost: cable pulled",
    )
    await control.send(c.Broadcast(text="while you were away"))
    note = asyncio.ensure_future(team.send(c.TeamNote(team="a-01", member="amira", text="x")))
    await asyncio.sleep(0)
    assert not note.done()  # waits for the link, as the client's resend does
    team.reconnect()
    reply = await note
    assert isinstance(reply, Ack)
    after = team.drain()
    assert [type(m).__name__ for m in after[:3]] == ["LinkChange", "Welcome", "ClockMsg"]
    welcome = after[1]
    assert isinstance(welcome, Welcome) and welcome.resume == "catchup"
    seqs = [e.seq for e in before + events_of(after)]
    assert seqs == sorted(set(seqs)) and seqs[-1] == reply.seq
    assert team.connects == 2 and team.duplicates == 0


async def test_too_far_behind_gets_a_snapshot_of_what_the_seat_may_see() -> None:
    server = fixture_server(settings=ServerSettings(team_ring=3, staff_ring=3))
    control = server.link("facilitator:control")
    await control.send(c.Start())
    for i in range(5):
        await control.send(c.Broadcast(text=f"news {i}", teams=["a-02"]))
        await control.send(c.Broadcast(text=f"secret {i}", teams=["b-01"]))
    late = server.link("team:a-02", "late")
    got = late.drain()
    welcome, snap = got[1], next(m for m in got if isinstance(m, Snapshot))
    assert isinstance(welcome, Welcome) and welcome.resume == "snapshot"
    texts = [b.text for b in (team_event(e).body for e in snap.events) if hasattr(b, "text")]
    assert texts == [f"news {i}" for i in range(5)]
    assert "secret" not in snap.model_dump_json()
    assert late.last_seq == snap.last_seq == server.events[-1].seq


async def test_the_link_keeps_the_clients_contract() -> None:
    server = fixture_server()
    seen: list[Incoming] = []
    team = server.link("team:a-01", "amira", on_message=seen.append)
    assert isinstance(seen[1], Welcome) and team.welcome == seen[1]
    assert await team.wait_joined(1) == seen[1]
    refused = await team.send(c.Start())
    assert isinstance(refused, Error) and refused.code == "forbidden"
    early = await team.send(c.Ask(team="a-01", member="amira", actor="x", text="hello?"))
    assert isinstance(early, Error) and early.code == "rejected"
    again = c.TeamNote(team="a-01", member="amira", text="once")
    first = await team.send(again, id="n1")
    assert await team.send(again, id="n1") == first
    other = await team.send(c.TeamNote(team="a-01", member="amira", text="other"), id="n1")
    assert isinstance(other, Error) and other.code == "id_reused"  # as the real server says
    assert [e.kind for e in server.events].count("team_note") == 1
    with pytest.raises(ValueError, match="name"):
        server.link("team:a-02")
    with pytest.raises(KeyError, match="team:a-01"):
        server.link("team:zz-99", "x")
    server.shutdown("the end of the test")
    assert [type(m).__name__ for m in seen[-2:]] == ["Bye", "LinkChange"]
    assert team.state == "closed" and "end of the test" in team.reason
    with pytest.raises(ClientClosed):
        await team.send(again)


# ---------------------------------------------------------------------- the client's edge


def test_the_edge_drops_and_counts_what_does_not_parse_and_events_seen() -> None:
    edge = Edge()
    assert edge.read("{not json") is None
    assert edge.read('{"type": "teleport"}') is None
    assert edge.read('{"type": "event", "seq": "x"}') is None
    assert edge.bad_frames == 3
    event = '{"type":"event","seq":4,"t":0,"kind":"start","payload":{}}'
    assert isinstance(edge.read(event), EventMsg) and edge.last_seq == 4
    assert edge.read(event) is None and edge.duplicates == 1
    snap = '{"type":"snapshot","last_seq":9,"events":[]}'
    assert isinstance(edge.read(snap), Snapshot) and edge.last_seq == 9


async def test_a_bad_frame_from_the_server_is_counted_and_the_client_carries_on(
    tmp_path: Path,
) -> None:
    async with serving(tmp_path) as served:
        fac, _ = await served.client("facilitator:control")
        team, rec = await served.client("team:a-01", "amira")
        session = next(s for s in served.room.sessions if s.member == "amira")
        session.deliver('{"type": "event", "seq": "not a number"}')
        session.deliver("not json at all")
        reply = await fac.send(c.Start())
        assert isinstance(reply, Ack) and reply.seq is not None
        await rec.wait_seq(reply.seq)
        assert team.bad_frames == 2 and team.state == "connected"
        assert rec.links() == ["connected"] and rec.events()[-1].kind == "start"


def test_a_recorder_and_a_fake_link_fold_alike() -> None:
    """The tests' Recorder takes the fake link's callback too (one way to read both)."""
    server = fixture_server()
    rec = Recorder()
    link: FakeLink = server.link("observer:observer", on_message=rec)
    assert rec.links() == ["connected"] and rec.of(Welcome)[0] == link.welcome
