"""Bad input never hurts the room: each gets a clear error or a close with a reason.

A bystander stays connected throughout and must notice nothing: no error, no
close, and its ping still answered at the end.
"""

from __future__ import annotations

import contextlib
import json
import logging
from pathlib import Path

import pytest

from engine.net.protocol import (
    CLOSE_BAD_CODE,
    CLOSE_BAD_HELLO,
    CLOSE_BAD_VERSION,
    CLOSE_FLOOD,
    CLOSE_REVOKED,
    CLOSE_TOO_BIG,
    MAX_FRAME,
    SERVER_ADAPTER,
    Ack,
    Bye,
    Error,
)
from engine.net.server.settings import ServerSettings
from tests.server.conftest import Raw, Recorder, Served, joined_raw, raw, serving


@pytest.fixture
async def room(tmp_path: Path):  # type: ignore[no-untyped-def]
    settings = ServerSettings(hello_timeout=0.5, rate=50, burst=20, flood_strikes=30)
    async with serving(tmp_path, settings=settings) as served:
        bystander, rec = await served.client("team:b-01", "bystander")
        yield served, rec
        reply = await bystander.ping()
        assert isinstance(reply, Ack)
        assert not [m for m in rec.messages if isinstance(m, Error | Bye)]
        assert rec.links() == ["connected"]
        assert bystander.connects == 1 and bystander.bad_frames == 0


async def expect_error(conn: Raw, payload: object, code: str, mid: str | None = None) -> str:
    await conn.send(payload if isinstance(payload, str) else json.dumps(payload))
    reply = await conn.recv_type("error")
    SERVER_ADAPTER.validate_python(reply)
    assert reply["code"] == code, reply
    assert reply["id"] == mid
    assert reply["reason"]
    return str(reply["reason"])


async def still_alive(conn: Raw) -> None:
    await conn.send({"type": "ping", "id": "alive"})
    assert (await conn.reply_to("alive"))["type"] == "ack"


async def test_malformed_messages_get_errors_and_the_socket_stays(
    room: tuple[Served, Recorder], caplog: pytest.LogCaptureFixture
) -> None:
    served, _ = room
    caplog.set_level(logging.INFO, logger="sitroom.server")
    async with contextlib.AsyncExitStack() as stack:
        conn = await joined_raw(stack, served.url, served.code("team:a-01"), "amira")
        await expect_error(conn, "{not json", "bad_json")
        await expect_error(conn, "[1, 2]", "bad_message")
        await expect_error(conn, {"type": "teleport", "id": "t1"}, "unknown_type", "t1")
        await expect_error(
            conn, {"type": "command", "id": "c1", "command": {"type": "nuke"}}, "unknown_type", "c1"
        )
        await expect_error(conn, {"type": "command", "command": {"type": "join"}}, "bad_message")
        await expect_error(conn, {"type": "command", "id": "c2", "command": 7}, "bad_message", "c2")
        reason = await expect_error(
            conn,
            {"type": "command", "id": "c3", "command": {"type": "team_note", "text": "x" * 8001}},
            "bad_message",
            "c3",
        )
        assert "text" in reason and "8000" in reason
        await expect_error(
            conn,
            {"type": "command", "id": "c4", "command": {"type": "ask", "actor": "x"}},
            "bad_message",
            "c4",
        )
        await expect_error(
            conn, {"type": "hello", "v": 1, "code": "x", "id": "h"}, "bad_message", "h"
        )
        await conn.ws.send_bytes(b"\x00\x01")
        assert (await conn.recv_type("error"))["code"] == "bad_message"
        big = json.dumps({"type": "ping", "id": "big", "pad": "x" * (MAX_FRAME + 10)})
        reason = await expect_error(conn, big, "too_large")
        assert str(MAX_FRAME) in reason
        await still_alive(conn)
    assert any("bad_json" in r.getMessage() for r in caplog.records)
    assert any("too_large" in r.getMessage() for r in caplog.records)
    assert served.room.metrics.bad_input["bad_json"] == 1


async def test_a_frame_far_over_the_bound_closes_the_socket(room: tuple[Served, Recorder]) -> None:
    served, _ = room
    async with contextlib.AsyncExitStack() as stack:
        conn = await joined_raw(stack, served.url, served.code("team:a-01"), "amira")
        await conn.ws.send_str("x" * (4 * MAX_FRAME + 1))
        code, _ = await conn.closed()
        assert code == CLOSE_TOO_BIG


async def test_a_flood_is_limited_then_closed(room: tuple[Served, Recorder]) -> None:
    served, _ = room
    async with contextlib.AsyncExitStack() as stack:
        conn = await joined_raw(stack, served.url, served.code("team:a-01"), "amira")
        for i in range(200):
            await conn.send({"type": "ping", "id": f"p{i}"})
        codes = []
        while True:
            msg = await conn.ws.receive(timeout=5)
            if msg.type.name != "TEXT":
                break
            data = json.loads(msg.data)
            codes.append(data.get("code"))
        assert "rate_limited" in codes
        assert conn.ws.close_code == CLOSE_FLOOD
    assert served.room.metrics.bad_input["rate_limited"] >= 1


@pytest.mark.parametrize(
    ("hello", "code", "close"),
    [
        ({"type": "hello", "v": 99, "code": "x"}, "bad_version", CLOSE_BAD_VERSION),
        ({"type": "hello", "v": 1, "code": "NOPE-NOPE"}, "bad_code", CLOSE_BAD_CODE),
        ({"type": "ping", "id": "early"}, "not_joined", CLOSE_BAD_HELLO),
        ({"type": "hello", "v": 1}, "bad_message", CLOSE_BAD_HELLO),
        ("nonsense", "bad_json", CLOSE_BAD_HELLO),
    ],
)
async def test_a_bad_hello_gets_an_error_and_a_close_with_a_reason(
    room: tuple[Served, Recorder], hello: object, code: str, close: int
) -> None:
    served, _ = room
    async with raw(served.url) as conn:
        await conn.send(hello if isinstance(hello, str) else json.dumps(hello))
        error = await conn.recv_type("error")
        assert error["code"] == code
        got, reason = await conn.closed()
        assert got == close and reason


async def test_a_team_member_must_give_a_name(room: tuple[Served, Recorder]) -> None:
    served, _ = room
    async with raw(served.url) as conn:
        await conn.send({"type": "hello", "v": 1, "code": served.code("team:a-02")})
        assert (await conn.recv_type("error"))["code"] == "bad_message"
        assert (await conn.closed())[0] == CLOSE_BAD_HELLO


async def test_silence_instead_of_hello_is_closed(room: tuple[Served, Recorder]) -> None:
    served, _ = room
    async with raw(served.url) as conn:
        code, reason = await conn.closed(timeout=5)
        assert code == CLOSE_BAD_HELLO and "hello" in reason


async def test_a_revoked_code_is_refused_and_its_sessions_closed(
    room: tuple[Served, Recorder],
) -> None:
    served, _ = room
    victim, victim_rec = await served.client("team:a-02", "lost-card")
    fac, _ = await served.client("facilitator:control")
    team, _ = await served.client("team:a-01", "amira")
    refused = await team.revoke("team:a-02")
    assert isinstance(refused, Error) and refused.code == "forbidden"
    old = served.code("team:a-02")
    reply = await fac.revoke("team:a-02")
    assert isinstance(reply, Ack) and reply.detail is not None
    new = reply.detail["code"]
    assert new != old and reply.detail["command"].startswith(f"SITROOM_CODE={new} sitroom join")
    await victim_rec.wait(lambda r: r.links()[-1] == "closed", what="revoked close")
    assert "revoked" in victim.reason
    async with raw(served.url) as conn:
        await conn.send({"type": "hello", "v": 1, "code": old, "name": "x"})
        error = await conn.recv_type("error")
        assert error["code"] == "bad_code" and "revoked" in error["reason"]
        assert (await conn.closed())[0] == CLOSE_REVOKED
    async with contextlib.AsyncExitStack() as stack:
        await joined_raw(stack, served.url, new, "found-card")
    assert served.room.seats.to_header() == served.room.log.header["seats"]
