"""Short join codes through the server protocol: typed any way, guessed at no profit.

A code is 12 Crockford base32 characters (60 bits). These tests join a real
server (built as ``sitroom serve`` builds it) with the code as printed, as people
type it (lower case, without or with other separators, I/L/O for 1/0), and with
wrong codes; they check that wrong codes are limited per address (refused before
the code is looked at), that the log's hashes are keyed with a key kept only in
the codes file, and that logs made with the older 28-character codes keep working.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from pathlib import Path
from typing import Any

from engine.eventlog import EventLog
from engine.net.protocol import CLOSE_BAD_CODE, CLOSE_FLOOD
from engine.net.server.guesses import WrongCodes, address_key
from engine.net.server.runner import prepare
from engine.net.server.seats import (
    HEADER_KEY,
    KEY_LINE,
    LEGACY_CODE_CHARS,
    Seat,
    SeatBook,
    code_hash,
    codes_path,
    format_codes,
    new_code,
    normalise,
    read_codes,
    write_codes,
)
from engine.net.server.settings import ServerSettings
from engine.roster import roster_from_counts
from engine.scenario import load_file
from tests.server.conftest import FIXTURE, raw, serving

SHORT = re.compile(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}")


async def hello(url: str, code: str, name: str | None = "amira") -> tuple[dict[str, Any], int]:
    """Say hello with ``code``: the first reply, and the close code (0 if still open)."""
    async with raw(url) as conn:
        body: dict[str, Any] = {"type": "hello", "v": 1, "code": code}
        if name:
            body["name"] = name
        await conn.send(body)
        reply = await conn.recv_type("welcome", "error")
        if reply["type"] == "welcome":
            return reply, 0
        closed, _ = await conn.closed()
        return reply, closed or 0


def sloppy(code: str) -> list[str]:
    """Ways people type a code from a card."""
    bare = code.replace("-", "")
    return [
        code.lower(),
        bare,
        bare.lower(),
        " ".join(code.split("-")),
        code.replace("-", "\u2013"),  # a phone's en dash
        f"  {code.lower()}  ",
        code.replace("1", "l").replace("0", "o").lower(),
    ]


async def test_serve_issues_short_codes_that_join_however_they_are_typed(tmp_path: Path) -> None:
    async with serving(tmp_path) as served:
        on_file = read_codes(codes_path(served.db))
        assert on_file == served.codes and on_file
        for code in on_file.values():
            assert SHORT.fullmatch(code), code
        code = served.code("team:a-01")
        for typed in [code, *sloppy(code)]:
            reply, _ = await hello(served.url, typed)
            assert reply["type"] == "welcome", (typed, reply)
            assert reply["seat"] == "team:a-01"
        staff, _ = await hello(served.url, served.code("facilitator:control").lower(), None)
        assert staff["type"] == "welcome" and staff["role"] == "facilitator"


async def test_a_wrong_code_is_refused_and_a_malformed_one_says_what_a_code_looks_like(
    tmp_path: Path,
) -> None:
    async with serving(tmp_path) as served:
        code = served.code("team:a-01")
        last = code[-1]
        wrong = code[:-1] + ("2" if last != "2" else "3")
        reply, closed = await hello(served.url, wrong)
        assert (reply["code"], reply["reason"], closed) == (
            "bad_code",
            "unknown join code",
            CLOSE_BAD_CODE,
        )
        for slip in ("amira", code[:-2], code + "Q", "UUUU-UUUU-UUUU"):
            reply, closed = await hello(served.url, slip)
            assert reply["code"] == "bad_code" and closed == CLOSE_BAD_CODE
            assert "12 letters and digits (XXXX-XXXX-XXXX)" in reply["reason"], slip


async def test_wrong_codes_are_limited_per_address_before_the_code_is_looked_at(
    tmp_path: Path,
) -> None:
    settings = ServerSettings(wrong_codes_burst=3, wrong_codes_per_minute=1)
    async with serving(tmp_path, settings=settings) as served:
        code = served.code("team:a-02")
        # Slips (not shaped like a code) cost nothing: ten of them, and the code still works.
        for _ in range(10):
            reply, _ = await hello(served.url, "my name")
            assert reply["code"] == "bad_code"
        assert (await hello(served.url, code))[0]["type"] == "welcome"
        # A revoked code is a real (former) code, not a guess: it costs nothing either.
        revoked = served.code("team:b-01")
        await served.room.revoke("team:b-01")
        for _ in range(5):
            reply, _ = await hello(served.url, revoked)
            assert reply["reason"] == "this join code was revoked"
        assert (await hello(served.url, code))[0]["type"] == "welcome"
        guesses = [new_code() for _ in range(3)]
        for guess in guesses:
            reply, closed = await hello(served.url, guess)
            assert reply["code"] == "bad_code" and closed == CLOSE_BAD_CODE
        # The budget is spent: even the right code is refused, unread, with the time to wait.
        reply, closed = await hello(served.url, code)
        assert reply["code"] == "rate_limited" and closed == CLOSE_FLOOD
        assert re.fullmatch(
            r"too many wrong join codes from your address: try again in \d+ s", reply["reason"]
        ), reply["reason"]
        assert served.room.metrics.refused["wrong_codes"] == 1


async def test_a_budget_comes_back_with_time_and_ipv6_counts_by_network() -> None:
    now = [0.0]
    codes = WrongCodes(per_minute=6, burst=2, clock=lambda: now[0])
    codes.charge("10.0.0.7")
    codes.charge("10.0.0.7")
    assert codes.wait("10.0.0.7") == 10.0  # one code every 10 s
    assert codes.wait("10.0.0.8") == 0.0
    now[0] = 9.0
    assert codes.wait("10.0.0.7") > 0
    now[0] = 10.0
    assert codes.wait("10.0.0.7") == 0.0
    # One machine may hold a whole /64: its addresses share one budget.
    codes.charge("2001:db8:1:2::1")
    codes.charge("2001:db8:1:2:ffff::9")
    assert codes.wait("2001:db8:1:2::77") > 0
    assert codes.wait("2001:db8:1:3::1") == 0.0
    assert address_key("::ffff:10.0.0.7") == "10.0.0.7"
    few = WrongCodes(per_minute=1, burst=1, max_addresses=3, clock=lambda: now[0])
    for k in range(10):
        few.charge(f"10.1.0.{k}")
    assert len(few) == 3


async def test_the_log_holds_keyed_hashes_and_the_key_stays_in_the_codes_file(
    tmp_path: Path,
) -> None:
    async with serving(tmp_path) as served:
        code = served.code("team:a-01")
        text = codes_path(served.db).read_text()
    with EventLog.open(served.db, readonly=True) as log:
        header = json.loads(log.header[HEADER_KEY])
        everything = json.dumps(log.header)
    assert header["hash"] == "hmac-sha256"
    key_line = next(line for line in text.splitlines() if line.startswith(KEY_LINE))
    key = key_line.split("\t")[1]
    assert key not in everything, "the key never goes into the log"
    for typed in (code, normalise(code)):
        assert typed not in everything
    # Without the key, the header's hash is not the code's plain SHA-256 (nothing to try
    # codes against offline); with it, it is the code's keyed hash.
    plain = hashlib.sha256(normalise(code).encode()).hexdigest()
    assert plain not in everything
    assert code_hash(code, bytes.fromhex(key)) in everything


async def test_resuming_keeps_the_codes_and_a_lost_key_reissues_them_all(
    tmp_path: Path,
) -> None:
    async with serving(tmp_path) as served:
        code = served.code("team:b-01")
    async with serving(tmp_path, resume=True) as again:
        assert (await hello(again.url, code))[0]["type"] == "welcome"
    path = codes_path(tmp_path / "exercise.db")
    kept = [line for line in path.read_text().splitlines() if not line.startswith(KEY_LINE)]
    write_codes(path, kept)
    loaded = load_file(FIXTURE)
    roster = roster_from_counts(loaded.require(), "2")
    prepared = prepare(loaded, tmp_path / "exercise.db", roster, resume=True)
    try:
        notes = " ".join(prepared.notes)
        assert "holds no key" in notes and "issued new ones" in notes
        assert prepared.codes["team:b-01"] != code
        assert prepared.room.seats.find(code) is None
        assert prepared.room.seats.opens("team:b-01", prepared.codes["team:b-01"])
    finally:
        prepared.room.close_log()


async def test_a_log_with_the_older_long_codes_keeps_working(tmp_path: Path) -> None:
    """A log written before the short codes: unkeyed SHA-256 of 28-character codes."""
    db = tmp_path / "exercise.db"
    async with serving(tmp_path) as served:
        seats = list(served.room.seats.seats.values())
    old_codes = {s.key: new_code(LEGACY_CODE_CHARS) for s in seats}
    legacy = SeatBook(
        [Seat(s.key, s.role, s.name, s.label, s.team, code_hash(old_codes[s.key])) for s in seats]
    )
    with EventLog.open(db) as log:
        log.set_header(HEADER_KEY, legacy.to_header())
    lines = format_codes(legacy, old_codes, "http://127.0.0.1:1", "old")
    assert not any(line.startswith(KEY_LINE) for line in lines)
    write_codes(codes_path(db), lines)
    header = json.loads(legacy.to_header())
    assert "hash" not in header and "sha256" in header["seats"][0]
    async with serving(tmp_path, resume=True) as again, contextlib.AsyncExitStack():
        old = old_codes["team:a-01"]
        assert len(old) == 34
        for typed in (old, old.lower().replace("-", "")):
            assert (await hello(again.url, typed))[0]["type"] == "welcome"
        # A seat reissued on an older log keeps the long codes: such a log never holds an
        # unkeyed hash of a short code.
        fresh, _line = await again.room.revoke("team:a-02")
        assert len(fresh.replace("-", "")) == LEGACY_CODE_CHARS
        assert (await hello(again.url, fresh))[0]["type"] == "welcome"
        reply, _ = await hello(again.url, old_codes["team:a-02"])
        assert reply["reason"] == "this join code was revoked"
