"""Hostile input ends at most its own session: one logged line, never a traceback.

Each test here reproduces a finding of issue 11 on loopback (deep JSON, a type
that is not a string, a lone surrogate echoed back, a reused message id with
another body, one seat opening sockets without end, a team flooding the log) and
checks the fix: an error or a close that says why, a count in ``/metrics``, and
a server log that stays small, on one line per problem, with no escape bytes.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from engine.eventlog import EventLog
from engine.net.protocol import (
    CLOSE_BAD_HELLO,
    CLOSE_INTERNAL,
    CLOSE_SEAT_FULL,
    SERVER_ADAPTER,
)
from engine.net.server.guard import (
    FrameError,
    LineLimiter,
    decode,
    install_loop_guard,
    restore_loop_guard,
)
from engine.net.server.metrics import render
from engine.net.server.settings import ServerSettings
from tests.server.conftest import Raw, Served, joined_raw, raw, serving

DEEP = "[" * 30_000 + "]" * 30_000
"""Far deeper than Python's recursion limit, well under the frame bound."""


def no_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    for record in caplog.records:
        assert record.exc_info is None, record.getMessage()
        text = record.getMessage()
        assert "Traceback" not in text and "\x1b" not in text, text
        assert "\n" not in text, text


@pytest.fixture
async def served_fast(tmp_path: Path) -> AsyncIterator[Served]:
    """A server whose per-socket rate limit stays out of the way."""
    async with serving(tmp_path, settings=ServerSettings(rate=10_000, burst=10_000)) as served:
        yield served


async def error_for(conn: Raw, frame: str) -> dict[str, object]:
    await conn.send(frame)
    reply = await conn.recv_type("error")
    SERVER_ADAPTER.validate_python(reply)
    return reply


async def alive(conn: Raw, mid: str = "alive") -> None:
    await conn.send({"type": "ping", "id": mid})
    assert (await conn.reply_to(mid))["type"] == "ack"


async def replies(conn: Raw, ids: list[str], timeout: float = 5.0) -> dict[str, dict[str, object]]:
    """The answers to ``ids`` on one socket, in whatever order they come."""
    got: dict[str, dict[str, object]] = {}
    while len(got) < len(set(ids)):
        data = await conn.recv_type("ack", "error", timeout=timeout)
        if data.get("id") in ids:
            got[str(data["id"])] = data
    return got


def metric_lines(served: Served) -> str:
    return render(served.room.metrics, served.room.gauges())


# ------------------------------------------------------------------ session safety


async def test_hostile_frames_get_errors_and_the_session_lives_on(
    served_fast: Served, caplog: pytest.LogCaptureFixture
) -> None:
    served = served_fast
    caplog.set_level(logging.INFO)
    async with contextlib.AsyncExitStack() as stack:
        conn = await joined_raw(stack, served.url, served.code("team:a-01"), "amira")
        deep = await error_for(conn, DEEP)
        assert deep["code"] == "bad_message" and "nested" in str(deep["reason"])
        shallow_deep = '{"type":"ping","id":"d","x":' + "[" * 500 + "]" * 500 + "}"
        assert (await error_for(conn, shallow_deep))["code"] == "bad_message"
        listed = await error_for(conn, '{"type": ["command"], "id": "l1"}')
        assert listed["code"] == "unknown_type" and listed["id"] == "l1"
        obj = await error_for(conn, '{"type":"command","id":"o1","command":{"type":{"a":1}}}')
        assert obj["code"] == "unknown_type" and obj["id"] == "o1"
        unhashable = await error_for(conn, '{"type":"command","id":"o2","command":{"type":[1]}}')
        assert unhashable["code"] == "unknown_type"
        surrogate = await error_for(conn, '{"type":"teleport","id":"\\ud800"}')
        assert surrogate["code"] == "bad_message" and surrogate["id"] is None
        await alive(conn, "after-surrogate")
        infinite = await error_for(conn, '{"type":"ping","id":"inf","n":1e999}')
        assert infinite["code"] == "bad_message" and "too large" in str(infinite["reason"])
        beyond = await error_for(conn, '{"type":"ping","id":"big","n":9223372036854775808}')
        assert beyond["code"] == "bad_message" and "out of range" in str(beyond["reason"])
        nan = await error_for(conn, '{"type":"ping","id":"nan","n":NaN}')
        assert nan["code"] == "bad_json"
        escape = await error_for(conn, '{"type":"\\u001b[2J\\u001b]0;pwned\\u0007","id":"e"}')
        assert "\x1b" not in str(escape["reason"])
        huge = await error_for(conn, json.dumps({"type": "x" * 60_000, "id": "h"}))
        assert len(str(huge["reason"])) < 300
        await alive(conn)
    assert not served.room.failed.is_set()
    no_tracebacks(caplog)


async def test_hostile_hellos_close_with_a_code_and_a_reason(
    served_fast: Served, caplog: pytest.LogCaptureFixture
) -> None:
    served = served_fast
    caplog.set_level(logging.INFO)
    code = served.code("team:a-01")
    for frame in (
        DEEP,
        '{"type": ["hello"], "v": 1}',
        '{"type":"hello","v":1,"code":"' + code + '","name":"x\\udfff"}',
        '{"type":"hello","v":{"a":[1]},"code":"x"}',
        '{"type":"hello","v":1e999,"code":"x"}',
    ):
        async with raw(served.url) as conn:
            await conn.send(frame)
            error = await conn.recv_type("error")
            SERVER_ADAPTER.validate_python(error)
            got, reason = await conn.closed()
            assert got == CLOSE_BAD_HELLO and reason, (frame[:40], got)
    async with raw(served.url) as conn:
        await conn.ws.send_bytes(b"\xff" * 10)
        assert (await conn.closed())[0] == CLOSE_BAD_HELLO
    no_tracebacks(caplog)


async def test_a_failure_handling_one_frame_ends_that_session_only(
    served_fast: Served, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    served = served_fast
    caplog.set_level(logging.INFO)
    async with contextlib.AsyncExitStack() as stack:
        bystander = await joined_raw(stack, served.url, served.code("team:b-01"), "bea")
        victim = await joined_raw(stack, served.url, served.code("team:a-01"), "amira")

        def broken(*_args: object) -> None:
            raise ValueError("a bug\x1b[2J in admission")

        monkeypatch.setattr("engine.net.server.connection.admit", broken)
        await victim.send({"type": "command", "id": "b1", "command": {"type": "team_note"}})
        error = await victim.recv_type("error")
        assert error["code"] == "internal"
        code, reason = await victim.closed()
        assert code == CLOSE_INTERNAL and reason
        await alive(bystander)
    lines = [r.getMessage() for r in caplog.records if "a bug" in r.getMessage()]
    assert len(lines) == 1 and "ValueError" in lines[0]
    no_tracebacks(caplog)
    assert "sitroom_session_errors_total 1" in metric_lines(served)


async def test_participant_text_reaches_the_server_log_visibly(
    served_fast: Served, caplog: pytest.LogCaptureFixture
) -> None:
    served = served_fast
    caplog.set_level(logging.INFO)
    async with contextlib.AsyncExitStack() as stack:
        conn = await joined_raw(
            stack, served.url, served.code("team:a-01"), "evil\x1b]0;owned\x07\u202ename"
        )
        await error_for(conn, '{"type":"\\u001b[31mred","id":"x"}')
    joined = [r.getMessage() for r in caplog.records if "joined" in r.getMessage()]
    assert joined and "evil␛]0;owned␇⟨U+202E⟩name" in joined[0]
    no_tracebacks(caplog)


async def test_bad_input_logs_are_rate_limited(
    served_fast: Served, caplog: pytest.LogCaptureFixture
) -> None:
    served = served_fast
    caplog.set_level(logging.INFO, logger="sitroom.server")
    async with contextlib.AsyncExitStack() as stack:
        conn = await joined_raw(stack, served.url, served.code("team:a-01"), "amira")
        for i in range(600):
            await conn.send(f"not json {i}")
        await alive(conn)
    lines = [r for r in caplog.records if r.name == "sitroom.server"]
    assert served.room.metrics.bad_input["bad_json"] == 600
    assert len(lines) < 150, len(lines)


# ------------------------------------------------------------------ idempotency


def note(mid: str, text: str) -> dict[str, object]:
    return {"type": "command", "id": mid, "command": {"type": "team_note", "text": text}}


async def started(stack: contextlib.AsyncExitStack, served: Served) -> None:
    fac = await joined_raw(stack, served.url, served.code("facilitator:control"), None)
    await fac.send({"type": "command", "id": "go", "command": {"type": "start"}})
    assert (await fac.reply_to("go"))["type"] == "ack"


async def test_a_reused_id_with_another_body_is_refused(served_fast: Served) -> None:
    served = served_fast
    async with contextlib.AsyncExitStack() as stack:
        await started(stack, served)
        conn = await joined_raw(stack, served.url, served.code("team:a-01"), "amira")
        await conn.send(note("n1", "first"))
        first = await conn.reply_to("n1")
        assert first["type"] == "ack"
        await conn.send(note("n1", "first"))
        assert await conn.reply_to("n1") == first
        await conn.send(note("n1", "second"))
        reused = await conn.reply_to("n1")
        assert reused["type"] == "error" and reused["code"] == "id_reused"
        assert "n1" in str(reused["reason"])
        # In flight: all three sent before the first is answered.
        await conn.send(note("n2", "one"))
        await conn.send(note("n2", "two"))
        await conn.send(note("n2", "one"))
        answers = [await conn.recv_type("ack", "error") for _ in range(3)]
        acks = [a for a in answers if a["type"] == "ack"]
        assert len(acks) == 2 and acks[0] == acks[1]
        assert [a["code"] for a in answers if a["type"] == "error"] == ["id_reused"]
    with EventLog.open(served.db, readonly=True) as log:
        texts = [e.payload.get("text") for e in log.events() if e.kind == "team_note"]
    assert texts == ["first", "one"]
    assert 'sitroom_bad_input_total{code="id_reused"} 2' in metric_lines(served)


async def test_a_reused_id_is_refused_across_a_restart(tmp_path: Path) -> None:
    async with serving(tmp_path) as served, contextlib.AsyncExitStack() as stack:
        await started(stack, served)
        conn = await joined_raw(stack, served.url, served.code("team:a-01"), "amira")
        await conn.send(note("n1", "before the crash"))
        first = await conn.reply_to("n1")
        assert first["type"] == "ack"
    async with serving(tmp_path, resume=True) as served, contextlib.AsyncExitStack() as stack:
        conn = await joined_raw(stack, served.url, served.code("team:a-01"), "amira")
        await conn.send(note("n1", "after the crash"))
        reused = await conn.reply_to("n1")
        assert reused["type"] == "error" and reused["code"] == "id_reused"
        await conn.send(note("n1", "before the crash"))
        assert await conn.reply_to("n1") == first


# ------------------------------------------------------------------ budgets


async def test_sockets_per_seat_are_capped_with_a_reason(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    async with serving(tmp_path) as served, contextlib.AsyncExitStack() as stack:
        # The fixture's roster names no members: 8 sockets a seat.
        for i in range(8):
            await joined_raw(stack, served.url, served.code("team:a-01"), f"m{i}")
        async with raw(served.url) as conn:
            await conn.send(
                {"type": "hello", "v": 1, "code": served.code("team:a-01"), "name": "ninth"}
            )
            error = await conn.recv_type("error")
            assert error["code"] == "seat_full" and "8" in str(error["reason"])
            code, reason = await conn.closed()
            assert code == CLOSE_SEAT_FULL and "team:a-01" in reason
        # Other seats are not affected.
        await joined_raw(stack, served.url, served.code("team:a-02"), "other")
        assert 'sitroom_refused_total{why="seat_sockets"} 1' in metric_lines(served)
    no_tracebacks(caplog)


async def test_a_closed_socket_frees_its_place(tmp_path: Path) -> None:
    settings = ServerSettings(seat_sockets=2)
    async with serving(tmp_path, settings=settings) as served:
        async with contextlib.AsyncExitStack() as stack:
            await joined_raw(stack, served.url, served.code("team:a-01"), "m1")
            await joined_raw(stack, served.url, served.code("team:a-01"), "m2")
        for _ in range(100):
            if not served.room.seat_sockets.get("team:a-01"):
                break
            await asyncio.sleep(0.02)
        async with contextlib.AsyncExitStack() as stack:
            await joined_raw(stack, served.url, served.code("team:a-01"), "m3")
            await joined_raw(stack, served.url, served.code("team:a-01"), "m4")


def test_the_default_socket_cap_follows_the_roster() -> None:
    settings = ServerSettings()
    assert settings.sockets_for(("ann", "bob", "cy")) == 7
    assert settings.sockets_for(()) == 8
    assert ServerSettings(seat_sockets=3).sockets_for(("a", "b", "c", "d")) == 3


async def test_a_team_cannot_flood_the_log(tmp_path: Path) -> None:
    settings = ServerSettings(
        rate=10_000, burst=10_000, seat_commands_per_minute=30, seat_bytes_per_minute=20_000
    )
    async with serving(tmp_path, settings=settings) as served, contextlib.AsyncExitStack() as st:
        await started(st, served)
        socks = [
            await joined_raw(st, served.url, served.code("team:a-01"), f"m{i}") for i in range(4)
        ]
        for i in range(60):
            await socks[i % 4].send(note(f"n{i}", f"short {i}"))
        got: dict[str, dict[str, object]] = {}
        for k, sock in enumerate(socks):
            got.update(await replies(sock, [f"n{i}" for i in range(k, 60, 4)]))
        answers = [got[f"n{i}"] for i in range(60)]
        acked = [a for a in answers if a["type"] == "ack"]
        refused = [a for a in answers if a["type"] == "error"]
        assert len(acked) == 30
        assert {a["code"] for a in refused} == {"rate_limited"}
        assert "commands a minute" in str(refused[0]["reason"])
        # Another team still gets through.
        other = await joined_raw(st, served.url, served.code("team:a-02"), "al")
        await other.send(note("o1", "still here"))
        assert (await other.reply_to("o1"))["type"] == "ack"
        # A retry of an acknowledged command is not charged again.
        await socks[0].send(note("n0", "short 0"))
        assert (await socks[0].reply_to("n0"))["type"] == "ack"
        assert 'sitroom_refused_total{why="seat_commands"} 30' in metric_lines(served)
    (tmp_path / "bytes").mkdir()
    async with serving(tmp_path / "bytes", settings=settings) as served:
        async with contextlib.AsyncExitStack() as st:
            await started(st, served)
            conn = await joined_raw(st, served.url, served.code("team:b-01"), "bea")
            for i in range(5):
                await conn.send(note(f"b{i}", "x" * 7000))
            got = await replies(conn, [f"b{i}" for i in range(5)])
            answers = [got[f"b{i}"] for i in range(5)]
        assert [a["type"] for a in answers] == ["ack", "ack", "error", "error", "error"]
        assert "bytes a minute" in str(answers[2]["reason"])
        assert 'sitroom_refused_total{why="seat_bytes"} 3' in metric_lines(served)


async def test_silence_after_connecting_is_counted(tmp_path: Path) -> None:
    settings = ServerSettings(hello_timeout=0.2)
    async with serving(tmp_path, settings=settings) as served:
        async with raw(served.url) as conn:
            code, reason = await conn.closed()
            assert code == CLOSE_BAD_HELLO and "hello" in reason
        assert 'sitroom_refused_total{why="hello_timeout"} 1' in metric_lines(served)


# ------------------------------------------------------------------ the guard's parts


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        (DEEP, "bad_message"),
        ('{"a":' * 40 + "1" + "}" * 40, "bad_message"),
        ('{"\\ud800": 1}', "bad_message"),
        ('{"type": "ping", "id": NaN}', "bad_json"),
        ('{"n": -Infinity}', "bad_json"),
        ('{"n": 1e400}', "bad_message"),
        ('{"n": 9223372036854775808}', "bad_message"),
        ('{"n": ' + "1" * 5000 + "}", "bad_message"),
        ("{nope", "bad_json"),
    ],
)
def test_decode_refuses_what_no_handler_should_see(frame: str, code: str) -> None:
    with pytest.raises(FrameError) as caught:
        decode(frame, 32)
    assert caught.value.code == code and caught.value.reason


def test_decode_passes_ordinary_messages() -> None:
    text = '{"type":"command","id":"x","command":{"type":"team_note","text":"ok 🔥"},"n":-5}'
    assert decode(text, 32) == json.loads(text)
    assert decode('{"n": 9223372036854775807}', 32) == {"n": 2**63 - 1}


def test_the_loop_reports_running_out_of_descriptors_in_one_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    loop = asyncio.new_event_loop()
    counted: list[int] = []
    try:
        previous = install_loop_guard(loop, LineLimiter(5, 50), lambda: counted.append(1))
        error = OSError(errno.EMFILE, "Too many open files")
        for _ in range(4096):
            loop.call_exception_handler(
                {"message": "socket.accept() out of system resource", "exception": error}
            )
        restore_loop_guard(loop, previous)
        assert loop.get_exception_handler() is previous
    finally:
        loop.close()
    assert len(counted) == 4096
    assert len(caplog.records) == 1 and "Too many open files" in caplog.records[0].getMessage()
    no_tracebacks(caplog)
